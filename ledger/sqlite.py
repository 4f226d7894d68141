"""The SQLite adapter: one file per administration, WAL, durable commits, queued writers.

Writers open their transaction with `BEGIN IMMEDIATE`, so the write lock is taken before the
head is read and several processes queue on the busy timeout instead of failing with
"database is locked". pysqlite's own transaction handling is switched off so that SQLAlchemy
emits our BEGIN, as the SQLAlchemy SQLite dialect docs recommend:
https://docs.sqlalchemy.org/en/20/dialects/sqlite.html#serializable-isolation-savepoints-transactional-ddl
`synchronous=FULL` because NORMAL may lose the last commits in WAL mode on power loss:
https://www.sqlite.org/pragma.html#pragma_synchronous
"""

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

from ledger.connections import Clock, utc_now
from ledger.rows import select_all_sql
from ledger.store import SqlEventStore

BUSY_TIMEOUT_SECONDS = 120
PAGE_CACHE_KIB = 64 * 1024
"""The page cache of a connection while it writes."""
READ_CACHE_KIB = 8 * 1024
"""The page cache of a connection while it reads (SQLite's default is 2 MiB)."""

_PROTECTION = (
    "CREATE TRIGGER IF NOT EXISTS events_refuse_update BEFORE UPDATE ON events "
    "BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: UPDATE on events is refused'); END",
    "CREATE TRIGGER IF NOT EXISTS events_refuse_delete BEFORE DELETE ON events "
    "BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: DELETE on events is refused'); END",
    # INSERT OR REPLACE deletes the rows it collides with without firing DELETE triggers
    # (https://www.sqlite.org/lang_conflict.html): refuse any insert that would collide.
    "CREATE TRIGGER IF NOT EXISTS events_refuse_replace BEFORE INSERT ON events "
    "WHEN EXISTS (SELECT 1 FROM events WHERE seq = NEW.seq OR event_id = NEW.event_id "
    "OR (stream = NEW.stream AND version = NEW.version) "
    "OR idempotency_key = NEW.idempotency_key) "
    "BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: an insert may not replace a row'); "
    "END",
)

TRIGGERS = ("events_refuse_update", "events_refuse_delete", "events_refuse_replace")
"""The triggers `_PROTECTION` installs, which `verify` expects to find."""

_STREAM_VERSIONS = (
    "SELECT j.value, (SELECT max(version) FROM events WHERE stream = j.value) "
    "FROM json_each(?) AS j"
)
_BY_KEYS = select_all_sql("idempotency_key IN (SELECT value FROM json_each(?))")


def sqlite_engine(url: str) -> Engine:
    """An engine whose connections use WAL and durable commits, and whose writers queue."""
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_SECONDS})

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_SECONDS * 1000}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute(f"PRAGMA cache_size = -{READ_CACHE_KIB}")
        cursor.close()
        record.info["ledger_cache_kib"] = READ_CACHE_KIB

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get("ledger_write", False)
        # A writer's page cache is 64 MiB: appends insert event ids and keys at random places
        # in their unique indexes, and the cache keeps those pages (a 1M-event bulk import ran
        # ~18 % faster). A reader's is 8 MiB: a streamed read passes over each page once, and
        # a process that streams the whole ledger on two connections (`ledger trail`) grew by
        # up to 2 x 64 MiB from a small ledger to a large one (docs/performance.md). A pooled
        # connection switches when it passes from one kind of transaction to the other.
        wanted = PAGE_CACHE_KIB if immediate else READ_CACHE_KIB
        info = conn.connection.info
        if info.get("ledger_cache_kib") != wanted:
            conn.exec_driver_sql(f"PRAGMA cache_size = -{wanted}")
            info["ledger_cache_kib"] = wanted
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


class SqliteEventStore(SqlEventStore):
    """The ledger in one SQLite file."""

    backend = "sqlite"

    def __init__(self, url: str, *, clock: Clock = utc_now) -> None:
        super().__init__(sqlite_engine(url), url, clock=clock)

    def _write_connection(self) -> Connection:
        return self.engine.connect().execution_options(ledger_write=True)

    def _stream_versions(self, conn: Connection, streams: set[str]) -> dict[str, int]:
        """Every stream's version in one statement, one index probe per stream (json_each)."""
        rows = conn.exec_driver_sql(_STREAM_VERSIONS, (json.dumps(sorted(streams)),))
        return {stream: int(version or 0) for stream, version in rows}

    def _rows_by_idempotency_key(
        self, conn: Connection, keys: list[str]
    ) -> Iterator[Sequence[Any]]:
        """Rows under any of `keys`, in one statement: one index probe per key."""
        yield from conn.exec_driver_sql(_BY_KEYS, (json.dumps(keys),))

    def _lock(self, conn: Connection) -> None:
        """Nothing more to do: the write transaction began with BEGIN IMMEDIATE (see above)."""

    def storage_problem(self) -> str | None:
        """SQLite's own check of the file's pages and indexes (`PRAGMA quick_check`): a
        damaged page the chain never reads (an index, free space) is still damage."""
        with self._translated(), self.engine.connect() as conn:
            found = [str(row[0]) for row in conn.exec_driver_sql("PRAGMA quick_check(3)")]
        if found == ["ok"]:
            return None
        lines = [line.strip() for text in found for line in text.splitlines()]
        return "; ".join(line for line in lines if line and not line.startswith("***"))[:200]

    def _protection_missing(self, conn: Connection) -> list[str]:
        found = {
            name
            for (name,) in conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'events'"
            )
        }
        return [f"trigger {name}" for name in TRIGGERS if name not in found]

    def _install_protection(self, conn: Connection) -> None:
        for statement in _PROTECTION:
            conn.exec_driver_sql(statement)


class ReadOnlySqliteEventStore(SqliteEventStore):
    """The ledger file opened for reading only: SQLite itself refuses every write.

    The file is opened through a URI with `mode=ro` (https://www.sqlite.org/uri.html) and
    each connection sets `query_only` (https://www.sqlite.org/pragma.html#pragma_query_only),
    so even a statement written by mistake cannot change the file.
    """

    def __init__(self, url: str, *, clock: Clock = utc_now) -> None:
        database = make_url(url).database or ""
        path = quote(str(Path(database).resolve()))
        super().__init__(f"sqlite:///file:{path}?mode=ro&uri=true", clock=clock)
        event.listen(self.engine, "connect", _query_only)

    def require_read_only(self) -> None:
        """Nothing to check: the open mode is the guarantee (see above)."""


def _query_only(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA query_only = ON")
    cursor.close()


def read_only_store(url: str) -> ReadOnlySqliteEventStore:
    """The SQLite ledger at `url`, opened read-only."""
    return ReadOnlySqliteEventStore(url)
