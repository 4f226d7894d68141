"""The machine formats of every read: the JSON contract and RFC 4180 CSV, for every front end."""

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from formats.inert import exact_text

FORMATS = ("table", "json", "csv")


def json_default(value: Any) -> Any:
    """Numbers stay numbers in the JSON contract; dates are ISO text."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def to_json(data: Any) -> str:
    return json.dumps(data, default=json_default, ensure_ascii=False, indent=2)


def json_list_chunks(items: Iterable[Any]) -> Iterator[str]:
    """`to_json(list(items))` in pieces, one item at a time: memory stays flat however many."""
    first = True
    for item in items:
        body = "\n".join("  " + line for line in to_json(item).split("\n"))
        yield ("[\n" if first else ",\n") + body
        first = False
    yield "[]" if first else "\n]"


def to_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> str:
    """RFC 4180 CSV with a header; decimals as plain numbers with a dot.

    A spreadsheet may open it: a text cell that would start a formula (or that starts with
    an apostrophe) gets a leading apostrophe (formats/inert.py), numbers and dates never.
    """
    return "".join(csv_chunks(rows, columns))


def csv_chunks(
    rows: Iterable[Mapping[str, Any]],
    columns: Sequence[str],
    *,
    headers: Sequence[str] | None = None,
    delimiter: str = ",",
    cell: Callable[[Any], str] | None = None,
    every: int = 1000,
) -> Iterator[str]:
    """The text of `to_csv` (or of another dialect: `delimiter`, `cell`) in pieces of `every`
    rows, for the commands that stream a whole ledger."""
    write_cell = cell or _csv_cell
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers or columns)
    for count, row in enumerate(rows, start=1):
        writer.writerow([write_cell(row.get(column)) for column in columns])
        if count % every == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value else str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return exact_text(str(value.value))
    return exact_text(str(value))
