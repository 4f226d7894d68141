"""The cruscotto as an Excel workbook laid out like the table annexed to the Relazione.

Weights, targets and results are real numbers (percentages as Excel stores them, 0,972 shown
as 97,20 %), so controllers can compute with them; measured values carry their unit in the
number format (`35,87 gg`), not in the text. The computed score, the override and its
rationale stand side by side. The same workbook is a plan file and a measurements file: its
`Cruscotto`, `Ciclo`, `Obiettivi dirigenziali` and `Note` sheets are what `ledger plan
import` reads, and its `Misure` sheet is what `ledger record measurements` reads.
"""

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from events.plan import Kpi
from formats.readers.plan_kpi import DIRECTION_LABELS, KIND_LABELS
from formats.writers import xlsx_sheets as sheets
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
    percent,
    result,
    weight_format,
)
from projections.cruscotto import NodeResult
from projections.plan_state import Node

FIRST_HEADER_ROW = 5
"""Rows 1-3 carry the title, the date and digest, and the ente's result."""


@dataclass(frozen=True)
class Row:
    """One action of the cruscotto with the nodes above it, results and plan side by side."""

    perspective: NodeResult
    strategic: NodeResult
    operational: NodeResult
    action: NodeResult
    plan: Node


@dataclass(frozen=True)
class Column:
    """A column of the Cruscotto sheet: its group, its label, what it shows, how wide."""

    group: str
    label: str
    level: str
    value: Callable[[Row, CruscottoExport], Any]
    width: int = 12
    fmt: str | None = None


def workbook_bytes(exported: CruscottoExport) -> bytes:
    """The whole workbook, as the bytes of an .xlsx file."""
    workbook = Workbook()
    cruscotto = workbook.worksheets[0]
    cruscotto.title = "Cruscotto"
    _cruscotto(cruscotto, exported)
    sheets.strategic_sheet(workbook.create_sheet("Obiettivi strategici"), exported)
    sheets.perspectives_sheet(workbook.create_sheet("Prospettive"), exported)
    sheets.managers_sheet(workbook.create_sheet("Obiettivi dirigenziali"), exported)
    sheets.overrides_sheet(workbook.create_sheet("Override"), exported)
    sheets.measurements_sheet(workbook.create_sheet("Misure"), exported)
    sheets.notes_sheet(workbook.create_sheet("Note"), exported)
    sheets.cycle_sheet(workbook.create_sheet("Ciclo"), exported)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _kpi(row: Row) -> Kpi | None:
    return row.plan.kpi


def _measured(row: Row, exported: CruscottoExport) -> Any:
    observation = exported.state.observation(row.action.key)
    if observation is not None and observation.value is not None:
        return observation.value
    return row.action.measured


def _override(node: NodeResult, field: str) -> Any:
    if node.override is None:
        return None
    return {
        "value": percent(node.override.achievement),
        "rationale": node.override.rationale,
        "heard": node.override.oiv_heard_on,
    }[field]


def _threshold(row: Row, level: str) -> Decimal | None:
    kpi = _kpi(row)
    found = [t.value for t in kpi.thresholds if t.level == level] if kpi else []
    return found[0] if found else None


def _inferred(row: Row) -> str | None:
    kpi = _kpi(row)
    levels = [t.level for t in kpi.thresholds if t.inferred] if kpi else []
    return ", ".join(levels) or None


def _plan(name: str) -> Callable[[Row, CruscottoExport], Any]:
    """A KPI field of the action's plan node (None for an action without one)."""

    def get(row: Row, exported: CruscottoExport) -> Any:
        kpi = _kpi(row)
        return None if kpi is None else getattr(kpi, name)

    return get


def _node(
    level: str, name: str, shown: Callable[[Any], Any] = lambda v: v
) -> Callable[[Row, CruscottoExport], Any]:
    """A field of the row's node at `level`, passed through `shown` (e.g. `result`)."""

    def get(row: Row, exported: CruscottoExport) -> Any:
        return shown(getattr(getattr(row, level), name))

    return get


GP, GS, GO, GA = "Prospettiva BSC", "Obiettivo strategico", "Obiettivi operativi", "Azioni"
GR, GK = "Percentuale raggiungimento", "Dettaglio KPI"


def columns(exported: CruscottoExport) -> list[Column]:
    """The Cruscotto sheet's columns; a weight column only where some node has a weight."""
    nodes = list(exported.cruscotto.nodes())
    weighted = {node.level for node in nodes if node.weight is not None}
    coded = any(node.code for node in nodes if node.level == "strategic")
    level = "perspective"
    found = [
        Column(GP, "titolo / descrizione", level, _node(level, "title"), 22),
        Column(GP, "Risultato", level, _node(level, "result", result), 11, PERCENT),
        Column(GP, "chiave", level, _node(level, "key"), 14),
    ]
    if level in weighted:
        found.append(Column(GP, "peso", level, _node(level, "weight", percent), 8, "weight"))
    level = "strategic"
    found += [
        Column(GS, "titolo / descrizione", level, _node(level, "title"), 24),
        Column(GS, "chiave", level, _node(level, "key"), 14),
    ]
    if coded:
        found.append(Column(GS, "cod.", level, _node(level, "code"), 7))
    if level in weighted:
        found.append(Column(GS, "peso", level, _node(level, "weight", percent), 8, "weight"))
    found += [
        Column(GS, "Target", level, _node(level, "target", percent), 9, "weight"),
        Column(GS, "Risultato", level, _node(level, "result", result), 11, PERCENT),
        Column(GS, "% raggiungimento", level, _node(level, "achievement", result), 13, PERCENT),
        Column(GS, "Valutazione sintetica", level, _node(level, "band"), 13),
    ]
    level = "operational"
    found += [
        Column(GO, "cod.", level, _node(level, "code"), 7),
        Column(GO, "titolo / descrizione", level, _node(level, "title"), 24),
        Column(GO, "peso", level, _node(level, "weight", percent), 8, "weight"),
        Column(GO, "Risultato", level, _node(level, "result", result), 11, PERCENT),
    ]
    level = "action"
    found += [
        Column(GA, "cod.", level, _node(level, "code"), 8),
        Column(GA, "titolo / descrizione", level, _node(level, "title"), 28),
        Column(GA, "Peso", level, _node(level, "weight", percent), 8, "weight"),
        Column(GA, "kpi", level, _node(level, "kpi"), 32),
        Column(GA, "target", level, _plan("target_label"), 12),
        Column(GA, "soglia medio", level, lambda r, e: _threshold(r, "medio"), 9, "number"),
        Column(GA, "soglia minimo", level, lambda r, e: _threshold(r, "minimo"), 9, "number"),
        Column(GA, "Risultato", level, _measured, 13, "measured"),
        Column(GR, "calcolata", level, _node(level, "computed", result), 11, PERCENT),
        Column(
            GR,
            "override (sentito l'OIV)",
            level,
            lambda r, e: _override(r.action, "value"),
            12,
            PERCENT,
        ),
        Column(GR, "finale", level, _node(level, "result", result), 11, PERCENT),
        Column(
            GR,
            "motivazione dell'override",
            level,
            lambda r, e: _override(r.action, "rationale"),
            40,
        ),
        Column(GR, "OIV sentito il", level, lambda r, e: _override(r.action, "heard"), 12, DATE),
        Column(GK, "tipo", level, _kind, 12),
        Column(GK, "unità", level, _plan("unit"), 10),
        Column(GK, "direzione", level, _direction, 10),
        Column(GK, "valore target", level, _plan("target"), 10, "number"),
        Column(GK, "soglie dedotte", level, lambda r, e: _inferred(r), 12),
        Column(GK, "scadenza", level, _plan("deadline"), 11, DATE),
        Column(GK, "tetto", level, _plan("cap"), 8, "number"),
    ]
    return found


def _kind(row: Row, exported: CruscottoExport) -> str | None:
    kpi = _kpi(row)
    return None if kpi is None else KIND_LABELS[kpi.kind]


def _direction(row: Row, exported: CruscottoExport) -> str | None:
    kpi = _kpi(row)
    if kpi is None or kpi.kind not in ("threshold", "proportional"):
        return None
    return DIRECTION_LABELS[kpi.direction]


def rows(exported: CruscottoExport) -> Iterator[Row]:
    """One row per action, in the plan's order, with the nodes above it."""
    for perspective in exported.cruscotto.perspectives:
        for strategic in perspective.children:
            for operational in strategic.children:
                for action in operational.children:
                    plan = exported.state.nodes[action.key]
                    yield Row(perspective, strategic, operational, action, plan)


def _cruscotto(sheet: Worksheet, exported: CruscottoExport) -> None:
    cruscotto = exported.cruscotto
    cols = columns(exported)
    sheet["A1"] = f"Cruscotto della performance {cruscotto.year or ''} - {cruscotto.entity_name}"
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = (
        f"al {cruscotto.as_of.strftime('%d/%m/%Y')} - ciclo {cruscotto.stream} - "
        f"dati del registro: {exported.digest.line()}"
    )
    sheet["A3"] = "Performance di ente"
    sheet["B3"] = result(cruscotto.result)
    sheet["B3"].number_format = PERCENT
    sheet["C3"] = cruscotto.band
    sheet["A3"].font = sheet["B3"].font = Font(bold=True)
    _header(sheet, cols)
    data = list(rows(exported))
    first = FIRST_HEADER_ROW + 2
    for offset, row in enumerate(data):
        for index, column in enumerate(cols, start=1):
            cell = sheet.cell(first + offset, index, column.value(row, exported))
            cell.border = BORDER
            cell.alignment = WRAP
            _format(cell, column, row)
    for index, column in enumerate(cols, start=1):
        if column.level != "action":
            _merge_runs(sheet, index, first, [getattr(row, column.level).key for row in data])
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = sheet.cell(first, 1)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{FIRST_HEADER_ROW}:{FIRST_HEADER_ROW + 1}"


def _format(cell: Any, column: Column, row: Row) -> None:
    value = cell.value
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
        label = sheet.cell(below, index, column.label)
        label.font, label.alignment, label.border = HEADER_FONT, WRAP, BORDER
        label.fill = PatternFill("solid", fgColor=PRIMARY)
        last = index == len(cols) or cols[index].group != column.group
        if last:
            group = sheet.cell(top, start, column.group)
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
