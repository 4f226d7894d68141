"""The data of the review pages, shared by the page, its downloads and its JSON twin.

Each builder calls the projection the matching command calls (`ledger audit`, `trail`,
`diff`, `history`) and returns it with a `Table`: the rows and Italian column names that the
writers of formats/ turn into CSV and XLSX.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from events.i18n import _
from formats.italian import rome_wall_time
from formats.writers.trail import TRAIL_FILE_COLUMNS
from ledger.records import format_recorded_at
from projections.diff import CruscottoDiff, change_rows, diff
from projections.findings import SEVERITIES, Finding, audit, finding_row
from projections.trail import TrailFilter, TrailRow
from projections.trail_page import trail_page
from projections.trail_stream import trail_rows
from web.errors import bad_request
from web.pages import CycleView
from web.params import day_param, moment_param, seq_param
from web.state import ConsoleState

Columns = dict[str, tuple[str, int]]

FINDING_COLUMNS: Columns = {
    "severity": ("gravità", 9),
    "kind": ("tipo", 22),
    "node": ("nodo", 24),
    "title": ("titolo", 30),
    "seqs": ("eventi (seq)", 16),
    "reason": ("motivo", 90),
    "detail": ("dettaglio", 90),
}
TRAIL_COLUMNS: Columns = TRAIL_FILE_COLUMNS
DIFF_COLUMNS: Columns = {
    "key": ("chiave", 24),
    "code": ("codice", 10),
    "level": ("livello", 12),
    "title": ("titolo", 40),
    "field": ("campo", 20),
    "before": ("prima", 20),
    "after": ("dopo", 20),
    "seqs": ("eventi (seq)", 16),
}


@dataclass(frozen=True)
class Table:
    """A table as the writers take it: rows of named cells, and each column's label and width."""

    name: str
    columns: Columns
    rows: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class AuditView:
    findings: list[Finding]
    shown: list[Finding]
    severity: str | None
    kind: str | None
    kinds: list[str]


def audit_view(
    state: ConsoleState, view: CycleView, severity: str | None, kind: str | None
) -> AuditView:
    """`ledger audit` of the view, with the findings of one severity and kind shown."""
    if severity and severity not in SEVERITIES:
        raise bad_request(
            _("severity {value!r}: use one of {known}").format(
                value=severity, known=", ".join(SEVERITIES)
            )
        )
    found = state.view(
        view.cycle,
        ("audit", view.when),
        lambda: audit(
            list(state.store.read_stream(view.cycle, known_at=view.when.known_at)),
            view.cycle,
            as_of=view.when.as_of,
            known_at=view.when.known_at,
        ),
        version=view.version,
    )
    kinds = sorted({finding.kind for finding in found})
    if kind and kind not in kinds:
        raise bad_request(
            _("kind {value!r}: this audit has {known}").format(value=kind, known=", ".join(kinds))
        )
    shown = [
        f
        for f in found
        if (not severity or f.severity == severity) and (not kind or f.kind == kind)
    ]
    return AuditView(found, shown, severity or None, kind or None, kinds)


def audit_table(found: AuditView) -> Table:
    return Table("audit", FINDING_COLUMNS, [finding_row(f) for f in found.shown])


@dataclass(frozen=True)
class TrailView:
    wanted: TrailFilter
    after: int
    before: int | None
    rows: list[TrailRow]
    next_after: int | None
    previous_before: int | None
    filters: dict[str, str]


TRAIL_FILTERS = ("actor", "role", "type", "node", "from", "to", "recorded_from", "recorded_to")


def trail_filter(view: CycleView, given: dict[str, str]) -> TrailFilter:
    """The trail's filters from the query string (each one optional)."""
    return TrailFilter(
        stream=view.cycle,
        actor=given.get("actor") or None,
        role=given.get("role") or None,
        types=(given["type"],) if given.get("type") else (),
        node=given.get("node") or None,
        effective_from=day_param("from", given.get("from")),
        effective_to=day_param("to", given.get("to")),
        recorded_from=moment_param("recorded_from", given.get("recorded_from")),
        recorded_to=moment_param("recorded_to", given.get("recorded_to")),
        known_at=view.when.known_at,
    )


def trail_view(state: ConsoleState, view: CycleView, given: dict[str, str]) -> TrailView:
    """One page of the trail after seq `after`, or before seq `before` (keysets: never the
    whole cycle)."""
    wanted = trail_filter(view, given)
    after = seq_param("after", given.get("after")) or 0
    before = seq_param("before", given.get("before"))
    if before is not None and after:
        raise bad_request(
            _("after={after} and before={before}: give one of them").format(
                after=after, before=before
            )
        )
    page = state.view(
        view.cycle,
        ("trail", wanted, after, before),
        lambda: trail_page(state.store, view.cycle, wanted, after=after, before=before),
        version=view.version,
    )
    filters = {name: given[name] for name in TRAIL_FILTERS if given.get(name)}
    return TrailView(
        wanted, after, before, page.rows, page.next_after, page.previous_before, filters
    )


def trail_row(row: TrailRow) -> dict[str, Any]:
    return {
        "seq": row.seq,
        "stream": row.stream,
        "type": row.type,
        "effective_date": row.effective_date,
        "recorded_at": format_recorded_at(row.recorded_at),
        "actor": row.actor,
        "role": row.role,
        "node": row.node,
        "summary": row.summary,
        "signed": row.signed,
        "source": row.source,
    }


def trail_table(state: ConsoleState, view: CycleView, given: dict[str, str]) -> Table:
    """The whole filtered trail, as `ledger trail --format csv|xlsx` writes it (streamed from
    the store, the recorded time as Italian wall-clock time, its zone named by the header)."""
    wanted = trail_filter(view, given)
    rows = [
        {**trail_row(row), "recorded_at": rome_wall_time(row.recorded_at)}
        for row in trail_rows(state.store, wanted)
    ]
    return Table("trail", TRAIL_COLUMNS, rows)


def diff_view(state: ConsoleState, view: CycleView, date_from: str | None) -> CruscottoDiff:
    """What changed in the cruscotto from `date_from` to the view's `as_of`."""
    start = day_param("from", date_from) or date(view.when.as_of.year, 1, 1)
    if start > view.when.as_of:
        raise bad_request(
            _("from {start} is after as_of {end}").format(
                start=start.strftime("%d/%m/%Y"), end=view.when.as_of.strftime("%d/%m/%Y")
            )
        )
    return state.view(
        view.cycle,
        ("diff", view.when, start),
        lambda: diff(
            list(state.store.read_stream(view.cycle, known_at=view.when.known_at)),
            view.cycle,
            start,
            view.when.as_of,
            known_at=view.when.known_at,
        ),
        version=view.version,
    )


def diff_table(found: CruscottoDiff) -> Table:
    return Table("diff", DIFF_COLUMNS, change_rows(found))


HISTORY_COLUMNS: Columns = {
    "seq": ("seq", 7),
    "type": ("tipo", 24),
    "effective_date": ("data dell'atto", 13),
    "recorded_at": ("registrato il (UTC)", 28),
    "actor": ("autore", 20),
    "role": ("ruolo", 18),
    "about": ("nodo", 12),
    "summary": ("atto", 70),
    "before": ("prima", 30),
    "after": ("dopo", 30),
    "in_force_by": ("in vigore per", 30),
    "evidence": ("evidenza", 50),
    "signed": ("firmato", 9),
}
CYCLE_COLUMNS: Columns = {
    "stream": ("ciclo", 18),
    "entity_name": ("amministrazione", 36),
    "year": ("anno", 7),
    "stage": ("stato", 12),
    "plan_approved_on": ("piano in vigore dal", 14),
    "relazione_approved_on": ("Relazione approvata il", 14),
    "closed": ("chiuso", 8),
    "validated_on": ("validata il", 14),
    "published_on": ("pubblicata il", 14),
    "events": ("eventi", 9),
}
