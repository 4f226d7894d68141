"""The data of the review pages, shared by the page, its downloads and its JSON twin.

Each builder calls the projection the matching command calls (`ledger audit`, `trail`,
`diff`, `history`) and returns it with a `Table`: the rows and Italian column names that the
writers of formats/ turn into CSV and XLSX.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from events.i18n import N_, _
from formats.italian_dates import rome_wall_time
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
    "severity": (N_("severity"), 9),
    "kind": (N_("kind"), 22),
    "node": (N_("node"), 24),
    "title": (N_("title"), 30),
    "seqs": (N_("events (seq)"), 16),
    "reason": (N_("reason"), 90),
    "detail": (N_("detail"), 90),
}
TRAIL_COLUMNS: Columns = TRAIL_FILE_COLUMNS
DIFF_COLUMNS: Columns = {
    "key": (N_("key"), 24),
    "code": (N_("node code"), 10),
    "level": (N_("level"), 12),
    "title": (N_("title"), 40),
    "field": (N_("field"), 20),
    "before": (N_("before"), 20),
    "after": (N_("after"), 20),
    "seqs": (N_("events (seq)"), 16),
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
    "type": (N_("type"), 24),
    "effective_date": (N_("act date"), 13),
    "recorded_at": (N_("recorded at (UTC)"), 28),
    "actor": (N_("author"), 20),
    "role": (N_("role"), 18),
    "about": (N_("node"), 12),
    "summary": (N_("act"), 70),
    "before": (N_("before"), 30),
    "after": (N_("after"), 30),
    "in_force_by": (N_("in force by"), 30),
    "evidence": (N_("evidence"), 50),
    "signed": (N_("signed"), 9),
}
CYCLE_COLUMNS: Columns = {
    "stream": (N_("cycle"), 18),
    "entity_name": (N_("administration"), 36),
    "year": (N_("year"), 7),
    "stage": (N_("stage"), 12),
    "plan_approved_on": (N_("plan in force since"), 14),
    "relazione_approved_on": (N_("Relazione approved on"), 14),
    "closed": (N_("closed"), 8),
    "validated_on": (N_("validated on"), 14),
    "published_on": (N_("published on"), 14),
    "events": (N_("events"), 9),
}
