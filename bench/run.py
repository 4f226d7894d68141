"""One benchmark run on one backend: build the national ledger, then measure every step.

The ledger is built through the real append path (`SqlEventStore.append_batches`), and the
raw limits are measured on the very rows it stored, in the same run and on the same machine,
so that each figure can be read as a ratio to what the bare driver does.
"""

import os
import statistics
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench import acts as acts_bench
from bench import peers, raw
from bench.measure import Step, measured
from bench.national import Chunk, NationalLedger
from bench.streaming import streaming_peaks
from ledger.connect import open_store
from ledger.records import NewEvent
from ledger.store import SqlEventStore
from ledger.verify import verify_rows

Batch = list[tuple[str, list[NewEvent], int]]


@dataclass
class BackendResult:
    """Every step measured on one backend, and the facts needed to read them."""

    backend: str
    events: int
    steps: dict[str, Step] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)

    def add(self, key: str, step: Step) -> Step:
        self.steps[key] = step
        return step


@dataclass(frozen=True)
class Options:
    """What the command line chose."""

    events: int
    batch_events: int
    workdir: Path
    pg_url: str
    keep: bool
    replay: bool
    cycle_sizes: tuple[int, ...] = (200, 5_000, 50_000)
    example_factors: tuple[int, ...] = (1, 10, 40)
    acts: bool = True
    streaming: bool = True


def transactions(chunks: Iterator[Chunk], batch_events: int) -> Iterator[Batch]:
    """Group consecutive chunks (many streams) into transactions of about `batch_events`."""
    batch: Batch = []
    size = 0
    for chunk in chunks:
        batch.append((chunk.stream, chunk.events, chunk.expected_version))
        size += len(chunk.events)
        if size >= batch_events:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def append_all(store: SqlEventStore, options: Options, result: BackendResult) -> None:
    """Build the ledger; only `append_batches` is timed, event construction apart."""
    generated = NationalLedger(options.events)
    build_seconds = 0.0
    tenth = max(options.events // 10, 1)
    by_tenth: list[float] = []
    appended, marked, tenth_seconds = 0, 0, 0.0
    with measured("append (append_batches)", options.events) as (step, watch):
        chunks = generated.chunks()
        while True:
            started = time.perf_counter()
            batch = next(transactions(chunks, options.batch_events), None)
            build_seconds += time.perf_counter() - started
            if batch is None:
                break
            before = watch.seconds
            with watch.timing():
                store.append_batches(batch)
            appended += sum(len(events) for _, events, _ in batch)
            tenth_seconds += watch.seconds - before
            if appended >= tenth * (len(by_tenth) + 1):
                by_tenth.append(round((appended - marked) / tenth_seconds, 1))
                marked, tenth_seconds = appended, 0.0
    step.extra["events_per_s_by_tenth"] = by_tenth
    step.extra["transactions_of"] = options.batch_events
    step.extra["building_events_s"] = round(build_seconds, 3)
    step.extra["import_events_per_s"] = round(options.events / (build_seconds + step.seconds), 1)
    step.extra["entities"] = len(generated.entities)
    result.add("append", step)


def verify_all(store: SqlEventStore, result: BackendResult) -> None:
    with measured("verify (read_rows + verify_rows)") as (step, watch), watch.timing():
        verdict = verify_rows(store.read_rows())
    if not verdict.ok:
        raise SystemExit(f"verify failed at seq {verdict.broken_seq}: {verdict.reason}")
    step.events = verdict.checked
    result.add("verify", step)


def replay_all(store: SqlEventStore, result: BackendResult) -> None:
    """Rebuild the cruscotto of every cycle (one indexed read per cycle), then time one cycle."""
    try:
        from projections.cruscotto import replay
    except ImportError as missing:  # pragma: no cover - projections are another engineer's
        result.facts["replay"] = f"skipped: {missing}"
        return
    with measured("global replay (read + decode)") as (step, watch), watch.timing():
        for entry in store.read():
            entry.event  # noqa: B018 - decoding is what is measured
            step.events += 1
    result.add("global_replay", step)
    as_of = date(9999, 12, 31)
    streams = store.streams()
    with measured("full replay into the cruscotto") as (step, watch), watch.timing():
        for stream in streams:
            entries = list(store.read_stream(stream))
            step.events += len(entries)
            replay(entries, stream, as_of=as_of)
    step.extra["cycles"] = len(streams)
    result.add("replay", step)
    middle = streams[len(streams) // 2]
    result.facts["as_of_cycle"] = middle
    cycle_as_of = date(int(middle.rsplit("/", 1)[1]) + 1, 4, 30)
    result.facts["as_of_date"] = cycle_as_of.isoformat()
    _as_of_latency(store, result, middle, cycle_as_of)


def _as_of_latency(store: SqlEventStore, result: BackendResult, stream: str, as_of: date) -> None:
    """`replay --as-of` of one cycle: cold (fresh store, SQLite file evicted from the page
    cache) and warm (median of 7), through the store and through the `ledger` command."""
    from projections.cruscotto import replay

    def once(target: SqlEventStore) -> tuple[float, int]:
        started = time.perf_counter()
        entries = list(target.read_stream(stream))
        replay(entries, stream, as_of=as_of)
        return (time.perf_counter() - started) * 1000, len(entries)

    _evict(store)
    fresh = open_store(store.url)
    cold, count = once(fresh)
    warm = statistics.median(once(fresh)[0] for _ in range(7))
    fresh.close()
    result.facts["as_of_cycle_events"] = count
    result.facts["as_of_cold_ms"] = round(cold, 2)
    result.facts["as_of_warm_ms"] = round(warm, 2)
    try:
        from typer.testing import CliRunner

        from cli.app import app
    except ImportError as missing:  # pragma: no cover - the CLI is another engineer's
        result.facts["cli_replay"] = f"skipped: {missing}"
        return
    runner = CliRunner()
    args = [
        "--db",
        store.url,
        "replay",
        "--as-of",
        as_of.isoformat(),
        "--cycle",
        stream,
        "--format",
        "json",
    ]
    timings = []
    _evict(store)
    for _ in range(4):
        started = time.perf_counter()
        outcome = runner.invoke(app, args)
        timings.append((time.perf_counter() - started) * 1000)
        if outcome.exit_code != 0:
            result.facts["cli_replay"] = f"exit {outcome.exit_code}: {outcome.output[-300:]}"
            return
    result.facts["cli_replay_cold_ms"] = round(timings[0], 2)
    result.facts["cli_replay_warm_ms"] = round(statistics.median(timings[1:]), 2)


def _evict(store: SqlEventStore) -> None:
    """Drop a SQLite ledger's pages from the OS page cache (only that file's; harmless to
    others). PostgreSQL's shared buffers cannot be emptied without a restart: its 'cold'
    is a new connection only."""
    if store.backend != "sqlite":
        return
    path = make_url(store.url).database or ""
    for suffix in ("", "-wal"):
        try:
            descriptor = os.open(f"{path}{suffix}", os.O_RDONLY)
        except OSError:
            continue
        try:
            os.fsync(descriptor)
            os.posix_fadvise(descriptor, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(descriptor)


# -- per backend ----------------------------------------------------------------------------------


def run_sqlite(options: Options) -> BackendResult:
    result = BackendResult("sqlite", options.events)
    options.workdir.mkdir(parents=True, exist_ok=True)
    path = options.workdir / f"ledger-{options.events}.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    store = open_store(f"sqlite:///{path}", create=True)
    try:
        append_all(store, options, result)
        result.facts.update(_sqlite_sizes(path, options.events))
        verify_all(store, result)
        plain, chained = raw.sqlite_reads(path)
        result.add("raw_read", plain)
        result.add("raw_chained_read", chained)
        result.add("raw_append", raw.sqlite_append(path, options.workdir / "raw.sqlite"))
        result.facts["eventsourcing"] = peers.sqlite_run(
            options.workdir / "eventsourcing.sqlite", options.events
        )
        if options.replay:
            replay_all(store, result)
        if options.streaming:
            _streaming(store, result)
        if options.acts:
            result.facts.update(acts_bench.act_costs(store, options.cycle_sizes))
            extra = [options.workdir / f"{name}.sqlite" for name in _example_names(options)]
            for file in extra:
                file.unlink(missing_ok=True)
            result.facts.update(
                acts_bench.example_scaling(
                    lambda name: f"sqlite:///{options.workdir / name}.sqlite",
                    options.example_factors,
                )
            )
    finally:
        store.close()
        if not options.keep:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
                for name in _example_names(options):
                    (options.workdir / f"{name}.sqlite{suffix}").unlink(missing_ok=True)
            (options.workdir / "raw.sqlite").unlink(missing_ok=True)
    return result


def _eventsourcing_postgres(admin: Any, options: Options, schema: str) -> dict[str, Any]:
    """The peer's workload in a schema of its own, its size measured, then dropped."""
    url = make_url(options.pg_url)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        found = peers.postgres_run(
            url.host or "127.0.0.1", url.port or 5432, url.username or "postgres",
            url.database or "postgres", schema, options.events,
        )  # fmt: skip
        if "events" in found:
            with admin.connect() as conn:
                total = conn.execute(
                    text(
                        "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c "
                        "JOIN pg_namespace n ON n.oid = c.relnamespace "
                        "WHERE n.nspname = :schema AND c.relkind = 'r'"
                    ),
                    {"schema": schema},
                ).scalar()
            found["bytes_per_event"] = round(int(total or 0) / found["events"], 1)
        return found
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))


def _streaming(store: SqlEventStore, result: BackendResult) -> None:
    streams = store.streams()
    cycle = result.facts.get("as_of_cycle") or streams[len(streams) // 2]
    result.facts["streaming"] = streaming_peaks(store.url, cycle)


def _example_names(options: Options) -> list[str]:
    return [f"example{factor}" for factor in options.example_factors]


def _sqlite_sizes(path: Path, events: int) -> dict[str, Any]:
    import sqlite3

    connection = sqlite3.connect(path)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    by_object = dict(
        connection.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall()
    )
    measurement = connection.execute(
        "SELECT avg(length(CAST(payload AS BLOB))) FROM events WHERE type = 'MeasurementRecorded'"
    ).fetchone()[0]
    connection.close()
    size = path.stat().st_size
    return {
        "bytes_per_event": round(size / events, 1),
        "file_bytes": size,
        "bytes_per_event_by_object": {
            k: round(v / events, 1) for k, v in sorted(by_object.items())
        },
        "measurement_payload_bytes": round(measurement or 0, 1),
    }


def run_postgresql(options: Options) -> BackendResult:
    result = BackendResult("postgresql", options.events)
    schema = f"bench_{options.events}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(options.pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in options.pg_url else "?"
    url = f"{options.pg_url}{separator}options={quote(f'-csearch_path={schema}')}"
    plain = make_url(options.pg_url).set(drivername="postgresql")
    server_conninfo = plain.render_as_string(hide_password=False)
    conninfo = server_conninfo
    conninfo += f"{separator}options={quote(f'-csearch_path={schema}')}"
    store = open_store(url, create=True)
    try:
        append_all(store, options, result)
        with admin.connect() as conn:
            conn.execute(text(f'VACUUM ANALYZE "{schema}".events'))
            total = conn.execute(
                text(f"SELECT pg_total_relation_size('\"{schema}\".events')")
            ).scalar()
            parts = conn.execute(
                text(
                    "SELECT c.relname, pg_relation_size(c.oid) FROM pg_class c "
                    "JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = :schema AND c.relkind IN ('r', 'i')"
                ),
                {"schema": schema},
            ).all()
            measurement = conn.execute(
                text(
                    f'SELECT avg(octet_length(payload)) FROM "{schema}".events '
                    "WHERE type = 'MeasurementRecorded'"
                )
            ).scalar()
        result.facts["bytes_per_event"] = round(int(total or 0) / options.events, 1)
        result.facts["bytes_per_event_by_object"] = {
            name: round(size / options.events, 1) for name, size in sorted(parts)
        }
        result.facts["measurement_payload_bytes"] = round(float(measurement or 0), 1)
        verify_all(store, result)
        plain_read, chained = raw.postgres_reads(conninfo)
        result.add("raw_read", plain_read)
        result.add("raw_chained_read", chained)
        result.add("raw_append", raw.postgres_append(conninfo, server_conninfo, f"{schema}_raw"))
        result.facts["eventsourcing"] = _eventsourcing_postgres(admin, options, f"{schema}_es")
        if options.replay:
            replay_all(store, result)
        if options.streaming:
            _streaming(store, result)
        if options.acts:
            result.facts.update(acts_bench.act_costs(store, options.cycle_sizes))

            def example_url(name: str) -> str:
                with admin.connect() as conn:
                    conn.execute(text(f'CREATE SCHEMA "{schema}_{name}"'))
                return (
                    f"{options.pg_url}{separator}options={quote(f'-csearch_path={schema}_{name}')}"
                )

            result.facts.update(acts_bench.example_scaling(example_url, options.example_factors))
    finally:
        store.close()
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}_raw" CASCADE'))
            for name in _example_names(options):
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}_{name}" CASCADE'))
            if not options.keep:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()
    result.facts["schema"] = schema if options.keep else None
    return result
