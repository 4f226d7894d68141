"""Options shared by the read commands, defined once."""

from datetime import date, datetime
from enum import Enum
from typing import Annotated

import typer

from cli.italian import parse_date, parse_datetime
from events.errors import UsageError


class OutputFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


def _date(text: str) -> date:
    try:
        return parse_date(text)
    except UsageError as error:
        raise typer.BadParameter(str(error)) from None


def _datetime(text: str) -> datetime:
    try:
        return parse_datetime(text)
    except UsageError as error:
        raise typer.BadParameter(str(error)) from None


FormatOption = Annotated[
    OutputFormat, typer.Option("--format", "-f", help="table, json or csv.")
]
DateOption = Annotated[
    date | None,
    typer.Option(parser=_date, metavar="DATE", help="2021-04-30 or 30/04/2021."),
]
TimeOption = Annotated[
    datetime | None,
    typer.Option(
        parser=_datetime,
        metavar="TIME",
        help="A recorded time: 2021-05-01T10:00:00Z, or a date (its end, Europe/Rome).",
    ),
]
