"""Periods and moments as Italian users write them: `2020`, `2020-01..2020-06`, `ottobre 2020`."""

from datetime import date

from events.errors import UsageError
from events.i18n import _
from events.measurement import Period, Precision
from formats.italian_dates import parse_date, parse_month
from projections.scoring import month_end


def parse_period(text: str, default_year: int | None = None) -> Period:
    """`2020`, `2020-01..2020-06`, `01/01/2020..30/06/2020`, `luglio 2020` -> a period."""
    text = text.strip()
    if text.isdigit() and len(text) == 4:
        year = int(text)
        return Period(start=date(year, 1, 1), end=date(year, 12, 31))
    if ".." in text:
        first, _dots, last = text.partition("..")
        start, _precision = parse_when(first, default_year)
        end, precision = parse_when(last, default_year)
        if precision == "month":
            end = month_end(end.year, end.month)
        if end < start:
            raise UsageError(_("period {text} ends before it starts").format(text=repr(text)))
        return Period(start=start, end=end)
    start, precision = parse_when(text, default_year)
    end = month_end(start.year, start.month) if precision == "month" else start
    return Period(start=start, end=end)


def parse_when(text: str, default_year: int | None = None) -> tuple[date, Precision]:
    """A day (`14/12/2020`) or only a month (`ottobre 2020`): the date and its precision."""
    try:
        return parse_date(text), "day"
    except UsageError:
        pass
    try:
        year, month = parse_month(text, default_year)
    except UsageError:
        raise UsageError(
            _("{text} is neither a date nor a month (try 14/12/2020 or ottobre 2020)").format(
                text=repr(text.strip())
            )
        ) from None
    return date(year, month, 1), "month"
