"""The events of the ledger as a CSV or an Excel sheet, for auditors.

One row per event in seq order with its whole envelope (dates, actor, role, idempotency
key, hashes) and its payload as stored, so the file can be filtered in Excel and every row's
hash recomputed from it. The writers take plain rows and columns, so `ledger trail`'s rows go
through the same `write_rows`. A column's label is an English msgid (N_), worded in the reader's
language when the file is written; the CSV's opendata profile keeps the column names.
"""

import io
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from events.i18n import N_, _
from formats.inert import inert_cell, sheet_value
from formats.serial import csv_chunks, to_csv
from formats.writers.cruscotto_csv import CsvProfile, excel_csv, excel_csv_chunks
from ledger.records import Entry

COLUMNS: dict[str, tuple[str, int]] = {
    "seq": ("seq", 7),
    "recorded_at": (N_("recorded at (UTC)"), 28),
    "effective_date": (N_("act date"), 13),
    "stream": (N_("cycle"), 16),
    "version": (N_("version"), 9),
    "type": (N_("type"), 24),
    "schema_version": (N_("schema"), 8),
    "actor": (N_("author"), 20),
    "role": (N_("role"), 18),
    "event_id": (N_("event id"), 38),
    "idempotency_key": (N_("idempotency key"), 30),
    "payload": (N_("content (JSON)"), 80),
    "prev_hash": (N_("previous hash"), 66),
    "hash": (N_("hash"), 66),
}


TRAIL_FILE_COLUMNS: dict[str, tuple[str, int]] = {
    "seq": ("seq", 7),
    "stream": (N_("cycle"), 16),
    "type": (N_("type"), 24),
    "effective_date": (N_("act date"), 13),
    "recorded_at": (N_("recorded at (Europe/Rome)"), 22),
    "actor": (N_("author"), 20),
    "role": (N_("role"), 18),
    "node": (N_("node"), 12),
    "summary": (N_("act"), 80),
    "signed": (N_("signed"), 9),
    "source": (N_("source"), 40),
}
"""The trail's columns in a file (`ledger trail -o`, the console's downloads): label, width."""


class TrailFormat(StrEnum):
    """The formats of `ledger export-trail`."""

    csv = "csv"
    xlsx = "xlsx"


def trail_row(entry: Entry) -> dict[str, Any]:
    """An event as one row: the stored envelope and payload, nothing re-serialised."""
    return {
        "seq": entry.seq,
        "recorded_at": entry.row.recorded_at,
        "effective_date": entry.effective_date,
        "stream": entry.stream,
        "version": entry.version,
        "type": entry.type,
        "schema_version": entry.schema_version,
        "actor": entry.actor,
        "role": entry.role,
        "event_id": entry.event_id,
        "idempotency_key": entry.idempotency_key,
        "payload": entry.payload,
        "prev_hash": entry.prev_hash,
        "hash": entry.hash,
    }


def write_rows(
    rows: Iterable[Mapping[str, Any]],
    columns: Mapping[str, tuple[str, int]],
    output_format: TrailFormat,
    profile: CsvProfile,
    title: str,
) -> bytes:
    """Rows as CSV (either profile) or as one sheet of an .xlsx; the header names columns."""
    names = list(columns)
    if output_format is TrailFormat.csv:
        if profile is CsvProfile.opendata:
            return to_csv(rows, names).encode("utf-8")
        return excel_csv(rows, names, labels(columns))
    return _workbook(rows, columns, title)


def row_chunks(
    rows: Iterable[Mapping[str, Any]],
    columns: Mapping[str, tuple[str, int]],
    output_format: TrailFormat,
    profile: CsvProfile,
    title: str,
) -> Iterator[bytes]:
    """The bytes of `write_rows` in pieces: a CSV streams row by row (memory stays flat
    however large the ledger); a workbook is one piece (Excel's sheets hold 1,048,576 rows)."""
    names = list(columns)
    if output_format is not TrailFormat.csv:
        yield _workbook(rows, columns, title)
    elif profile is CsvProfile.opendata:
        yield from (text.encode("utf-8") for text in csv_chunks(rows, names))
    else:
        yield from excel_csv_chunks(rows, names, labels(columns))


def labels(columns: Mapping[str, tuple[str, int]]) -> list[str]:
    """The columns' labels in the reader's language."""
    return [_(label) for label, _width in columns.values()]


def _workbook(
    rows: Iterable[Mapping[str, Any]], columns: Mapping[str, tuple[str, int]], title: str
) -> bytes:
    """A write-only workbook: the ledger may hold a great many events."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Ledger"))
    for index, (_label, width) in enumerate(columns.values(), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    header = []
    for label in labels(columns):
        cell = _cell(sheet, label)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="0066CC")
        header.append(cell)
    sheet.append(header)
    for row in rows:
        values = []
        for name in columns:
            cell = _cell(sheet, row.get(name))
            if isinstance(row.get(name), datetime):
                cell.number_format = "DD/MM/YYYY HH:MM:SS"
            elif isinstance(row.get(name), date):
                cell.number_format = "DD/MM/YYYY"
            values.append(cell)
        sheet.append(values)
    about = workbook.create_sheet(_("Digest"))
    about.append([_cell(about, title)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(sheet: Any, value: Any) -> WriteOnlyCell:
    """A cell holding `value` as a value, never as a formula (formats/inert.py)."""
    cell: WriteOnlyCell = inert_cell(WriteOnlyCell(sheet, value=sheet_value(value)))
    return cell
