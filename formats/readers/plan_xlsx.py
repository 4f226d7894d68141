"""The Piano from an .xlsx laid out like the cruscotto annexed to the Relazione.

The workbook `ledger export --format xlsx` writes is such a file, so the plan of one cycle
can be exported and imported into another. A workbook made by hand needs:

- a sheet `Ciclo`, two columns (field, value): `ciclo` (cciaa-so/2021), `ente`,
  `denominazione`, `anno`; optionally `fonte` and `politica di valutazione (JSON)`;
- a sheet `Cruscotto` (or `Piano`), one row per action, under a header naming `Prospettiva`,
  `Obiettivo strategico`, then `cod.`, `titolo`, `peso` of the operational objective and
  `cod.`, `titolo`, `peso`, `kpi`, `target` of the action. A row of group headers above it
  (`Obiettivi operativi`, `Azioni`) tells the two `cod.` apart, as in the Relazione; without
  one, the first `cod.` is the objective's. The cells of a perspective or of an objective may
  be merged over its rows, or left blank below the first: both mean "as above";
- optionally the KPI's details (docs/formats.md) and the sheets `Obiettivi dirigenziali`
  and `Note`.

Every problem is reported at once as `file:sheet:cell`, and nothing is recorded.
"""

import hashlib
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl.workbook.workbook import Workbook

from events.policy import ScoringPolicy
from formats.readers.header_words import norm
from formats.readers.plan_columns import SheetLevels
from formats.readers.plan_sides import read_cycle, read_managers, read_notes
from formats.readers.plan_tree import PlanTree
from formats.readers.sheets import (
    RowsRefused,
    find_sheet,
    open_workbook,
)
from ledger.store import EventStore
from projections import acts, planning
from projections.plan_document import PLAN_FORMAT, PlanDocument, plan_document

PLAN_SHEETS = ("Cruscotto", "Piano", "Cruscotto della performance")


def import_plan_workbook(
    store: EventStore, path: Path, on: date, actor: acts.Actor, *, cycle: str | None = None
) -> tuple[str, int]:
    """Record an .xlsx plan as pending changes; the same plan again records nothing.

    The idempotency key is made of the plan's content and the cycle, not of the file's
    bytes, which Excel changes on every save.
    """
    document = read_plan_workbook(path, cycle=cycle)
    digest = hashlib.sha256(document.model_dump_json().encode("utf-8")).hexdigest()[:16]
    prefix = f"plan-xlsx:{document.cycle.id}:{digest}"
    entries = planning.import_plan(store, document, on, actor, key_prefix=prefix)
    return document.cycle.id, len(entries)


def read_plan_workbook(path: Path, *, cycle: str | None = None) -> PlanDocument:
    """The plan document an .xlsx describes; every problem in it raised at once."""
    label = str(path)
    workbook = open_workbook(path, read_only=False)
    try:
        return _document(workbook, path, label, cycle)
    finally:
        workbook.close()


def _document(workbook: Workbook, path: Path, label: str, cycle: str | None) -> PlanDocument:
    cycle_sheet = find_sheet(workbook, path, ("Ciclo",), only_one=False)
    spec = read_cycle(cycle_sheet, label)
    if cycle:
        spec["id"] = cycle
    plan_sheet = find_sheet(workbook, path, PLAN_SHEETS, only_one=False)
    policy = spec.get("policy")
    levels = SheetLevels.of(policy if isinstance(policy, ScoringPolicy) else ScoringPolicy())
    tree = PlanTree(label, int(spec["year"]), levels)
    tree.read(plan_sheet)
    problems = list(tree.problems)
    managers: list[dict[str, Any]] = []
    if any(norm(sheet.title) == norm("Obiettivi dirigenziali") for sheet in workbook.worksheets):
        sheet = find_sheet(workbook, path, ("Obiettivi dirigenziali",), only_one=False)
        managers = read_managers(sheet, label, problems)
    if any(norm(sheet.title) == "note" for sheet in workbook.worksheets):
        notes = read_notes(find_sheet(workbook, path, ("Note",), only_one=False), label, problems)
        tree.apply_notes(notes, problems)
    if problems:
        raise RowsRefused(label, problems, tree.rows)
    data = {
        "format": PLAN_FORMAT,
        "cycle": {name: value for name, value in spec.items() if name != "source"},
        "source": spec.get("source"),
        "managers": managers,
    }
    if levels.reference:
        data["perspectives"] = tree.perspectives()
    else:
        data["nodes"] = tree.nodes_tree()
    return plan_document(data, label)
