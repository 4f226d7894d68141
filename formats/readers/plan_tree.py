"""The rows of a plan sheet folded into the plan's tree, every problem named by its cell.

The sheet's layout is read by `plan_columns`; this module walks its rows: a blank or merged
cell of a perspective or objective means "as above", a value repeated with another meaning
is refused where it differs, and the tree comes out in the plan file's shape (reference
levels or the policy's own `nodes`).
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

from events.errors import UsageError
from events.i18n import _
from formats.italian_numbers import parse_number
from formats.readers.plan_columns import SheetLevels, find_columns
from formats.readers.plan_kpi import read_kpi
from formats.readers.sheets import (
    Cell,
    Problem,
    sheet_rows,
    slug,
)
from formats.values import parse_weight

IDENTITY = {"perspective": "title", "strategic": "title", "operational": "code"}
LEVEL_WORDS = {
    "perspective": "prospettiva",
    "strategic": "obiettivo strategico",
    "operational": "obiettivo operativo",
    "action": "azione",
}


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
