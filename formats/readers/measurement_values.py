"""One cell of a measurements file read as what it says: a date, a period, a value.

The value is read the way the action's KPI is measured (a number, a level, a day or month,
yes or no), so the same column can hold every kind of measurement. Each function refuses what
it cannot read through `refuse(cell, reason)`, naming the value, and returns None.
"""

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

from events.errors import UsageError
from events.i18n import _
from events.measurement import Period, Precision
from events.plan import Kpi
from formats.italian_dates import parse_date
from formats.italian_numbers import number_unit
from formats.periods import parse_period, parse_when
from formats.readers.header_words import norm
from formats.readers.sheets import Cell
from formats.values import MeasuredValue, parse_measured
from projections.scoring import Observation

Refuse = Callable[[Cell, str], None]
_YES = {"si", "s", "yes", "y", "vero", "true", "1", "x", "fatto", "raggiunto"}
_NO = {"no", "n", "falso", "false", "0", "non fatto", "non raggiunto"}


def read_date(cell: Cell, default: date | None, refuse: Refuse) -> date | None:
    """The day the measurement was taken: a date cell, Italian text, or `default` if empty."""
    if cell.empty:
        if default is None:
            refuse(
                cell, _("data is empty: write the day the measurement was taken, e.g. 30/04/2021")
            )
        return default
    if isinstance(cell.value, datetime):
        return cell.value.date()
    if isinstance(cell.value, date):
        return cell.value
    try:
        return parse_date(cell.text())
    except UsageError as error:
        refuse(cell, str(error))
        return None


def read_period(
    cell: Cell | None, year: int | None, refuse: Callable[[Cell | None, str], None]
) -> Period | None:
    """The span measured: `2020`, `2020-01..2020-06`; empty means the cycle's year."""
    number = None if cell is None else cell.number()
    text = str(number) if number is not None else "" if cell is None else cell.text()
    try:
        if not text:
            if year is None:
                refuse(cell, _("periodo is empty and the cycle has no year: write e.g. 2020"))
                return None
            return parse_period(str(year))
        return parse_period(text, year)
    except UsageError as error:
        refuse(cell, str(error))
        return None


def read_achievement(cell: Cell | None, refuse: Refuse) -> Decimal | None:
    """A % raggiungimento stated directly, between 0 and 100."""
    if cell is None or cell.empty:
        return None
    try:
        value = cell.decimal()
    except UsageError as error:
        refuse(cell, str(error))
        return None
    if not Decimal(0) <= value <= Decimal(100):
        refuse(
            cell, _("raggiungimento {text} is not between 0 and 100").format(text=repr(cell.text()))
        )
        return None
    return value


def read_observation(
    kpi: Kpi,
    cell: Cell,
    unit_cell: Cell | None,
    achievement: Decimal | None,
    year: int | None,
    refuse: Refuse,
) -> Observation | None:
    """The value read the way the action's KPI is measured."""
    if cell.empty:
        if achievement is None:
            refuse(cell, _("valore is empty: write what was measured, or a raggiungimento"))
            return None
        return Observation("achievement", achievement=achievement)
    try:
        match kpi.kind:
            case "threshold" | "proportional" | "linear":
                if achievement is not None:
                    refuse(cell, _("a numeric KPI takes a valore or a raggiungimento, not both"))
                    return None
                return _measurement(cell, unit_cell, refuse)
            case "qualitative":
                level = cell.text().lower()
                return Observation("qualitative", level=level, achievement=achievement)
            case "deadline":
                done, precision = _when(cell, year)
                return Observation(
                    "deadline", completed_on=done, precision=precision, achievement=achievement
                )
            case "boolean":
                return Observation("boolean", met=_yes_no(cell), achievement=achievement)
    except UsageError as error:
        refuse(cell, str(error))
        return None
    raise AssertionError(f"unknown KPI kind {kpi.kind}")  # pragma: no cover


def _measurement(cell: Cell, unit_cell: Cell | None, refuse: Refuse) -> Observation | None:
    """A numeric KPI's value, its unit from the text, the format or the unità column.

    A text cell may hold a bound (`≥ 95 %`) or a ratio (`45/50`), read as such (formats/values).
    """
    if cell.number() is not None:
        measured = MeasuredValue(cell.decimal(), "%" if cell.is_percent else None)
    else:
        measured = parse_measured(cell.text())
    written = measured.unit
    column = None if unit_cell is None or unit_cell.empty else canonical_unit(unit_cell.text())
    if written and column and _same_unit(written) != _same_unit(column):
        refuse(
            cell,
            _("{text} is in {written} but the unità column says {column}").format(
                text=repr(cell.text()), written=repr(written), column=repr(column)
            ),
        )
        return None
    return Observation(
        "measurement",
        value=measured.value,
        unit=column or written,
        bound=measured.bound,
        numerator=measured.numerator,
        denominator=measured.denominator,
    )


def canonical_unit(text: str) -> str:
    """`gg` -> `giorni`, `EUR` -> `€`: one spelling for the units the Italian parser knows."""
    try:
        return number_unit(f"1 {text}") or text
    except UsageError:
        return text.strip()


def _same_unit(unit: str) -> str:
    return canonical_unit(unit).casefold()


def _when(cell: Cell, year: int | None) -> tuple[date, Precision]:
    """A deadline's completion: a date cell, a day, or only a month (`ottobre 2020`)."""
    if isinstance(cell.value, datetime):
        return cell.value.date(), "day"
    if isinstance(cell.value, date):
        return cell.value, "day"
    return parse_when(cell.text(), year)


def _yes_no(cell: Cell) -> bool:
    """A yes/no KPI's answer: sì, no and their usual spellings."""
    answer = norm(cell.text())
    if answer in _YES:
        return True
    if answer in _NO:
        return False
    raise UsageError(
        _("{text} is not a yes/no answer: write sì or no").format(text=repr(cell.text()))
    )
