"""Time the import of a 50.000-row measurements file, as .xlsx and as .csv, and print it.

The ledger holds the reference plan (Sondrio 2020, 49 actions), approved; the file has one
row per measurement over every action, with values written as Italian offices write them
(`35,87 gg`, `1.100`, `eccellente`, `14/12/2020`) and a different day per round of actions,
so that no two rows are the same measurement. Each format is imported into a ledger of its
own, then imported again (which must record nothing). The times are printed, never asserted:

    python -m bench.measurements_import                 # 50.000 rows, SQLite in a temp folder
    python -m bench.measurements_import --rows 5000 --db postgresql+psycopg://...
"""

import argparse
import csv
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

from cli.example import EXAMPLES
from events.plan import Kpi
from formats.italian_numbers import italian_number
from formats.readers.documents import load_document
from formats.readers.measurements import import_measurements
from ledger.connect import open_store
from ledger.store import SqlEventStore
from projections import acts, planning
from projections.plan_document import plan_document
from projections.plan_state import fold

STREAM = "cciaa-so/2020"
ACTOR = acts.Actor("bench", "controller")
HEADER = ["codice", "valore", "unità", "data", "evidenza"]
LEVELS = ("eccellente", "buono", "sufficiente", "insufficiente")


def planned_ledger(url: str) -> SqlEventStore:
    """A new ledger with the reference plan recorded and approved."""
    store = open_store(url, create=True)
    document = plan_document(load_document(EXAMPLES / "sondrio-2020-plan.yaml"), "plan")
    planning.import_plan(store, document, date(2020, 1, 27), ACTOR, key_prefix="bench-plan")
    acts.record_approval(store, STREAM, "plan", "delibera n. 5/GC", date(2020, 1, 27), ACTOR)
    return store


def rows(count: int, kpis: dict[str, Kpi]) -> list[list[str]]:
    """`count` distinct measurement rows over the plan's actions, one day per round."""
    codes = sorted(kpis)
    found: list[list[str]] = []
    for index in range(count):
        code = codes[index % len(codes)]
        day = date(2020, 2, 1) + timedelta(days=index // len(codes))
        kpi = kpis[code]
        found.append(
            [code, _value(kpi, index), "", day.strftime("%d/%m/%Y"), f"rilevazione n. {index + 1}"]
        )
    return found


def _value(kpi: Kpi, index: int) -> str:
    if kpi.kind == "qualitative":
        return LEVELS[index % len(LEVELS)]
    if kpi.kind == "deadline":
        return (date(2020, 1, 1) + timedelta(days=index % 700)).strftime("%d/%m/%Y")
    if kpi.kind == "boolean":
        return "sì" if index % 2 else "no"
    value = italian_number(Decimal(index % 100000) / 100 + 1, 2)
    return f"{value} gg" if kpi.unit == "giorni" else value


def write_csv(path: Path, data: list[list[str]]) -> None:
    """As Italian Excel saves it: `;`, Windows code page."""
    with path.open("w", encoding="cp1252", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(HEADER)
        writer.writerows(data)


def write_xlsx(path: Path, data: list[list[str]]) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Misure")
    sheet.append(HEADER)
    for row in data:
        sheet.append(row)
    workbook.save(path)


def timed_import(url: str, path: Path) -> None:
    store = planned_ledger(url)
    try:
        started = time.perf_counter()
        report = import_measurements(store, path, STREAM, ACTOR)
        first = time.perf_counter() - started
        started = time.perf_counter()
        again = import_measurements(store, path, STREAM, ACTOR)
        second = time.perf_counter() - started
    finally:
        store.close()
    size = path.stat().st_size / 1e6
    print(
        f"{path.suffix[1:]:4} {report.rows:>7} rows ({size:.1f} MB): recorded {report.recorded} "
        f"in {first:.1f} s ({report.rows / first:,.0f} rows/s); "
        f"again: {again.recorded} recorded in {second:.1f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--db", help="SQLAlchemy URL of an empty database (default: SQLite).")
    parser.add_argument("--format", choices=("xlsx", "csv", "both"), default="both")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        probe = planned_ledger(f"sqlite:///{work / 'probe.db'}")
        state = fold(probe.read_stream(STREAM), STREAM)
        probe.close()
        kpis = {key: node.kpi for key, node in state.nodes.items() if node.kpi is not None}
        data = rows(options.rows, kpis)
        for kind in ("xlsx", "csv"):
            if options.format not in (kind, "both"):
                continue
            path = work / f"misure.{kind}"
            (write_xlsx if kind == "xlsx" else write_csv)(path, data)
            url = options.db or f"sqlite:///{work / f'{kind}.db'}"
            timed_import(url, path)
            if options.db:
                break  # one database given: one import into it


if __name__ == "__main__":
    main()
