"""The event store: append a batch atomically, read it back in order, without ever rewriting.

`SqlEventStore` holds the portable SQLAlchemy Core code; the SQLite and PostgreSQL adapters
only differ in how they open the database, take the write lock and install the protection.
"""

import re
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime
from typing import Any, Literal, Protocol

from sqlalchemy import Connection, Engine, Select, func, inspect, select
from sqlalchemy.exc import DBAPIError, IntegrityError, ProgrammingError

from events.encoding import encode_event
from events.errors import UnknownEventType
from events.limits import MAX_INT, check_event
from events.registry import event_class
from ledger.chain import GENESIS, link_hash, row_fields
from ledger.errors import (
    ConcurrencyConflict,
    DatabaseUnavailable,
    IdempotencyConflict,
    InvalidAppend,
    LedgerNotInitialized,
)
from ledger.pg_identity import MARK as IDENTITY_MARK
from ledger.records import Entry, NewEvent, StoredRow, format_recorded_at
from ledger.schema import (
    MIGRATIONS,
    SCHEMA_KEY,
    Migration,
    check_version,
    migrate_connection,
    stored_version,
)
from ledger.tables import SCHEMA_VERSION, events, ledger_info, metadata

Clock = Callable[[], datetime]

READ_BATCH = 2000
"""Rows fetched per round trip by every read: memory stays flat however large the ledger."""

MAX_STREAM_LENGTH = 200

COLUMNS = tuple(str(column.name) for column in events.columns)
"""The stored columns in table order, which is also `StoredRow`'s field order."""

if tuple(f.name for f in fields(StoredRow)) != COLUMNS:  # pragma: no cover - guards an edit
    raise RuntimeError("ledger.tables.events and ledger.records.StoredRow must list one order")

_HASH = COLUMNS.index("hash")
_PREV_HASH = COLUMNS.index("prev_hash")
_IN_CHUNK = 500
"""Values per IN (...) list: far below SQLite's and PostgreSQL's limits on bound parameters."""

_STREAMS = (
    "WITH RECURSIVE found(stream) AS ("
    " SELECT min(stream) FROM events"
    " UNION ALL"
    " SELECT (SELECT min(e.stream) FROM events e WHERE e.stream > found.stream)"
    " FROM found WHERE found.stream IS NOT NULL"
    ") SELECT stream FROM found WHERE stream IS NOT NULL"
)

_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
"""What `str(uuid.UUID(text)) == text` accepts, in one match instead of a parse and a format."""

_PLACEHOLDERS = {"qmark": "?", "format": "%s", "pyformat": "%s"}


def select_all_sql(where: str) -> str:
    """`SELECT <every column> FROM events WHERE <where>` for the adapters' driver-level reads."""
    return f"SELECT {', '.join(COLUMNS)} FROM events WHERE {where}"  # noqa: S608


def _insert_sql(placeholder: str) -> str:
    """The plain INSERT of one row, for the DBAPI's executemany (column names are ours)."""
    columns = ", ".join(COLUMNS)
    markers = ", ".join([placeholder] * len(COLUMNS))
    return f"INSERT INTO events ({columns}) VALUES ({markers})"  # noqa: S608


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Query:
    """Which entries to read; every bound is inclusive, and results come in `seq` order.

    `as_of` keeps what was effective by that day, `known_at` what the ledger held at that time.
    """

    stream: str | None = None
    types: tuple[str, ...] = ()
    after_seq: int = 0
    after_version: int = 0
    until_seq: int | None = None
    effective_from: date | None = None
    as_of: date | None = None
    recorded_from: datetime | None = None
    known_at: datetime | None = None
    actor: str | None = None
    role: str | None = None
    limit: int | None = None
    """At most this many entries (the first in seq order): a page of the console's trail."""


class EventStore(Protocol):
    """The port every layer above uses; SQLite and PostgreSQL are its two adapters."""

    url: str

    def append(
        self, stream: str, new_events: Sequence[NewEvent], *, expected_version: int
    ) -> list[Entry]: ...

    def read(self, query: Query = ...) -> Iterator[Entry]: ...

    def read_stream(
        self, stream: str, *, as_of: date | None = None, known_at: datetime | None = None
    ) -> Iterator[Entry]: ...

    def read_rows(self, *, after_seq: int = 0) -> Iterator[StoredRow]: ...

    def head(self) -> Entry | None: ...

    def stream_version(self, stream: str) -> int: ...

    def streams(self) -> list[str]: ...

    def entry(self, *, seq: int | None = None, event_id: str | None = None) -> Entry | None: ...

    def close(self) -> None: ...


def serialized(store: object) -> AbstractContextManager[None]:
    """`store.serialized()` for a database store; nothing to hold for an in-memory one."""
    if isinstance(store, SqlEventStore):
        return store.serialized()
    return nullcontext()


def _check_request(stream: str, new_events: Sequence[NewEvent], keys: set[str]) -> None:
    """Refuse a malformed request before the write lock; `keys` collects the batch's keys."""
    if not stream or len(stream) > MAX_STREAM_LENGTH or any(c.isspace() for c in stream):
        raise InvalidAppend(f"stream name {stream!r} must be 1-200 characters without spaces")
    ids: set[str] = set()
    for new in new_events:
        check_event(new.event)  # the documented limits (events/limits.py), at entry
        # A type this code cannot read back is refused, as `verify` would name its row; an
        # older schema version of a known type is an old release's row, and is let in.
        try:
            known = event_class(new.event.type_name).schema_version
        except UnknownEventType:
            known = 0
        if not 1 <= new.event.schema_version <= known:
            raise UnknownEventType(new.event.type_name, new.event.schema_version)
        if not new.actor.strip():
            raise InvalidAppend(f"an event of type {new.event.type_name} has no actor")
        # PostgreSQL text cannot hold NUL, SQLite can: refuse it everywhere, so that both agree.
        for name, text in (
            ("stream", stream),
            ("actor", new.actor),
            ("role", new.role),
            ("idempotency key", new.idempotency_key or ""),
        ):
            if "\x00" in text:
                raise InvalidAppend(f"the {name} {text!r} holds a NUL character")
        if new.idempotency_key is not None:
            if not new.idempotency_key:
                raise InvalidAppend("an idempotency key may not be empty")
            if new.idempotency_key in keys:
                raise InvalidAppend(f"idempotency key {new.idempotency_key!r} repeats in one batch")
            keys.add(new.idempotency_key)
        if _CANONICAL_UUID.fullmatch(new.event_id) is None:
            raise InvalidAppend(
                f"event id {new.event_id!r} is not a UUID in its canonical form "
                "(lower-case hex with hyphens)"
            )
        if new.event_id in ids:
            raise InvalidAppend(f"event id {new.event_id} repeats in one batch")
        ids.add(new.event_id)


class SqlEventStore(ABC):
    """Portable append and read over SQLAlchemy Core; subclasses supply locking and DDL."""

    backend = "sql"

    def __init__(self, engine: Engine, url: str, *, clock: Clock = utc_now) -> None:
        self.engine = engine
        self.url = url
        self.clock = clock
        self._held = threading.local()

    # -- set-up -------------------------------------------------------------------------------

    def install(self) -> None:
        """Create the table, its indexes and the append-only protection; safe to run twice.

        An existing ledger is left as it is, and must have this code's schema version.
        """
        with self._write() as conn:
            if inspect(conn).has_table("events"):
                check_version(stored_version(conn), self.display_url)
            metadata.create_all(conn)
            self._install_protection(conn)
            if stored_version(conn) is None:
                conn.execute(ledger_info.insert().values(key=SCHEMA_KEY, value=str(SCHEMA_VERSION)))

    def is_installed(self) -> bool:
        with self._translated(), self.engine.connect() as conn:
            return inspect(conn).has_table("events")

    def require_installed(self) -> None:
        """Refuse a database without a ledger, or with tables of another schema version."""
        with self._translated(), self.engine.connect() as conn:
            if not inspect(conn).has_table("events"):
                raise LedgerNotInitialized(self.display_url)
            check_version(stored_version(conn), self.display_url)

    def migrate(
        self, migrations: Sequence[Migration] = MIGRATIONS, current: int = SCHEMA_VERSION
    ) -> tuple[int, list[Migration]]:
        """Bring the tables to `current` in one locked transaction: (version found, steps run)."""
        with self._write() as conn:
            if not inspect(conn).has_table("events"):
                raise LedgerNotInitialized(self.display_url)
            self._lock(conn)
            return migrate_connection(
                conn, self.backend, self.display_url, migrations=migrations, current=current
            )

    def storage_problem(self) -> str | None:
        """What the database itself finds wrong with its storage, or None (see the adapters)."""
        return None

    @property
    def display_url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()

    # -- backend hooks --------------------------------------------------------------------------

    @abstractmethod
    def _install_protection(self, conn: Connection) -> None:
        """Install the triggers that make `events` append-only (each backend its own)."""

    def protection_missing(self) -> list[str]:
        """What of the append-only protection is not in force (empty when all of it is):
        `ledger verify` reports it, since an intruder's first step is to switch it off."""
        with self._translated(), self.engine.connect() as conn:
            return self._protection_missing(conn)

    @abstractmethod
    def _protection_missing(self, conn: Connection) -> list[str]:
        """The triggers (or rules) that are missing, disabled or unexpected, by name."""

    @abstractmethod
    def _lock(self, conn: Connection) -> None:
        """Serialise writers so that seq order is commit order (see the adapters)."""

    def _write_connection(self) -> Connection:
        return self.engine.connect()

    def _write(self) -> "_WriteTransaction":
        return _WriteTransaction(self)

    @contextmanager
    def serialized(self) -> Iterator[None]:
        """Hold the append lock for a whole read-check-append: the check of an act and its
        append are one critical section, so concurrent writers queue instead of conflicting.

        Reads inside the block run on their own connections and see every committed event
        (no writer can commit while the lock is held: SQLite's BEGIN IMMEDIATE, PostgreSQL's
        advisory lock); the appends inside use the locked transaction, which commits when the
        block ends (or rolls back, whole, if it raises). Re-entrant within one thread.
        """
        if getattr(self._held, "conn", None) is not None:
            yield
            return
        with self._write() as conn:
            self._lock(conn)
            self._held.conn = conn
            try:
                yield
            finally:
                self._held.conn = None

    @contextmanager
    def _append_transaction(self) -> Iterator[Connection]:
        """The held connection inside `serialized`, else a write transaction of its own."""
        held = getattr(self._held, "conn", None)
        if held is not None:
            yield held
            return
        with self._write() as conn:
            yield conn

    def _translated(self) -> "_DriverErrors":
        return _DriverErrors(self)

    # -- append -------------------------------------------------------------------------------

    def append(
        self, stream: str, new_events: Sequence[NewEvent], *, expected_version: int
    ) -> list[Entry]:
        """Append a batch to one stream in one transaction, or refuse it whole.

        A batch whose every idempotency key is already recorded answers with the recorded
        entries and writes nothing; otherwise the stream must be at `expected_version`.
        """
        return self.append_batches([(stream, new_events, expected_version)])[0]

    def append_batches(
        self, batches: Sequence[tuple[str, Sequence[NewEvent], int]]
    ) -> list[list[Entry]]:
        """Append several streams' batches in one transaction: all of them or none.

        The cost is a fixed handful of statements per transaction (head, stream versions,
        idempotency keys, one bulk insert), never one round trip per event: the payloads are
        encoded before the write lock is taken, and the rows go in with one executemany (or
        COPY on PostgreSQL).
        """
        keys: set[str] = set()
        for stream, new_events, _ in batches:
            _check_request(stream, new_events, keys)
        encoded = [
            [(new, encode_event(new.event).decode("utf-8")) for new in new_events]
            for _, new_events, _ in batches
        ]
        with self._append_transaction() as conn:
            self._lock(conn)
            head = conn.execute(
                select(events.c.seq, events.c.hash, events.c.recorded_at)
                .order_by(events.c.seq.desc())
                .limit(1)
            ).first()
            seq = head.seq if head else 0
            prev = head.hash.hex() if head else GENESIS.hex()
            now = format_recorded_at(self.clock())
            if head and head.recorded_at > now:
                now = head.recorded_at  # recorded_at never goes backwards, whatever the clocks do
            recorded = self._recorded_by_key(
                conn, [new.idempotency_key for b in batches for new in b[1] if new.idempotency_key]
            )
            versions = self._stream_versions(conn, {stream for stream, _, _ in batches})
            versions = {stream: versions.get(stream, 0) for stream, _, _ in batches}
            results: list[list[Entry]] = []
            rows: list[tuple[Any, ...]] = []
            for (stream, _, expected), payloads in zip(batches, encoded, strict=True):
                existing = _already_recorded(recorded, stream, payloads)
                if all(new.event_id in existing for new, _ in payloads):
                    results.append([existing[new.event_id] for new, _ in payloads])
                    continue
                version = versions.get(stream, 0)
                if version != expected:
                    raise ConcurrencyConflict(stream, expected, version)
                batch_entries: list[Entry] = []
                for new, payload in payloads:
                    if new.event_id in existing:
                        batch_entries.append(existing[new.event_id])
                        continue
                    seq += 1
                    version += 1
                    values = self._row(seq, version, stream, new, payload, now, prev)
                    prev = values[_HASH].hex()
                    rows.append(values)
                    batch_entries.append(Entry(_stored_row(values)))
                versions[stream] = version
                results.append(batch_entries)
            if rows:
                try:
                    self._insert_rows(conn, rows)
                except ProgrammingError as error:
                    # The database refused the actor (ledger/pg_identity.py): one clear line.
                    text = str(error.orig).strip().splitlines()[0] if error.orig else ""
                    if IDENTITY_MARK not in text:
                        raise
                    raise InvalidAppend(
                        text[text.index(IDENTITY_MARK) + len(IDENTITY_MARK) :].strip()
                        + "; nothing was written"
                    ) from error
                except IntegrityError as error:
                    # Seq, version and keys were checked under the lock: only an event id
                    # recorded before can collide (refused by the constraint or the trigger).
                    ids = [row[1] for row in rows]
                    raise InvalidAppend(
                        f"event id {self._first_recorded_id(ids)} is already recorded "
                        "(event ids are unique); nothing was written"
                    ) from error
        return results

    def _first_recorded_id(self, ids: list[str]) -> str:
        """Which of `ids` the ledger already holds (read outside the failed transaction)."""
        with self.engine.connect() as conn:
            for start in range(0, len(ids), 500):
                found = conn.execute(
                    select(events.c.event_id).where(events.c.event_id.in_(ids[start : start + 500]))
                ).scalar()
                if found is not None:
                    return str(found)
        return "(unknown)"

    def _insert_rows(self, conn: Connection, rows: list[tuple[Any, ...]]) -> None:
        """Insert the new rows (in `events` column order) with one executemany.

        The DBAPI cursor's executemany is used directly: SQLAlchemy's per-row parameter
        processing of `events.insert()` cost more than the database's own work here.
        """
        paramstyle = conn.dialect.paramstyle
        if paramstyle not in _PLACEHOLDERS:  # pragma: no cover - both our drivers are known
            conn.execute(events.insert(), [dict(zip(COLUMNS, row, strict=True)) for row in rows])
            return
        conn.exec_driver_sql(_insert_sql(_PLACEHOLDERS[paramstyle]), rows)

    @staticmethod
    def _row(
        seq: int, version: int, stream: str, new: NewEvent, payload: str, now: str, prev: str
    ) -> tuple[Any, ...]:
        """The stored values of one new row, in `events` column order (that of `StoredRow`)."""
        event = new.event
        effective = new.effective_date.isoformat()
        fields = row_fields(
            seq=seq,
            event_id=new.event_id,
            stream=stream,
            version=version,
            type_name=event.type_name,
            schema_version=event.schema_version,
            effective_date=effective,
            recorded_at=now,
            actor=new.actor,
            role=new.role,
            idempotency_key=new.idempotency_key,
            payload=payload,
        )
        digest = link_hash(prev, fields)
        return (
            seq,
            new.event_id,
            stream,
            version,
            event.type_name,
            event.schema_version,
            effective,
            now,
            new.actor,
            new.role,
            payload,
            bytes.fromhex(prev),
            digest,
            new.idempotency_key,
            new.signer(digest.hex()) if new.signer else None,
        )

    def _recorded_by_key(self, conn: Connection, keys: list[str]) -> dict[str, Entry]:
        """Entries already recorded under any of `keys`, by key."""
        found: dict[str, Entry] = {}
        if keys:
            for values in self._rows_by_idempotency_key(conn, keys):
                entry = Entry(_stored_row(values))
                found[entry.idempotency_key or ""] = entry
        return found

    def _rows_by_idempotency_key(
        self, conn: Connection, keys: list[str]
    ) -> Iterator[Sequence[Any]]:
        """Stored rows whose key is among `keys`: portable IN lists; the adapters use one
        statement with the keys as one parameter, which the server plans once."""
        for start in range(0, len(keys), _IN_CHUNK):
            chunk = keys[start : start + _IN_CHUNK]
            yield from conn.execute(select(events).where(events.c.idempotency_key.in_(chunk)))

    def _stream_versions(self, conn: Connection, streams: set[str]) -> dict[str, int]:
        """The current version of each of `streams` (0 for a new one).

        Portable form, one indexed max() per stream; the adapters replace it with one
        statement. (A `GROUP BY stream` would read every row of every stream, not the last.)
        """
        return {stream: self._stream_version(conn, stream) for stream in streams}

    @staticmethod
    def _stream_version(conn: Connection, stream: str) -> int:
        version = conn.execute(
            select(func.max(events.c.version)).where(events.c.stream == stream)
        ).scalar()
        return int(version or 0)

    # -- reads ----------------------------------------------------------------------------------

    def read(self, query: Query = Query()) -> Iterator[Entry]:
        """Entries matching `query`, in seq order, fetched in batches."""
        for partition in self._partitions(_select(query)):
            yield from map(_entry, partition)

    def read_stream(
        self, stream: str, *, as_of: date | None = None, known_at: datetime | None = None
    ) -> Iterator[Entry]:
        """One cycle's entries in order, optionally as of a date and as known at a time."""
        return self.read(Query(stream=stream, as_of=as_of, known_at=known_at))

    def read_rows(self, *, after_seq: int = 0) -> Iterator[StoredRow]:
        """Raw stored rows in seq order: what `verify` recomputes the chain from."""
        statement = select(events).where(events.c.seq > after_seq).order_by(events.c.seq)
        for partition in self._partitions(statement):
            yield from map(_stored_row, partition)  # map: no Python frame per row

    def read_hashes(self, *, after_seq: int = 0, until_seq: int) -> Generator[tuple[int, bytes]]:
        """(seq, stored hash) of the rows after `after_seq` up to `until_seq`, in seq order:
        the leaves of the Merkle tree (ledger/tree.py), without reading any payload."""
        statement = (
            select(events.c.seq, events.c.hash)
            .where(events.c.seq > after_seq, events.c.seq <= until_seq)
            .order_by(events.c.seq)
        )
        for partition in self._partitions(statement):
            for seq, digest in partition:
                yield seq, bytes(digest)

    @contextmanager
    def side_transaction(self) -> Iterator[Connection]:
        """A write transaction for the side tables (never `events`): the Merkle cache, the
        snapshots. Inside `serialized` it is a savepoint of the locked transaction: a second
        write transaction would wait for the lock this thread holds."""
        held = getattr(self._held, "conn", None)
        if held is not None:
            with held.begin_nested():
                yield held
            return
        with self._write() as conn:
            yield conn

    def _partitions(self, statement: Select[Any]) -> Iterator[Sequence[Sequence[Any]]]:
        """Rows in lists of READ_BATCH (a server-side cursor on PostgreSQL): memory stays flat."""
        with (
            self._translated(),
            self.engine.connect() as conn,
            # Closing the result closes PostgreSQL's server-side cursor even when the caller
            # stops early (verify stops at the first break).
            conn.execution_options(yield_per=READ_BATCH).execute(statement) as result,
        ):
            yield from result.partitions()

    def head(self) -> Entry | None:
        """The last entry of the ledger, or None when it is empty."""
        with self._translated(), self.engine.connect() as conn:
            values = conn.execute(select(events).order_by(events.c.seq.desc()).limit(1)).first()
        return Entry(_stored_row(values)) if values else None

    def stream_version(self, stream: str) -> int:
        """How many events the stream holds (its last version), 0 when none."""
        with self._translated(), self.engine.connect() as conn:
            return self._stream_version(conn, stream)

    def streams(self) -> list[str]:
        """Every stream in the ledger, sorted.

        A plain `SELECT DISTINCT stream` reads every row's index entry (neither SQLite nor
        PostgreSQL before 18 skips through an index), which makes it grow with the ledger;
        the recursive form below jumps from one stream to the next on the stream index, so
        its cost grows with the number of streams only. Same rows, same order (min and `>`
        compare with the column's collation, as ORDER BY does).
        """
        with self._translated(), self.engine.connect() as conn:
            return [stream for (stream,) in conn.exec_driver_sql(_STREAMS)]

    def entry(self, *, seq: int | None = None, event_id: str | None = None) -> Entry | None:
        """One entry by seq or by event id."""
        statement = select(events)
        if seq is not None:
            if not 0 < seq <= MAX_INT:
                return None  # no row can have it, and the drivers refuse to bind it
            statement = statement.where(events.c.seq == seq)
        if event_id is not None:
            statement = statement.where(events.c.event_id == event_id)
        with self._translated(), self.engine.connect() as conn:
            values = conn.execute(statement.limit(1)).first()
        return Entry(_stored_row(values)) if values else None

    def count(self) -> int:
        with self._translated(), self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(events)).scalar() or 0)


def _select(query: Query) -> Select[Any]:
    statement = select(events).where(events.c.seq > query.after_seq)
    if query.until_seq is not None:
        statement = statement.where(events.c.seq <= query.until_seq)
    if query.stream is not None:
        statement = statement.where(events.c.stream == query.stream)
    if query.after_version:
        statement = statement.where(events.c.version > query.after_version)
    if query.types:
        statement = statement.where(events.c.type.in_(query.types))
    if query.effective_from is not None:
        statement = statement.where(events.c.effective_date >= query.effective_from.isoformat())
    if query.as_of is not None:
        statement = statement.where(events.c.effective_date <= query.as_of.isoformat())
    if query.recorded_from is not None:
        statement = statement.where(events.c.recorded_at >= format_recorded_at(query.recorded_from))
    if query.known_at is not None:
        statement = statement.where(events.c.recorded_at <= format_recorded_at(query.known_at))
    if query.actor is not None:
        statement = statement.where(events.c.actor == query.actor)
    if query.role is not None:
        statement = statement.where(events.c.role == query.role)
    statement = statement.order_by(events.c.seq)
    return statement if query.limit is None else statement.limit(query.limit)


def _stored_row(values: Sequence[Any]) -> StoredRow:
    """A selected row (all columns, table order) as a `StoredRow`.

    Reads and `verify` spend much of their time here, and a frozen dataclass's `__init__`
    sets each of the 15 fields through `object.__setattr__`: filling the instance's `__dict__`
    in one step gives the very same object (same fields, equality, hash and repr) in a third
    of the time. Hashes are copied into `bytes` only when the driver hands out another buffer
    type (psycopg2 gives memoryview).
    """
    if type(values[_PREV_HASH]) is not bytes or type(values[_HASH]) is not bytes:
        converted = list(values)
        converted[_PREV_HASH] = bytes(converted[_PREV_HASH])
        converted[_HASH] = bytes(converted[_HASH])
        values = converted
    if not _FAST_ROWS:  # pragma: no cover - only if StoredRow ever gets __slots__
        return StoredRow(*values)
    row = _new_object(StoredRow)
    row.__dict__.update(zip(COLUMNS, values, strict=True))
    return row


_new_object = object.__new__
_FAST_ROWS = not hasattr(StoredRow, "__slots__")


def _entry(values: Sequence[Any]) -> Entry:
    return Entry(_stored_row(values))


def _already_recorded(
    recorded: dict[str, Entry], stream: str, payloads: list[tuple[NewEvent, str]]
) -> dict[str, Entry]:
    """The batch's events already in the ledger under their idempotency key, by new event id.

    A key recorded with other content (stream, type, payload or effective date) is refused.
    """
    found: dict[str, Entry] = {}
    for new, payload in payloads:
        entry = recorded.get(new.idempotency_key) if new.idempotency_key else None
        if entry is None:
            continue
        same = (
            entry.stream == stream
            and entry.type == new.event.type_name
            and entry.payload == payload
            and entry.row.effective_date == new.effective_date.isoformat()
        )
        if not same:
            raise IdempotencyConflict(entry.idempotency_key or "", entry.seq)
        found[new.event_id] = entry
    return found


class _DriverErrors:
    """Translate driver failures into one clear `DatabaseUnavailable`, exactly once."""

    def __init__(self, store: SqlEventStore) -> None:
        self.store = store

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: Any, error: BaseException | None, trace: Any) -> Literal[False]:
        # Any driver error but a constraint's (which append translates itself): locked, full
        # disk, I/O error, "file is not a database", a corrupt page, a lost connection.
        if (
            isinstance(error, DBAPIError)
            and not isinstance(error, IntegrityError)
            and "append-only" not in str(error.orig)
        ):
            text = str(error.orig).strip() if error.orig else str(error).strip()
            reason = (text.splitlines() or [type(error).__name__])[0][:200]
            raise DatabaseUnavailable(
                f"cannot use the database {self.store.display_url}: {reason}"
            ) from error
        return False


class _WriteTransaction:
    """A connection in one write transaction: commit on success, roll back on any error."""

    def __init__(self, store: SqlEventStore) -> None:
        self.store = store
        self.conn: Connection | None = None
        self.errors = _DriverErrors(store)

    def __enter__(self) -> Connection:
        self.errors.__enter__()
        try:
            self.conn = self.store._write_connection()
            self.conn.begin()
        except BaseException as error:
            self.errors.__exit__(type(error), error, None)
            raise
        return self.conn

    def __exit__(self, kind: Any, error: BaseException | None, trace: Any) -> Literal[False]:
        if self.conn is None:  # pragma: no cover - __enter__ raised, so no __exit__ is due
            return False
        try:
            if error is None:
                self.conn.commit()  # may fail too (a full disk, an I/O error): translated
            else:
                self.conn.rollback()
        except DBAPIError as failed:
            if error is None:
                self.errors.__exit__(type(failed), failed, None)
            raise
        finally:
            self.conn.close()
        if error is not None:
            return self.errors.__exit__(kind, error, trace)
        return False
