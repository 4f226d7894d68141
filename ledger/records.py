"""What goes into the store (`NewEvent`) and what comes out (`Entry`).

The envelope lives here and never inside an event model: the caller chooses the event, its
effective date and who records it; the ledger assigns seq, version, recorded_at and the hashes.
"""

from collections.abc import Callable, Iterable
from dataclasses import FrozenInstanceError, dataclass, field, fields
from datetime import UTC, date, datetime
from functools import lru_cache
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic_core import ValidationError

from events.base import LedgerEvent, UnreadableEvent
from events.decoding import StoredDecoder
from events.encoding import canonical_datetime
from events.errors import InvalidPayload, UnknownEventType
from events.i18n import _
from events.registry import read_event, stored_reader
from ledger.ids import new_event_id

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
    event_id: str = field(default_factory=new_event_id)  # time-ordered: ledger/ids.py
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


_NAMES = tuple(f.name for f in fields(StoredRow))
"""`StoredRow`'s fields, which are the table's columns in order: an entry's values."""
SEQ, TYPE, PAYLOAD = _NAMES.index("seq"), _NAMES.index("type"), _NAMES.index("payload")
SCHEMA_VERSION = _NAMES.index("schema_version")
_HASH, _PREV_HASH = _NAMES.index("hash"), _NAMES.index("prev_hash")
_EFFECTIVE_DATE, _RECORDED_AT = _NAMES.index("effective_date"), _NAMES.index("recorded_at")
_row_values = attrgetter(*_NAMES)
_new_object = object.__new__

DECODED_KEPT = 256
"""How many decoded events of each type `Entry.event` keeps, by their payload's text."""

_readers: dict[str, tuple[int, StoredDecoder]] = {}
"""Each type's stored-form decoder (events.registry.stored_reader) and the schema version it
reads, once a row of it has been read; behind a cache of the last `DECODED_KEPT` payloads.

The cache is for the events whose payload recurs word for word: the plan of every cycle of
an ente that keeps its plan from year to year, the same approval or validation over many
cycles (in the bench's national ledger 12,300 objectives are 82 payloads, each 6 µs to
decode, four times a measurement). The events are frozen models, so two entries of one text
may hold the same instance; a payload that does not decode is not kept (the error goes on
to full validation). A miss costs a hash of the text and the cache's bookkeeping, in C."""


class _DecodedEvent:
    """`Entry.event`: the payload decoded into the current model (older schema versions
    upcast), on the first read, and kept in the entry's `__dict__`, which answers every later
    read. A replay pays this on every entry, so the common case is one Python frame: the
    type's stored-form decoder (events/decoding.py) called on the payload.

    A row of an unknown type reads as an `UnreadableEvent`, which every read passes over
    instead of failing (verify names it); a known type whose payload does not validate is
    refused, naming the seq.
    """

    def __get__(self, entry: "Entry | None", owner: type | None = None) -> Any:
        if entry is None:  # pragma: no cover - the class attribute itself
            return self
        reader = _readers.get(entry[TYPE])
        if reader is not None and reader[0] == entry[SCHEMA_VERSION]:
            try:
                event = reader[1](entry[PAYLOAD])
            except ValidationError:  # full validation names the fault
                event = _read_event(entry)
        else:
            event = _read_event(entry)
        entry.__dict__["event"] = event
        return event


MISSES_BEFORE_DROP = 256
"""How many misses of a type's cache tell whether its payloads recur (see below). Low enough
that a type of large, unique payloads (a cycle's opening, 12 KiB decoded) holds at most
`DECODED_KEPT` of them, 3 MiB, before its cache is dropped and freed."""


def drop_unused_caches() -> None:
    """Decode without the cache the types whose payloads seldom recur (a measurement's value
    and period are its own): past `MISSES_BEFORE_DROP` misses, fewer than one hit in five.
    Called once per batch of a read, so that a miss of such a type stops costing its hash
    and bookkeeping."""
    for name, (version, decode) in list(_readers.items()):
        info = getattr(decode, "cache_info", None)
        if info is not None:
            hits, misses, _size, _kept = info()
            if misses >= MISSES_BEFORE_DROP and hits * 4 < misses:
                _readers[name] = (version, getattr(decode, "__wrapped__", decode))


def _read_event(entry: "Entry") -> Any:
    """`Entry.event` the long way: an older version upcast, an unknown type, a refusal."""
    type_name, version = entry[TYPE], entry[SCHEMA_VERSION]
    try:
        event = read_event(type_name, version, entry[PAYLOAD])
    except UnknownEventType:
        problem = UnknownEventType(type_name, version)
        return UnreadableEvent(stored_type=type_name, reason=str(problem))
    except InvalidPayload as error:
        raise InvalidPayload(
            _("seq {seq}: {problem} (ledger verify names every such row)").format(
                seq=entry[SEQ], problem=error
            )
        ) from None
    kept = _readers.get(type_name)
    if kept is None or kept[0] != version:  # not after a refusal: the cache stays as it was
        found = stored_reader(type_name, version)
        if found is not None:
            _readers[type_name] = (version, lru_cache(maxsize=DECODED_KEPT)(found))
    return event


class _StoredRowOf:
    """`Entry.row`: the entry's values as a `StoredRow`, built on the first read and kept (a
    full replay never asks for it)."""

    def __get__(self, entry: "Entry | None", owner: type | None = None) -> Any:
        if entry is None:  # pragma: no cover - the class attribute itself
            return self
        row = _new_object(StoredRow)
        row.__dict__.update(zip(_NAMES, entry, strict=True))
        entry.__dict__["row"] = row
        return row


def _refuse_order(self: "Entry", other: object) -> bool:
    return NotImplemented  # type: ignore[no-any-return]


class Entry(tuple[Any, ...]):
    """An event as recorded: the envelope, the stored payload, and the decoded model on demand.

    An entry holds the stored row's values in table order (`StoredRow`'s fields): a read makes
    it from the driver's row in C (`tuple.__new__`, no Python frame per row), and each field
    reads its value by index; the `StoredRow`, the dates and the decoded event are built on
    their first read and kept. Build one from a `StoredRow` (`Entry(row)`). It behaves as the
    frozen record it was: equal to an entry of the same row, hashed by seq, not ordered, no
    attribute can be set.
    """

    def __new__(cls, row: StoredRow | Iterable[Any]) -> "Entry":
        """The entry of a stored row; or of the row's values in table order, which is how
        `dataclasses.asdict` and `copy` rebuild a tuple found inside a record."""
        if isinstance(row, StoredRow):
            entry = tuple.__new__(cls, _row_values(row))
            entry.__dict__["row"] = row
            return entry
        values = tuple.__new__(cls, row)
        if len(values) != len(_NAMES):
            raise TypeError(f"an entry holds {len(_NAMES)} values, not {len(values)}")
        return values

    if TYPE_CHECKING:  # pragma: no cover - mypy reads the fields as typed properties

        @property
        def row(self) -> StoredRow: ...
        @property
        def seq(self) -> int: ...
        @property
        def event_id(self) -> str: ...
        @property
        def stream(self) -> str: ...
        @property
        def version(self) -> int: ...
        @property
        def type(self) -> str: ...
        @property
        def schema_version(self) -> int: ...
        @property
        def actor(self) -> str: ...
        @property
        def role(self) -> str: ...
        @property
        def payload(self) -> str: ...
        @property
        def idempotency_key(self) -> str | None: ...
        @property
        def signature(self) -> str | None: ...
        @property
        def event(self) -> LedgerEvent:
            """The payload decoded into the current model (see `_DecodedEvent`)."""
            ...

    else:
        row = _StoredRowOf()
        seq = property(itemgetter(SEQ))
        event_id = property(itemgetter(_NAMES.index("event_id")))
        stream = property(itemgetter(_NAMES.index("stream")))
        version = property(itemgetter(_NAMES.index("version")))
        type = property(itemgetter(TYPE))
        schema_version = property(itemgetter(SCHEMA_VERSION))
        actor = property(itemgetter(_NAMES.index("actor")))
        role = property(itemgetter(_NAMES.index("role")))
        payload = property(itemgetter(PAYLOAD))
        idempotency_key = property(itemgetter(_NAMES.index("idempotency_key")))
        signature = property(itemgetter(_NAMES.index("signature")))
        event = _DecodedEvent()

    @property
    def hash(self) -> str:
        return bytes(self[_HASH]).hex()

    @property
    def prev_hash(self) -> str:
        return bytes(self[_PREV_HASH]).hex()

    @cached
    def effective_date(self) -> date:
        return date.fromisoformat(self[_EFFECTIVE_DATE])

    @cached
    def recorded_at(self) -> datetime:
        return parse_recorded_at(self[_RECORDED_AT])

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Entry) and tuple.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    __lt__ = __le__ = __gt__ = __ge__ = _refuse_order

    def __hash__(self) -> int:
        return hash(self[SEQ])

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (Entry, (self.row,))

    def __repr__(self) -> str:
        return f"Entry(seq={self.seq}, stream={self.stream!r}, type={self.type!r})"


def format_recorded_at(moment: datetime) -> str:
    """The stored text of a recorded time: UTC, microseconds, `Z`."""
    return canonical_datetime(moment)


def parse_recorded_at(text: str) -> datetime:
    """Read a stored recorded time back into an aware UTC datetime."""
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
