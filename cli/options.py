"""Options and argument parsers shared by the commands, defined once.

Parsers turn the library's `UsageError` into `typer.BadParameter`, so that bad input is a
usage error (exit 2) with one line naming the value.
"""

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, TypeVar

import typer

from cli.italian import parse_date, parse_datetime, parse_month, parse_number
from events.errors import UsageError
from events.measurement import Period, Precision
from projections.scoring import month_end

T = TypeVar("T")


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def as_parameter(parse: Callable[[str], T]) -> Callable[[str], T]:
    """Wrap a parser so that its refusal becomes typer's BadParameter (exit 2)."""

    def parser(text: str) -> T:
        try:
            return parse(text)
        except UsageError as error:
            raise typer.BadParameter(str(error)) from None

    parser.__name__ = parse.__name__
    return parser


_date = as_parameter(parse_date)
_datetime = as_parameter(parse_datetime)
_number = as_parameter(parse_number)


def parse_period(text: str, default_year: int | None = None) -> Period:
    """`2020`, `2020-01..2020-06`, `01/01/2020..30/06/2020`, `luglio 2020` -> a period."""
    text = text.strip()
    if text.isdigit() and len(text) == 4:
        year = int(text)
        return Period(start=date(year, 1, 1), end=date(year, 12, 31))
    if ".." in text:
        first, _, last = text.partition("..")
        start, _ = parse_when(first, default_year)
        end, precision = parse_when(last, default_year)
        if precision == "month":
            end = month_end(end.year, end.month)
        if end < start:
            raise UsageError(f"period {text!r} ends before it starts")
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
            f"{text.strip()!r} is neither a date nor a month (try 14/12/2020 or ottobre 2020)"
        ) from None
    return date(year, month, 1), "month"


def whole_number(text: str) -> Decimal:
    return parse_number(text)


FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="table, json or csv.")]
CycleOption = Annotated[
    str | None,
    typer.Option("--cycle", help="The cycle, e.g. cciaa-so/2020 (default: the only one)."),
]
EffectiveOption = Annotated[
    date | None,
    typer.Option(
        "--date",
        parser=_date,
        metavar="DATE",
        help="Effective date of the act (2021-04-30 or 30/04/2021; default today).",
    ),
]
NoteOption = Annotated[str | None, typer.Option("--note", help="A remark kept with the event.")]
TypesOption = Annotated[
    list[str] | None, typer.Option("--type", help="Only this event type (repeatable).")
]
FromOption = Annotated[
    date | None,
    typer.Option("--from", parser=_date, metavar="DATE", help="Effective on or after."),
]
ToOption = Annotated[
    date | None,
    typer.Option("--to", parser=_date, metavar="DATE", help="Effective on or before."),
]
