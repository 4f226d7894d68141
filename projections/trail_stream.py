"""The audit trail of a whole ledger, row by row: memory flat in the ledger's size.

`projections.trail.trail` describes entries held in memory (a cycle's, for the reviews and
the console). The `ledger trail` command reads the whole ledger, so it goes through here:
every entry streams from the store and is described as it passes, with the plan tree of its
cycle read from that cycle's plan events alone (types filtered in the database) and a
bounded number of trees kept. What an
entry is about is known from itself, except a correction, which is about its corrected
measurement's action: that one is looked up by event id (an indexed read; a small cache
serves the corrections of one measurement), where the in-memory trail remembers every
measurement it has seen. The rows are the same as `trail`'s on the same entries
(tests/projections/test_trail_stream.py).
"""

from collections import OrderedDict
from collections.abc import Iterator
from datetime import datetime
from functools import lru_cache

from events.measurement import AssessmentRecorded, MeasurementCorrected, MeasurementRecorded
from ledger.query import Query
from ledger.records import Entry
from ledger.store import EventStore
from projections.errors import UnknownNode
from projections.plan_tree import _TREE_TYPES, PlanTree, Subjects, plan_tree
from projections.trail import TrailFilter, TrailRow, _kept, _key_of, trail_row

_OBSERVED = (MeasurementRecorded.type_name, AssessmentRecorded.type_name)


class _Looked(Subjects):
    """`Subjects` that remembers nothing: a corrected event is read back when a row needs it."""

    def __init__(self, store: EventStore, wanted: TrailFilter) -> None:
        super().__init__()
        self.store = store
        self.wanted = wanted
        self.current = 0
        self.find = lru_cache(maxsize=4096)(self._find)
        self.seqs = _Seqs(self)

    def note(self, entry: Entry) -> None:
        self.current = entry.seq

    def _find(self, event_id: str) -> Entry | None:
        return self.store.entry(event_id=event_id)

    def observed(self, event_id: str) -> Entry | None:
        """The measurement or assessment `event_id`, if the trail has passed it already."""
        found = self.find(event_id)
        known_at = self.wanted.known_at
        if (
            found is None
            or found.type not in _OBSERVED
            or found.seq >= self.current
            or (known_at is not None and found.recorded_at > known_at)
        ):
            return None
        return found

    def about(self, entry: Entry) -> str | None:
        event = entry.event
        if isinstance(event, MeasurementCorrected):
            corrected = self.observed(event.corrects)
            return getattr(corrected.event, "action", None) if corrected is not None else None
        return super().about(entry)


class _Seqs(dict[str, int]):
    """The seq of an event id, looked up (the only use `summary` makes of it is `.get`)."""

    def __init__(self, subjects: _Looked) -> None:
        super().__init__()
        self.subjects = subjects

    def __bool__(self) -> bool:
        return True  # `summary` reads `seqs or {}`: an empty-looking lookup must still answer

    def get(self, key: str, default: int | None = None) -> int | None:  # type: ignore[override]
        found = self.subjects.observed(key)
        return found.seq if found is not None else default


class _Trees:
    """The plan tree of each cycle, read from its plan events when first needed and kept for
    the `KEPT` cycles used last: a national ledger interleaves the cycles of one year, so a
    cycle's tree is read about once, and memory holds a bounded number of trees."""

    KEPT = 512

    def __init__(self, store: EventStore, known_at: datetime | None) -> None:
        self.store = store
        self.known_at = known_at
        self.kept: OrderedDict[str, tuple[PlanTree, bool]] = OrderedDict()

    def of(self, stream: str) -> tuple[PlanTree, bool]:
        """The cycle's tree, and whether the cycle has any event known at `known_at`."""
        found = self.kept.get(stream)
        if found is not None:
            self.kept.move_to_end(stream)
            return found
        entries = list(
            self.store.read(Query(stream=stream, types=_TREE_TYPES, known_at=self.known_at))
        )
        found = (plan_tree(entries), bool(entries))
        self.kept[stream] = found
        if len(self.kept) > self.KEPT:
            self.kept.popitem(last=False)
        return found


def trail_rows(store: EventStore, wanted: TrailFilter) -> Iterator[TrailRow]:
    """The trail of the entries `wanted` selects, one row at a time, in seq order.

    The node filter is resolved before the first row (an unknown node raises here, before
    anything is written).
    """
    trees = _Trees(store, wanted.known_at)
    nodes: dict[str, set[str]] = {}
    if wanted.node is not None:
        known: list[str] = []
        for stream in [wanted.stream] if wanted.stream else store.streams():
            tree, exists = trees.of(stream)
            if not exists:
                continue
            known.append(stream)
            try:
                nodes[stream] = tree.subtree(tree.resolve(wanted.node, stream))
            except UnknownNode:
                nodes[stream] = set()
        if not any(nodes.values()):
            cycles = wanted.stream or ", ".join(sorted(known)) or "the ledger"
            raise UnknownNode(wanted.node, cycles)
    subjects = _Looked(store, wanted)
    read = Query(stream=wanted.stream, known_at=wanted.known_at)
    return _rows(store.read(read), wanted, trees, nodes, subjects)


def _rows(
    entries: Iterator[Entry],
    wanted: TrailFilter,
    trees: _Trees,
    nodes: dict[str, set[str]],
    subjects: _Looked,
) -> Iterator[TrailRow]:
    for entry in entries:
        subjects.note(entry)
        if not _kept(entry, wanted):
            continue
        tree = trees.of(entry.stream)[0]
        key = _key_of(tree, subjects.about(entry))
        if wanted.node is not None and key not in nodes.get(entry.stream, set()):
            continue
        yield trail_row(entry, tree, key, subjects)
