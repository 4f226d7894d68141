"""A stream's version in one round trip: the freshness check a long-running reader makes.

The console keeps what a page shows per version of its cycle (web/state.py), so it asks for
that version on every request. Through the engine, the question costs a pool checkout, the
pool's ping (`pool_pre_ping`), a BEGIN, the SELECT and a ROLLBACK: four round trips to
PostgreSQL, three statements on SQLite. Here the SELECT goes alone, in autocommit, on a
connection kept for it (taken from the engine, so it carries the same settings: read-only
role and `default_transaction_read_only`, `mode=ro` and `query_only`), and psycopg prepares it
after a few runs.

Still honest: in autocommit each statement takes its own snapshot when it starts, so the
answer counts every event committed before the question was asked (PostgreSQL's read
committed; SQLite's WAL read of the last commit). A kept connection that the server dropped
(a restart) is discarded and the question asked once more on a fresh one.
"""

import threading
from contextlib import suppress
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from ledger.store import SqlEventStore

OPEN = 8
"""Connections the probe may hold at once: a question waits for one rather than open a ninth
(each question is one short statement, so a few serve many threads)."""


class VersionProbe:
    """`store.stream_version(stream)`, answered on connections of its own in autocommit."""

    def __init__(self, store: SqlEventStore) -> None:
        self.store = store
        mark = "%s" if store.backend == "postgresql" else "?"
        self._sql = f"SELECT max(version) FROM events WHERE stream = {mark}"  # noqa: S608 - no input
        self._idle: list[Any] = []
        self._lock = threading.Lock()
        self._places = threading.BoundedSemaphore(OPEN)
        self._closed = False

    def stream_version(self, stream: str) -> int:
        """How many events `stream` holds now (0 when none), in one statement."""
        with self._places:
            try:
                return self._ask(self._take(fresh=False), stream)
            except _Dropped:
                return self._ask(self._take(fresh=True), stream, last_try=True)

    def close(self) -> None:
        with self._lock:
            idle, self._idle, self._closed = self._idle, [], True
        for connection in idle:
            _close_quietly(connection)

    def _take(self, *, fresh: bool) -> Any:
        if not fresh:
            with self._lock:
                if self._idle:
                    return self._idle.pop()
        with self.store._translated():
            return _detached(self.store.engine)

    def _ask(self, connection: Any, stream: str, *, last_try: bool = False) -> int:
        dbapi = self.store.engine.dialect.loaded_dbapi
        try:
            cursor = connection.cursor()
            try:
                cursor.execute(self._sql, (stream,))
                # fetchall steps the statement to its end, which ends SQLite's read snapshot.
                rows = cursor.fetchall()
            finally:
                cursor.close()
        except dbapi.Error as error:
            _close_quietly(connection)
            if not last_try:
                raise _Dropped from error
            with self.store._translated():
                raise DBAPIError.instance(self._sql, (stream,), error, dbapi.Error) from error
        with self._lock:
            if not self._closed:
                self._idle.append(connection)
                connection = None
        if connection is not None:
            _close_quietly(connection)
        return int(rows[0][0] or 0) if rows else 0


class _Dropped(Exception):
    """A kept connection failed: ask once more on a fresh one."""


def _detached(engine: Engine) -> Any:
    """A new DBAPI connection made by `engine` (its connect-time settings applied), taken out
    of its pool so that it never holds one of the pool's places, in autocommit."""
    connection = engine.raw_connection()
    driver: Any = connection.driver_connection
    connection.detach()  # closing it now closes the DBAPI connection
    if engine.dialect.name == "postgresql":
        driver.rollback()  # nothing is open after the pool's reset; autocommit needs idle
        driver.autocommit = True
    else:
        driver.isolation_level = None  # sqlite3: no implicit BEGIN (sqlite_engine sets it too)
    return connection


def _close_quietly(connection: Any) -> None:
    with suppress(Exception):  # a connection already lost has nothing more to say
        connection.close()
