"""`python -m bench.web`: the console's latency and throughput, inside a national ledger.

For each backend: a national ledger of N events (bench/national.py, built through the real
append path) with the reference cycle (`ledger example sondrio-2020`) recorded into it; the
console (`python -m web`, read-only: on PostgreSQL through a SELECT-only role made by
`grant_reader`) in a process of its own on a loopback port; then, page by page:

- one client, requests one after another for `--seconds`: p50 and p95 latency;
- `--clients` concurrent clients (threads, keep-alive) for `--seconds`: p50, p95, requests/s;
- beside them, the time of the same projection computed in this process (replay for the
  cruscotto, node_history for the node, the trail page function for the trail);
- the integrity page's first request (a full verify), and its first after one more event is
  appended (the console then verifies only the new row).

The trail's first page is also timed on a 10k-event ledger, to compare with N.
Targets (issue 11): p95 < 150 ms for the cruscotto and the node page; the trail's first page
as fast at 1M as at 10k. Results are printed and saved under bench/results/.

    python -m bench.web --events 1000000 --backend both --seconds 10
    python -m bench.web --quick          # 20k events, 2 s a page: a smoke run
"""

import argparse
import http.client
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.national import NationalLedger
from bench.run import transactions
from cli.example import load_example
from events.cycle import CycleReopened
from ledger.connect import open_store
from ledger.postgresql import PostgresEventStore, grant_reader
from ledger.records import NewEvent
from projections.cruscotto import replay
from projections.history import node_history
from projections.trail import TrailFilter
from projections.trail_page import trail_page

RESULTS = Path(__file__).resolve().parent / "results"
DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
CYCLE = "cciaa-so/2020"
BASE = f"/cycles/{CYCLE}"
PAGES = {
    "cycles": "/",
    "cruscotto": f"{BASE}/cruscotto?as_of=2021-06-30",
    "node 3.3.1": f"{BASE}/nodes/3.3.1?as_of=2021-06-30",
    "audit": f"{BASE}/audit?as_of=2021-06-30",
    "trail (first page)": f"{BASE}/trail?as_of=2021-06-30",
    "trail (after seq)": f"{BASE}/trail?as_of=2021-06-30&after={{middle}}",
    "diff": f"{BASE}/diff?as_of=2021-06-30&from=2021-04-30",
    "event": f"{BASE}/events/{{override}}?as_of=2021-06-30",
    "integrity (warm)": f"{BASE}/integrity?as_of=2021-06-30",
    "cruscotto csv": f"{BASE}/cruscotto.csv?as_of=2021-06-30",
}
TARGETS = {"cruscotto": 150.0, "node 3.3.1": 150.0}


@contextmanager
def database(backend: str, label: str, folder: Path) -> Iterator[tuple[str, str]]:
    """(owner URL, the console's URL) of an empty ledger, dropped afterwards."""
    if backend == "sqlite":
        url = f"sqlite:///{folder / f'{label}.db'}"
        yield url, url
        return
    server = os.environ.get("LEDGER_BENCH_PG_URL", DEFAULT_PG_URL)
    stamp = f"{label}_{datetime.now(UTC):%H%M%S}"
    schema, role = f"bench_web_{stamp}", f"bench_web_reader_{stamp}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    options = f"?options={quote(f'-csearch_path={schema}')}"
    reader = make_url(server).set(username=role, password=None)
    try:
        yield f"{server}{options}", f"{reader.render_as_string(hide_password=False)}{options}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            conn.execute(text(f"DROP OWNED BY {role}"))
            conn.execute(text(f"DROP ROLE IF EXISTS {role}"))
        admin.dispose()


def build(owner: str, console: str, events: int) -> float:
    """The national ledger of `events` events with the reference cycle; the build's seconds."""
    started = time.perf_counter()
    store = open_store(owner, create=True)
    try:
        for batch in transactions(NationalLedger(events).chunks(), 20_000):
            store.append_batches(batch)
        load_example(store, "sondrio-2020")
        if isinstance(store, PostgresEventStore):
            grant_reader(store, make_url(console).username or "")
    finally:
        store.close()
    return time.perf_counter() - started


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def console_process(url: str) -> Iterator[int]:
    """`python -m web` on a free loopback port, stopped on leaving."""
    port = free_port()
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed below, after the process
    process = subprocess.Popen(
        [sys.executable, "-m", "web", "--db", url, "--port", str(port)],
        stdout=log,
        stderr=log,
        env={**os.environ, "LEDGER_LANG": "it"},
    )
    try:
        for _ in range(600):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if process.poll() is not None:
                    log.seek(0)
                    raise RuntimeError(log.read().decode()) from None
                time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def get(connection: http.client.HTTPConnection, path: str) -> float:
    """One GET on a kept-alive connection; its latency in ms (the body read whole)."""
    started = time.perf_counter()
    connection.request("GET", path)
    answer = connection.getresponse()
    answer.read()
    if answer.status != 200:
        raise RuntimeError(f"GET {path}: {answer.status}")
    return (time.perf_counter() - started) * 1000


def load(port: int, path: str, clients: int, seconds: float) -> dict[str, float]:
    """`clients` threads GETting `path` for `seconds`: p50, p95 (ms) and requests/s."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    deadline = time.perf_counter() + seconds

    def client(mine: list[float]) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        while time.perf_counter() < deadline:
            mine.append(get(connection, path))
        connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(mine,)) for mine in latencies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    every = sorted(value for mine in latencies for value in mine)
    return {
        "requests": len(every),
        "p50_ms": round(statistics.median(every), 1),
        "p95_ms": round(every[min(len(every) - 1, int(len(every) * 0.95))], 1),
        "requests_per_s": round(len(every) / elapsed, 1),
    }


def in_process(url: str, repeat: int = 10) -> dict[str, float]:
    """The projections behind the pages, computed here: median ms of `repeat` runs."""
    store = open_store(url)

    def timed(work: Callable[[], object]) -> float:
        runs = []
        for _ in range(repeat):
            started = time.perf_counter()
            work()
            runs.append((time.perf_counter() - started) * 1000)
        return round(statistics.median(runs), 1)

    try:
        return {
            "cruscotto": timed(
                lambda: replay(store.read_stream(CYCLE), CYCLE, as_of=date(2021, 6, 30))
            ),
            "node 3.3.1": timed(
                lambda: node_history(list(store.read_stream(CYCLE)), CYCLE, "3.3.1")
            ),
            "trail (first page)": timed(lambda: trail_page(store, CYCLE, TrailFilter())),
        }
    finally:
        store.close()


def seqs(url: str) -> dict[str, int]:
    """Where the reference cycle's events landed: the 3.3.1 override, and its 100th event."""
    store = open_store(url)
    try:
        entries = list(store.read_stream(CYCLE))
    finally:
        store.close()
    override = next(e.seq for e in entries if e.type == "OverrideRecorded")
    return {"override": override, "middle": entries[99].seq}


def measure(url: str, console: str, seconds: float, clients: int) -> dict[str, Any]:
    """Every page: one client, then `clients`; the integrity page's first (cold) time."""
    found: dict[str, Any] = {"in_process_ms": in_process(url), "pages": {}}
    pages = {name: path.format(**seqs(url)) for name, path in PAGES.items()}
    with console_process(console) as port:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        found["integrity_cold_ms"] = round(get(connection, PAGES["integrity (warm)"]), 1)
        for path in pages.values():
            get(connection, path)  # warm: caches, connections, template compilation
        connection.close()
        for name, path in pages.items():
            found["pages"][name] = {
                "one_client": load(port, path, 1, seconds),
                f"{clients}_clients": load(port, path, clients, seconds),
            }
            print(f"  {name}: {found['pages'][name]}", flush=True)
        found["integrity_after_append_ms"] = integrity_after_append(url, port)
        print(f"  integrity after an append: {found['integrity_after_append_ms']} ms", flush=True)
    return found


def integrity_after_append(url: str, port: int) -> float:
    """The integrity page's first request after one event is appended (the reference cycle
    reopened, as its administrator may): the console verifies only the new row."""
    store = open_store(url)
    try:
        reopened = NewEvent(
            CycleReopened(reason="bench: verify after an append"),
            date(2021, 7, 1),
            "amministratore",
            "administrator",
        )
        store.append(CYCLE, [reopened], expected_version=store.stream_version(CYCLE))
    finally:
        store.close()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    try:
        return round(get(connection, PAGES["integrity (warm)"]), 1)
    finally:
        connection.close()


def trail_at(backend: str, events: int, folder: Path, seconds: float) -> dict[str, float]:
    with database(backend, f"trail{events}", folder) as (owner, console):
        build(owner, console, events)
        with console_process(console) as port:
            path = PAGES["trail (first page)"]
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            get(connection, path)
            connection.close()
            return load(port, path, 1, seconds)


def verdicts(result: dict[str, Any], clients: int) -> list[str]:
    lines = []
    for name, limit in TARGETS.items():
        page = result["pages"][name]
        one, many = page["one_client"]["p95_ms"], page[f"{clients}_clients"]["p95_ms"]
        lines.append(
            f"{name} p95 < {limit:.0f} ms: one client {one} ms "
            f"({'met' if one < limit else 'missed'}), {clients} clients {many} ms "
            f"({'met' if many < limit else 'missed'})"
        )
    small, big = result["trail_10k"]["p95_ms"], result["pages"]["trail (first page)"]
    big_p95 = big["one_client"]["p95_ms"]
    lines.append(
        f"trail first page at 10k vs {result['events']:,}: p95 {small} ms vs {big_p95} ms "
        f"({'met' if big_p95 <= small * 1.5 + 5 else 'missed'}: within noise)"
    )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.web", description=__doc__)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--quick", action="store_true", help="20k events, 2 s a page")
    args = parser.parse_args(argv)
    if args.quick:
        args.events, args.seconds = 20_000, 2.0
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    report: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores (shared with other work)",
        "seconds_per_measure": args.seconds,
        "clients": args.clients,
        "backends": {},
    }
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-web-")))
        for backend in backends:
            print(f"{backend}: building {args.events:,} events + the reference cycle", flush=True)
            owner, console = stack.enter_context(database(backend, "national", folder))
            result: dict[str, Any] = {"events": args.events}
            result["build_s"] = round(build(owner, console, args.events), 1)
            result.update(measure(owner, console, args.seconds, args.clients))
            result["trail_10k"] = trail_at(backend, 10_000, folder, args.seconds)
            result["verdicts"] = verdicts(result, args.clients)
            report["backends"][backend] = result
            print("\n".join(f"  {line}" for line in result["verdicts"]), flush=True)
    RESULTS.mkdir(exist_ok=True)
    target = RESULTS / f"web-{args.events}-{datetime.now(UTC):%Y%m%dT%H%M%S}.json"
    target.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"saved {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
