"""The same workload through the `eventsourcing` library, in the same run: a yardstick.

`eventsourcing` (the `bench` extra: `pip install -e ".[bench]"`) is the most used Python event
store. Its application records aggregates' events with optimistic concurrency and a global
notification log, on SQLite or PostgreSQL, as ours does. The workload mirrors the bench's:
cycles of about 700 events (one created event, then measurements with an action, a decimal
value, a unit and a period), saved in transactions of about 5,000 events; then a *global
replay*: every event read back in order from the notification log in pages and decoded into
its domain event object. Only the library's own calls are timed. It hashes nothing and checks
no rule: it is what a plain event store costs, not a ledger.
"""

import os
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

CYCLE = 708
PAGE = 2000


try:
    from eventsourcing.application import Application
    from eventsourcing.domain import Aggregate, event
except ImportError as missing:  # pragma: no cover - the bench extra is not installed
    MISSING: str | None = f"eventsourcing is not installed ({missing}): pip install -e .[bench]"
else:
    MISSING = None

    class Cycle(Aggregate):  # type: ignore[misc]
        """One cycle of the peer's workload: created, then measured."""

        @event("Measured")  # type: ignore[misc]
        def measure(self, action: str, value: Decimal, unit: str, start: str, end: str) -> None:
            """The state a check would need is not kept: only the event matters here."""

    class Ledger(Application):  # type: ignore[misc]
        """The peer's application, persisted as `env` says."""


def run(env: dict[str, str], events: int, batch_events: int = 5000) -> dict[str, Any]:
    """Append `events` events, then replay them all; events/s of each."""
    if MISSING is not None:  # pragma: no cover - the bench extra is not installed
        return {"skipped": MISSING}
    app, cycle_class = Ledger(env=env), Cycle
    appended = 0
    append_seconds = 0.0
    pending: list[Any] = []
    size = 0
    while appended + size < events:
        cycle = cycle_class()
        count = 1
        while count < CYCLE and appended + size + count < events:
            cycle.measure(f"{count % 50}.1", Decimal(count) / 100, "%", "2020-01-01", "2020-12-31")
            count += 1
        pending.append(cycle)
        size += count
        if size >= batch_events:
            started = time.perf_counter()
            app.save(*pending)
            append_seconds += time.perf_counter() - started
            appended += size
            pending, size = [], 0
    if pending:
        started = time.perf_counter()
        app.save(*pending)
        append_seconds += time.perf_counter() - started
        appended += size
    started = time.perf_counter()
    replayed, start = 0, 1
    mapper = app.mapper
    while True:
        page = app.recorder.select_notifications(start=start, limit=PAGE)
        if not page:
            break
        for notification in page:
            mapper.to_domain_event(notification)
        replayed += len(page)
        start = page[-1].id + 1
    replay_seconds = time.perf_counter() - started
    app.close()
    return {
        "events": appended,
        "append_events_per_s": round(appended / append_seconds, 1),
        "replay_events_per_s": round(replayed / replay_seconds, 1),
        "replayed": replayed,
    }


def sqlite_run(path: Path, events: int) -> dict[str, Any]:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    found = run({"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(path)}, events)
    if "events" in found:
        import sqlite3

        connection = sqlite3.connect(path)
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.close()
        found["bytes_per_event"] = round(path.stat().st_size / found["events"], 1)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return found


def postgres_run(
    host: str, port: int, user: str, dbname: str, schema: str, events: int
) -> dict[str, Any]:
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": dbname,
        "POSTGRES_HOST": host,
        "POSTGRES_PORT": str(port),
        "POSTGRES_USER": user,
        "POSTGRES_PASSWORD": os.environ.get("PGPASSWORD", ""),
        "POSTGRES_SCHEMA": schema,
    }
    return run(env, events)
