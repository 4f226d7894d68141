"""The Piano from an .xlsx laid out like the cruscotto annexed to the Relazione.

The workbook `ledger export --format xlsx` writes is such a file, so the plan of one cycle
can be exported and imported into another. A workbook made by hand needs:

- a sheet `Ciclo`, two columns (field, value): `ciclo` (cciaa-so/2021), `ente`,
  `denominazione`, `anno`; optionally `fonte` and `politica di valutazione (JSON)`;
- a sheet `Cruscotto` (or `Piano`), one row per action, under a header naming `Prospettiva`,
  `Obiettivo strategico`, then `cod.`, `titolo`, `peso` of the operational objective and
  `cod.`, `titolo`, `peso`, `kpi`, `target` of the action. A row of group headers above it
  (`Obiettivi operativi`, `Azioni`) tells the two `cod.` apart, as in the Relazione; without
  one, the first `cod.` is the objective's. The cells of a perspective or of an objective may
  be merged over its rows, or left blank below the first: both mean "as above";
- optionally the KPI's details (docs/formats.md) and the sheets `Obiettivi dirigenziali`
  and `Note`.

Every problem is reported at once as `file:sheet:cell`, and nothing is recorded.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from events.errors import UsageError
from events.i18n import _
from events.policy import ScoringPolicy
from formats.italian_numbers import parse_number
from formats.readers.plan_columns import SheetLevels, find_columns
from formats.readers.plan_kpi import read_kpi
from formats.readers.plan_sides import read_cycle, read_managers, read_notes
from formats.readers.sheets import (
    Cell,
    Problem,
    RowsRefused,
    find_sheet,
    norm,
    open_workbook,
    sheet_rows,
    slug,
)
from formats.values import parse_weight
from ledger.store import EventStore
from projections import acts, planning
from projections.plan_document import PLAN_FORMAT, PlanDocument, plan_document

PLAN_SHEETS = ("Cruscotto", "Piano", "Cruscotto della performance")
LEVELS = ("perspective", "strategic", "operational", "action")
IDENTITY = {"perspective": "title", "strategic": "title", "operational": "code"}
LEVEL_WORDS = {
    "perspective": "prospettiva",
    "strategic": "obiettivo strategico",
    "operational": "obiettivo operativo",
    "action": "azione",
}


def import_plan_workbook(
    store: EventStore, path: Path, on: date, actor: acts.Actor, *, cycle: str | None = None
) -> tuple[str, int]:
    """Record an .xlsx plan as pending changes; the same plan again records nothing.

    The idempotency key is made of the plan's content and the cycle, not of the file's
    bytes, which Excel changes on every save.
    """
    document = read_plan_workbook(path, cycle=cycle)
    digest = hashlib.sha256(document.model_dump_json().encode("utf-8")).hexdigest()[:16]
    prefix = f"plan-xlsx:{document.cycle.id}:{digest}"
    entries = planning.import_plan(store, document, on, actor, key_prefix=prefix)
    return document.cycle.id, len(entries)


def read_plan_workbook(path: Path, *, cycle: str | None = None) -> PlanDocument:
    """The plan document an .xlsx describes; every problem in it raised at once."""
    label = str(path)
    workbook = open_workbook(path, read_only=False)
    try:
        return _document(workbook, path, label, cycle)
    finally:
        workbook.close()


def _document(workbook: Workbook, path: Path, label: str, cycle: str | None) -> PlanDocument:
    cycle_sheet = find_sheet(workbook, path, ("Ciclo",), only_one=False)
    spec = read_cycle(cycle_sheet, label)
    if cycle:
        spec["id"] = cycle
    plan_sheet = find_sheet(workbook, path, PLAN_SHEETS, only_one=False)
    policy = spec.get("policy")
    levels = SheetLevels.of(policy if isinstance(policy, ScoringPolicy) else ScoringPolicy())
    tree = PlanTree(label, int(spec["year"]), levels)
    tree.read(plan_sheet)
    problems = list(tree.problems)
    managers: list[dict[str, Any]] = []
    if any(norm(sheet.title) == norm("Obiettivi dirigenziali") for sheet in workbook.worksheets):
        sheet = find_sheet(workbook, path, ("Obiettivi dirigenziali",), only_one=False)
        managers = read_managers(sheet, label, problems)
    if any(norm(sheet.title) == "note" for sheet in workbook.worksheets):
        notes = read_notes(find_sheet(workbook, path, ("Note",), only_one=False), label, problems)
        tree.apply_notes(notes, problems)
    if problems:
        raise RowsRefused(label, problems, tree.rows)
    data = {
        "format": PLAN_FORMAT,
        "cycle": {name: value for name, value in spec.items() if name != "source"},
        "source": spec.get("source"),
        "managers": managers,
    }
    if levels.reference:
        data["perspectives"] = tree.perspectives()
    else:
        data["nodes"] = tree.nodes_tree()
    return plan_document(data, label)


@dataclass
class NodeSpec:
    """A node being assembled from rows: its fields and the cells they were read from."""

    level: str
    key: str
    parent: str | None
    fields: dict[str, Any] = field(default_factory=dict)
    cells: dict[str, Cell] = field(default_factory=dict)
    children: list[str] = field(default_factory=list)


class PlanTree:
    """The rows of the plan sheet folded into a tree, with every problem met on the way."""

    def __init__(self, label: str, year: int, levels: SheetLevels) -> None:
        self.label = label
        self.year = year
        self.levels = levels
        self.upper = levels.keys[:-1]
        self.nodes: dict[str, NodeSpec] = {}
        self.roots: list[str] = []
        self.problems: list[Problem] = []
        self.rows = 0

    def refuse(self, cell: Cell, reason: str, row: int) -> None:
        self.problems.append(Problem(cell.ref, reason, row))

    def read(self, sheet: Worksheet) -> None:
        where = f"{self.label}:{sheet.title}"
        merged = _merged_values(sheet)
        rows = (
            (number, [_unmerged(cell, number, col, merged) for col, cell in enumerate(cells)])
            for number, cells in sheet_rows(sheet, self.label)
        )
        header_row, columns = find_columns(rows, where, self.levels)
        if not self.levels.reference:
            leaf = f"{self.levels.leaf}."
            columns = {
                (f"action.{name.removeprefix(leaf)}" if name.startswith(leaf) else name): index
                for name, index in columns.items()
            }
        current: dict[str, str | None] = dict.fromkeys(self.upper)
        for number, cells in rows:
            picked = {
                name: cells[index] if index < len(cells) else Cell(None, f"{where}:{number}")
                for name, index in columns.items()
            }
            if all(cell.empty for cell in picked.values()):
                continue
            self.rows += 1
            self._row(number, picked, current)
        if self.rows == 0:
            raise UsageError(
                _("{where}: no actions below the header (row {header_row})").format(
                    where=where, header_row=header_row
                )
            )
        for node in self.nodes.values():
            if node.level != self.levels.leaf and not node.fields.get("title"):
                cell = node.cells.get("code") or next(iter(node.cells.values()), None)
                if cell is not None:
                    self.refuse(
                        cell,
                        _("{level} {key} has no titolo").format(
                            level=_word(node.level), key=node.key
                        ),
                        0,
                    )

    def _identity(self, level: str, cells: dict[str, Cell]) -> Cell:
        """The cell that names the row's node of `level`: its title, code or key."""
        if self.levels.reference:
            return cells[f"{level}.{IDENTITY[level]}"]
        for name in ("key", "code", "title"):
            found = cells.get(f"{level}.{name}")
            if found is not None:
                return found
        raise KeyError(level)  # find_columns requires one of them

    def _row(self, number: int, cells: dict[str, Cell], current: dict[str, str | None]) -> None:
        parent: str | None = None
        for depth, level in enumerate(self.upper):
            identity = self._identity(level, cells)
            if not identity.empty:
                named = self._key(level, identity, cells)
                if named != current[level]:
                    current[level] = named
                    for lower in self.upper[depth + 1 :]:
                        current[lower] = None
            key = current[level]
            if key is None:
                self.refuse(
                    identity,
                    _("no {level} for this row, nor above it").format(level=_word(level)),
                    number,
                )
                return
            if not self._node(level, key, parent, cells, number):
                return
            parent = key
        self._action(number, cells, parent)

    def _key(self, level: str, identity: Cell, cells: dict[str, Cell]) -> str:
        if self.levels.reference and level == "operational":
            return _code(identity)
        given = cells.get(f"{level}.key")
        if given is not None and not given.empty:
            return _code(given)
        code = cells.get(f"{level}.code")
        if not self.levels.reference and code is not None and not code.empty:
            return _code(code)
        return slug(identity.text())

    def _node(
        self,
        level: str,
        key: str,
        parent: str | None,
        cells: dict[str, Cell],
        row: int,
        prefix: str | None = None,
    ) -> bool:
        node = self.nodes.get(key)
        if node is None:
            node = NodeSpec(level, key, parent)
            self.nodes[key] = node
            (self.nodes[parent].children if parent else self.roots).append(key)
        elif node.level != level or node.parent != parent:
            above = f" under {node.parent}" if node.parent else ""
            identity = cells.get(f"{level}.code") or self._identity(level, cells)
            self.refuse(
                identity,
                _("{key} is already a {level}{above}").format(
                    key=key, level=_word(node.level), above=above
                ),
                row,
            )
            return False
        for name in ("title", "code", "weight", "target", "targets", "note"):
            cell = cells.get(f"{prefix or level}.{name}")
            if cell is not None and not cell.empty:
                self._set(node, name, cell, row)
        return True

    def _set(self, node: NodeSpec, name: str, cell: Cell, row: int) -> None:
        try:
            value = _value(name, cell)
        except UsageError as error:
            self.refuse(cell, str(error), row)
            return
        before = node.cells.get(name)
        if before is not None and node.fields.get(name) != value:
            place = before.ref.rsplit(":", 1)[-1]
            now, was = cell.text(), before.text()
            self.refuse(
                cell,
                _("{name} of {key} is {now} here, {was} in {place}").format(
                    name=name, key=node.key, now=repr(now), was=repr(was), place=place
                ),
                row,
            )
            return
        node.fields[name] = value
        node.cells.setdefault(name, cell)

    def _action(self, number: int, cells: dict[str, Cell], parent: str | None) -> None:
        code_cell = cells["action.code"]
        if code_cell.empty:
            self.refuse(code_cell, _("cod. of the action is empty: write it, e.g. 1.1.1"), number)
            return
        code = _code(code_cell)
        if code in self.nodes:
            first = self.nodes[code].cells.get("code", code_cell).ref.rsplit(":", 1)[-1]
            self.refuse(
                code_cell,
                _("{code} appears twice (first in {first})").format(code=code, first=first),
                number,
            )
            return
        if not self._node(self.levels.leaf, code, parent, cells, number, prefix="action"):
            return
        if cells["action.title"].empty:
            self.refuse(
                cells["action.title"], _("action {code} has no titolo").format(code=code), number
            )

        def refuse(cell: Cell, reason: str) -> None:
            self.refuse(cell, reason, number)

        kpi = read_kpi(code, cells, self.year, refuse)
        if kpi is not None:
            self.nodes[code].fields["kpi"] = kpi

    def apply_notes(self, notes: dict[str, tuple[str, Cell]], problems: list[Problem]) -> None:
        """Put the `Note` sheet's notes on their nodes; a note for no node is refused."""
        for key, (note, cell) in notes.items():
            node = self.nodes.get(key)
            if node is None:
                problems.append(
                    Problem(
                        cell.ref, _("{key} is not in the plan: no node to note").format(key=key)
                    )
                )
            else:
                node.fields["note"] = note

    def perspectives(self) -> list[dict[str, Any]]:
        """The tree in the plan file's shape, in the sheet's order."""

        def spec(key: str, names: tuple[str, ...], below: str | None) -> dict[str, Any]:
            node = self.nodes[key]
            data = {name: node.fields[name] for name in names if node.fields.get(name) is not None}
            if below is not None:
                data[below] = [
                    spec(child, CHILD_FIELDS[below], CHILDREN.get(below)) for child in node.children
                ]
            return data

        for node in self.nodes.values():
            if node.level in ("perspective", "strategic"):
                node.fields["key"] = node.key
        return [spec(key, ("key", "title", "weight", "note"), "strategic") for key in self.roots]

    def nodes_tree(self) -> list[dict[str, Any]]:
        """The tree in the plan file's `nodes` shape, in the sheet's order."""

        def spec(key: str) -> dict[str, Any]:
            node = self.nodes[key]
            data: dict[str, Any] = {"key": node.key}
            for name in ("code", "title", "weight", "target", "targets", "kpi", "note"):
                if node.fields.get(name) is not None:
                    data[name] = node.fields[name]
            if node.children:
                data["children"] = [spec(child) for child in node.children]
            return data

        return [spec(key) for key in self.roots]


CHILD_FIELDS = {
    "strategic": ("key", "code", "title", "target", "targets", "weight", "note"),
    "operational": ("code", "title", "weight", "note"),
    "actions": ("code", "title", "weight", "kpi", "note"),
}
CHILDREN = {"strategic": "operational", "operational": "actions"}


def _word(level: str) -> str:
    return LEVEL_WORDS.get(level, level)


def _code(cell: Cell) -> str:
    """A code as typed: `3.3` typed into a number cell comes back as the float 3.3."""
    if isinstance(cell.value, float):
        return repr(cell.value)
    return cell.text()


def _value(name: str, cell: Cell) -> Any:
    if name == "weight" and isinstance(cell.value, str) and "/" in cell.value:
        exact = parse_weight(cell.value)  # a fraction kept exact: `1/3`, `100/3`
        if not 0 <= exact <= 100:
            raise UsageError(
                _("peso {text} is not between 0 and 100").format(text=repr(cell.text()))
            )
        return exact
    if name == "weight":
        value = cell.decimal()
        if not 0 <= value <= 100:
            raise UsageError(
                _("peso {text} is not between 0 and 100").format(text=repr(cell.text()))
            )
        return value
    if name == "target":
        return cell.decimal()
    if name == "targets":
        return _yearly_targets(cell.text())
    if name == "code":
        return _code(cell)
    return cell.text()


def _yearly_targets(text: str) -> dict[int, Decimal]:
    """`2021: 80; 2022: 85; 2023: 90`: a triennial plan's targets, one per year."""
    found: dict[int, Decimal] = {}
    for part in filter(None, (piece.strip() for piece in text.split(";"))):
        year, colon, value = part.partition(":")
        if not colon or not year.strip().isdigit():
            raise UsageError(
                _(
                    "target per anno {text!r}: write year: target pairs, e.g. 2021: 80; 2022: 85"
                ).format(text=text)
            )
        found[int(year)] = parse_number(value)
    return found


def _merged_values(sheet: Worksheet) -> dict[tuple[int, int], tuple[Any, str]]:
    """Every cell a merged range covers, with the value and format of the range's first cell."""
    values: dict[tuple[int, int], tuple[Any, str]] = {}
    for merged in sheet.merged_cells.ranges:
        first = sheet.cell(merged.min_row, merged.min_col)
        for row in range(merged.min_row, merged.max_row + 1):
            for col in range(merged.min_col, merged.max_col + 1):
                values[(row, col)] = (first.value, first.number_format or "General")
    return values


def _unmerged(
    cell: Cell, row: int, index: int, merged: dict[tuple[int, int], tuple[Any, str]]
) -> Cell:
    found = merged.get((row, index + 1))
    return cell if found is None else Cell(found[0], cell.ref, found[1])
