"""One page of a cycle's trail, by seq, without reading the cycle whole.

The console pages the trail with a keyset (`after` = the last seq shown): each page reads the
cycle's plan events (to name the nodes), the next rows after `after` in seq order with the
filters applied by the database, and the measurements the page's corrections correct. The
rows are worded by the very `trail` function `ledger trail` prints, so both say the same.
"""

from dataclasses import replace
from datetime import datetime

from events.cycle import CycleOpened
from events.measurement import MeasurementCorrected
from ledger.query import Query
from ledger.records import Entry
from ledger.store import EventStore
from projections.plan_state import PLAN_TYPES
from projections.trail import TrailFilter, TrailRow, trail

_NAMING = (CycleOpened.type_name, *sorted(PLAN_TYPES))
BATCH = 200
"""Rows fetched at a time when a node filter (applied here, not by the database) is set."""


def trail_page(
    store: EventStore, stream: str, wanted: TrailFilter, *, after: int = 0, size: int = 50
) -> tuple[list[TrailRow], int | None]:
    """The first `size` rows of `stream`'s trail after seq `after`, and the seq to continue
    after (None on the last page)."""
    wanted = replace(wanted, stream=stream)
    naming = list(store.read(Query(stream=stream, types=_NAMING, known_at=wanted.known_at)))
    kept: list[TrailRow] = []
    cursor = after
    while True:
        batch = list(
            store.read(_query(stream, wanted, cursor, size + 1 if not wanted.node else BATCH))
        )
        if not batch:
            return kept, None
        kept += _worded(store, naming, batch, wanted)
        if len(kept) > size:
            return kept[:size], kept[size - 1].seq
        if wanted.node is None or len(batch) < BATCH:
            return kept, None
        cursor = batch[-1].seq


def _query(stream: str, wanted: TrailFilter, after: int, limit: int) -> Query:
    return Query(
        stream=stream,
        types=wanted.types,
        after_seq=after,
        effective_from=wanted.effective_from,
        as_of=wanted.effective_to,
        recorded_from=wanted.recorded_from,
        known_at=_earliest(wanted),
        actor=wanted.actor,
        role=wanted.role,
        limit=limit,
    )


def _earliest(wanted: TrailFilter) -> datetime | None:
    bounds = [b for b in (wanted.recorded_to, wanted.known_at) if b is not None]
    return min(bounds) if bounds else None


def _worded(
    store: EventStore, naming: list[Entry], batch: list[Entry], wanted: TrailFilter
) -> list[TrailRow]:
    """The batch's rows as `trail` words them, with the plan and corrected events beside."""
    corrected = []
    for entry in batch:
        event = entry.event if entry.type == MeasurementCorrected.type_name else None
        if isinstance(event, MeasurementCorrected):
            found = store.entry(event_id=event.corrects)
            if found is not None:
                corrected.append(found)
    context = {entry.seq: entry for entry in (*naming, *corrected, *batch)}
    shown = {entry.seq for entry in batch}
    rows = trail([context[seq] for seq in sorted(context)], wanted)
    return [row for row in rows if row.seq in shown]
