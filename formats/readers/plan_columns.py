"""The header of a cruscotto sheet: which column holds which field of which level.

The Relazione's table repeats its labels (`cod.`, `titolo / descrizione`, `peso`, `Risultato`)
under group headers (`Obiettivi operativi`, `Azioni`). A column is known by its group and its
label; where there is no row of groups, by its label and the columns before it (the first
`cod.` is the operational objective's, the second the action's).
"""

from collections.abc import Iterator
from dataclasses import dataclass, field

from events.errors import UsageError
from events.i18n import _
from events.policy import ScoringPolicy
from formats.readers.header_words import header, norm
from formats.readers.plan_kpi import KPI_FIELDS
from formats.readers.sheets import HEADER_SEARCH_ROWS, Cell

COMMON = {
    "titolo": "title",
    "titolo / descrizione": "title",
    "titolo/descrizione": "title",
    "descrizione": "title",
    "chiave": "key",
    "peso": "weight",
    "nota": "note",
    "cod": "code",
    "codice": "code",
}
SECTION_TITLES = {
    "prospettiva": "perspective",
    "prospettiva bsc": "perspective",
    "prospettive": "perspective",
    "obiettivo strategico": "strategic",
    "obiettivi strategici": "strategic",
}
STRATEGIC = {
    "target": "target",
    "target pp": "target",
    "target strategico": "target",
    "target per anno": "targets",
}
REQUIRED = {
    "perspective.title": "Prospettiva",
    "strategic.title": "Obiettivo strategico",
    "operational.code": "cod. of the operational objectives",
    "operational.title": "titolo of the operational objectives",
    "action.code": "cod. of the actions",
    "action.title": "titolo of the actions",
    "action.kpi": "kpi",
}


@dataclass(frozen=True)
class SheetLevels:
    """The levels a plan sheet is laid out by: the reference's four, or the policy's tree.

    A group header names a level by its name, its plural or its key (`Aree strategiche`).
    """

    keys: tuple[str, ...]
    reference: bool
    names: dict[str, str] = field(default_factory=dict)
    with_target: frozenset[str] = frozenset()

    @classmethod
    def of(cls, policy: ScoringPolicy) -> "SheetLevels":
        names: dict[str, str] = {}
        for rule in policy.tree:
            for name in (rule.key, rule.name, rule.shown_plural):
                names.setdefault(norm(name), rule.key)
        with_target = frozenset(r.key for r in policy.tree if r.achievement is not None)
        keys = tuple(rule.key for rule in policy.tree)
        return cls(keys, policy.is_reference_tree, names, with_target)

    @property
    def leaf(self) -> str:
        return self.keys[-1]


REFERENCE = SheetLevels.of(ScoringPolicy())


def find_columns(
    rows: Iterator[tuple[int, list[Cell]]], where: str, levels: SheetLevels = REFERENCE
) -> tuple[int, dict[str, int]]:
    """The label row (it has `cod.` and `kpi`) and the column of each field under it."""
    previous: list[Cell] | None = None
    seen_any = False
    for count, (number, cells) in enumerate(rows):
        names = [header(cell.value) for cell in cells]
        seen_any = seen_any or any(names)
        if any(n in ("cod", "codice") for n in names) and any(n in KPI_FIELDS for n in names):
            if levels.reference:
                return number, _columns(previous, cells, where, number)
            return number, _generic_columns(previous, cells, where, number, levels)
        previous = cells
        if count + 1 >= HEADER_SEARCH_ROWS:
            break
    if not seen_any:
        raise UsageError(_("{where}: the sheet is empty").format(where=where))
    raise UsageError(
        _(
            "{where}: no header row with 'cod.' and 'kpi' in the first {rows} rows (is this the "
            "cruscotto?)"
        ).format(where=where, rows=HEADER_SEARCH_ROWS)
    )


def _columns(groups: list[Cell] | None, labels: list[Cell], where: str, row: int) -> dict[str, int]:
    columns: dict[str, int] = {}
    section: str | None = None
    codes = 0
    group_text = ""
    for index, cell in enumerate(labels):
        above = header(groups[index].value) if groups and index < len(groups) else ""
        if above:
            group_text = above
        elif groups and not cell.empty:
            above = group_text
        label = header(cell.value) or above
        named = _section_of(above) if above else None
        if named is not None:
            section = named
        elif label in SECTION_TITLES:
            section = SECTION_TITLES[label]
        elif label in ("cod", "codice"):
            section = "operational" if codes == 0 else "action"
            codes += 1
        elif label in KPI_FIELDS and section not in ("strategic", "results"):
            section = "action"
        if section is None:
            continue
        name = _field_of(section, label)
        if name is not None:
            columns.setdefault(f"{section}.{name}", index)
    for name, shown in REQUIRED.items():
        if name not in columns:
            present = ", ".join(cell.text() for cell in labels if not cell.empty)
            raise UsageError(
                _("{where}: no column for {shown} (the header in row {row} has: {present})").format(
                    where=where, shown=shown, row=row, present=present
                )
            )
    return columns


def _section_of(group: str) -> str | None:
    """Which level a group header speaks of (`Obiettivi operativi` -> operational)."""
    for word, section in (
        ("prospettiv", "perspective"),
        ("strategic", "strategic"),
        ("operativ", "operational"),
        ("azion", "action"),
        ("kpi", "action"),
        ("raggiungimento", "results"),
    ):
        if word in group:
            return section
    return None


def _field_of(section: str, label: str) -> str | None:
    """The plan field a column holds, or None for what the plan does not keep (results)."""
    if section == "results":
        return None
    if SECTION_TITLES.get(label) == section:
        return "title"
    if section == "strategic" and label in STRATEGIC:
        return STRATEGIC[label]
    if section == "action" and label in KPI_FIELDS:
        return KPI_FIELDS[label]
    return COMMON.get(label)


def _generic_columns(
    groups: list[Cell] | None, labels: list[Cell], where: str, row: int, levels: SheetLevels
) -> dict[str, int]:
    """The columns of a sheet of any tree: each under a group header naming its level."""
    if groups is None or all(cell.empty for cell in groups):
        raise UsageError(
            _(
                "{where}: a plan of levels {levels} needs a row of group headers above the labels "
                "(row {row}), naming each column's level"
            ).format(where=where, levels=", ".join(levels.keys), row=row)
        )
    columns: dict[str, int] = {}
    section: str | None = None
    for index, cell in enumerate(labels):
        above = header(groups[index].value) if index < len(groups) else ""
        if above:
            if above in levels.names:
                section = levels.names[above]
            elif "raggiungimento" in above:
                section = "results"
            elif "kpi" in above:
                section = levels.leaf
            else:
                section = None
        if section is None or section == "results":
            continue
        label = header(cell.value)
        if section == levels.leaf and label in KPI_FIELDS:
            name: str | None = KPI_FIELDS[label]
        elif section in levels.with_target and label in STRATEGIC:
            name = STRATEGIC[label]
        else:
            name = COMMON.get(label)
        if name is not None:
            columns.setdefault(f"{section}.{name}", index)
    present = ", ".join(cell.text() for cell in labels if not cell.empty)
    for level in levels.keys[:-1]:
        if not any(f"{level}.{name}" in columns for name in ("title", "key", "code")):
            raise UsageError(
                _(
                    "{where}: no column for level {level} (the header in row {row} has: {present})"
                ).format(where=where, level=level, row=row, present=present)
            )
    for name, shown in (("code", "cod."), ("title", "titolo"), ("kpi", "kpi")):
        if f"{levels.leaf}.{name}" not in columns:
            raise UsageError(
                _(
                    "{where}: no column {shown} for level {level} (the header in row {row} has: "
                    "{present})"
                ).format(where=where, shown=shown, level=levels.leaf, row=row, present=present)
            )
    return columns
