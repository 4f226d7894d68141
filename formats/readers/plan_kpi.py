"""An action's KPI read from its row of the cruscotto: what is printed, and what is implied.

The Relazione prints a KPI as a description and a target (`28 gg.`, `dicembre`,
`qualitativo`, `1.400`). The ledger needs more to score it: its kind, unit, direction,
thresholds and deadline. Columns may give each of them; what they do not give is read from
the target as printed when it is unambiguous (`28 gg.` is a number of days, `dicembre` a
deadline in the cycle's year, `qualitativo` a qualitative KPI), and otherwise refused with
the column to fill. The direction is never guessed from the unit: it comes from its column,
or from thresholds that show which way is better. A KPI of a form the columns do not carry
(linear, a floor, targets by year, a baseline, a ratio, a derived figure) is written whole in
the column `kpi (JSON)`, which the export fills for such KPIs.
"""

import json
import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import ValidationError

from events.errors import UsageError
from events.i18n import _
from events.plan import Kpi, KpiKind, Threshold
from formats.italian_numbers import number_unit
from formats.periods import parse_when
from formats.readers.header_words import norm
from formats.readers.sheets import Cell
from projections.scoring import month_end

KPI_FIELDS = {
    "kpi": "kpi",
    "indicatore": "kpi",
    "target": "target_label",
    "valore target": "target_value",
    "unita": "unit",
    "unita di misura": "unit",
    "u.m": "unit",
    "tipo": "kind",
    "tipo kpi": "kind",
    "direzione": "direction",
    "migliore se": "direction",
    "soglia medio": "medio",
    "soglia media": "medio",
    "medio": "medio",
    "soglia minimo": "minimo",
    "soglia minima": "minimo",
    "minimo": "minimo",
    "soglie dedotte": "inferred",
    "scadenza": "deadline",
    "tetto": "cap",
    "kpi (json)": "json",
}
KINDS: dict[str, KpiKind] = {
    "soglie": "threshold",
    "a soglie": "threshold",
    "soglia": "threshold",
    "threshold": "threshold",
    "proporzionale": "proportional",
    "proportional": "proportional",
    "lineare": "linear",
    "linear": "linear",
    "scadenza": "deadline",
    "deadline": "deadline",
    "qualitativo": "qualitative",
    "qualitativa": "qualitative",
    "qualitative": "qualitative",
    "si/no": "boolean",
    "boolean": "boolean",
    "booleano": "boolean",
}
KIND_LABELS = {
    "threshold": "soglie",
    "proportional": "proporzionale",
    "linear": "lineare",
    "deadline": "scadenza",
    "qualitative": "qualitativo",
    "boolean": "sì/no",
}
DIRECTIONS = {
    "piu alto": "higher",
    "crescente": "higher",
    "higher": "higher",
    "alto": "higher",
    "max": "higher",
    "piu basso": "lower",
    "decrescente": "lower",
    "lower": "lower",
    "basso": "lower",
    "min": "lower",
}
DIRECTION_LABELS = {"higher": "più alto", "lower": "più basso"}
_QUALITATIVE_TARGETS = ("qualitativo", "qualitativa", "qualitative")
_YES = ("si", "x", "true", "vero", "dedotte", "tutte")
_NUMBER_LIKE = re.compile(r"\s*[-+−€\d]")
LEVELS: tuple[Literal["medio", "minimo"], ...] = ("medio", "minimo")
Refuse = Callable[[Cell, str], None]


def read_kpi(code: str, cells: dict[str, Cell], year: int, refuse: Refuse) -> Kpi | None:
    """The KPI of action `code` from its row's cells; None after refusing what is wrong."""
    description = cells["action.kpi"]
    if description.empty:
        refuse(
            description,
            _("kpi of action {code} is empty: write what is measured").format(code=code),
        )
        return None
    whole = cells.get("action.json")
    if whole is not None and not whole.empty:
        return _whole_kpi(code, description, whole, refuse)
    reader = _KpiCells(cells, year, refuse)
    label = reader.text("target_label")
    kind = reader.kind(code, label)
    if kind is None:
        return None
    fields: dict[str, Any] = {
        "description": description.text(),
        "kind": kind,
        "target_label": label,
        "unit": reader.unit(label),
        "cap": reader.number("cap"),
    }
    ok = True
    if kind in ("threshold", "proportional", "linear"):
        target = reader.target(code, label)
        thresholds = reader.thresholds() if kind == "threshold" else ()
        direction = reader.direction(code, target, thresholds)
        ok = target is not None and direction is not None and thresholds is not None
        fields.update(target=target, thresholds=thresholds or (), direction=direction or "higher")
    elif kind == "deadline":
        fields["deadline"] = reader.deadline(code, label)
        ok = fields["deadline"] is not None
    if not ok or reader.failed:
        return None
    try:
        return Kpi(**fields)
    except ValidationError as error:
        message = str(error.errors()[0]["msg"]).removeprefix("Value error, ")
        refuse(
            description,
            _("the KPI of action {code} is not valid: {message}").format(
                code=code, message=message
            ),
        )
        return None


def _whole_kpi(code: str, description: Cell, whole: Cell, refuse: Refuse) -> Kpi | None:
    """A KPI written whole as JSON (`kpi (JSON)`), for the forms the other columns do not carry
    (linear, floor, targets by year, baseline, ratio, derived, bounds); `kpi` is its text."""
    try:
        data = json.loads(whole.text())
        if not isinstance(data, dict):
            raise ValueError(_("not a JSON object"))
        return Kpi.model_validate({**data, "description": description.text()})
    except ValidationError as error:
        message = str(error.errors()[0]["msg"]).removeprefix("Value error, ")
    except ValueError as error:  # json.JSONDecodeError is one
        message = str(error)
    refuse(
        whole,
        _("the kpi (JSON) of action {code} is not valid: {message}").format(
            code=code, message=message
        ),
    )
    return None


class _KpiCells:
    """The KPI columns of one row, each read once, each problem refused at its own cell."""

    def __init__(self, cells: dict[str, Cell], year: int, refuse: Refuse) -> None:
        self.cells = cells
        self.year = year
        self.refuse_at = refuse
        self.failed = False

    def refuse(self, cell: Cell, reason: str) -> None:
        self.failed = True
        self.refuse_at(cell, reason)

    def cell(self, name: str) -> Cell | None:
        found = self.cells.get(f"action.{name}")
        return None if found is None or found.empty else found

    def text(self, name: str) -> str | None:
        found = self.cell(name)
        return None if found is None else found.text()

    def number(self, name: str) -> Decimal | None:
        found = self.cell(name)
        if found is None:
            return None
        try:
            return found.decimal()
        except UsageError as error:
            self.refuse(found, str(error))
            return None

    def kind(self, code: str, label: str | None) -> KpiKind | None:
        given = self.cell("kind")
        if given is not None:
            kind = KINDS.get(norm(given.text()))
            if kind is None:
                choices = ", ".join(KIND_LABELS.values())
                self.refuse(
                    given,
                    _("tipo {text} is not a KPI kind ({choices})").format(
                        text=repr(given.text()), choices=choices
                    ),
                )
            return kind
        if label is not None and norm(label) in _QUALITATIVE_TARGETS:
            return "qualitative"
        if self.cell("target_value") is not None:
            return "threshold"
        if self.cell("deadline") is not None or (label is not None and self._is_when(label)):
            return "deadline"
        if label is not None and _NUMBER_LIKE.match(label):
            return "threshold"
        where = self.cell("target_label") or self.cells["action.kpi"]
        self.refuse(
            where,
            _(
                "cannot tell the kind of the KPI of action {code} from its target {label}: write "
                "it in a column 'tipo' (soglie, proporzionale, scadenza, qualitativo, sì/no)"
            ).format(code=code, label=repr(label)),
        )
        return None

    def unit(self, label: str | None) -> str | None:
        given = self.text("unit")
        if given is not None:
            return given
        target = self.cell("target_label")
        if target is not None and target.is_percent:
            return "%"
        if label is not None and _is_number(label):
            return number_unit(label)
        return None

    def target(self, code: str, label: str | None) -> Decimal | None:
        value = self.number("target_value")
        if value is not None or self.cell("target_value") is not None:
            return value
        label_cell = self.cell("target_label")
        if label_cell is None or label is None:
            self.refuse(
                self.cells["action.kpi"],
                _("the KPI of action {code} has no target").format(code=code),
            )
            return None
        try:
            return label_cell.decimal()
        except UsageError as error:
            self.refuse(label_cell, str(error))
            return None

    def thresholds(self) -> tuple[Threshold, ...] | None:
        inferred = self._inferred()
        found: list[Threshold] = []
        for level in LEVELS:
            value = self.number(level)
            if value is not None:
                found.append(Threshold(level=level, value=value, inferred=level in inferred))
        return None if self.failed else tuple(found)

    def _inferred(self) -> set[str]:
        cell = self.cell("inferred")
        if cell is None:
            return set()
        text = norm(cell.text())
        if text in _YES:
            return set(LEVELS)
        levels: set[str] = set()
        for word in (w.strip() for w in re.split(r"[,;/]| e ", text) if w.strip()):
            if word.startswith("medi"):
                levels.add("medio")
            elif word.startswith("minim"):
                levels.add("minimo")
            else:
                self.refuse(
                    cell,
                    _("soglie dedotte {text}: write medio, minimo or both").format(
                        text=repr(cell.text())
                    ),
                )
        return levels

    def direction(
        self, code: str, target: Decimal | None, thresholds: tuple[Threshold, ...] | None
    ) -> str | None:
        given = self.cell("direction")
        if given is not None:
            direction = DIRECTIONS.get(norm(given.text()))
            if direction is None:
                self.refuse(
                    given,
                    _("direzione {text}: write più alto or più basso").format(
                        text=repr(given.text())
                    ),
                )
            return direction
        if target is not None and thresholds:
            return "higher" if thresholds[0].value < target else "lower"
        if target is None:
            return None
        self.refuse(
            self.cells.get("action.direction") or self.cells["action.kpi"],
            _(
                "the KPI of action {code} has no direction: write più alto or più basso in a "
                "column 'direzione' (no thresholds show which way is better)"
            ).format(code=code),
        )
        return None

    def deadline(self, code: str, label: str | None) -> date | None:
        cell = self.cell("deadline") or self.cell("target_label")
        if cell is None:
            kpi = self.cells["action.kpi"]
            self.refuse(
                kpi, _("the deadline KPI of action {code} has no scadenza").format(code=code)
            )
            return None
        if isinstance(cell.value, datetime):
            return cell.value.date()
        if isinstance(cell.value, date):
            return cell.value
        try:
            day, precision = parse_when(cell.text(), self.year)
        except UsageError as error:
            self.refuse(cell, str(error))
            return None
        return month_end(day.year, day.month) if precision == "month" else day

    def _is_when(self, text: str) -> bool:
        try:
            parse_when(text, self.year)
        except UsageError:
            return False
        return True


def _is_number(text: str) -> bool:
    try:
        number_unit(text)
    except UsageError:
        return False
    return True
