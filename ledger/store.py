"""The event store: append a batch atomically, read it back in order, without ever rewriting.

`SqlEventStore` holds the portable SQLAlchemy Core code, in parts named for what they do: the
connections and the lock (ledger/connections.py), the append's critical section
(ledger/append.py), the reads (ledger/reads.py); this module adds the set-up and the
append-only protection. The SQLite and PostgreSQL adapters only differ in how they open the
database, take the write lock and install the protection.
"""

from abc import abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from datetime import date, datetime
from typing import Protocol

from sqlalchemy import Connection, inspect

from ledger.append import StoreAppends
from ledger.errors import LedgerNotInitialized
from ledger.query import Query
from ledger.reads import StoreReads
from ledger.records import Entry, NewEvent, StoredRow
from ledger.schema import (
    MIGRATIONS,
    SCHEMA_KEY,
    Migration,
    check_version,
    migrate_connection,
    stored_version,
)
from ledger.tables import SCHEMA_VERSION, ledger_info, metadata


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


class SqlEventStore(StoreAppends, StoreReads):
    """Portable append and read over SQLAlchemy Core; subclasses supply locking and DDL."""

    backend = "sql"

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
