"""Measurements from an .xlsx or a .csv: every row checked, then all recorded or none.

The columns, found by their header (any case, accents optional, in any order):

    codice          the action's code as printed in the Piano (`3.3.1`); also `cod.`, `azione`
    valore          what was measured, read by the action's KPI: a number for a numeric KPI
                    (`35,87`, `35,87 gg`, `€ 165,80`, `27,78%`), a level for a qualitative one
                    (`eccellente`), a day or a month for a deadline (`14/12/2020`, `ottobre
                    2020`), `sì`/`no` for a yes/no KPI; also `risultato`, `misura`
    unità           optional: the unit, when not written with the value
    data            the day the measurement was taken (`30/04/2021`): its effective date
    evidenza        where the figure comes from; also `fonte`
    periodo         optional: the span measured (`2020`, `2020-01..2020-06`; default the year)
    raggiungimento  optional: a % raggiungimento stated directly (with or without a `valore`)
    nota            optional: a remark kept with the event

Each event's evidence ends with the place it was read from (`misure.xlsx:Misure:B5`, or
`misure.csv:5`), so an auditor can go back to the cell. Every row carries an idempotency key
made of its content (cycle, action, value, unit, period, date), not of the file's bytes: Excel
rewrites a workbook's bytes on every save, and a file that grew by a few rows must not record
the old rows a second time.
"""

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TypeVar

from openpyxl.utils import get_column_letter

from events.errors import UsageError
from events.i18n import _, ngettext
from events.measurement import Period
from events.plan import Kpi
from formats.readers.header_words import header as header_text
from formats.readers.measurement_values import (
    canonical_unit,
    read_achievement,
    read_date,
    read_observation,
    read_period,
)
from formats.readers.sheets import (
    SPREADSHEETS,
    TEXT_TABLES,
    Cell,
    Problem,
    RowsRefused,
    csv_rows,
    find_header,
    find_sheet,
    open_workbook,
    sheet_rows,
    tidy,
)
from ledger.store import EventStore
from projections.acts import Actor
from projections.batch import (
    BatchRefused,
    ObservationItem,
    check_observations,
    record_observations,
)
from projections.errors import ActRefused
from projections.plan_state import fold, projected
from projections.scoring import Observation

T = TypeVar("T")
Tracker = Callable[[Iterable[T], int | None], Iterable[T]]

SHEET_NAMES = ("Misure", "Misurazioni", "Measurements")
ALIASES: dict[str, tuple[str, ...]] = {
    "code": ("codice", "cod", "codice azione", "azione", "code", "action"),
    "value": ("valore", "valore misurato", "risultato", "misura", "value"),
    "unit": ("unita", "u.m", "um", "unita di misura", "unit"),
    "date": ("data", "data rilevazione", "data della misura", "date"),
    "evidence": ("evidenza", "fonte", "evidence"),
    "period": ("periodo", "period"),
    "achievement": ("raggiungimento", "% raggiungimento", "achievement"),
    "note": ("nota", "note"),
}


@dataclass(frozen=True)
class ImportReport:
    """What an import did: rows read, events recorded, rows already in the ledger."""

    stream: str
    rows: int
    recorded: int

    @property
    def already(self) -> int:
        return self.rows - self.recorded


@dataclass(frozen=True)
class _Row:
    number: int
    cells: dict[str, Cell]
    source: str


def _no_tracking(rows: Iterable[T], total: int | None) -> Iterable[T]:
    return rows


def import_measurements(
    store: EventStore,
    path: Path,
    stream: str,
    actor: Actor,
    *,
    sheet: str | None = None,
    default_date: date | None = None,
    track: Tracker[tuple[int, list[Cell]]] = _no_tracking,
    source: str | None = None,
) -> ImportReport:
    """Read, check and record every row of `path` in `stream`; raise RowsRefused with them all.

    `source` marks every row as a backfill from that document, as `--source` does for one act.
    """
    label = str(path)
    rows = list(_data_rows(path, label, sheet, default_date is None, track))
    if not rows:
        raise UsageError(_("{label}: no measurements below the header row").format(label=label))
    state = fold(store.read_stream(stream), stream)
    if state.opened is not None and not state.nodes and state.pending:
        # One cause, said once, rather than once for every row of the file.
        raise ActRefused(
            ngettext(
                "no plan of {stream} is in force: it waits for its approval (record it first: "
                "ledger record approval plan --act ...); the {count} row of {file} was not "
                "recorded",
                "no plan of {stream} is in force: it waits for its approval (record it first: "
                "ledger record approval plan --act ...); none of the {count} rows of {file} "
                "was recorded",
                len(rows),
            ).format(stream=stream, count=len(rows), file=label)
        )
    plan = projected(state, date.max)
    year = state.opened.year if state.opened else None
    kpis = {key: node.kpi for key, node in plan.nodes.items() if node.kpi is not None}
    problems: list[Problem] = []
    items: list[ObservationItem] = []
    order: dict[str, int] = {}
    seen: dict[str, int] = {}
    for row in rows:
        ref = row.cells["code"].ref if "code" in row.cells else row.source
        order[ref] = row.number
        item, found = _item(row, ref, path.name, label, stream, kpis, year, default_date)
        problems += found
        if item is None:
            continue
        key = item.key or ""
        if key in seen:
            problems.append(
                Problem(
                    ref, _("the same measurement as row {row}").format(row=seen[key]), row.number
                )
            )
            continue
        seen[key] = row.number
        items.append(replace(item, source=source) if source else item)
    if problems:  # report the plan's refusals of the other rows in the same pass
        problems += [
            Problem(ref, reason, order.get(ref, 0))
            for ref, reason in check_observations(store, stream, items)
        ]
    if problems:
        raise RowsRefused(label, problems, len(rows))
    try:
        entries = record_observations(store, stream, items, actor)
    except BatchRefused as refused:
        found = [Problem(ref, reason, order.get(ref, 0)) for ref, reason in refused.problems]
        raise RowsRefused(label, found, len(rows)) from None
    return ImportReport(stream, len(rows), len(entries))


def _data_rows(
    path: Path,
    label: str,
    sheet: str | None,
    need_date: bool,
    track: Tracker[tuple[int, list[Cell]]],
) -> Iterator[_Row]:
    suffix = path.suffix.lower()
    if suffix in SPREADSHEETS:
        workbook = open_workbook(path, read_only=True)
        try:
            names = (sheet,) if sheet else SHEET_NAMES
            chosen = find_sheet(
                workbook,
                path,
                names,
                only_one=not sheet,
                hint="rename the sheet, or choose one with --sheet",
            )
            where = f"{label}:{chosen.title}"

            def in_sheet(number: int, index: int) -> str:
                return f"{where}:{get_column_letter(index + 1)}{number}"

            rows = track(sheet_rows(chosen, label), chosen.max_row)
            yield from _rows(rows, where, in_sheet, need_date)
        finally:
            workbook.close()
    elif suffix in TEXT_TABLES:
        if sheet:
            raise UsageError(
                _("{label}: a CSV file has no sheets (drop --sheet {sheet})").format(
                    label=label, sheet=sheet
                )
            )

        def in_file(number: int, index: int) -> str:
            return f"{label}:{number}"

        yield from _rows(track(csv_rows(path, label), None), label, in_file, need_date)
    else:
        raise UsageError(
            _("{label}: {extension} is not a measurements file: use .xlsx or .csv").format(
                label=label, extension=suffix or _("no extension")
            )
        )


def _rows(
    source: Iterable[tuple[int, list[Cell]]],
    where: str,
    ref_of: Callable[[int, int], str],
    need_date: bool,
) -> Iterator[_Row]:
    rows = iter(source)
    number, header, _rest = find_header(rows, _is_header, where)
    columns = _columns(header, number, where, need_date)
    for number, cells in rows:
        picked = {
            name: cells[index] if index < len(cells) else Cell(None, ref_of(number, index))
            for name, index in columns.items()
        }
        if all(cell.empty for cell in picked.values()):
            continue
        if "date" not in picked:
            picked["date"] = Cell(None, picked["code"].ref)
        yield _Row(number, picked, picked["value"].ref)


def _is_header(names: list[str]) -> bool:
    return any(n in ALIASES["code"] for n in names) and any(n in ALIASES["value"] for n in names)


def _columns(header: list[Cell], number: int, where: str, need_date: bool) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, cell in enumerate(header):
        name = header_text(cell.value)
        for field, aliases in ALIASES.items():
            if name in aliases and field not in columns:
                columns[field] = index
    if "date" not in columns and need_date:
        present = ", ".join(str(c.value) for c in header if not c.empty)
        raise UsageError(
            _(
                "{where}: no column 'data' (the header in row {number} has: {present}): add the "
                "day each measurement was taken, or give --date"
            ).format(where=where, number=number, present=present)
        )
    return columns


def _item(
    row: _Row,
    ref: str,
    name: str,
    label: str,
    stream: str,
    kpis: dict[str, Kpi],
    year: int | None,
    default_date: date | None,
) -> tuple[ObservationItem | None, list[Problem]]:
    """The row as an observation, or the problems of its cells (every one of them)."""
    problems: list[Problem] = []

    def refuse(cell: Cell | None, reason: str) -> None:
        problems.append(Problem(cell.ref if cell else ref, reason, row.number))

    cells = row.cells
    code = _code(cells["code"])
    on = read_date(cells["date"], default_date, refuse)
    period = read_period(cells.get("period"), year, refuse)
    achievement = read_achievement(cells.get("achievement"), refuse)
    kpi = kpis.get(code)
    if not code:
        refuse(cells["code"], _("codice is empty: write the action's code, e.g. 3.3.1"))
    elif kpi is None:
        refuse(
            cells["code"],
            _("action {code} is not in the plan of {stream} (ledger plan show)").format(
                code=code, stream=stream
            ),
        )
    observation = None
    if kpi is not None:
        value, unit = cells["value"], cells.get("unit")
        observation = read_observation(kpi, value, unit, achievement, year, refuse)
    if problems or observation is None or on is None or period is None:
        return None, problems
    evidence_cell = cells.get("evidence")
    where = row.source.replace(label, name, 1)
    evidence = where
    if evidence_cell is not None and not evidence_cell.empty:
        evidence = f"{evidence_cell.text()} ({where})"
    note_cell = cells.get("note")
    note = None if note_cell is None or note_cell.empty else note_cell.text()
    key = _key(stream, code, observation, period, on)
    return ObservationItem(ref, code, observation, period, on, evidence, note, key), []


def _code(cell: Cell) -> str:
    if isinstance(cell.value, float):
        return repr(cell.value)
    return "" if cell.empty else str(cell.value).strip()


def _key(stream: str, action: str, seen: Observation, period: Period, on: date) -> str:
    """The row's identity: the same measurement in any file, saved any number of times."""
    facts = [
        stream,
        action,
        seen.kind,
        str(tidy(seen.value)) if seen.value is not None else None,
        canonical_unit(seen.unit) if seen.unit else None,
        seen.level,
        seen.completed_on.isoformat() if seen.completed_on else None,
        seen.precision,
        seen.met,
        str(tidy(seen.achievement)) if seen.achievement is not None else None,
        period.start.isoformat(),
        period.end.isoformat(),
        on.isoformat(),
    ]
    if seen.bound is not None or seen.numerator is not None:
        # only then, so that the rows of files imported before bounds and ratios keep their key
        facts += [
            seen.bound,
            *(str(tidy(part)) for part in (seen.numerator, seen.denominator) if part is not None),
        ]
    digest = hashlib.sha256(json.dumps(facts, ensure_ascii=False).encode("utf-8")).hexdigest()
    return f"measurement-file:{digest[:32]}"
