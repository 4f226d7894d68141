"""Peak memory of the commands that read the whole ledger (or a whole cycle): issue 15 wants
it flat in the ledger's size (the peak at 1M events within 1.5x of the peak at 10k).

Each command runs as its own `ledger` process, as a user runs it, its output thrown away
(or written to a scratch file for `export-trail`); its peak is the process's maximum resident
set size as the kernel reports it, which includes the interpreter and its imports (about
140 MiB before reading anything: `ledger --help` is measured as the floor).
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def _ledger() -> list[str]:
    found = shutil.which("ledger") or str(Path(sys.executable).with_name("ledger"))
    return [found]


def commands(url: str, cycle: str, scratch: Path) -> dict[str, list[str]]:
    """What is measured: every streaming read of the CLI, whole ledger unless it is per cycle."""
    return {
        "ledger --help (the floor)": ["--help"],
        "trail --format csv": ["--db", url, "trail", "--format", "csv"],
        "export-trail --format csv -o FILE": [
            "--db", url, "export-trail", "--format", "csv", "--output", str(scratch), "--force",
        ],
        "log --format csv": ["--db", url, "log", "--format", "csv"],
        "log --format json": ["--db", url, "log", "--format", "json"],
        "audit --cycle C --format json": [
            "--db", url, "audit", "--cycle", cycle, "--format", "json",
        ],
    }  # fmt: skip


_WRAPPER = (
    "import resource, subprocess, sys\n"
    "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "sys.stderr.write(f'{peak} {done.returncode} ' + done.stderr.decode('utf-8', 'replace')[-200:])"
)
"""A small Python process starts the command and reports its peak: the benchmark's own
(large) memory cannot then count in the child's, whatever fork carries over."""


def run_one(args: list[str]) -> dict[str, Any]:
    """One process: its exit status, seconds, and peak RSS in MiB."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-S", "-c", _WRAPPER, *_ledger(), *args],
        capture_output=True,
        check=False,
        env={**os.environ, "LEDGER_LANG": "en", "LEDGER_ACTOR": "bench"},
    )
    seconds = time.perf_counter() - started
    peak, code, *error = done.stderr.decode("utf-8", "replace").split(" ", 2)
    return {
        "exit": int(code),
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(int(peak) / 1024, 1),
        **({"error": " ".join(error)} if int(code) else {}),
    }


def streaming_peaks(url: str, cycle: str) -> dict[str, Any]:
    """Every command of `commands`, once each."""
    folder = Path(tempfile.mkdtemp(prefix="ledger-streaming-"))
    try:
        return {
            name: run_one(args)
            for name, args in commands(url, cycle, folder / "registro.csv").items()
        }
    finally:
        shutil.rmtree(folder, ignore_errors=True)
