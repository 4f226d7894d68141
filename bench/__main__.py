"""`python -m bench --events 100000 --backend sqlite,postgresql`: the national-size benchmark.

Prints, for each backend, every step's events/s and peak memory, each figure as a ratio to
its raw limit measured in the same run, and whether it meets the target of issue 6 (or by
how much it misses); saves the same as JSON under bench/results/.
"""

import argparse
import json
import os
import platform
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.run import BackendResult, Options, run_postgresql, run_sqlite

RESULTS = Path(__file__).resolve().parent / "results"
DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"

APPEND_TARGET = 0.50
VERIFY_TARGET = 0.70
REPLAY_TARGET = 0.50
BYTES_TARGET = 300.0
AS_OF_WARM_TARGET_MS = 50.0
ACT_FLAT_TARGET = 2.0
PEER_REPLAY_TARGET = 2.0


def ratio_verdict(value: float, limit: float, target: float) -> str:
    """'met' or by how much the ratio misses its target."""
    if limit <= 0:
        return "no limit measured"
    ratio = value / limit
    if ratio >= target:
        return f"met ({ratio:.0%} of raw, target {target:.0%})"
    return f"MISSED by {1 - ratio / target:.0%} ({ratio:.0%} of raw, target {target:.0%})"


def at_most_verdict(value: float, target: float, unit: str) -> str:
    if value <= target:
        return f"met ({value:.1f} {unit} <= {target:.0f})"
    return f"MISSED by {value - target:.1f} {unit} ({value / target - 1:.0%} over {target:.0f})"


def verdicts(result: BackendResult) -> dict[str, str]:
    """Every target of the issue against this backend's figures."""
    steps, facts = result.steps, result.facts
    found: dict[str, str] = {}
    if "append" in steps and "raw_append" in steps:
        found["append >= 50% of raw chained append"] = ratio_verdict(
            steps["append"].rate, steps["raw_append"].rate, APPEND_TARGET
        )
    if "verify" in steps and "raw_chained_read" in steps:
        found["verify >= 70% of raw chained read"] = ratio_verdict(
            steps["verify"].rate, steps["raw_chained_read"].rate, VERIFY_TARGET
        )
    if "replay" in steps and "raw_read" in steps:
        found["full replay >= 50% of raw read"] = ratio_verdict(
            steps["replay"].rate, steps["raw_read"].rate, REPLAY_TARGET
        )
    if "bytes_per_event" in facts:
        found["<= 300 bytes per event"] = at_most_verdict(
            facts["bytes_per_event"], BYTES_TARGET, "bytes"
        )
    if "as_of_warm_ms" in facts:
        found["replay --as-of warm < 50 ms (store + projection)"] = at_most_verdict(
            facts["as_of_warm_ms"], AS_OF_WARM_TARGET_MS, "ms"
        )
    peer = facts.get("eventsourcing", {})
    if "replay_events_per_s" in peer and "global_replay" in steps:
        ratio = steps["global_replay"].rate / peer["replay_events_per_s"]
        verdict = "met" if ratio >= PEER_REPLAY_TARGET else f"MISSED by {1 - ratio / 2:.0%}"
        found["global replay >= 2x eventsourcing's global replay"] = f"{verdict} ({ratio:.2f}x)"
    if "global_replay" in steps and "raw_read" in steps:
        found["global replay >= 50% of raw read"] = ratio_verdict(
            steps["global_replay"].rate, steps["raw_read"].rate, REPLAY_TARGET
        )
    if "act_largest_over_smallest" in facts:
        ratio = facts["act_largest_over_smallest"]
        verdict = "met" if ratio <= ACT_FLAT_TARGET else "MISSED"
        found["one act: largest cycle within 2x of the smallest"] = (
            f"{verdict} ({ratio:.2f}x use case, {facts['command_largest_over_smallest']:.2f}x "
            "whole command)"
        )
    if "example_largest_over_smallest_per_event" in facts:
        ratio = facts["example_largest_over_smallest_per_event"]
        verdict = "met" if ratio <= ACT_FLAT_TARGET else "MISSED"
        found["ledger load/example linear (time per event within 2x)"] = f"{verdict} ({ratio:.2f}x)"
    if "cli_replay_warm_ms" in facts:
        found["ledger replay --as-of warm < 50 ms (whole command)"] = at_most_verdict(
            facts["cli_replay_warm_ms"], AS_OF_WARM_TARGET_MS, "ms"
        )
    return found


LIMITS = {
    "append": "raw_append",
    "verify": "raw_chained_read",
    "replay": "raw_read",
    "global_replay": "raw_read",
}


def report(result: BackendResult) -> str:
    """The human table of one backend."""
    lines = [f"== {result.backend}: {result.events:,} events =="]
    lines.append(
        f"{'step':<36}{'events/s':>12}{'ratio':>8}{'seconds':>10}{'peak RSS MiB':>14}"
        f"{'grew MiB':>10}{'load':>6}"
    )
    for key, step in result.steps.items():
        limit = result.steps.get(LIMITS.get(key, ""))
        ratio = f"{step.rate / limit.rate:.2f}" if limit and limit.rate else ""
        lines.append(
            f"{step.name:<36}{step.rate:>12,.0f}{ratio:>8}{step.seconds:>10.2f}"
            f"{step.peak_rss_mb:>14.1f}{step.peak_rss_mb - step.start_rss_mb:>10.1f}"
            f"{step.extra.get('load_avg_1m', 0):>6.1f}"
        )
    facts = result.facts
    for key in (
        "bytes_per_event",
        "measurement_payload_bytes",
        "as_of_cycle",
        "as_of_cycle_events",
        "as_of_cold_ms",
        "as_of_warm_ms",
        "cli_replay_cold_ms",
        "cli_replay_warm_ms",
        "replay",
        "cli_replay",
    ):
        if key in facts:
            lines.append(f"  {key}: {facts[key]}")
    if "bytes_per_event_by_object" in facts:
        parts = ", ".join(f"{k} {v}" for k, v in facts["bytes_per_event_by_object"].items())
        lines.append(f"  bytes per event by table/index: {parts}")
    if "append" in result.steps:
        extra = result.steps["append"].extra
        lines.append(
            f"  import incl. building the events (pydantic): {extra['import_events_per_s']:,.0f}"
            f" events/s; transactions of {extra['transactions_of']} events"
        )
    if "raw_append" in result.steps:
        raw_bytes = result.steps["raw_append"].extra["bytes_per_event"]
        lines.append(f"  raw table bytes/event: {raw_bytes}")
    lines += acts_report(result)
    lines.append("  targets:")
    lines += [f"    {name}: {verdict}" for name, verdict in verdicts(result).items()]
    return "\n".join(lines)


def acts_report(result: BackendResult) -> list[str]:
    """The lines of the single acts, the peer, the streaming commands and the example."""
    facts = result.facts
    lines: list[str] = []
    acts = sorted(
        (int(key.split("_")[1]), value)
        for key, value in facts.items()
        if key.startswith("act_") and isinstance(value, dict)
    )
    if acts:
        lines.append("  one `record measurement` by cycle size (first act builds the snapshot):")
        for _, cost in acts:
            lines.append(
                f"    {cost['events']:>7,} events: first {cost['first_ms']:.1f} ms, steady "
                f"{cost['steady_ms']:.1f} ms (use case), {cost['command_ms']:.1f} ms (command)"
            )
    peer = facts.get("eventsourcing", {})
    if "append_events_per_s" in peer:
        ours = {
            key: result.steps[key].rate
            for key in ("append", "global_replay")
            if key in result.steps
        }
        lines.append(
            f"  eventsourcing, same workload: append {peer['append_events_per_s']:,.0f} events/s"
            f" (ours {ours.get('append', 0) / peer['append_events_per_s']:.2f}x), global replay "
            f"{peer['replay_events_per_s']:,.0f} events/s (ours "
            f"{ours.get('global_replay', 0) / peer['replay_events_per_s']:.2f}x), "
            f"{peer.get('bytes_per_event', 0):.0f} bytes/event"
        )
    elif peer:
        lines.append(f"  eventsourcing: {peer}")
    for name, peak in facts.get("streaming", {}).items():
        lines.append(
            f"  peak RSS of `{name}`: {peak['peak_rss_mb']:.0f} MiB in {peak['seconds']:.1f} s"
            + (f" (exit {peak['exit']}: {peak.get('error', '')})" if peak["exit"] else "")
        )
    for row in facts.get("example_by_size", []):
        lines.append(
            f"  ledger load, example x{row['factor']}: {row['events']:,} events in "
            f"{row['seconds']:.2f} s, {row['ms_per_event']:.2f} ms/event"
        )
    return lines


def as_json(result: BackendResult) -> dict[str, Any]:
    return {
        "backend": result.backend,
        "events": result.events,
        "steps": {key: step.as_dict() for key, step in result.steps.items()},
        "facts": result.facts,
        "targets": verdicts(result),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--events", type=int, default=100_000, help="ledger size (default 100000)")
    parser.add_argument(
        "--backend", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql"
    )
    parser.add_argument(
        "--batch-events",
        type=int,
        default=5000,
        help="events per append transaction (many streams each; default 5000)",
    )
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "ledger-bench"
    )
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("LEDGER_TEST_PG_URL", DEFAULT_PG_URL),
        help="PostgreSQL server; a fresh schema is created and dropped",
    )
    parser.add_argument("--keep", action="store_true", help="keep the ledgers afterwards")
    parser.add_argument("--no-replay", action="store_true", help="skip the projection steps")
    parser.add_argument(
        "--no-acts", action="store_true", help="skip the cost of single acts and of the example"
    )
    parser.add_argument(
        "--no-streaming", action="store_true", help="skip the peak memory of streaming commands"
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="development sizes: 10000 events unless --events, cycles of 200/1000/5000 events",
    )
    args = parser.parse_args(argv)
    quick = args.quick
    options = Options(
        events=10_000 if quick and "--events" not in (argv or sys.argv) else args.events,
        batch_events=args.batch_events,
        workdir=args.workdir,
        pg_url=args.pg_url,
        keep=args.keep,
        replay=not args.no_replay,
        cycle_sizes=(200, 1_000, 5_000) if quick else (200, 5_000, 50_000),
        example_factors=(1, 4) if quick else (1, 10, 40),
        acts=not args.no_acts,
        streaming=not args.no_streaming,
    )
    runners = {"sqlite": run_sqlite, "postgresql": run_postgresql}
    chosen = [name.strip() for name in args.backend.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in runners]
    if unknown:
        parser.error(f"unknown backend(s) {', '.join(unknown)} (choose sqlite, postgresql)")
    started = datetime.now(UTC)
    results = []
    for name in chosen:
        result = runners[name](options)
        print(report(result), flush=True)
        results.append(result)
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"{started:%Y%m%dT%H%M%SZ}-{options.events}-{'-'.join(chosen)}.json"
    document = {
        "command": "python -m bench " + " ".join(sys.argv[1:] if argv is None else argv),
        "started": started.isoformat(),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "results": [as_json(result) for result in results],
    }
    out.write_text(json.dumps(document, indent=2, default=str))
    print(f"saved {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
