"""The store's connections: the engine, the write transaction, the append lock, and driver
errors translated into one clear line.

Every part of the store (set-up, append, reads) opens its connections through this base, so
that a failure of the database (locked, full disk, lost connection) reads the same wherever it
happens, and a write inside `serialized` joins the transaction that holds the lock.
"""

import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError

from events.i18n import _
from ledger.errors import DatabaseUnavailable

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class StoreConnections(ABC):
    """The engine and the transactions of a database store; the adapters supply the lock."""

    def __init__(self, engine: Engine, url: str, *, clock: Clock = utc_now) -> None:
        self.engine = engine
        self.url = url
        self.clock = clock
        self._held = threading.local()

    @property
    def display_url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()

    @abstractmethod
    def _lock(self, conn: Connection) -> None:
        """Serialise writers so that seq order is commit order (see the adapters)."""

    def _write_connection(self) -> Connection:
        return self.engine.connect()

    def _write(self) -> "WriteTransaction":
        return WriteTransaction(self)

    def _translated(self) -> "DriverErrors":
        return DriverErrors(self)

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


class DriverErrors:
    """Translate driver failures into one clear `DatabaseUnavailable`, exactly once."""

    def __init__(self, store: StoreConnections) -> None:
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
                _("cannot use the database {url}: {reason}").format(
                    url=self.store.display_url, reason=reason
                )
            ) from error
        return False


class WriteTransaction:
    """A connection in one write transaction: commit on success, roll back on any error."""

    def __init__(self, store: StoreConnections) -> None:
        self.store = store
        self.conn: Connection | None = None
        self.errors = DriverErrors(store)

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
