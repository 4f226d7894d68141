"""One page of a cycle's trail, by seq, without reading the cycle whole.

The console pages the trail with a keyset on seq: `after` (the last seq shown) for the next
page, `before` (the first seq shown) for the previous one, read from the last backwards. Each
page reads the cycle's plan events (to name the nodes), the rows of the page with the filters
applied by the database (one more, to know whether there is a page beyond), one row the other
way (to know whether there is a page behind), and the measurements the page's corrections
correct. The rows are worded by the very `trail` function `ledger trail` prints, so both say
the same.
"""

from dataclasses import dataclass, replace
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


@dataclass(frozen=True)
class TrailPage:
    """The rows of one page in seq order, and the keysets of the pages around it."""

    rows: list[TrailRow]
    next_after: int | None
    """The seq to continue after (the last row shown); None on the last page."""
    previous_before: int | None
    """The seq to go back before (the first row shown); None on the first page."""


def trail_page(
    store: EventStore,
    stream: str,
    wanted: TrailFilter,
    *,
    after: int = 0,
    before: int | None = None,
    size: int = 50,
) -> TrailPage:
    """The `size` rows of `stream`'s trail after seq `after` (or, given `before`, the last
    `size` before it), with the keysets of the next and the previous page.

    A previous page that would be short (it reaches the cycle's start) is the first page.
    """
    reader = _Reader(store, replace(wanted, stream=stream))
    if before is not None:
        found = reader.rows(before, size + 1, backward=True)
        if len(found) > size:
            rows = found[:size][::-1]
            beyond = reader.rows(rows[-1].seq, 1, backward=False)
            return TrailPage(rows, rows[-1].seq if beyond else None, rows[0].seq)
    found = reader.rows(after if before is None else 0, size + 1, backward=False)
    rows = found[:size]
    next_after = rows[-1].seq if len(found) > size else None
    if before is not None or not after:
        return TrailPage(rows, next_after, None)
    start = rows[0].seq if rows else after + 1
    behind = reader.rows(start, 1, backward=True)
    return TrailPage(rows, next_after, start if behind else None)


class _Reader:
    """The rows of one filtered trail from a keyset, either way, worded as `trail` words them."""

    def __init__(self, store: EventStore, wanted: TrailFilter) -> None:
        self.store, self.wanted = store, wanted
        stream, known_at = wanted.stream, wanted.known_at
        self.naming = list(store.read(Query(stream=stream, types=_NAMING, known_at=known_at)))

    def rows(self, cursor: int, want: int, *, backward: bool) -> list[TrailRow]:
        """Up to `want` rows after seq `cursor` (before it, from the last, if `backward`)."""
        limit = want if self.wanted.node is None else BATCH
        kept: list[TrailRow] = []
        while True:
            batch = list(self.store.read(_query(self.wanted, cursor, limit, backward)))
            worded = _worded(self.store, self.naming, batch, self.wanted)
            kept += worded[::-1] if backward else worded
            if len(kept) >= want or len(batch) < limit:
                return kept[:want]
            cursor = batch[-1].seq


def _query(wanted: TrailFilter, cursor: int, limit: int, backward: bool) -> Query:
    return Query(
        stream=wanted.stream,
        types=wanted.types,
        after_seq=0 if backward else cursor,
        before_seq=cursor if backward else None,
        descending=backward,
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
