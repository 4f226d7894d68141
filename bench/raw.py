"""The raw limits: what the bare driver does with the same rows, measured in the same run.

- raw chained append: the ledger's rows (read back from the ledger just built, outside the
  timed sections) inserted with the driver's `executemany` in ONE transaction, into a table
  with the same columns and the same unique (stream, version) index, with a SHA-256 chain
  computed on the way (each hash over the previous hash and the row's fields);
- raw read: a plain `SELECT` of every column in seq order with `json.loads` of every payload;
- raw chained read: the same, also recomputing a SHA-256 chain over every row.

No validation, no canonical encoding, no idempotency or version check: a ceiling, not a rival.
"""

import hashlib
import json
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from bench.measure import Step, measured

SOURCE_CHUNK = 50_000
FETCH = 2000

_COLUMNS = (
    "seq, event_id, stream, version, type, schema_version, effective_date, recorded_at, "
    "actor, role, payload, prev_hash, hash, idempotency_key, signature"
)
_SOURCE = (
    "SELECT seq, event_id, stream, version, type, schema_version, effective_date, "
    "recorded_at, actor, role, payload, idempotency_key FROM events ORDER BY seq"
)
_SQLITE_TABLE = (
    "CREATE TABLE raw_events (seq INTEGER PRIMARY KEY, event_id TEXT NOT NULL, "
    "stream TEXT NOT NULL, version INTEGER NOT NULL, type TEXT NOT NULL, "
    "schema_version INTEGER NOT NULL, effective_date TEXT NOT NULL, recorded_at TEXT NOT NULL, "
    "actor TEXT NOT NULL, role TEXT NOT NULL, payload TEXT NOT NULL, prev_hash BLOB NOT NULL, "
    "hash BLOB NOT NULL, idempotency_key TEXT, signature TEXT)"
)
_PG_TABLE = (
    "CREATE TABLE raw_events (seq BIGINT PRIMARY KEY, event_id VARCHAR(36) NOT NULL, "
    "stream VARCHAR(200) NOT NULL, version INTEGER NOT NULL, type VARCHAR(100) NOT NULL, "
    "schema_version INTEGER NOT NULL, effective_date VARCHAR(10) NOT NULL, "
    "recorded_at VARCHAR(27) NOT NULL, actor VARCHAR(200) NOT NULL, role VARCHAR(100) NOT NULL, "
    "payload TEXT NOT NULL, prev_hash BYTEA NOT NULL, hash BYTEA NOT NULL, "
    "idempotency_key VARCHAR(300), signature TEXT)"
)
_INDEX = "CREATE UNIQUE INDEX raw_events_stream_version ON raw_events (stream, version)"


def chain(rows: Sequence[Sequence[Any]], prev: bytes) -> tuple[list[tuple[Any, ...]], bytes]:
    """The rows with a prev_hash and a SHA-256 hash over the previous hash and their fields."""
    out: list[tuple[Any, ...]] = []
    for row in rows:
        digest = hashlib.sha256(prev)
        digest.update("\x1f".join("" if v is None else str(v) for v in row).encode("utf-8"))
        new = digest.digest()
        out.append((*row[:11], prev, new, row[11], None))
        prev = new
    return out, prev


def _chained_read(rows: Iterator[Sequence[Any]]) -> int:
    prev = bytes(32)
    count = 0
    for row in rows:
        digest = hashlib.sha256(prev)
        digest.update("\x1f".join("" if v is None else str(v) for v in row[:11]).encode("utf-8"))
        prev = digest.digest()
        json.loads(row[10])
        count += 1
    return count


def _plain_read(rows: Iterator[Sequence[Any]]) -> int:
    count = 0
    for row in rows:
        json.loads(row[10])
        count += 1
    return count


def _fetch(cursor: Any) -> Iterator[Sequence[Any]]:
    while True:
        batch = cursor.fetchmany(FETCH)
        if not batch:
            return
        yield from batch


# -- SQLite -------------------------------------------------------------------------------------


def sqlite_append(ledger_path: Path, raw_path: Path) -> Step:
    """Raw chained append of the ledger's rows into a fresh SQLite file (WAL, synchronous=FULL)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{raw_path}{suffix}").unlink(missing_ok=True)
    source = sqlite3.connect(ledger_path)
    target = sqlite3.connect(raw_path, isolation_level=None)
    target.execute("PRAGMA journal_mode = WAL")
    target.execute("PRAGMA synchronous = FULL")
    target.execute(_SQLITE_TABLE)
    target.execute(_INDEX)
    insert = f"INSERT INTO raw_events ({_COLUMNS}) VALUES ({', '.join('?' * 15)})"
    with measured("raw chained append") as (step, watch):
        cursor = source.execute(_SOURCE)
        prev = bytes(32)
        with watch.timing():
            target.execute("BEGIN IMMEDIATE")
        while rows := cursor.fetchmany(SOURCE_CHUNK):
            with watch.timing():
                chained, prev = chain(rows, prev)
                target.executemany(insert, chained)
            step.events += len(rows)
        with watch.timing():
            target.execute("COMMIT")
    target.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    target.close()
    source.close()
    step.extra["bytes_per_event"] = round(raw_path.stat().st_size / max(step.events, 1), 1)
    return step


def sqlite_reads(ledger_path: Path) -> tuple[Step, Step]:
    """Raw read and raw chained read of the ledger's own table."""
    results = []
    for name, consume in (("raw read", _plain_read), ("raw chained read", _chained_read)):
        connection = sqlite3.connect(ledger_path)
        with measured(name) as (step, watch), watch.timing():
            cursor = connection.execute(f"SELECT {_COLUMNS} FROM events ORDER BY seq")
            step.events = consume(_fetch(cursor))
        connection.close()
        results.append(step)
    return results[0], results[1]


# -- PostgreSQL -----------------------------------------------------------------------------------


def postgres_append(source_conninfo: str, server_conninfo: str, raw_schema: str) -> Step:
    """Raw chained append with psycopg's executemany (pipelined) in one transaction."""
    import psycopg

    with (
        psycopg.connect(source_conninfo) as source,
        psycopg.connect(server_conninfo) as target,
    ):
        target.execute(f'CREATE SCHEMA "{raw_schema}"')
        target.execute(f'SET search_path = "{raw_schema}"')
        target.execute(_PG_TABLE)
        target.execute(_INDEX)
        target.commit()
        insert = f"INSERT INTO raw_events ({_COLUMNS}) VALUES ({', '.join(['%s'] * 15)})"
        with measured("raw chained append") as (step, watch):
            prev = bytes(32)
            with source.cursor(name="raw_source") as cursor:
                cursor.itersize = SOURCE_CHUNK
                cursor.execute(_SOURCE)
                while rows := cursor.fetchmany(SOURCE_CHUNK):
                    with watch.timing():
                        chained, prev = chain(rows, prev)
                        with target.cursor() as out:
                            out.executemany(insert, chained)
                    step.events += len(rows)
            with watch.timing():
                target.commit()
        size = target.execute("SELECT pg_total_relation_size('raw_events')").fetchone()
        step.extra["bytes_per_event"] = round((size[0] if size else 0) / max(step.events, 1), 1)
        target.execute(f'DROP SCHEMA "{raw_schema}" CASCADE')
        target.commit()
    return step


def postgres_reads(conninfo: str) -> tuple[Step, Step]:
    """Raw read and raw chained read of the ledger's table, through a server-side cursor."""
    import psycopg

    results = []
    for name, consume in (("raw read", _plain_read), ("raw chained read", _chained_read)):
        with (
            psycopg.connect(conninfo) as connection,
            measured(name) as (step, watch),
            watch.timing(),
            connection.cursor(name="raw_read") as cursor,
        ):
            cursor.itersize = FETCH
            cursor.execute(f"SELECT {_COLUMNS} FROM events ORDER BY seq")
            step.events = consume(_fetch(cursor))
        results.append(step)
    return results[0], results[1]
