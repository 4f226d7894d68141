"""An import killed at any moment leaves the ledger valid, and its batch all there or absent.

Each round starts a real process that builds a 200-event batch over four new cycles, says it
is ready, and imports the batch with one `append_batches`; the test SIGKILLs it after a random
delay spread over the import's own duration (measured once, uninterrupted), so the kills land
before, during and after the commit. After every kill the chain must verify and the round's
batch must be entirely present or entirely absent. No timing is asserted: the summary of where
the kills landed is printed for the reader.
"""

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from ledger.connect import open_store
from ledger.verify import verify_rows

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 50
STREAMS_PER_ROUND = 4
EVENTS_PER_STREAM = 50
BATCH = STREAMS_PER_ROUND * EVENTS_PER_STREAM
CHILD_TIMEOUT_SECONDS = 60

CHILD = """
import sys, time
from datetime import date
from decimal import Decimal
from events.cycle import CycleOpened
from events.measurement import MeasurementRecorded, Period
from ledger.connect import open_store
from ledger.records import NewEvent

url, tag, streams, per_stream = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
store = open_store(url)
period = Period(start=date(2020, 1, 1), end=date(2020, 1, 31))
batches = []
for s in range(streams):
    stream = f"{tag}-{s}/2020"
    events = [NewEvent(CycleOpened(entity=f"{tag}-{s}", entity_name="Ente", year=2020),
                       date(2020, 1, 2), "controller@ente", "controller",
                       idempotency_key=f"{stream}#open")]
    events += [NewEvent(MeasurementRecorded(action=f"1.1.{n}", value=Decimal(n), unit="%",
                                            period=period),
                        date(2020, 2, 5), "controller@ente", "controller",
                        idempotency_key=f"{stream}#m{n}")
               for n in range(1, per_stream)]
    batches.append((stream, events, 0))
print("ready", flush=True)
started = time.perf_counter()
store.append_batches(batches)
print(f"done {time.perf_counter() - started:.6f}", flush=True)
"""


def _start(url: str, tag: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-c", CHILD, url, tag, str(STREAMS_PER_ROUND), str(EVENTS_PER_STREAM)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    line = process.stdout.readline()
    assert line.strip() == "ready", f"child did not start: {line!r} {process.stderr.read()!r}"
    return process


def _import_seconds(url: str) -> float:
    """How long one uninterrupted import takes here, after the child is ready."""
    process = _start(url, "calibration")
    out, err = process.communicate(timeout=CHILD_TIMEOUT_SECONDS)
    assert process.returncode == 0, err
    return float(out.split()[-1])


def _rows_of_round(url: str, tag: str) -> int:
    store = open_store(url)
    try:
        return sum(store.stream_version(f"{tag}-{s}/2020") for s in range(STREAMS_PER_ROUND))
    finally:
        store.close()


@pytest.mark.slow
def test_an_import_killed_at_any_moment_leaves_its_batch_all_there_or_absent(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    open_store(db_url, create=True).close()
    window = _import_seconds(db_url) * 1.3
    rng = random.Random(6)  # noqa: S311 - when to kill, not a secret
    outcomes: Counter[str] = Counter()
    for round_number in range(ROUNDS):
        tag = f"crash{round_number}"
        process = _start(db_url, tag)
        time.sleep(rng.uniform(0, window))
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=CHILD_TIMEOUT_SECONDS)
        landed = "finished before the kill" if process.returncode == 0 else "killed"

        store = open_store(db_url)
        try:
            verdict = verify_rows(store.read_rows())
        finally:
            store.close()
        assert verdict.ok, f"round {round_number}: seq {verdict.broken_seq}: {verdict.reason}"
        rows = _rows_of_round(db_url, tag)
        assert rows in (0, BATCH), f"round {round_number}: {rows} of {BATCH} events recorded"
        outcomes[f"{landed}, batch {'present' if rows else 'absent'}"] += 1

    calibration = _rows_of_round(db_url, "calibration")
    store = open_store(db_url)
    try:
        assert store.count() == calibration + BATCH * sum(
            n for outcome, n in outcomes.items() if outcome.endswith("present")
        )
    finally:
        store.close()
    with capsys.disabled():
        summary = ", ".join(f"{n} {outcome}" for outcome, n in sorted(outcomes.items()))
        print(f"\n[crash] {ROUNDS} SIGKILLs within {window * 1000:.0f} ms of the import: {summary}")
