"""Many acts, all or nothing: carried out one by one on a staging store, then appended at once.

A document transcribed into the ledger (an acts file: the plan, its approval, a year's
measurements, the overrides, the Relazione's figures...) is many acts, each checked by its own
use case against the state the acts before it made. `StagedStore` lets the same use cases run
unchanged: it answers reads with the cycle as the ledger holds it plus the acts staged so far,
and keeps the events they append. `all_or_nothing` then appends every staged event to the
ledger in one transaction, at the version it read: a refused act, or a concurrent append to
the cycle, writes nothing (the second is retried from the start, as a single act is).
"""

from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime
from typing import TypeVar

from events.encoding import encode_event
from events.i18n import _
from ledger.errors import ConcurrencyConflict, IdempotencyConflict
from ledger.query import Query
from ledger.records import Entry, NewEvent, StoredRow, format_recorded_at
from ledger.store import EventStore, serialized
from projections.acts import RETRIES
from projections.errors import ActRefused
from projections.plan_state import CycleState, fold, fold_into
from projections.snapshots import usable

T = TypeVar("T")


class StagedStore:
    """An `EventStore` over one cycle: the ledger's entries, then the staged ones (in memory)."""

    def __init__(self, real: EventStore, stream: str) -> None:
        self.real = real
        self.url = real.url
        self.stream = stream
        self.base = list(real.read_stream(stream))
        self.base_version = real.stream_version(stream)
        head = real.head()
        self.head_seq = head.seq if head else 0
        self.staged: list[Entry] = []
        self.new: list[NewEvent] = []
        self._keys = {e.idempotency_key: e for e in self.base if e.idempotency_key}
        self.state = fold(self.base, stream)
        """The cycle's state as of its latest event, folded on as acts are staged."""

    def append(
        self, stream: str, new_events: Sequence[NewEvent], *, expected_version: int
    ) -> list[Entry]:
        if stream != self.stream:
            raise ActRefused(
                _("this document records into {stream}, not into {other}").format(
                    stream=self.stream, other=stream
                )
            )
        version = self.base_version + len(self.staged)
        found: list[Entry] = []
        fresh = [new for new in new_events if new.idempotency_key not in self._keys]
        for new in new_events:
            known = self._keys.get(new.idempotency_key) if new.idempotency_key else None
            if known is not None:
                if known.type != new.event.type_name:
                    raise IdempotencyConflict(new.idempotency_key or "", known.seq)
                found.append(known)
        if not fresh:
            return found
        if expected_version != version:
            raise ConcurrencyConflict(stream, expected_version, version)
        now = format_recorded_at(datetime.now(UTC))
        for new in fresh:
            version += 1
            row = StoredRow(
                seq=self.head_seq + len(self.staged) + 1,
                event_id=new.event_id,
                stream=stream,
                version=version,
                type=new.event.type_name,
                schema_version=new.event.schema_version,
                effective_date=new.effective_date.isoformat(),
                recorded_at=now,
                actor=new.actor,
                role=new.role,
                payload=encode_event(new.event).decode("utf-8"),
                prev_hash=b"",
                hash=b"",
                idempotency_key=new.idempotency_key,
                signature=None,
            )
            entry = Entry(row)
            self.staged.append(entry)
            self.new.append(new)
            if new.idempotency_key:
                self._keys[new.idempotency_key] = entry
            found.append(entry)
        fold_into(self.state, self.staged[len(self.staged) - len(fresh) :])
        return found

    def known_state(self, as_of: date | None) -> CycleState | None:
        """The state as of `as_of` without re-reading the cycle, when the one kept serves."""
        return self.state if usable(self.state, as_of) else None

    def keyed(self, key: str) -> Entry | None:
        """The entry recorded or staged under this idempotency key."""
        return self._keys.get(key)

    def has_key(self, key: str) -> bool:
        """Whether an event with this idempotency key is in the ledger or staged."""
        return key in self._keys

    def _mine(self) -> list[Entry]:
        return [*self.base, *self.staged]

    def read(self, query: Query | None = None) -> Iterator[Entry]:
        query = query or Query()
        if query.stream is not None and query.stream != self.stream:
            yield from self.real.read(query)
            return
        if query.stream is None:
            others = (e for e in self.real.read(query) if e.stream != self.stream)
            yield from sorted(
                [*others, *filter(lambda e: _kept(e, query), self._mine())],
                key=lambda e: e.seq,
                reverse=query.descending,
            )
            return
        mine = self._mine()
        yield from (e for e in (reversed(mine) if query.descending else mine) if _kept(e, query))

    def read_stream(
        self, stream: str, *, as_of: date | None = None, known_at: datetime | None = None
    ) -> Iterator[Entry]:
        return self.read(Query(stream=stream, as_of=as_of, known_at=known_at))

    def read_rows(self, *, after_seq: int = 0) -> Iterator[StoredRow]:
        yield from self.real.read_rows(after_seq=after_seq)

    def head(self) -> Entry | None:
        return self.staged[-1] if self.staged else self.real.head()

    def stream_version(self, stream: str) -> int:
        if stream == self.stream:
            return self.base_version + len(self.staged)
        return self.real.stream_version(stream)

    def streams(self) -> list[str]:
        known = self.real.streams()
        return sorted({*known, self.stream}) if self.staged else known

    def entry(self, *, seq: int | None = None, event_id: str | None = None) -> Entry | None:
        for entry in self.staged:
            if entry.seq == seq or (event_id is not None and entry.event_id == event_id):
                return entry
        return self.real.entry(seq=seq, event_id=event_id)

    def close(self) -> None:
        """The real store stays open: its owner closes it."""


def _kept(entry: Entry, query: Query) -> bool:
    checks = (
        not query.types or entry.type in query.types,
        entry.seq > query.after_seq,
        entry.version > query.after_version,
        query.until_seq is None or entry.seq <= query.until_seq,
        query.before_seq is None or entry.seq < query.before_seq,
        query.effective_from is None or entry.effective_date >= query.effective_from,
        query.as_of is None or entry.effective_date <= query.as_of,
        query.recorded_from is None or entry.recorded_at >= query.recorded_from,
        query.known_at is None or entry.recorded_at <= query.known_at,
        query.actor is None or entry.actor == query.actor,
        query.role is None or entry.role == query.role,
    )
    return all(checks)


def all_or_nothing(
    store: EventStore, stream: str, carry_out: Callable[[StagedStore], T]
) -> tuple[list[Entry], T]:
    """Carry out acts on a staging store, then append all they staged in one transaction.

    `carry_out` runs the use cases against the staging store and returns what the caller
    wants back (e.g. a count per act). Returns the entries written, and that value.
    """
    for attempt in range(RETRIES):
        with serialized(store):  # writers queue: the checks and the append are one section
            staging = StagedStore(store, stream)
            value = carry_out(staging)
            if not staging.new:
                return [], value
            try:
                written = store.append(stream, staging.new, expected_version=staging.base_version)
            except ConcurrencyConflict:
                if attempt == RETRIES - 1:
                    raise
                continue
            return written, value
    raise AssertionError("unreachable")  # pragma: no cover
