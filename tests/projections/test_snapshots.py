"""A cycle's state from its snapshot and the tail equals its state folded from scratch.

The snapshot is a cache beside the log (never in `events`, never hashed): these tests hold
that for random event sequences and cut points the two agree, on both backends, and that a
stale, foreign, altered or other-version snapshot is detected, not used, and rebuilt.
"""

import pickle
import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from unittest.mock import patch

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from events.acts import ApprovalRecorded, PublicationRecorded, ValidationRecorded
from events.base import LedgerEvent
from events.cycle import CycleClosed, CycleReopened
from events.identity import ActorRegistered
from events.measurement import MeasurementCorrected, MeasurementRecorded
from events.oversight import OverrideRecorded, OverrideWithdrawn
from events.plan import ObjectiveAmended
from ledger.records import NewEvent
from ledger.snapshots import load_snapshot, save_snapshot, snapshot_check
from ledger.store import SqlEventStore
from ledger.tables import snapshots
from projections import acts, planning
from projections import snapshots as cache
from projections.errors import UnknownNode
from projections.plan_state import CycleState, fold
from tests.builders import (
    CONTROLLER,
    PLAN_DAY,
    STREAM,
    approved_cycle,
    document,
    measure,
    small_plan,
    year_2020,
)

ACTIONS = ("1.1.1", "1.1.2", "3.1.1", "1.1", "s1", "unknown")
DAYS = [date(2020, 1, 27) + timedelta(days=30 * n) for n in range(6)]


def planned(store: SqlEventStore, stream: str) -> None:
    """The small plan imported (pending) into `stream` through the use case."""
    data = small_plan()
    data["cycle"]["id"] = stream
    planning.import_plan(store, document(data), PLAN_DAY, CONTROLLER, key_prefix=None)


def measured_ids(store: SqlEventStore, stream: str) -> list[str]:
    return [
        e.event_id for e in store.read_stream(stream) if e.type == MeasurementRecorded.type_name
    ]


OPS = st.sampled_from(
    [
        "measure", "measure", "measure", "correct", "override", "withdraw", "approve",
        "relazione", "amend", "close", "reopen", "validate", "publish", "actor",
    ]
)  # fmt: skip


Act = tuple[str, date, int, int, int]
"""An operation, its effective day, which action, an amount, which earlier measurement."""


def op_event(act: Act, earlier: list[str]) -> LedgerEvent:
    op, _, which, number, corrected = act
    action = ACTIONS[which % len(ACTIONS)]
    amount = Decimal(number)
    match op:
        case "measure":
            return MeasurementRecorded(action=action, value=amount, unit="n.", period=year_2020())
        case "correct":
            corrects = earlier[corrected % len(earlier)] if earlier else str(uuid.uuid4())
            return MeasurementCorrected(corrects=corrects, value=amount, reason="errata")
        case "override":
            return OverrideRecorded(
                node=action, achievement=amount, rationale="sentito", oiv_heard_on=DAYS[1]
            )
        case "withdraw":
            return OverrideWithdrawn(node=action, reason="ritirato")
        case "approve" | "relazione":
            return ApprovalRecorded(subject="plan" if op == "approve" else "relazione")
        case "amend":
            return ObjectiveAmended(key=action, title=f"titolo {amount}", reason="delibera")
        case "close":
            return CycleClosed()
        case "reopen":
            return CycleReopened(reason="riaperto")
        case "validate":
            return ValidationRecorded()
        case "publish":
            return PublicationRecorded(where="https://example.org/relazione")
        case _:
            return ActorRegistered(actor=f"persona-{amount}", role="controller")


HISTORIES = st.lists(
    st.tuples(
        OPS, st.sampled_from(DAYS), st.integers(0, 9), st.integers(0, 100), st.integers(0, 99)
    ),
    max_size=30,
)


def record(store: SqlEventStore, stream: str, history: list[Act]) -> None:
    """Append the acts as they are, unchecked: the fold must agree whatever the log holds."""
    earlier = measured_ids(store, stream)
    for act in history:
        new = NewEvent(op_event(act, earlier), act[1], "controller-1", "controller")
        store.append(stream, [new], expected_version=store.stream_version(stream))
        if act[0] == "measure":
            earlier.append(new.event_id)


def same_state(restored: CycleState, scratch: CycleState) -> None:
    assert restored == scratch
    assert restored.loaded_facts() == scratch.loaded_facts()


def snapshot_at(store: SqlEventStore, stream: str) -> None:
    """Write the snapshot of the cycle as it is now."""
    store_state = fold(store.read_stream(stream), stream)
    assert save_snapshot(
        store, stream, cache.code_version(), store_state.last_seq, store_state.version,
        cache.dump_state(store_state),
    )  # fmt: skip


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(before=HISTORIES, after=HISTORIES, as_of=st.none() | st.sampled_from(DAYS))
def test_snapshot_plus_tail_is_the_state_from_scratch(
    shared_store: SqlEventStore,
    before: list[Act],
    after: list[Act],
    as_of: date | None,
) -> None:
    stream = f"ente-{uuid.uuid4().hex[:10]}/2020"
    planned(shared_store, stream)
    record(shared_store, stream, before)
    snapshot_at(shared_store, stream)
    assert load_snapshot(shared_store, stream, cache.code_version()) is not None
    record(shared_store, stream, after)
    with patch.object(cache, "fold", wraps=fold) as from_scratch:
        restored = cache.cycle_state(shared_store, stream, as_of=as_of)
    same_state(restored, fold(shared_store.read_stream(stream), stream, as_of=as_of))
    if cache.usable(fold(shared_store.read_stream(stream), stream), as_of):
        assert from_scratch.call_count == 0  # served by the snapshot and the tail alone


def test_the_snapshot_serves_and_only_the_tail_is_folded(shared_store: SqlEventStore) -> None:
    stream = f"ente-{uuid.uuid4().hex[:10]}/2020"
    planned(shared_store, stream)
    record(shared_store, stream, [("approve", DAYS[0], 0, 0, 0)])
    record(shared_store, stream, [("measure", DAYS[1], n, n, 0) for n in range(5)])
    snapshot_at(shared_store, stream)
    record(shared_store, stream, [("measure", DAYS[2], 1, 7, 0)])
    scratch = fold(shared_store.read_stream(stream), stream)
    with patch.object(cache, "fold", side_effect=AssertionError("folded from scratch")):
        restored = cache.cycle_state(shared_store, stream)
        assert restored.facts is None  # the snapshot holds no facts: read from the log on need
        same_state(restored, scratch)


def cycle_with_snapshot(store: SqlEventStore) -> CycleState:
    """The small cycle, approved and measured, through the use cases; its snapshot written."""
    approved_cycle(store)
    for value in ("95", "99", "101"):
        measure(store, "1.1.1", value)
    state = acts.read_state(store, STREAM)  # no snapshot yet: folded and kept
    assert load_snapshot(store, STREAM, cache.code_version()) is not None
    return state


def stored_snapshot(store: SqlEventStore) -> tuple[Any, ...]:
    with store.engine.connect() as conn:
        return tuple(conn.execute(select(snapshots).where(snapshots.c.stream == STREAM)).one())


def alter(store: SqlEventStore, **values: Any) -> None:
    with store.side_transaction() as conn:
        conn.execute(update(snapshots).where(snapshots.c.stream == STREAM).values(**values))


def rebuilt_and_right(store: SqlEventStore) -> None:
    """The act's state is the one from scratch, and a good snapshot is stored again."""
    state = acts.read_state(store, STREAM)
    same_state(state, fold(store.read_stream(STREAM), STREAM))
    snapshot = load_snapshot(store, STREAM, cache.code_version())
    assert snapshot is not None
    assert cache.load_state(snapshot.state) is not None
    assert (snapshot.last_seq, snapshot.version) == (state.last_seq, state.version)


def test_altered_snapshot_bytes_fail_their_check_and_are_rebuilt(store: SqlEventStore) -> None:
    cycle_with_snapshot(store)
    data = bytearray(stored_snapshot(store)[4])
    data[len(data) // 2] ^= 0xFF
    alter(store, state=bytes(data))
    assert load_snapshot(store, STREAM, cache.code_version()) is None
    rebuilt_and_right(store)


def test_a_snapshot_forged_with_a_right_check_cannot_run_code(store: SqlEventStore) -> None:
    """Bytes that would call a function when unpickled are refused even with a valid check."""
    cycle_with_snapshot(store)
    _, fingerprint, last_seq, version, _, _ = stored_snapshot(store)
    forged = pickle.dumps(Forged())
    chain_hash = store.entry(seq=last_seq).row.hash  # type: ignore[union-attr]
    check = snapshot_check(STREAM, fingerprint, last_seq, version, forged, chain_hash)
    alter(store, state=forged, check_hash=check)
    assert cache.load_state(forged) is None
    rebuilt_and_right(store)


class Forged:
    def __reduce__(self) -> tuple[Any, ...]:
        return (eval, ("1 / 0",))


def test_a_stale_snapshot_is_brought_up_to_date(store: SqlEventStore) -> None:
    cycle_with_snapshot(store)
    kept = load_snapshot(store, STREAM, cache.code_version())
    for value in ("70", "80"):
        measure(store, "1.1.1", value)
    assert kept is not None and kept.version < store.stream_version(STREAM)
    state = acts.read_state(store, STREAM)
    same_state(state, fold(store.read_stream(STREAM), STREAM))
    assert state.observation("1.1.1").value == Decimal("80")  # type: ignore[union-attr]


def test_a_snapshot_far_behind_is_written_again(store: SqlEventStore) -> None:
    cycle_with_snapshot(store)
    kept = load_snapshot(store, STREAM, cache.code_version())
    assert kept is not None
    rows = [
        NewEvent(MeasurementRecorded(action="3.1.1", value=Decimal(n), period=year_2020()),
                 date(2021, 4, 30), "controller-1", "controller")
        for n in range(cache.SNAPSHOT_EVERY)
    ]  # fmt: skip
    store.append(STREAM, rows, expected_version=store.stream_version(STREAM))
    rebuilt_and_right(store)
    again = load_snapshot(store, STREAM, cache.code_version())
    assert again is not None and again.version == store.stream_version(STREAM)


def test_a_snapshot_of_another_code_version_is_not_used(store: SqlEventStore) -> None:
    cycle_with_snapshot(store)
    alter(store, code_version="another")
    assert load_snapshot(store, STREAM, cache.code_version()) is None
    rebuilt_and_right(store)
    assert stored_snapshot(store)[1] == cache.code_version()


def test_a_snapshot_that_does_not_match_the_chain_is_not_used(store: SqlEventStore) -> None:
    """A snapshot claiming another seq (as one copied from another ledger would) fails."""
    cycle_with_snapshot(store)
    _, _, last_seq, _, _, _ = stored_snapshot(store)
    alter(store, last_seq=last_seq - 1)
    assert load_snapshot(store, STREAM, cache.code_version()) is None
    rebuilt_and_right(store)


def test_acts_are_checked_alike_with_and_without_a_snapshot(store: SqlEventStore) -> None:
    """A measurement of an action not in the plan is refused, snapshot or not."""
    cycle_with_snapshot(store)
    with pytest.raises(UnknownNode):
        measure(store, "9.9.9", "1")
    measure(store, "1.1.2", "28")
    assert acts.read_state(store, STREAM).observation("1.1.2") is not None


def test_a_ledger_without_the_snapshot_table_still_records_acts(store: SqlEventStore) -> None:
    with store.side_transaction() as conn:
        snapshots.drop(conn)
    approved_cycle(store)
    measure(store, "1.1.1", "95")
    assert acts.read_state(store, STREAM).observation("1.1.1") is not None
