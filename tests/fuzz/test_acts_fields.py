"""Every field of every act, with values at the edges: refused at entry in one line, or stored,
read back and folded without error (no accepted value may break a later read)."""

import contextlib
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from events.errors import LedgerError
from events.limits import ValueOutOfLimits, check_event
from events.registry import known_types
from formats.inert import sheet_value
from ledger.records import NewEvent
from ledger.store import SqlEventStore
from projections.plan_state import fold
from tests.badinput.conftest import one_line, run
from tests.events.test_encoding import events_of
from tests.fuzz import examples


def refusal_of(event: object) -> str | None:
    """The entry limits' refusal of `event`, or None when it is within them."""
    try:
        check_event(event)  # type: ignore[arg-type]
    except ValueOutOfLimits as refused:
        return str(refused)
    return None


FIELDS = settings(
    max_examples=examples(12),
    deadline=None,
    # `events_of` draws every field and keeps the models' valid instances: some types filter
    # many draws out (a MeasurementRecorded needs one value form), which is expected here.
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)


@pytest.mark.parametrize("type_name", known_types())
@FIELDS
@given(data=st.data())
def test_an_act_is_refused_at_entry_or_read_back_whole(
    store: SqlEventStore, type_name: str, data: st.DataObject
) -> None:
    event = data.draw(events_of(type_name), label="event")
    problem = refusal_of(event)
    if problem is not None:
        assert "\n" not in problem
        return
    stream = f"fuzz/{type_name.lower()}"
    new = NewEvent(event, date(2021, 4, 30), "fuzz", "controller")
    [entry] = store.append(stream, [new], expected_version=store.stream_version(stream))
    [read] = list(store.read_stream(stream))[-1:]
    assert read.event == entry.event == event
    with contextlib.suppress(LedgerError):  # a refusal of the fold is an answer, not a crash
        fold([read], stream)
    for value in event.model_dump(mode="python").values():
        sheet_value(value)


@settings(max_examples=examples(8), deadline=None)
@given(seq=st.integers(min_value=-(2**70), max_value=2**70))
@example(seq=2**63)  # found by the fuzz run that turned the CI red (issue 9)
@example(seq=2**63 - 1)
@example(seq=0)
@example(seq=-1)
def test_a_correction_of_any_seq_is_one_line(
    seq: int, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("seq")
    db = f"sqlite:///{folder / 'l.db'}"
    run("--db", db, "init")
    code, output = run(
        "--db", db, "record", "correction", str(seq), "--reason", "x", "--value", "5"
    )
    assert code in (1, 2), output
    one_line(output)


@settings(max_examples=examples(10), deadline=None)
@given(
    text=st.one_of(
        st.decimals(allow_nan=True, allow_infinity=True).map(str),
        st.integers(min_value=-(10**60), max_value=10**60).map(str),
        st.text(max_size=40),
        st.sampled_from(["1e999", "-1e-999", "9" * 300, "0," + "1" * 40, "1.0e+400", "-0"]),
    )
)
def test_any_measured_value_is_recorded_or_refused_in_one_line(
    text: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("value")
    db = f"sqlite:///{folder / 'l.db'}"
    run("--db", db, "init")
    code, output = run("--db", db, "record", "measurement", "1.1.1", text, "--period", "2020")
    assert code in (1, 2), output  # no cycle in this ledger: a refusal, always
    one_line(output)


def test_the_edges_of_the_limits() -> None:
    """The documented limits hold exactly at their edges."""
    from events.limits import decimal_problem

    assert decimal_problem("v", Decimal("999999999999999999")) is None
    assert decimal_problem("v", Decimal("1E+18")) is not None
    assert decimal_problem("v", Decimal("0.0000000001")) is None
    assert decimal_problem("v", Decimal("0.00000000001")) is not None
    assert decimal_problem("v", Decimal("NaN")) is not None
