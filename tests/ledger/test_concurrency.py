"""Several processes append at once: every event lands exactly once, in one gapless chain.

Real processes (multiprocessing's 'spawn' context, so that no connection or lock is inherited),
each with its own store, on the backend under test. SQLite queues them on BEGIN IMMEDIATE and
its busy timeout; PostgreSQL on the append advisory lock.
"""

import multiprocessing
from collections import defaultdict

from events.cycle import CycleReopened
from ledger.connect import open_store
from ledger.verify import verify_rows
from tests.ledger.writers import SHARED, marker, own_stream, write_events

WRITERS = 4
EVENTS_EACH = 30
JOIN_TIMEOUT_SECONDS = 120


def test_concurrent_writers_each_land_every_event_exactly_once(db_url: str) -> None:
    open_store(db_url, create=True).close()
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    writers = [
        context.Process(target=write_events, args=(db_url, writer, EVENTS_EACH, start))
        for writer in range(WRITERS)
    ]
    for process in writers:
        process.start()
    start.set()
    for process in writers:
        process.join(JOIN_TIMEOUT_SECONDS)
    assert [process.exitcode for process in writers] == [0] * WRITERS

    store = open_store(db_url)
    try:
        rows = list(store.read_rows())
        entries = list(store.read())
        streams = store.streams()
        versions = {stream: [e.version for e in store.read_stream(stream)] for stream in streams}
    finally:
        store.close()

    total = WRITERS * EVENTS_EACH
    assert [row.seq for row in rows] == list(range(1, total + 1))
    verdict = verify_rows(rows)
    assert verdict.ok, verdict.reason
    assert verdict.checked == total

    markers: list[str] = []
    by_writer: dict[int, list[int]] = defaultdict(list)
    for entry in entries:
        event = entry.event
        assert isinstance(event, CycleReopened)
        markers.append(event.reason)
        writer, number = event.reason.removeprefix("w").split("-")
        by_writer[int(writer)].append(int(number))
    expected = {marker(w, n) for w in range(WRITERS) for n in range(EVENTS_EACH)}
    assert len(markers) == total
    assert set(markers) == expected
    # Each writer's own program order survives in the global order.
    assert all(numbers == sorted(numbers) for numbers in by_writer.values())

    assert sorted(streams) == sorted([SHARED, *(own_stream(w) for w in range(WRITERS))])
    assert all(found == list(range(1, len(found) + 1)) for found in versions.values())
    assert sum(len(found) for found in versions.values()) == total
    assert [row.recorded_at for row in rows] == sorted(row.recorded_at for row in rows)
