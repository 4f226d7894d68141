"""Rows stored before trees were data (schema v1) still read, upcast, and replay as they did.

Each payload below is what the v1 models wrote (their fields, canonical JSON): the rows are
appended through the real store as an old release would have appended them, then read back.
"""

from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from pydantic import ConfigDict

from events.base import LedgerEvent
from events.cycle import CycleOpened
from events.measurement import MeasurementCorrected, MeasurementRecorded
from events.plan import ObjectiveAmended, ObjectiveDefined
from ledger.records import NewEvent
from ledger.store import SqlEventStore
from projections.cruscotto import replay

STREAM = "v1-ente/2020"
V1_POLICY = {
    "levels": {"target": "100", "medio": "80", "minimo": "60", "below": "0"},
    "qualitative_levels": {"eccellente": "100", "buono": "80", "sufficiente": "60",
                           "insufficiente": "0"},
    "deadline_steps": [],
    "boolean_yes": "100",
    "boolean_no": "0",
    "strategic_achievement": "ratio_capped",
    "perspective_rollup": "weighted_mean_of_results",
    "ente_rollup": "mean_of_results",
    "missing": "excluded",
    "bands": [{"label": "Eccellente", "min": "90"}, {"label": "Non adeguata", "min": "0"}],
    "inferred": [],
}  # fmt: skip


class StoredV1(LedgerEvent):
    """A row as a v1 release wrote it: any payload, recorded under schema version 1."""

    model_config = ConfigDict(frozen=True, extra="allow")


def v1(type_name: str, **payload: Any) -> LedgerEvent:
    cls = type(f"{type_name}V1", (StoredV1,), {"type_name": type_name, "schema_version": 1})
    event: LedgerEvent = cls.model_validate(payload)
    return event


def append(store: SqlEventStore, *events: tuple[LedgerEvent, date]) -> None:
    store.append(
        STREAM,
        [NewEvent(event, day, "controller-1", "controller") for event, day in events],
        expected_version=store.stream_version(STREAM),
    )


def v1_ledger(store: SqlEventStore) -> None:
    day = date(2020, 1, 20)
    append(
        store,
        (v1("CycleOpened", entity="v1-ente", entity_name="Ente v1", year=2020, policy=V1_POLICY),
         day),
        (v1("PerspectiveDefined", key="p1", title="Prospettiva", weight="30"), day),
        (v1("PerspectiveDefined", key="p2", title="Seconda", weight="70"), day),
        (v1("ObjectiveDefined", level="strategic", key="s1", parent="p1", title="S1",
            weight="100", target="80"), day),
        (v1("ObjectiveDefined", level="strategic", key="s2", parent="p2", title="S2",
            weight="100", target="100"), day),
        (v1("ObjectiveDefined", level="operational", key="1.1", code="1.1", parent="s1",
            title="O1", weight="100"), day),
        (v1("ObjectiveDefined", level="operational", key="2.1", code="2.1", parent="s2",
            title="O2", weight="100"), day),
        (v1("ObjectiveDefined", level="action", key="1.1.1", code="1.1.1", parent="1.1",
            title="A1", weight="100",
            kpi={"description": "n.", "kind": "proportional", "target": "50", "direction": "higher",
                 "thresholds": []}), day),
        (v1("ObjectiveDefined", level="action", key="2.1.1", code="2.1.1", parent="2.1",
            title="A2", weight="100",
            kpi={"description": "fatto", "kind": "boolean", "direction": "higher",
                 "thresholds": []}), day),
        (v1("ApprovalRecorded", subject="plan", body="Giunta", act="delibera n. 5/GC"),
         date(2020, 1, 27)),
        (v1("MeasurementRecorded", action="1.1.1", value="40",
            period={"start": "2020-01-01", "end": "2020-12-31"}), date(2021, 4, 30)),
        (v1("AssessmentRecorded", action="2.1.1", kind="boolean", met=True,
            period={"start": "2020-01-01", "end": "2020-12-31"}), date(2021, 4, 30)),
        (v1("ValidationRecorded", subject="relazione", act="verbale n. 2"), date(2021, 6, 21)),
    )  # fmt: skip


def test_a_v1_cycle_reads_with_its_rules_as_todays_tree(store: SqlEventStore) -> None:
    v1_ledger(store)
    [opened] = [e.event for e in store.read_stream(STREAM) if e.type == "CycleOpened"]
    assert isinstance(opened, CycleOpened)
    policy = opened.policy
    assert [rule.key for rule in policy.tree] == [
        "perspective",
        "strategic",
        "operational",
        "action",
    ]
    assert policy.tree[0].rollup == "weighted_sum"  # v1: weighted_mean_of_results
    assert policy.tree[1].achievement is not None and policy.tree[1].achievement.cap == 100
    assert (policy.ente.rollup, policy.ente.level, policy.ente.uses) == (
        "mean_of_level",
        "strategic",
        "result",  # v1: mean_of_results
    )
    assert opened.container == "piano" and opened.bodies == ()


def test_v1_plan_and_measurement_rows_read_as_todays_models(store: SqlEventStore) -> None:
    v1_ledger(store)
    by_type = {}
    for entry in store.read_stream(STREAM):
        by_type.setdefault(entry.type, []).append(entry)
    objective = by_type["ObjectiveDefined"][0]
    assert objective.schema_version == 1
    assert isinstance(objective.event, ObjectiveDefined)
    assert (objective.event.level, objective.event.weight) == ("strategic", Fraction(100))
    measurement = by_type["MeasurementRecorded"][0].event
    assert isinstance(measurement, MeasurementRecorded)
    assert (measurement.value, measurement.numerator, measurement.bound) == (40, None, None)
    approval = by_type["ApprovalRecorded"][0].event
    assert (approval.act, approval.kind, approval.number) == ("delibera n. 5/GC", None, None)
    validation = by_type["ValidationRecorded"][0].event
    assert validation.body is None


def test_a_v1_ledger_replays_figure_for_figure(store: SqlEventStore) -> None:
    v1_ledger(store)
    cruscotto = replay(store.read_stream(STREAM), STREAM, as_of=date(2021, 6, 30))
    # 1.1.1: 40 of 50, proportional: 80; s1 = 80, against 80: 100; 2.1.1 done: 100 = s2
    assert cruscotto.node("1.1.1").result == 80
    assert (cruscotto.node("s1").result, cruscotto.node("s1").achievement) == (80, 100)
    # perspectives weighted 30/70 in v1: their results are their one strategic's, 80 and 100
    assert (cruscotto.node("p1").result, cruscotto.node("p2").result) == (80, 100)
    # ente: v1's mean_of_results of the strategic objectives, (80 + 100) / 2
    assert cruscotto.result == 90


def test_v1_amendments_and_corrections_read_as_todays_models(store: SqlEventStore) -> None:
    v1_ledger(store)
    measured = next(e for e in store.read_stream(STREAM) if e.type == "MeasurementRecorded")
    append(
        store,
        (v1("ObjectiveAmended", key="1.1.1", weight="12.5", reason="x"), date(2020, 7, 1)),
        (v1("MeasurementCorrected", corrects=measured.event_id, value="45", reason="recount"),
         date(2021, 5, 2)),
    )  # fmt: skip
    amended, corrected = [e.event for e in store.read_stream(STREAM)][-2:]
    assert isinstance(amended, ObjectiveAmended) and amended.weight == Fraction(25, 2)
    assert isinstance(corrected, MeasurementCorrected) and corrected.value == Decimal(45)
    cruscotto = replay(store.read_stream(STREAM), STREAM, as_of=date(2021, 6, 30))
    assert cruscotto.node("1.1.1").result == 90  # 45 of 50
