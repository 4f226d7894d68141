"""`python -m bench.startup`: how long `ledger` takes to start, against a bare interpreter.

Each command runs as a whole process, as a user starts it: `python -c pass`, `ledger --help`
and `ledger replay` of the reference case (recorded once into a temporary SQLite ledger, not
timed). The three run in turn, round after round, so that a machine that slows down or speeds
up during the run weighs on all three alike; each figure is the median wall time, and the
ratios are medians of the round-by-round ratios. Targets (issue 13): `--help` within 5x of
the bare interpreter, `replay` within 10x, judged on wall time. The CPU time of each run (user
+ system, as the kernel counts it for the child) is printed beside it: other sessions on a
shared machine stretch wall time more than CPU time, so a before/after of a change reads
better there.

The untimed warm-up run of each command writes the bytecode of the modules it imports, as the
first run after an install does (pip compiles a regular install's modules when it installs
them; an editable install's are compiled on their first import). It runs without
PYTHONDONTWRITEBYTECODE, which a sandbox or a CI job may set: under it every timed run would
compile the project's own modules from source again (about 70 of them, 60-100 ms of a
replay), a cost no installed copy pays. The timed runs keep the environment as it is.

    python -m bench.startup --rounds 15
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HELP_TARGET = 5.0
REPLAY_TARGET = 10.0


def timed(command: list[str], environment: dict[str, str]) -> tuple[float, float]:
    """Seconds from start to exit of one run, and its CPU seconds; output discarded."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        command,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=environment,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def median_ratio(runs: list[float], bare: list[float]) -> float:
    return statistics.median(run / base for run, base in zip(runs, bare, strict=True))


def verdict(ratio: float, target: float) -> str:
    return "met" if ratio <= target else f"MISSED (target {target:g}x)"


def main(arguments: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=11, help="timed rounds (default 11)")
    options = parser.parse_args(arguments)
    ledger = str(Path(sys.executable).with_name("ledger"))
    environment = {**os.environ, "LEDGER_LANG": "it", "PAGER": "cat"}
    with tempfile.TemporaryDirectory() as folder:
        db = f"sqlite:///{Path(folder) / 'sondrio.db'}"
        subprocess.run(
            [ledger, "--db", db, "example", "sondrio-2020", "--no-show"],
            check=True,
            stdout=subprocess.DEVNULL,
            env=environment,
        )
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "ledger --help": [ledger, "--help"],
            "ledger replay": [ledger, "--db", db, "replay", "--as-of", "30/06/2021"],
        }
        writing = {k: v for k, v in environment.items() if k != "PYTHONDONTWRITEBYTECODE"}
        for command in commands.values():  # warm-up: the disk cache, the .pyc files
            timed(command, writing)
        times: dict[str, list[float]] = {name: [] for name in commands}
        cpus: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(options.rounds):
            for name, command in commands.items():
                wall, cpu = timed(command, environment)
                times[name].append(wall)
                cpus[name].append(cpu)
    bare, bare_cpu = times["python -c pass"], cpus["python -c pass"]
    print(f"startup of ledger, {options.rounds} rounds, median wall (and CPU) time, machine shared")
    for name, runs in times.items():
        print(
            f"  {name:<16} {statistics.median(runs) * 1000:8.1f} ms"
            f"  (CPU {statistics.median(cpus[name]) * 1000:.1f} ms)"
        )
    for name, target in (("ledger --help", HELP_TARGET), ("ledger replay", REPLAY_TARGET)):
        ratio = median_ratio(times[name], bare)
        cpu_ratio = median_ratio(cpus[name], bare_cpu)
        print(
            f"  {name:<16} {ratio:8.1f}x python -c pass  {verdict(ratio, target)}"
            f"  (CPU {cpu_ratio:.1f}x)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
