"""The users' spreadsheets and CSV files, read the way Italian offices write them.

Shared by the plan and the measurements importers, so that both open files, find their
headers, read cells and name places (`file:sheet:cell`, `file:row`) in one way. Nothing here
writes to the ledger: a problem with the whole file is a `UsageError` of one line, a problem
with a cell is a `Problem`, collected so that the user sees every one of them in one pass.
"""

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

from events.errors import LedgerError, UsageError
from events.i18n import _, ngettext
from events.limits import MAX_DIGITS
from formats.italian_numbers import parse_number
from formats.readers.bounded import MAX_TABLE_BYTES, check_workbook_size, read_at_most
from formats.readers.header_words import header, norm
from projections.numbers import italian_number

SPREADSHEETS = (".xlsx", ".xlsm")
TEXT_TABLES = (".csv", ".txt", ".tsv")
_LITERALS = re.compile(r'"[^"]*"|\\.')
HEADER_SEARCH_ROWS = 15
"""How far down a header row is looked for: titles and blank lines often come first."""


@dataclass(frozen=True)
class Problem:
    """One refused cell or row: where it is, and why (the reason quotes the value)."""

    ref: str
    reason: str
    order: int = 0

    def line(self) -> str:
        return f"{self.ref}: {self.reason}"


class RowsRefused(LedgerError):
    """Rows of a file were refused; nothing was written. `problems` lists every one."""

    def __init__(self, label: str, problems: Sequence[Problem], rows: int) -> None:
        self.problems = sorted(problems, key=lambda problem: problem.order)
        refused = len({problem.order for problem in self.problems})
        super().__init__(
            ngettext(  # the count is the refused rows': "1 riga su 5 rifiutata"
                "{refused} of {rows} rows refused in {label}; nothing was written",
                "{refused} of {rows} rows refused in {label}; nothing was written",
                refused,
            ).format(refused=refused, rows=rows, label=label)
        )


@dataclass(frozen=True)
class Cell:
    """A value as the file holds it, with its number format and its place, for messages."""

    value: Any
    ref: str
    number_format: str = "General"

    @property
    def empty(self) -> bool:
        return self.value is None or (isinstance(self.value, str) and not self.value.strip())

    def text(self) -> str:
        """The cell as text: what the user typed, or the number as an Italian would write it."""
        if self.value is None:
            return ""
        if isinstance(self.value, str):
            return " ".join(self.value.split())
        if isinstance(self.value, datetime | date):
            return self.value.strftime("%d/%m/%Y")
        if isinstance(self.value, bool):
            return "sì" if self.value else "no"
        shown = italian_number(self.number() or Decimal(0))
        return f"{shown}%" if self.is_percent else shown

    @property
    def is_percent(self) -> bool:
        """A number Excel shows as a percentage: stored 0,2778, shown 27,78%.

        Only a `%` the format computes counts: in `0" %"` or `0\\%` it is a literal, and the
        number is already in points.
        """
        if isinstance(self.value, bool) or not isinstance(self.value, int | float):
            return False
        return "%" in _LITERALS.sub("", self.number_format or "")

    def number(self) -> Decimal | None:
        """A numeric cell as an exact Decimal (0,2778 formatted as % is 27.78), else None."""
        if isinstance(self.value, bool) or not isinstance(self.value, int | float):
            return None
        # repr gives the shortest text that reads back as the same double: 35.87, never
        # 35.869999999999997, which is the figure the user typed into Excel.
        exact = Decimal(repr(self.value)) if isinstance(self.value, float) else Decimal(self.value)
        return tidy(exact * 100 if self.is_percent else exact)

    def decimal(self) -> Decimal:
        """The cell as a number, numeric or Italian text; raises UsageError quoting the value."""
        number = self.number()
        if number is not None:
            return number
        if isinstance(self.value, datetime | date):
            raise UsageError(_("{text} is a date, not a number").format(text=repr(self.text())))
        return parse_number(self.text())


def tidy(value: Decimal) -> Decimal:
    """`10.000` -> `10`, `97.20` kept as typed elsewhere: drops float noise, never an exponent."""
    if value.is_finite() and value.adjusted() >= MAX_DIGITS:
        return value  # too large to requantize: the entry limits refuse it, naming it
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def slug(text: str) -> str:
    """`Competitività del territorio` -> `competitivita-del-territorio`: a key from a title."""
    words = "".join(c if c.isalnum() else " " for c in norm(text)).split()
    return "-".join(words)


# --- opening files ---------------------------------------------------------------------------


def read_bytes(path: Path, expected: str) -> bytes:
    """The file's bytes (at most MAX_TABLE_BYTES); a missing, unreadable, empty or too large
    file is one line naming it."""
    data = read_at_most(path, MAX_TABLE_BYTES, expected)
    if not data.strip():
        raise UsageError(
            _("{path}: the file is empty ({expected} was expected)").format(
                path=path, expected=expected
            )
        )
    return data


def open_workbook(path: Path, *, read_only: bool) -> Workbook:
    """Open an .xlsx with cached formula values; anything else is refused in one line."""
    data = read_bytes(path, "an Excel workbook (.xlsx)")
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise UsageError(
            _(
                "{path}: an old Excel 97-2003 (.xls) workbook: save it as .xlsx (Excel Workbook)"
            ).format(path=path)
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise UsageError(
            _("{path}: not an Excel workbook (.xlsx): the file is not a spreadsheet").format(
                path=path
            )
        )
    check_workbook_size(path, data, streamed=read_only)
    try:
        return openpyxl.load_workbook(
            io.BytesIO(data), read_only=read_only, data_only=True, keep_links=False
        )
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise UsageError(
            _("{path}: not a readable Excel workbook (.xlsx): {reason}").format(
                path=path, reason=reason
            )
        ) from None


def find_sheet(
    workbook: Workbook,
    path: Path,
    names: Sequence[str],
    *,
    only_one: bool,
    hint: str = "rename the sheet",
) -> Worksheet:
    """The sheet called one of `names` (any case); with `only_one`, a lone sheet by any name."""
    wanted = {norm(name) for name in names}
    for sheet in workbook.worksheets:
        if norm(sheet.title) in wanted:
            return sheet
    if only_one and len(workbook.worksheets) == 1:
        return workbook.worksheets[0]
    present = ", ".join(repr(sheet.title) for sheet in workbook.worksheets)
    raise UsageError(
        _("{path}: no sheet named {names} (the workbook has {present}): {hint}").format(
            path=path, names=repr(names[0]), present=present, hint=hint
        )
    )


def sheet_rows(sheet: Worksheet, label: str) -> Iterator[tuple[int, list[Cell]]]:
    """Every row as (row number, cells), with `file:sheet:A1` places, merged cells unfilled.

    A sheet opened read-only is read to its last row whatever its `<dimension>` tag says: a
    tag that understates the rows (some writers leave a stale one) made openpyxl stop early,
    and rows were skipped without a word.
    """
    if isinstance(sheet, ReadOnlyWorksheet):
        sheet.reset_dimensions()
    first = sheet.min_row or 1
    for offset, row in enumerate(sheet.iter_rows()):
        number = next((c.row for c in row if isinstance(getattr(c, "row", None), int)), None)
        number = number or first + offset
        cells = [
            Cell(
                getattr(cell, "value", None),
                f"{label}:{sheet.title}:{get_column_letter(index)}{number}",
                getattr(cell, "number_format", None) or "General",
            )
            for index, cell in enumerate(row, start=1)
        ]
        yield number, cells


# --- CSV -------------------------------------------------------------------------------------


def decode_text(path: Path, data: bytes) -> str:
    """Decode a CSV as Italian Excel writes it: UTF-8 (BOM or not), UTF-16, or Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise UsageError(
                _(
                    "{path}: byte {offset} is not UTF-16 text (the file starts with a UTF-16 "
                    "mark): save the file again as CSV UTF-8"
                ).format(path=path, offset=error.start)
            ) from None
    if data.startswith(b"\xef\xbb\xbf"):
        return _decoded(path, data, "utf-8-sig")
    if b"\x00" in data[:4096] or data[:4] == b"PK\x03\x04":
        raise UsageError(
            _("{path}: not a CSV text file (is it a spreadsheet? save it as .csv)").format(
                path=path
            )
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Italian Excel's "CSV (delimitato dal separatore di elenco)" writes the Windows code page.
        return _decoded(path, data, "cp1252")


def _decoded(path: Path, data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise UsageError(
            _(
                "{path}: byte {start} is neither UTF-8 nor Windows-1252 text: save the file again "
                "as CSV UTF-8"
            ).format(path=path, start=error.start)
        ) from None


def delimiter_of(header_line: str) -> str:
    """`;` as Italian Excel writes, `,` as elsewhere, or a tab: the one the header uses most."""
    counts = {mark: header_line.count(mark) for mark in (";", "\t", ",")}
    best = max(counts, key=lambda mark: counts[mark])
    return best if counts[best] else ";"


def csv_rows(path: Path, label: str) -> Iterator[tuple[int, list[Cell]]]:
    """Every record as (line number, cells), each cell's place being `file:line`."""
    text = decode_text(path, read_bytes(path, "a CSV file"))
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(first_line))
    try:
        for record in reader:
            ref = f"{label}:{reader.line_num}"
            yield reader.line_num, [Cell(value, ref) for value in record]
    except csv.Error as error:
        raise UsageError(
            _("{label}:{line}: not a valid CSV line ({error})").format(
                label=label, line=reader.line_num, error=error
            )
        ) from None


# --- headers ---------------------------------------------------------------------------------


def find_header(
    rows: Iterable[tuple[int, list[Cell]]], is_header: Callable[[list[str]], bool], where: str
) -> tuple[int, list[Cell], list[tuple[int, list[Cell]]]]:
    """The first row within HEADER_SEARCH_ROWS that `is_header` accepts, and the rows before it."""
    before: list[tuple[int, list[Cell]]] = []
    for number, cells in rows:
        if is_header([header(cell.value) for cell in cells]):
            return number, cells, before
        before.append((number, cells))
        if len(before) >= HEADER_SEARCH_ROWS:
            break
    if not any(not cell.empty for _, cells in before for cell in cells):
        raise UsageError(_("{where}: the sheet is empty").format(where=where))
    raise UsageError(
        _("{where}: no header row found in the first {rows} rows").format(
            where=where, rows=HEADER_SEARCH_ROWS
        )
    )
