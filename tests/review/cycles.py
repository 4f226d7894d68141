"""Synthetic cycles for the review tests, built through the public use cases on a set clock.

`reviewed_cycle` is a live cycle with an amendment, a correction and a back-dated entry;
`neglected_cycle` is one that went wrong in every way the audit looks for. Each step moves
the clock, so that `--known-at` has something to tell apart.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from typer.testing import CliRunner, Result

from events.plan import ObjectiveAmended
from ledger.connect import open_store
from ledger.store import SqlEventStore
from projections import acts, measuring, oversight, planning
from tests.builders import (
    CONTROLLER,
    DIREZIONE,
    GIUNTA,
    STREAM,
    StepClock,
    document,
    small_plan,
    year_2020,
)

ADMIN = acts.Actor("admin", "administrator")


def at(year: int, month: int, day: int, hour: int = 9) -> datetime:
    return datetime(year, month, day, hour, 0, tzinfo=UTC)


def measure(store: SqlEventStore, action: str, value: str, on: date = date(2021, 4, 30)) -> int:
    [entry] = measuring.record_measurement(
        store, STREAM, action, Decimal(value), None, year_2020(), on, CONTROLLER
    )
    return entry.seq


@dataclass(frozen=True)
class Seqs:
    """The seqs the tests name: they follow from the order of the acts below."""

    approval: int = 18
    amendments: tuple[int, int] = (19, 20)
    plan_update: int = 21
    first_measure: int = 22
    corrected: int = 22
    correction: int = 28
    relazione: int = 29
    late: int = 30


SEQS = Seqs()


def reviewed_cycle(url: str) -> Iterator[SqlEventStore]:
    """A live cycle: plan, an approved amendment, measurements, a correction, a late entry."""
    clock = StepClock(at(2020, 1, 20))
    store = open_store(url, create=True, clock=clock)
    planning.import_plan(
        store, document(small_plan()), date(2020, 1, 20), CONTROLLER, key_prefix=None
    )
    clock.now = at(2020, 1, 27)
    acts.record_approval(store, STREAM, "plan", "delibera n. 5/GC", date(2020, 1, 27), GIUNTA)
    clock.now = at(2020, 7, 10)
    planning.change_plan(
        store,
        STREAM,
        [
            ObjectiveAmended(key="1.1", weight=Decimal(50), reason="Covid: meno incontri"),
            ObjectiveAmended(key="1.2", weight=Decimal(50), reason="Covid: meno incontri"),
        ],
        date(2020, 7, 10),
        CONTROLLER,
    )
    clock.now = at(2020, 7, 14)
    acts.record_approval(
        store, STREAM, "plan_update", "delibera n. 54/GC", date(2020, 7, 14), GIUNTA
    )
    clock.now = at(2021, 4, 30)
    measure(store, "1.1.1", "95")
    measure(store, "1.1.2", "28")
    measuring.record_assessment(
        store,
        STREAM,
        "1.2.1",
        "deadline",
        year_2020(),
        date(2021, 4, 30),
        CONTROLLER,
        completed_on=date(2020, 7, 20),
        precision="day",
    )
    measuring.record_assessment(
        store,
        STREAM,
        "2.1.1",
        "qualitative",
        year_2020(),
        date(2021, 4, 30),
        CONTROLLER,
        level="eccellente",
    )
    measuring.record_assessment(
        store, STREAM, "2.1.2", "boolean", year_2020(), date(2021, 4, 30), CONTROLLER, met=True
    )
    measure(store, "2.1.3", "40")
    clock.now = at(2021, 5, 10)
    measuring.record_correction(
        store,
        STREAM,
        str(SEQS.corrected),
        "recount of the files",
        date(2021, 5, 10),
        CONTROLLER,
        value=Decimal(100),
    )
    clock.now = at(2021, 6, 14)
    acts.record_approval(store, STREAM, "relazione", None, date(2021, 6, 14), GIUNTA)
    clock.now = at(2021, 7, 15)
    measure(store, "3.1.1", "12")  # effective 30/04/2021, recorded 15/07/2021
    yield store
    store.close()


def neglected_cycle(url: str) -> Iterator[SqlEventStore]:
    """A late Piano, an empty plan update, a change never approved, a gap, a wrong role."""
    clock = StepClock(at(2020, 2, 10))
    store = open_store(url, create=True, clock=clock)
    planning.import_plan(
        store, document(small_plan()), date(2020, 2, 10), CONTROLLER, key_prefix=None
    )
    acts.record_approval(store, STREAM, "plan", "delibera n. 9/GC", date(2020, 2, 10), GIUNTA)
    clock.now = at(2020, 7, 14)
    acts.record_approval(
        store, STREAM, "plan_update", "delibera n. 54/GC", date(2020, 7, 14), GIUNTA
    )
    clock.now = at(2020, 9, 1)
    planning.change_plan(
        store,
        STREAM,
        [ObjectiveAmended(key="1.1", title="Nuovo titolo", reason="x")],
        date(2020, 9, 1),
        CONTROLLER,
    )
    clock.now = at(2021, 4, 30)
    measure(store, "1.1.1", "100")
    measuring.record_assessment(
        store,
        STREAM,
        "1.2.1",
        "deadline",
        year_2020(),
        date(2021, 4, 30),
        CONTROLLER,
        completed_on=date(2020, 10, 1),
        precision="month",
        achievement=Decimal(100),
    )
    oversight.record_override(
        store,
        STREAM,
        "1.1.2",
        Decimal(60),
        "sentito l'OIV: volumi eccezionali",
        date(2021, 4, 29),
        date(2021, 4, 30),
        DIREZIONE,
    )
    clock.now = at(2021, 7, 1)
    acts.close_cycle(store, STREAM, date(2021, 7, 1), GIUNTA)
    yield store
    store.close()


def run(url: str, *args: str) -> Result:
    """The real `ledger` command, as typed; a bug surfaces as the test's own traceback."""
    from cli.app import app

    return CliRunner().invoke(app, ["--db", url, *args], catch_exceptions=False)
