"""`python -m bench.proofs --events 1000000 --backend sqlite`: the Merkle tree at national size.

Builds a ledger of N events through the real append path (or reuses one given with --db),
then times, each as a whole `ledger` process as a user runs it, with its peak memory (max RSS):

- the first `ledger digest` (it fills the cache of subtree hashes: one pass over the hashes),
- a warm `ledger digest`,
- `ledger proof inclusion SEQ --format json` for events spread over the ledger,
- `ledger proof consistency --from LINE` from the middle of the ledger to its head,

and, in this process, `Prover.inclusion` alone (a fresh tree each time: no memory carried).
The target (issue 14): a proof for one event of a 1M-event ledger in well under a second,
memory flat in the ledger's size. Results are printed and saved under bench/results/.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import create_engine, delete, text

from events.cycle import CycleReopened
from ledger.connect import open_store
from ledger.proofs import Prover
from ledger.records import NewEvent
from ledger.tables import merkle_nodes
from ledger.tree import LedgerTree
from ledger.verify import Digest

RESULTS = Path(__file__).resolve().parent / "results"
DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BATCH = 5000
LEDGER = [str(Path(sys.executable).parent / "ledger")]  # the console script, as users run it


@contextmanager
def pg_schema() -> Iterator[str]:
    """A schema of its own on the benchmark's PostgreSQL server, dropped afterwards."""
    server = os.environ.get("LEDGER_BENCH_PG_URL", DEFAULT_PG_URL)
    schema = f"bench_proofs_{datetime.now(UTC):%Y%m%d%H%M%S}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{server}?options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def build(url: str, events: int) -> float:
    """Append `events` events in batches through the store; return the seconds it took."""
    store = open_store(url, create=True)
    started = time.perf_counter()
    try:
        version = store.stream_version("bench/proofs")
        while version < events:
            count = min(BATCH, events - version)
            batch = [
                NewEvent(
                    CycleReopened(reason=f"riapertura {version + n}"),
                    date(2021, 1, 1),
                    "bench",
                    "controller",
                )
                for n in range(count)
            ]
            store.append("bench/proofs", batch, expected_version=version)
            version += count
    finally:
        store.close()
    return time.perf_counter() - started


def timed(url: str, *args: str) -> dict[str, Any]:
    """Run `ledger --db URL ARGS` as a process: its wall time, peak RSS and output."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen([*LEDGER, "--db", url, *args], stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode != 0:
            raise RuntimeError(f"ledger {' '.join(args)} failed: {err.read().decode()}")
        return {
            "seconds": round(seconds, 3),
            "max_rss_mib": round(usage.ru_maxrss / 1024, 1),
            "stdout": out.read().decode("utf-8"),
        }


def figures(run_: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in run_.items() if key != "stdout"}


def run(url: str, events: int, build_seconds: float | None) -> dict[str, Any]:
    """Every measured step, as a dict of figures."""
    result: dict[str, Any] = {"events": events, "url": url.split("?")[0], "build_s": build_seconds}
    result["digest_first"] = figures(timed(url, "digest"))
    warm = timed(url, "digest")
    result["digest_warm"] = figures(warm)
    result["head"] = Digest.parse(warm["stdout"]).line()
    result["inclusion_process"] = [
        {"seq": seq, **figures(timed(url, "proof", "inclusion", str(seq), "--format", "json"))}
        for seq in (1, events // 3, events // 2 + 7, events - 1, events)
    ]
    result["in_process"] = in_process(url, events)
    store = open_store(url)
    try:
        seqs = (2, events // 4, events - 3)
        started = time.perf_counter()
        for seq in seqs:
            Prover(store).inclusion(seq)
        result["inclusion_in_process_ms"] = round(
            (time.perf_counter() - started) / len(seqs) * 1000, 1
        )
        middle = store.entry(seq=events // 2)
        if middle is None:
            raise RuntimeError(f"the ledger has no seq {events // 2}")
        half = Prover(store).checked(Digest(middle.seq, middle.hash))
    finally:
        store.close()
    consistency = timed(url, "proof", "consistency", "--from", half.line(), "--format", "json")
    result["consistency_process"] = figures(consistency)
    result["python_startup_s"] = timed_startup()
    return result


def in_process(url: str, events: int) -> dict[str, Any]:
    """Python heap peaks (tracemalloc) of a cold cache fill and of one proof, in this process:
    what the tree code holds, without the interpreter and SQLite's own page cache (bounded at
    64 MiB per connection, ledger/sqlite.py), which a process's max RSS also counts."""
    store = open_store(url)
    try:
        with store.side_transaction() as conn:
            conn.execute(delete(merkle_nodes))
        tracemalloc.start()
        started = time.perf_counter()
        root = LedgerTree(store).root(events)
        fill = time.perf_counter() - started
        fill_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        started = time.perf_counter()
        Prover(store).inclusion(events // 2 + 1)
        proof = time.perf_counter() - started
        proof_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    finally:
        store.close()
    return {
        "cold_cache_fill_s": round(fill, 2),
        "cold_cache_fill_heap_peak_mib": round(fill_peak / 2**20, 2),
        "one_proof_ms": round(proof * 1000, 1),
        "one_proof_heap_peak_mib": round(proof_peak / 2**20, 2),
        "root": root.hex(),
    }


def timed_startup() -> float:
    """The cost of starting `ledger --help`: what every process figure above includes."""
    started = time.perf_counter()
    subprocess.run([*LEDGER, "--help"], capture_output=True, check=True)
    return round(time.perf_counter() - started, 3)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--db", help="build into (or reuse) this ledger, up to --events events")
    args = parser.parse_args(argv)
    build_seconds = None
    with ExitStack() as stack:
        folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-proofs-"))
        url = args.db
        if url is None and args.backend == "sqlite":
            url = f"sqlite:///{Path(folder) / 'ledger.db'}"
        elif url is None:
            url = stack.enter_context(pg_schema())
        build_seconds = round(build(url, args.events), 1)
        result = run(url, args.events, build_seconds)
    result["machine"] = f"{platform.machine()} {os.cpu_count()} cores, {platform.python_version()}"
    result["date"] = datetime.now(UTC).isoformat(timespec="seconds")
    print(json.dumps(result, indent=2))
    RESULTS.mkdir(exist_ok=True)
    name = f"proofs-{args.backend}-{args.events}-{datetime.now(UTC):%Y%m%dT%H%M%S}.json"
    (RESULTS / name).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
