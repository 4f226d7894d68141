"""The cost of one act against the size of its cycle, and of `ledger example` against its events.

Issue 15's target: one `record measurement` costs the same in a cycle of 200, 5,000 or 50,000
events (the largest within 2x of the smallest). Each cycle is the bench's plan (50 actions)
followed by monthly measurements up to its size, appended to the ledger under test (so the
ledger around it has the bench's size); then, through the use case the CLI calls:

- the *first* act, which finds no snapshot, folds the whole cycle and writes one;
- the *steady* cost: the median of `ACTS` acts after it (each folds the tail after the
  snapshot, which is written again every `SNAPSHOT_EVERY` events);
- the whole `ledger record measurement` command (typer's CliRunner, in process: it opens an
  engine each time, as the command does), median of `COMMANDS`.

`ledger example sondrio-2020` is loaded once into an empty ledger of the same backend, and
its time is given per event recorded (the acts file is many acts, all checked, all or none
written): the per-event cost must not grow with the events it records.
"""

import statistics
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from bench.national import NationalLedger
from events.measurement import MeasurementRecorded, Period
from ledger.records import NewEvent
from ledger.store import SqlEventStore

CYCLE_SIZES = (200, 5_000, 50_000)
ACTS = 21
COMMANDS = 5
_DAY = date(2020, 12, 31)


def _cycle(store: SqlEventStore, size: int) -> tuple[str, str]:
    """A cycle of `size` events (plan, approval, measurements); its stream and an action."""
    plan = next(NationalLedger(10_000, years=1, first_year=2020, seed=size).chunks())
    stream = f"bench-acts-{size}/2020"
    first = [
        NewEvent(n.event, n.effective_date, n.actor, n.role, f"{stream}#{n.idempotency_key}")
        for n in plan.events
    ]
    actions = [n.event.key for n in plan.events if getattr(n.event, "level", "") == "action"]  # type: ignore[attr-defined]
    store.append(stream, first, expected_version=0)
    period = Period(start=date(2020, 1, 1), end=date(2020, 12, 31))
    version, count = len(first), len(first)
    while count < size:
        batch = [
            NewEvent(
                MeasurementRecorded(
                    action=actions[(count + i) % len(actions)],
                    value=Decimal(count + i) / 100,
                    unit="%",
                    period=period,
                ),
                date(2020, 1 + (count + i) * 12 // size % 12, 28),
                "controller@bench",
                "controller",
            )
            for i in range(min(5000, size - count))
        ]
        store.append(stream, batch, expected_version=version)
        version += len(batch)
        count += len(batch)
    return stream, actions[0]


def _timed(act: Callable[[], Any]) -> float:
    started = time.perf_counter()
    act()
    return (time.perf_counter() - started) * 1000


def act_costs(store: SqlEventStore, sizes: tuple[int, ...] = CYCLE_SIZES) -> dict[str, Any]:
    """The cost of one `record measurement` in cycles of each of CYCLE_SIZES events."""
    from typer.testing import CliRunner

    from cli.app import app
    from projections import acts, measuring

    actor = acts.Actor("controller@bench", "controller")
    period = Period(start=date(2020, 1, 1), end=date(2020, 12, 31))
    runner = CliRunner()
    found: dict[str, Any] = {}
    for size in sizes:
        stream, action = _cycle(store, size)

        def record(stream: str = stream, action: str = action) -> None:
            measuring.record_measurement(
                store, stream, action, Decimal("42.5"), "%", period, _DAY, actor
            )

        first = _timed(record)
        steady = statistics.median(_timed(record) for _ in range(ACTS))
        args = ["--db", store.url, "record", "measurement", action, "42,5", "--cycle", stream,
                "--period", "2020", "--date", "31/12/2020"]  # fmt: skip
        commands = []
        for _ in range(COMMANDS):
            started = time.perf_counter()
            outcome = runner.invoke(app, args, env={"LEDGER_ACTOR": "controller@bench"})
            commands.append((time.perf_counter() - started) * 1000)
            if outcome.exit_code != 0:
                found[f"command_{size}"] = f"exit {outcome.exit_code}: {outcome.output[-300:]}"
                break
        found[f"act_{size}"] = {
            "events": store.stream_version(stream),
            "first_ms": round(first, 2),
            "steady_ms": round(steady, 2),
            "command_ms": round(statistics.median(commands), 2),
        }
    smallest, largest = found[f"act_{sizes[0]}"], found[f"act_{sizes[-1]}"]
    found["act_largest_over_smallest"] = round(largest["steady_ms"] / smallest["steady_ms"], 2)
    found["command_largest_over_smallest"] = round(
        largest["command_ms"] / smallest["command_ms"], 2
    )
    return found


def example_scaling(url_for: Callable[[str], str], factors: tuple[int, ...]) -> dict[str, Any]:
    """`ledger example` and acts files like it with its measurements repeated `factor` times,
    each loaded into an empty ledger (`url_for(name)`): time against events recorded."""
    import shutil
    import tempfile
    from pathlib import Path

    import yaml

    from cli.example import EXAMPLES, KNOWN
    from formats.readers.acts_load import load_acts_file
    from ledger.connect import open_store
    from projections import acts

    acts_name = KNOWN["sondrio-2020"][0]
    document = yaml.safe_load((EXAMPLES / acts_name).read_text(encoding="utf-8"))
    rows: list[dict[str, Any]] = []
    folder = Path(tempfile.mkdtemp(prefix="ledger-example-"))
    try:
        for name in EXAMPLES.iterdir():
            shutil.copy(name, folder / name.name)
        for factor in factors:
            scaled = dict(document)
            scaled["acts"] = []
            for act in document["acts"]:
                scaled["acts"].append(act)
                if act.get("act") == "measurement":
                    scaled["acts"] += [
                        {**act, "id": f"{act['id']}-{copy}"} for copy in range(1, factor)
                    ]
            path = folder / f"scaled-{factor}.yaml"
            path.write_text(yaml.safe_dump(scaled, allow_unicode=True), encoding="utf-8")
            store = open_store(url_for(f"example{factor}"), create=True)
            try:
                started = time.perf_counter()
                report = load_acts_file(
                    store, path, lambda role: acts.Actor("example", role, role_stated=False)
                )
                seconds = time.perf_counter() - started
            finally:
                store.close()
            rows.append(
                {
                    "factor": factor,
                    "events": report.events,
                    "seconds": round(seconds, 3),
                    "ms_per_event": round(seconds * 1000 / max(report.events, 1), 3),
                }
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    per_event = [row["ms_per_event"] for row in rows]
    return {
        "example_by_size": rows,
        "example_largest_over_smallest_per_event": round(per_event[-1] / per_event[0], 2),
    }
