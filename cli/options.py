"""Options and argument parsers shared by the commands, defined once.

Parsers turn the library's `UsageError` into `typer.BadParameter`, so that bad input is a
usage error (exit 2) with one line naming the value.
"""

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, TypeVar

import typer

from events.errors import UsageError
from events.i18n import _
from formats.italian_dates import parse_date, parse_datetime
from formats.italian_numbers import parse_number

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


E = TypeVar("E", bound=StrEnum)


def choice_of(kind: type[E]) -> Callable[[str], E]:
    """A parser for one of an enum's values that names the choices in one plain line.

    Without it typer words a bad value as "Value error, 'pdf' is not one of 'xlsx', ...".
    """

    def parser(text: str) -> E:
        if isinstance(text, kind):
            return text
        try:
            return kind(text.strip().lower())
        except ValueError:
            raise typer.BadParameter(
                _("{value!r} is not one of {choices}").format(
                    value=text, choices=", ".join(member.value for member in kind)
                )
            ) from None

    parser.__name__ = f"choice_of_{kind.__name__}"
    return parser


def choices(kind: type[StrEnum]) -> str:
    """The metavar of an option with a choice: `[table|json|csv]`."""
    return "[" + "|".join(member.value for member in kind) + "]"


_date = as_parameter(parse_date)
_datetime = as_parameter(parse_datetime)
_number = as_parameter(parse_number)


def whole_number(text: str) -> Decimal:
    return parse_number(text)


FormatOption = Annotated[
    OutputFormat,
    typer.Option(
        "--format",
        "-f",
        parser=choice_of(OutputFormat),
        metavar=choices(OutputFormat),
        help="table, json or csv.",
    ),
]
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
        help="Effective date of the act, 30/04/2021 or 2021-04-30; when omitted, today.",
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
AsOfOption = Annotated[
    date | None,
    typer.Option(
        "--as-of",
        parser=_date,
        metavar="DATE",
        help="The date, 30/06/2021 or 2021-06-30; when omitted, today.",
    ),
]
KnownAtOption = Annotated[
    datetime | None,
    typer.Option(
        "--known-at",
        parser=_datetime,
        metavar="TIME",
        help="What the ledger held at that time (default now).",
    ),
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Replace the output file if it exists (never the ledger).")
]
