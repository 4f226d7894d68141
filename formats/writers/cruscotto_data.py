"""The data every export writes: the cruscotto as of a date, its plan, and its digest."""

from collections import deque
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property

from events.plan import ObjectiveDefined, PerspectiveDefined
from ledger.query import Query
from ledger.records import Entry
from ledger.store import SqlEventStore
from ledger.tree import LedgerTree, digest_of
from ledger.verify import Digest
from projections.cruscotto import Cruscotto, build
from projections.plan_state import CycleState, fold


@dataclass(frozen=True)
class CruscottoExport:
    """Everything a writer needs: the cruscotto, the plan behind it, and where it comes from."""

    cruscotto: Cruscotto
    state: CycleState
    entries: tuple[Entry, ...]
    digest: Digest
    notes: dict[str, str] = field(default_factory=dict)

    @property
    def stream(self) -> str:
        return self.cruscotto.stream

    @cached_property
    def by_event_id(self) -> dict[str, Entry]:
        return {entry.event_id: entry for entry in self.entries}


def gather(
    store: SqlEventStore,
    stream: str,
    as_of: date,
    known_at: datetime | None = None,
    *,
    tree: LedgerTree | None = None,
) -> CruscottoExport:
    """Replay `stream` as of `as_of` and note the ledger digest the figures come from.

    `tree`: a Merkle tree kept between calls (the console's), else one is built for the call.
    """
    entries = tuple(store.read_stream(stream, known_at=known_at))
    state = fold(entries, stream, as_of=as_of, known_at=known_at)
    notes: dict[str, str] = {}
    for entry in entries:
        event = entry.event
        if isinstance(event, PerspectiveDefined | ObjectiveDefined) and event.note:
            notes[event.key] = event.note
    return CruscottoExport(
        build(state, as_of, known_at),
        state,
        entries,
        ledger_digest(store, known_at, tree),
        {key: note for key, note in notes.items() if key in state.nodes},
    )


def ledger_digest(
    store: SqlEventStore, known_at: datetime | None = None, tree: LedgerTree | None = None
) -> Digest:
    """The digest of the whole ledger as it stood at `known_at` (default now), with its root."""
    if known_at is None:
        head = store.head()
    else:
        last = deque(store.read(Query(known_at=known_at)), maxlen=1)
        head = last[0] if last else None
    return digest_of(store, head, tree)
