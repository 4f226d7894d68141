"""The cruscotto's replay reads of the facts only each indicator's latest observation, back
from the cycle's end (projections/latest.py): it must show the cruscotto the whole fold shows.

For random logs (measurements, assessments, corrections of any of them, overrides, approvals,
closings, amendments: appended unchecked, whatever order), every effective date and several
known-at times, on both backends, `replay` equals `build` of the whole fold, figure for figure.
"""

import pickle
import uuid
from dataclasses import fields, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events.base import LedgerEvent
from events.measurement import AssessmentRecorded, MeasurementCorrected, MeasurementRecorded
from ledger.records import NewEvent
from ledger.store import SqlEventStore
from projections.cruscotto import build, replay
from projections.evaluation import TreeEvaluation
from projections.plan_state import fold
from tests.builders import STREAM, approved_cycle, measure, year_2020
from tests.projections.test_snapshots import DAYS, Act, op_event, planned

INDICATORS = ("1.1.1", "1.1.2", "1.2.1", "2.1.1", "2.1.2", "2.1.3", "3.1.1")
"""The small plan's indicators: once each has an observation, older facts are left unread."""
ACTIONS = (*INDICATORS, "1.1", "unknown")

OPS = st.sampled_from(
    [
        "measure", "measure", "measure", "measure", "assess", "correct", "correct", "override",
        "withdraw", "approve", "approve", "amend", "close", "reopen", "actor",
    ]
)  # fmt: skip
LOGS = st.lists(
    st.tuples(
        OPS, st.sampled_from(DAYS), st.integers(0, 9), st.integers(0, 100), st.integers(0, 99)
    ),
    max_size=40,
)
EVERY_INDICATOR: list[Act] = [
    ("approve", DAYS[0], 0, 0, 0),
    *[("measure", DAYS[0], n, 50 + n, 0) for n in range(len(INDICATORS))],
]
"""The plan in force and every indicator measured: what lets the replay stop early."""


def fact_event(act: Act, observed: list[tuple[str, str]]) -> LedgerEvent:
    """A measurement, an assessment, or a correction of an earlier observation (of its kind;
    one of the last three as often as any), else the act of tests/projections/test_snapshots.py."""
    op, _, which, number, picked = act
    action = ACTIONS[which % len(ACTIONS)]
    if op == "measure":
        return MeasurementRecorded(
            action=action, value=Decimal(number), unit="n.", period=year_2020()
        )
    if op == "assess":
        return AssessmentRecorded(
            action=action, kind="achievement", achievement=Decimal(number), period=year_2020()
        )
    if op == "correct" and observed:
        recent = picked < 50 and len(observed) > 3
        target, kind = observed[-1 - picked % 3] if recent else observed[picked % len(observed)]
        if kind == "assess":
            return MeasurementCorrected(corrects=target, achievement=Decimal(number), reason="e")
        return MeasurementCorrected(corrects=target, value=Decimal(number), reason="errata")
    return op_event(act, [])


def record(store: SqlEventStore, stream: str, log: list[Act]) -> None:
    observed: list[tuple[str, str]] = []
    for act in log:
        new = NewEvent(fact_event(act, observed), act[1], "controller-1", "controller")
        store.append(stream, [new], expected_version=store.stream_version(stream))
        if act[0] in ("measure", "assess"):
            observed.append((new.event_id, act[0]))


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(log=LOGS, every=st.booleans(), cut=st.integers(0, 200))
def test_the_replay_shows_the_cruscotto_of_the_whole_fold(
    shared_store: SqlEventStore, log: list[Act], every: bool, cut: int
) -> None:
    stream = f"ente-{uuid.uuid4().hex[:10]}/2020"
    planned(shared_store, stream)
    record(shared_store, stream, EVERY_INDICATOR + log if every else log)
    entries = list(shared_store.read())  # other examples' cycles too: the replay skips them
    mine = [entry for entry in entries if entry.stream == stream]
    times: list[datetime | None] = [None, mine[cut % len(mine)].recorded_at]
    for as_of in [*DAYS, date(2019, 1, 1), date(2030, 1, 1)]:
        for known_at in times:
            whole = build(fold(entries, stream, as_of=as_of, known_at=known_at), as_of, known_at)
            assert replay(entries, stream, as_of=as_of, known_at=known_at) == whole


def same_record(record: Any) -> None:
    """Made without its dataclass's `__init__` (projections.scoring.made), the record holds
    every field, in order, and is equal, copied and pickled as the one `__init__` makes."""
    names = [found.name for found in fields(record)]
    assert list(vars(record)) == names
    assert type(record)(**{name: getattr(record, name) for name in names}) == record
    assert replace(record) == record
    assert pickle.loads(pickle.dumps(record)) == record  # noqa: S301 - our own bytes


def test_every_node_observation_and_row_is_the_record_its_fields_make(
    store: SqlEventStore,
) -> None:
    approved_cycle(store)
    measure(store, "1.1.1", "95")
    measure(store, "2.1.3", "40")
    store.append(
        STREAM,
        [
            NewEvent(
                AssessmentRecorded(
                    action="2.1.1", kind="qualitative", level="buono", period=year_2020()
                ),
                date(2021, 4, 30),
                "controller-1",
                "controller",
            )
        ],
        expected_version=store.stream_version(STREAM),
    )
    state = fold(store.read_stream(STREAM), STREAM)
    tree = TreeEvaluation(state)
    for node in state.nodes.values():
        same_record(node)
        same_record(tree.figures(node.key))
    observations = [one for history in state.observations.values() for one in history]
    assert {one.kind for one in observations} == {"measurement", "qualitative"}
    for observation in observations:
        same_record(observation)
    cruscotto = replay(store.read_stream(STREAM), STREAM, as_of=date(2021, 4, 30))
    for row in cruscotto.nodes():
        same_record(row)
    assert cruscotto.node("1.1.1").measured == "95"
    assert cruscotto.node("2.1.1").measured == "buono"
