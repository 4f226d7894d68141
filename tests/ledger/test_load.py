"""Several processes append at once for a fixed time: nothing lost, duplicated or forked.

Each writer is a real process with its own store. For `DURATION_SECONDS` it appends small
batches, alternating between a cycle shared by every writer (re-reading the version and
retrying on ConcurrencyConflict, as a real caller does) and a cycle of its own, and reports
every event id the store confirmed. Afterwards every confirmed event must be in the ledger
exactly once, nothing else may be there, seq must run 1..N without a gap, every cycle's
versions must run 1..n in seq order (no fork), and the chain must verify. The throughput is
printed for the reader; no timing is asserted.
"""

import json
import os
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest

from ledger.connect import open_store
from ledger.verify import verify_rows

ROOT = Path(__file__).resolve().parents[2]
WRITERS = 3
DURATION_SECONDS = 4.0
BATCH = 5
CHILD_TIMEOUT_SECONDS = 120

WRITER = """
import json, sys, time
from ledger.connect import open_store
from ledger.errors import ConcurrencyConflict
from ledger.records import NewEvent
from events.cycle import CycleReopened
from datetime import date

url, writer, duration, batch = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
store = open_store(url)
confirmed, conflicts, number = [], 0, 0
print("ready", flush=True)
sys.stdin.readline()
deadline = time.monotonic() + duration
while time.monotonic() < deadline:
    stream = "shared/2020" if number % 2 == 0 else f"writer-{writer}/2020"
    news = [NewEvent(CycleReopened(reason=f"w{writer}-{number}-{i}"), date(2020, 5, 1),
                     f"writer{writer}", "controller") for i in range(batch)]
    while True:
        try:
            entries = store.append(stream, news, expected_version=store.stream_version(stream))
            break
        except ConcurrencyConflict:
            conflicts += 1
    confirmed += [entry.event_id for entry in entries]
    number += 1
store.close()
print(json.dumps({"confirmed": confirmed, "conflicts": conflicts}), flush=True)
"""


@pytest.mark.slow
def test_concurrent_writers_for_a_fixed_time_lose_duplicate_and_fork_nothing(
    db_url: str, backend: str, capsys: pytest.CaptureFixture[str]
) -> None:
    open_store(db_url, create=True).close()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, db_url, str(n), str(DURATION_SECONDS), str(BATCH)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(WRITERS)
    ]
    for process in writers:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready", process.stderr
    started = time.perf_counter()
    reports = []
    for process in writers:
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
    for process in writers:
        out, err = process.communicate(timeout=CHILD_TIMEOUT_SECONDS)
        assert process.returncode == 0, err
        reports.append(json.loads(out.strip().splitlines()[-1]))
    elapsed = time.perf_counter() - started
    confirmed = [event_id for report in reports for event_id in report["confirmed"]]

    store = open_store(db_url)
    try:
        rows = list(store.read_rows())
        verdict = verify_rows(rows)
    finally:
        store.close()

    stored_ids = [row.event_id for row in rows]
    assert len(confirmed) == len(set(confirmed)), "a writer was confirmed the same event twice"
    assert sorted(stored_ids) == sorted(confirmed), "stored events differ from confirmed ones"
    assert [row.seq for row in rows] == list(range(1, len(rows) + 1))
    versions: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        versions[row.stream].append(row.version)
    for stream, seen in versions.items():
        assert seen == list(range(1, len(seen) + 1)), f"{stream} is forked or has a gap"
    assert verdict.ok, f"seq {verdict.broken_seq}: {verdict.reason}"
    assert len(versions) == WRITERS + 1

    with capsys.disabled():
        conflicts = sum(report["conflicts"] for report in reports)
        print(
            f"\n[load] {backend}: {WRITERS} writers x {DURATION_SECONDS:.0f} s, batches of "
            f"{BATCH}: {len(rows)} events ({len(rows) / elapsed:,.0f} events/s overall, "
            f"{len(rows) / BATCH / elapsed:,.0f} commits/s), {conflicts} conflicts retried"
        )
