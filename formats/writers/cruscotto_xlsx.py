"""The cruscotto as an Excel workbook laid out like the table annexed to the Relazione.

Weights, targets and results are real numbers (percentages as Excel stores them, 0,972 shown
as 97,20 %), so controllers can compute with them; measured values carry their unit in the
number format (`35,87 gg`), not in the text. The computed score, the override and its
rationale stand side by side. The same workbook is a plan file and a measurements file: its
`Cruscotto`, `Ciclo`, `Obiettivi dirigenziali` and `Note` sheets are what `ledger plan
import` reads, and its `Misure` sheet is what `ledger record measurements` reads.
"""

import io
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from events.i18n import _
from formats.inert import inert_workbook, sheet_value
from formats.writers import xlsx_sheets as sheets
from formats.writers.cruscotto_columns import Column, Row, columns, rows
from formats.writers.cruscotto_data import CruscottoExport
from formats.writers.xlsx_sheets import (
    BORDER,
    DARK,
    DATE,
    HEADER_FONT,
    HUNDRED,
    PERCENT,
    PRIMARY,
    WRAP,
    number_format,
    result,
    weight_format,
)

FIRST_HEADER_ROW = 5
"""Rows 1-3 carry the title, the date and digest, and the ente's result."""


def workbook_bytes(exported: CruscottoExport) -> bytes:
    """The whole workbook, as the bytes of an .xlsx file."""
    workbook = Workbook()
    cruscotto = workbook.worksheets[0]
    cruscotto.title = "Cruscotto"
    _cruscotto(cruscotto, exported)
    for rule in exported.cruscotto.levels:
        if rule.achievement is not None:
            sheets.strategic_sheet(workbook.create_sheet(rule.shown_plural[:31]), exported, rule)
    top = exported.cruscotto.levels[0]
    if top.achievement is None:
        sheets.perspectives_sheet(workbook.create_sheet(top.shown_plural[:31]), exported, top)
    sheets.managers_sheet(workbook.create_sheet("Obiettivi dirigenziali"), exported)
    sheets.overrides_sheet(workbook.create_sheet("Override"), exported)
    sheets.measurements_sheet(workbook.create_sheet("Misure"), exported)
    sheets.notes_sheet(workbook.create_sheet("Note"), exported)
    sheets.cycle_sheet(workbook.create_sheet("Ciclo"), exported)
    sheets.rules_sheet(workbook.create_sheet(_("Rules")), exported)
    for sheet in workbook.worksheets:
        _print_setup(sheet)
    _properties(workbook, exported)
    inert_workbook(workbook)  # every cell a value: a title may start with "="
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cruscotto(sheet: Worksheet, exported: CruscottoExport) -> None:
    cruscotto = exported.cruscotto
    cols = columns(exported)
    sheet["A1"] = sheet_value(_title(exported))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = sheet_value(
        _("as of {date} - cycle {stream} - ledger data: {digest}").format(
            date=cruscotto.as_of.strftime("%d/%m/%Y"),
            stream=cruscotto.stream,
            digest=exported.digest.line(),
        )
    )
    sheet["A3"] = _("Performance di ente")
    sheet["B3"] = result(cruscotto.result)
    sheet["B3"].number_format = PERCENT
    sheet["C3"] = sheet_value(cruscotto.band)
    sheet["A3"].font = sheet["B3"].font = Font(bold=True)
    _header(sheet, cols)
    data = list(rows(exported))
    first = FIRST_HEADER_ROW + 2
    for offset, row in enumerate(data):
        for index, column in enumerate(cols, start=1):
            cell = sheet.cell(first + offset, index, sheet_value(column.value(row, exported)))
            cell.border = BORDER
            cell.alignment = WRAP
            _format(cell, column, row)
    leaf = len(exported.cruscotto.levels) - 1
    for index, column in enumerate(cols, start=1):
        if column.level != leaf:
            _merge_runs(sheet, index, first, [row.path[column.level].key for row in data])
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = sheet.cell(first, 1)
    last = get_column_letter(len(cols))
    sheet.auto_filter.ref = f"A{FIRST_HEADER_ROW + 1}:{last}{first + len(data) - 1}"
    sheet.print_title_rows = f"{FIRST_HEADER_ROW}:{FIRST_HEADER_ROW + 1}"


def _print_setup(sheet: Worksheet) -> None:
    """A4 landscape, the columns fitted to the page's width, the header repeated."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    if sheet.title != "Cruscotto" and sheet.max_row > 1:
        sheet.print_title_rows = "1:1"
        sheet.auto_filter.ref = f"A1:{get_column_letter(sheet.max_column)}{sheet.max_row}"


def _properties(workbook: Workbook, exported: CruscottoExport) -> None:
    """The file's properties name the administration, the cycle and the ledger it comes from."""
    cruscotto = exported.cruscotto
    properties = workbook.properties
    properties.title = sheet_value(_title(exported))
    properties.subject = sheet_value(
        _("{stream}, as of {date}").format(
            stream=cruscotto.stream, date=cruscotto.as_of.strftime("%d/%m/%Y")
        )
    )
    properties.creator = sheet_value(f"{cruscotto.entity_name} (performance ledger)")
    properties.description = sheet_value(
        _("ledger data: {digest}").format(digest=exported.digest.line())
    )
    properties.keywords = _("performance cycle; D.Lgs. 150/2009; cruscotto")
    properties.category = "Performance"


def _title(exported: CruscottoExport) -> str:
    cruscotto = exported.cruscotto
    return _("Performance cruscotto {year} - {entity}").format(
        year=cruscotto.year or "", entity=cruscotto.entity_name
    )


def _format(cell: Any, column: Column, row: Row) -> None:
    value = cell.value
    if isinstance(value, str):
        return  # an exact fraction written as text, or a label
    if column.fmt == "weight":
        cell.number_format = weight_format(value * HUNDRED if value is not None else None)
    elif column.fmt == "number" and isinstance(value, Decimal):
        cell.number_format = number_format(value)
    elif column.fmt == "measured" and isinstance(value, Decimal):
        unit = row.plan.kpi.unit if row.plan.kpi else None
        cell.number_format = number_format(value, unit)
    elif column.fmt in (PERCENT, DATE, "0%"):
        cell.number_format = column.fmt


def _header(sheet: Worksheet, cols: list[Column]) -> None:
    top, below = FIRST_HEADER_ROW, FIRST_HEADER_ROW + 1
    start = 1
    for index, column in enumerate(cols, start=1):
        label = sheet.cell(below, index, sheet_value(column.label))
        label.font, label.alignment, label.border = HEADER_FONT, WRAP, BORDER
        label.fill = PatternFill("solid", fgColor=PRIMARY)
        last = index == len(cols) or cols[index].group != column.group
        if last:
            group = sheet.cell(top, start, sheet_value(column.group))
            group.font, group.alignment = HEADER_FONT, Alignment(horizontal="center")
            for col in range(start, index + 1):
                sheet.cell(top, col).fill = PatternFill("solid", fgColor=DARK)
                sheet.cell(top, col).border = BORDER
            if index > start:
                sheet.merge_cells(start_row=top, start_column=start, end_row=top, end_column=index)
            start = index + 1


def _merge_runs(sheet: Worksheet, column: int, first: int, keys: list[str]) -> None:
    """Merge the cells of one node over its rows, as the Relazione prints them."""
    start = 0
    for index in range(1, len(keys) + 1):
        if index == len(keys) or keys[index] != keys[start]:
            if index - 1 > start:
                sheet.merge_cells(
                    start_row=first + start,
                    start_column=column,
                    end_row=first + index - 1,
                    end_column=column,
                )
            start = index
