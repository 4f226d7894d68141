"""The events of the ledger as a CSV or an Excel sheet, for auditors.

One row per event in seq order with its whole envelope (dates, actor, role, idempotency
key, hashes) and its payload as stored, so the file can be filtered in Excel and every row's
hash recomputed from it. The writers take plain rows and columns, so `ledger trail`'s rows go
through the same `write_rows`.
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

from formats.inert import inert_cell, sheet_value
from formats.serial import csv_chunks, to_csv
from formats.writers.cruscotto_csv import CsvProfile, excel_csv, excel_csv_chunks
from ledger.records import Entry

COLUMNS: dict[str, tuple[str, int]] = {
    "seq": ("seq", 7),
    "recorded_at": ("registrato il (UTC)", 28),
    "effective_date": ("data dell'atto", 13),
    "stream": ("ciclo", 16),
    "version": ("versione", 9),
    "type": ("tipo", 24),
    "schema_version": ("schema", 8),
    "actor": ("autore", 20),
    "role": ("ruolo", 18),
    "event_id": ("id evento", 38),
    "idempotency_key": ("chiave di idempotenza", 30),
    "payload": ("contenuto (JSON)", 80),
    "prev_hash": ("hash precedente", 66),
    "hash": ("hash", 66),
}


TRAIL_FILE_COLUMNS: dict[str, tuple[str, int]] = {
    "seq": ("seq", 7),
    "stream": ("ciclo", 16),
    "type": ("tipo", 24),
    "effective_date": ("data dell'atto", 13),
    "recorded_at": ("registrato il (Europe/Rome)", 22),
    "actor": ("autore", 20),
    "role": ("ruolo", 18),
    "node": ("nodo", 12),
    "summary": ("atto", 80),
    "signed": ("firmato", 9),
    "source": ("fonte", 40),
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
        return excel_csv(rows, names, [columns[name][0] for name in names])
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
        yield from excel_csv_chunks(rows, names, [columns[name][0] for name in names])


def _workbook(
    rows: Iterable[Mapping[str, Any]], columns: Mapping[str, tuple[str, int]], title: str
) -> bytes:
    """A write-only workbook: the ledger may hold a great many events."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Registro")
    for index, (_, width) in enumerate(columns.values(), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    header = []
    for label, _ in columns.values():
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
    about = workbook.create_sheet("Digest")
    about.append([_cell(about, title)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(sheet: Any, value: Any) -> WriteOnlyCell:
    """A cell holding `value` as a value, never as a formula (formats/inert.py)."""
    cell: WriteOnlyCell = inert_cell(WriteOnlyCell(sheet, value=sheet_value(value)))
    return cell
