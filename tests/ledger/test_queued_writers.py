"""Eight writers through the store's API at once, on each backend: all succeed, none is lost.

Each writer is a thread with its own store (its own connections), recording single acts with
the use cases the commands call; two more import a batch of rows each. The check of every act
and its append run under the append lock (`SqlEventStore.serialized`), so writers queue on
it instead of failing with ConcurrencyConflict after their retries.
"""

import threading
from datetime import date
from decimal import Decimal
from pathlib import Path

import yaml

from events.measurement import MeasurementRecorded, Period
from ledger.connect import open_store
from ledger.verify import verify_rows
from projections.acts import Actor
from projections.batch import ObservationItem, record_observations
from projections.measuring import record_measurement
from projections.scoring import Observation
from tests.builders import STREAM, small_plan
from tests.cli.conftest import ledger

WRITERS = 8
ACTS_EACH = 12
IMPORTERS = 2
ROWS_EACH = 150
YEAR = Period(start=date(2020, 1, 1), end=date(2020, 12, 31))
CONTROLLER = Actor("controllo", "controller")


def planned(db_url: str, folder: Path) -> None:
    plan = folder / "piano.yaml"
    plan.write_text(yaml.safe_dump(small_plan(), allow_unicode=True), encoding="utf-8")
    assert ledger(db_url, "init")[0] == 0
    assert ledger(db_url, "plan", "import", str(plan), "--date", "20/01/2020")[0] == 0
    code, output = ledger(
        db_url, "record", "approval", "plan", "--act", "delibera n. 1/GC", "--date", "20/01/2020"
    )
    assert code == 0, output


def test_eight_writers_and_two_imports_all_succeed_in_one_chain(
    db_url: str, tmp_path: Path
) -> None:
    planned(db_url, tmp_path)
    before = open_store(db_url)
    base = before.count()
    before.close()
    start = threading.Barrier(WRITERS + IMPORTERS)
    failures: list[BaseException] = []

    def single_acts(writer: int) -> None:
        store = open_store(db_url)
        try:
            start.wait()
            for number in range(ACTS_EACH):
                value = Decimal(f"{writer}.{number:02d}")
                record_measurement(
                    store, STREAM, "1.1.1", value, None, YEAR, date(2021, 4, 30), CONTROLLER
                )
        except BaseException as error:  # reported below, in the test's own thread
            failures.append(error)
        finally:
            store.close()

    def batch(importer: int) -> None:
        store = open_store(db_url)
        items = [
            ObservationItem(
                f"misure-{importer}.csv:{row}",
                "1.1.1",
                Observation("measurement", value=Decimal(f"{100 + importer}.{row:03d}")),
                YEAR,
                date(2021, 4, 30),
                key=f"import-{importer}-{row}",
            )
            for row in range(ROWS_EACH)
        ]
        try:
            start.wait()
            record_observations(store, STREAM, items, CONTROLLER)
        except BaseException as error:
            failures.append(error)
        finally:
            store.close()

    threads = [threading.Thread(target=single_acts, args=(w,)) for w in range(WRITERS)]
    threads += [threading.Thread(target=batch, args=(i,)) for i in range(IMPORTERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    assert not failures, repr(failures[:3])

    store = open_store(db_url)
    try:
        rows = list(store.read_rows())
        values = sorted(
            Decimal(str(entry.event.value))
            for entry in store.read_stream(STREAM)
            if isinstance(entry.event, MeasurementRecorded)
        )
    finally:
        store.close()
    expected = WRITERS * ACTS_EACH + IMPORTERS * ROWS_EACH
    assert len(rows) == base + expected
    assert [row.seq for row in rows] == list(range(1, len(rows) + 1))
    assert verify_rows(rows).ok
    assert values == sorted(
        [Decimal(f"{w}.{n:02d}") for w in range(WRITERS) for n in range(ACTS_EACH)]
        + [Decimal(f"{100 + i}.{r:03d}") for i in range(IMPORTERS) for r in range(ROWS_EACH)]
    )


def test_the_same_single_act_twice_is_recorded_once(db_url: str, tmp_path: Path) -> None:
    planned(db_url, tmp_path)
    store = open_store(db_url)
    try:
        first = record_measurement(
            store, STREAM, "1.1.1", Decimal("95"), None, YEAR, date(2021, 4, 30), CONTROLLER
        )
        again = record_measurement(
            store, STREAM, "1.1.1", Decimal("95"), None, YEAR, date(2021, 4, 30), CONTROLLER
        )
        assert [e.seq for e in again] == [e.seq for e in first]
        assert store.count() == first[0].seq
    finally:
        store.close()
    code, output = ledger(
        db_url, "record", "measurement", "1.1.1", "95", "--period", "2020", "--date", "30/04/2021"
    )
    assert (code, output.strip()) == (
        0,
        f"already recorded seq {first[0].seq} MeasurementRecorded in {STREAM} (the same act, "
        "with the same content): nothing written",
    )
