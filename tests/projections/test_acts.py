"""Every refusal of an act names the value at fault and writes nothing, on both backends."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from events.errors import LedgerError
from events.plan import Kpi, ObjectiveDefined
from ledger.store import SqlEventStore
from projections import acts, measuring, oversight, planning
from projections.errors import (
    ActRefused,
    CycleClosed,
    UnknownNode,
    ValueKindMismatch,
    WeightsDoNotSumTo100,
)
from tests.builders import (
    CONTROLLER,
    DIREZIONE,
    GIUNTA,
    OIV,
    STREAM,
    approved_cycle,
    document,
    measure,
    small_plan,
    year_2020,
)

DAY = date(2021, 4, 30)


def refused(
    store: SqlEventStore, act: Callable[[], Any], error: type[LedgerError], message: str
) -> None:
    """The act raises `error` with exactly `message`, and the ledger is unchanged."""
    head_before, count_before = store.head(), store.count()
    with pytest.raises(error) as raised:
        act()
    assert str(raised.value) == message
    assert store.count() == count_before and store.head() == head_before


def test_a_measurement_of_an_unknown_code_is_refused(store: SqlEventStore) -> None:
    approved_cycle(store)
    refused(
        store,
        lambda: measure(store, "9.9.9", "5"),
        UnknownNode,
        "9.9.9 is not in the plan of test-ente/2020 in force on 30/04/2021 (see: ledger plan show)",
    )


def test_an_action_under_a_strategic_objective_is_refused(store: SqlEventStore) -> None:
    approved_cycle(store)
    wrong = ObjectiveDefined(
        level="action",
        key="1.9.1",
        code="1.9.1",
        parent="s1",
        title="x",
        weight=Decimal(10),
        kpi=Kpi(description="k", kind="boolean"),
    )
    refused(
        store,
        lambda: planning.change_plan(store, STREAM, [wrong], DAY, CONTROLLER),
        ActRefused,
        "action 1.9.1 must sit under an operational, but s1 is a strategic",
    )


def test_an_objective_under_an_unknown_parent_is_refused(store: SqlEventStore) -> None:
    approved_cycle(store)
    orphan = ObjectiveDefined(level="operational", key="7.1", code="7.1", parent="s9", title="x")
    refused(
        store,
        lambda: planning.change_plan(store, STREAM, [orphan], DAY, CONTROLLER),
        UnknownNode,
        "s9 is not in the plan of test-ente/2020 (see: ledger plan show)",
    )


def test_a_plan_whose_weights_do_not_sum_to_100_cannot_be_put_in_force(
    store: SqlEventStore,
) -> None:
    plan = small_plan()
    plan["perspectives"][0]["strategic"][0]["operational"][0]["weight"] = 50  # 50 + 40
    planning.import_plan(store, document(plan), date(2020, 1, 20), CONTROLLER, key_prefix=None)
    refused(
        store,
        lambda: acts.record_approval(store, STREAM, "plan", "n. 5/GC", date(2020, 1, 27), GIUNTA),
        WeightsDoNotSumTo100,
        "weights under s1 in test-ente/2020 sum to 90 %, not 100 % (1.1, 1.2); "
        "nothing was approved",
    )


def test_a_value_of_the_wrong_kind_for_its_kpi_is_refused(store: SqlEventStore) -> None:
    approved_cycle(store)
    refused(
        store,
        lambda: measure(store, "2.1.1", "3"),
        ValueKindMismatch,
        "action 2.1.1 has a qualitative KPI (livello): it takes a qualitative, not a measurement",
    )


def test_an_override_without_rationale_or_oiv_date_is_refused(store: SqlEventStore) -> None:
    approved_cycle(store)
    measure(store, "1.1.1", "50")
    refused(
        store,
        lambda: oversight.record_override(
            store, STREAM, "1.1.1", Decimal(60), "  ", date(2021, 6, 7), date(2021, 6, 7), DIREZIONE
        ),
        ActRefused,
        "the override of 1.1.1 needs a written rationale",
    )
    refused(
        store,
        lambda: oversight.record_override(
            store, STREAM, "1.1.1", Decimal(60), "Covid", None, date(2021, 6, 7), DIREZIONE
        ),
        ActRefused,
        "the override of 1.1.1 needs the date the OIV was heard",
    )


def test_a_correction_of_an_event_that_does_not_exist_is_refused(store: SqlEventStore) -> None:
    approved_cycle(store)
    refused(
        store,
        lambda: measuring.record_correction(
            store, STREAM, "999", "typo", DAY, CONTROLLER, value=Decimal(1)
        ),
        ActRefused,
        "there is no event 999 in test-ente/2020 to correct (see: ledger log)",
    )
    refused(
        store,
        lambda: measuring.record_correction(
            store, STREAM, "1", "typo", DAY, CONTROLLER, value=Decimal(1)
        ),
        ActRefused,
        "event 1 is a CycleOpened: only a measurement or an assessment is corrected",
    )


def test_a_measurement_of_an_action_pending_approval_is_refused(store: SqlEventStore) -> None:
    planning.import_plan(
        store, document(small_plan()), date(2020, 1, 20), CONTROLLER, key_prefix=None
    )
    refused(
        store,
        lambda: measure(store, "1.1.1", "5"),
        ActRefused,
        "action 1.1.1 of test-ente/2020 is pending approval on 2021-04-30 "
        "(record the Giunta's approval first)",
    )


def test_validation_before_approval_and_publication_before_validation_are_refused(
    store: SqlEventStore,
) -> None:
    approved_cycle(store)
    refused(
        store,
        lambda: acts.record_validation(store, STREAM, date(2021, 6, 20), OIV),
        ActRefused,
        "the Relazione of test-ente/2020 has no approval by 2021-06-20: "
        "record the Giunta's approval first",
    )
    acts.record_approval(store, STREAM, "relazione", None, date(2021, 6, 14), GIUNTA)
    refused(
        store,
        lambda: acts.record_publication(store, STREAM, "https://x.it", date(2021, 6, 28), GIUNTA),
        ActRefused,
        "the Relazione of test-ente/2020 has no OIV validation by 2021-06-28: "
        "record the validation first",
    )


def test_every_act_on_a_closed_cycle_says_the_cycle_is_closed(store: SqlEventStore) -> None:
    approved_cycle(store)
    seq = measure(store, "1.1.1", "95")
    acts.close_cycle(store, STREAM, date(2021, 6, 30), GIUNTA)
    message = "cycle test-ente/2020 is closed: no act can be recorded (reopen it first)"
    refused(store, lambda: measure(store, "1.1.1", "5"), CycleClosed, message)
    refused(
        store,
        lambda: measuring.record_correction(
            store, STREAM, str(seq), "x", DAY, CONTROLLER, value=Decimal(1)
        ),
        CycleClosed,
        message,
    )
    refused(
        store,
        lambda: acts.record_approval(store, STREAM, "relazione", None, DAY, GIUNTA),
        CycleClosed,
        message,
    )
    refused(
        store,
        lambda: oversight.record_override(
            store, STREAM, "1.1.1", Decimal(60), "x", DAY, DAY, DIREZIONE
        ),
        CycleClosed,
        message,
    )
    refused(store, lambda: acts.close_cycle(store, STREAM, DAY, GIUNTA), CycleClosed, message)
    # even an act back-dated to before the closing is refused: the cycle is closed now
    refused(store, lambda: measure(store, "1.1.1", "5", date(2020, 12, 31)), CycleClosed, message)
    acts.reopen_cycle(store, STREAM, "OIV asked to correct 1.1.1", date(2021, 7, 1), GIUNTA)
    measure(store, "1.1.1", "5", date(2021, 7, 2))


def test_importing_the_same_plan_twice_with_a_key_records_nothing(store: SqlEventStore) -> None:
    first = planning.import_plan(
        store, document(small_plan()), date(2020, 1, 20), CONTROLLER, key_prefix="plan-file:abc"
    )
    count = store.count()
    again = planning.import_plan(
        store, document(small_plan()), date(2020, 1, 20), CONTROLLER, key_prefix="plan-file:abc"
    )
    assert first and not again and store.count() == count


def test_a_second_assessment_kind_is_refused_for_a_deadline_kpi(store: SqlEventStore) -> None:
    approved_cycle(store)
    refused(
        store,
        lambda: measuring.record_assessment(
            store, STREAM, "1.2.1", "qualitative", year_2020(), DAY, CONTROLLER, level="buono"
        ),
        ValueKindMismatch,
        "action 1.2.1 has a deadline KPI (entro luglio): it takes a deadline, not a qualitative",
    )


def test_the_same_act_twice_is_recorded_once_and_again_after_an_undoing_act(
    store: SqlEventStore,
) -> None:
    approved_cycle(store)
    measure(store, "1.1.1", "50")
    heard = date(2021, 6, 7)

    def override() -> list[Any]:
        return oversight.record_override(
            store, STREAM, "1.1.1", Decimal(60), "Covid", heard, heard, DIREZIONE
        )

    [first] = override()
    count = store.count()
    assert [entry.seq for entry in override()] == [first.seq]  # a retry, a double click
    assert store.count() == count
    [withdrawn] = oversight.withdraw_override(
        store, STREAM, "1.1.1", "recorded by mistake", date(2021, 6, 10), DIREZIONE
    )
    # The same override, dated before the withdrawal, is a new act after it: recorded again.
    [again] = override()
    assert again.seq > withdrawn.seq > first.seq
    assert again.idempotency_key != first.idempotency_key
    assert store.count() == count + 2
