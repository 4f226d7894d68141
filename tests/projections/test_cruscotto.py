"""The cruscotto replayed from events: rollup, coverage, amendments, corrections, time travel.

Expected figures are worked out by hand from the rules of DESIGN.md section 6 (written next
to each assertion), never copied from the code's output.
"""

from datetime import date
from decimal import Decimal
from pathlib import Path

from events.plan import ObjectiveAmended
from ledger.store import SqlEventStore
from projections import acts, measuring, oversight, planning
from projections.cruscotto import Cruscotto, replay
from projections.numbers import rounded
from tests.builders import (
    CONTROLLER,
    DIREZIONE,
    GIUNTA,
    STREAM,
    StepClock,
    approved_cycle,
    measure,
    small_plan,
    sqlite_store,
    year_2020,
)

END = date(2021, 6, 30)


def cruscotto(store: SqlEventStore, as_of: date = END, known_at=None) -> Cruscotto:  # type: ignore[no-untyped-def]
    return replay(store.read_stream(STREAM), STREAM, as_of=as_of, known_at=known_at)


def measure_everything(store: SqlEventStore, on: date = date(2021, 4, 30)) -> None:
    measure(store, "1.1.1", "95", on)  # medio 90 reached -> 80
    measure(store, "1.1.2", "28", on)  # lower is better, target 28 -> 100
    measuring.record_assessment(
        store,
        STREAM,
        "1.2.1",
        "deadline",
        year_2020(),
        on,
        CONTROLLER,
        completed_on=date(2020, 7, 15),
        precision="day",
    )  # by 31/07 -> 100
    measuring.record_assessment(
        store, STREAM, "2.1.1", "qualitative", year_2020(), on, CONTROLLER, level="buono"
    )  # -> 80
    measuring.record_assessment(
        store, STREAM, "2.1.2", "boolean", year_2020(), on, CONTROLLER, met=True
    )  # -> 100
    measure(store, "2.1.3", "40", on)  # proportional 40/50 -> 80
    measure(store, "3.1.1", "12", on)  # target 10 -> 100


def test_every_level_rolls_up_as_the_policy_says(tmp_path: Path) -> None:
    store = sqlite_store(tmp_path)
    approved_cycle(store)
    measure_everything(store)
    view = cruscotto(store)
    # 1.1 = 0,5 x 80 + 0,5 x 100 = 90; s1 = 0,6 x 90 + 0,4 x 100 = 94, target 80 -> 100
    assert view.node("1.1").result == 90
    assert view.node("s1").result == 94 and view.node("s1").achievement == 100
    # 2.1 = 0,4 x 80 + 0,3 x 100 + 0,3 x 80 = 86 = s2; target 100 -> achievement 86
    assert view.node("s2").result == 86 and view.node("s2").achievement == 86
    # perspectives: mean of strategic results; ente: mean of achievements (100 + 86 + 100) / 3
    assert view.node("p1").result == 90 and view.node("p2").result == 100
    assert rounded(view.result) == Decimal("95.33")
    assert view.band == "Eccellente" and view.coverage == 100


def test_missing_measurements_are_left_out_and_the_coverage_says_so(tmp_path: Path) -> None:
    store = sqlite_store(tmp_path)
    approved_cycle(store)
    measure(store, "1.1.1", "95")
    view = cruscotto(store)
    assert view.node("1.1").result == 80 and view.node("1.1").coverage == 50
    # 1.2 has no result: s1 is 1.1's 80 alone; coverage 0,6 x 50 + 0,4 x 0 = 30
    assert view.node("s1").result == 80 and view.node("s1").coverage == 30
    assert view.node("s2").result is None


def test_a_policy_that_counts_missing_measurements_as_zero(tmp_path: Path) -> None:
    store = sqlite_store(tmp_path)
    approved_cycle(store, small_plan(missing="zero"))
    measure(store, "1.1.1", "95")
    assert cruscotto(store).node("1.1").result == 40  # 0,5 x 80 + 0,5 x 0


def test_no_plan_in_force_before_the_approval(tmp_path: Path) -> None:
    store = sqlite_store(tmp_path)
    approved_cycle(store)
    before = cruscotto(store, as_of=date(2020, 1, 26))
    assert not before.plan_in_force and before.pending_changes > 0 and before.result is None
    assert cruscotto(store, as_of=date(2020, 1, 27)).plan_in_force


def test_an_amendment_changes_the_cruscotto_only_from_its_approval(tmp_path: Path) -> None:
    store = sqlite_store(tmp_path)
    approved_cycle(store)
    measure(store, "1.1.1", "95", date(2020, 6, 30))  # -> 80
    measure(store, "1.1.2", "28", date(2020, 6, 30))  # -> 100
    changes = [
        ObjectiveAmended(key="1.1.1", weight=Decimal(70), reason="delibera 54/GC"),
        ObjectiveAmended(key="1.1.2", weight=Decimal(30), reason="delibera 54/GC"),
    ]
    planning.change_plan(store, STREAM, changes, date(2020, 7, 10), CONTROLLER)
    assert cruscotto(store, as_of=date(2020, 7, 20)).node("1.1").result == 90  # still pending
    acts.record_approval(
        store, STREAM, "plan_update", "delibera n. 54/GC", date(2020, 7, 14), GIUNTA
    )
    assert cruscotto(store, as_of=date(2020, 7, 13)).node("1.1").result == 90  # 0,5x80 + 0,5x100
    assert cruscotto(store, as_of=date(2020, 7, 14)).node("1.1").result == 86  # 0,7x80 + 0,3x100


def test_a_correction_replaces_the_value_and_known_at_shows_what_was_held_before(
    tmp_path: Path,
) -> None:
    clock = StepClock()
    store = sqlite_store(tmp_path, clock)
    approved_cycle(store)
    wrong = measure(store, "1.1.1", "95")  # -> 80
    before_correction = clock.advance(days=10)
    clock.advance(days=1)
    measuring.record_correction(
        store, STREAM, str(wrong), "recount", date(2021, 5, 10), CONTROLLER, value=Decimal(100)
    )
    assert cruscotto(store).node("1.1.1").result == 100
    assert cruscotto(store, known_at=before_correction).node("1.1.1").result == 80
    assert cruscotto(store, as_of=date(2021, 5, 9)).node("1.1.1").result == 80
    assert cruscotto(store).node("1.1.1").measured == "100"


def test_the_override_keeps_the_computed_score_visible(tmp_path: Path) -> None:
    store = sqlite_store(tmp_path)
    approved_cycle(store)
    measure(store, "1.1.2", "35,87".replace(",", "."))  # worse than minimo 30 -> 0
    oversight.record_override(
        store,
        STREAM,
        "1.1.2",
        Decimal(60),
        "sentito l'OIV: volumi eccezionali",
        date(2021, 6, 7),
        date(2021, 6, 7),
        DIREZIONE,
    )
    node = cruscotto(store).node("1.1.2")
    assert (node.computed, node.override and node.override.achievement, node.result) == (0, 60, 60)
    assert cruscotto(store, as_of=date(2021, 6, 6)).node("1.1.2").result == 0
    oversight.withdraw_override(
        store, STREAM, "1.1.2", "decided in error", date(2021, 6, 8), DIREZIONE
    )
    assert cruscotto(store).node("1.1.2").result == 0


def test_replaying_the_same_events_twice_gives_the_same_cruscotto(tmp_path: Path) -> None:
    store = sqlite_store(tmp_path)
    approved_cycle(store)
    measure_everything(store)
    assert cruscotto(store) == cruscotto(store)
