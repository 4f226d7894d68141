"""What goes into the store (`NewEvent`) and what comes out (`Entry`).

The envelope lives here and never inside an event model: the caller chooses the event, its
effective date and who records it; the ledger assigns seq, version, recorded_at and the hashes.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from events.base import LedgerEvent, UnreadableEvent
from events.encoding import canonical_datetime
from events.errors import InvalidPayload, UnknownEventType
from events.registry import read_event

T = TypeVar("T")


class _Cached(Generic[T]):
    """`functools.cached_property` without its lock (Python 3.11 takes one on every first
    read, and a replay makes three first reads per entry): the value is computed and kept in
    the instance's `__dict__`, which answers every later read. Two threads racing on one
    entry would only compute the same value twice."""

    def __init__(self, compute: Callable[[Any], T]) -> None:
        self.compute = compute
        self.name = compute.__name__
        self.__doc__ = compute.__doc__

    def __get__(self, instance: Any, owner: type | None = None) -> T:
        if instance is None:  # pragma: no cover - the class attribute itself
            return self  # type: ignore[return-value]
        value = self.compute(instance)
        instance.__dict__[self.name] = value
        return value


if TYPE_CHECKING:  # pragma: no cover - mypy reads it as the standard one
    from functools import cached_property as cached
else:
    cached = _Cached

Signer = Callable[[str], str]
"""Given an event's hash (hex), return its signature as stored text."""


@dataclass(frozen=True)
class NewEvent:
    """An event to append, with the facts about it that only the caller knows."""

    event: LedgerEvent
    effective_date: date
    actor: str
    role: str
    idempotency_key: str | None = None
    event_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    signer: Signer | None = field(default=None, compare=False)


@dataclass(frozen=True)
class StoredRow:
    """One row exactly as the database holds it: what the chain is verified against."""

    seq: int
    event_id: str
    stream: str
    version: int
    type: str
    schema_version: int
    effective_date: str
    recorded_at: str
    actor: str
    role: str
    payload: str
    prev_hash: bytes
    hash: bytes
    idempotency_key: str | None
    signature: str | None


class _DecodedEvent:
    """`Entry.event`: the payload decoded into the current model (older schema versions
    upcast), on the first read, and kept in the entry's `__dict__`, which answers every later
    read: one Python frame instead of a cached property's two, which a replay pays on every
    entry.

    A row of an unknown type reads as an `UnreadableEvent`, which every read passes over
    instead of failing (verify names it); a known type whose payload does not validate is
    refused, naming the seq.
    """

    def __get__(self, entry: "Entry | None", owner: type | None = None) -> Any:
        if entry is None:  # pragma: no cover - the class attribute itself
            return self
        row = entry.row
        try:
            event = read_event(row.type, row.schema_version, row.payload)
        except UnknownEventType:
            problem = UnknownEventType(row.type, row.schema_version)
            event = UnreadableEvent(stored_type=row.type, reason=str(problem))
        except InvalidPayload as error:
            raise InvalidPayload(
                f"seq {row.seq}: {error} (ledger verify names every such row)"
            ) from None
        entry.__dict__["event"] = event
        return event


@dataclass(frozen=True, eq=False)
class Entry:
    """An event as recorded: the envelope, the stored payload, and the decoded model on demand."""

    row: StoredRow

    @property
    def seq(self) -> int:
        return self.row.seq

    @property
    def event_id(self) -> str:
        return self.row.event_id

    @property
    def stream(self) -> str:
        return self.row.stream

    @property
    def version(self) -> int:
        return self.row.version

    @property
    def type(self) -> str:
        return self.row.type

    @property
    def schema_version(self) -> int:
        return self.row.schema_version

    @property
    def actor(self) -> str:
        return self.row.actor

    @property
    def role(self) -> str:
        return self.row.role

    @property
    def payload(self) -> str:
        return self.row.payload

    @property
    def idempotency_key(self) -> str | None:
        return self.row.idempotency_key

    @property
    def signature(self) -> str | None:
        return self.row.signature

    @property
    def hash(self) -> str:
        return self.row.hash.hex()

    @property
    def prev_hash(self) -> str:
        return self.row.prev_hash.hex()

    @cached
    def effective_date(self) -> date:
        return date.fromisoformat(self.row.effective_date)

    @cached
    def recorded_at(self) -> datetime:
        return parse_recorded_at(self.row.recorded_at)

    if TYPE_CHECKING:  # pragma: no cover - mypy reads it as a property

        @property
        def event(self) -> LedgerEvent:
            """The payload decoded into the current model (see `_DecodedEvent`)."""
            ...

    else:
        event = _DecodedEvent()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Entry) and other.row == self.row

    def __hash__(self) -> int:
        return hash(self.row.seq)

    def __repr__(self) -> str:
        return f"Entry(seq={self.seq}, stream={self.stream!r}, type={self.type!r})"


def format_recorded_at(moment: datetime) -> str:
    """The stored text of a recorded time: UTC, microseconds, `Z`."""
    return canonical_datetime(moment)


def parse_recorded_at(text: str) -> datetime:
    """Read a stored recorded time back into an aware UTC datetime."""
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
