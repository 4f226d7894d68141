"""The entry limits' quick walk (`within_limits`) clears exactly the values the full walk, the
one that names the value at fault, finds nothing wrong with: the quick walk is how every
append checks its events, so a value it let through wrongly would be stored unchecked."""

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events.limits import MAX_INT, ValueOutOfLimits, _values, check_event, value_problem
from events.limits import within_limits as quick
from events.registry import known_types
from tests.events.test_encoding import NO_SHRINKING, events_of

# Field names whose limits differ (years, free text, codes), and names that end in digits.
LEAVES = st.sampled_from(["year", "years", "note", "rationale", "code", "key", "x2", "value", ""])

SCALARS = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=5).map(lambda s: s + "\n"),
    st.sampled_from(["\ud800", "a\u2028b", "\x00", "\t", "x" * 20_001]),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.decimals(places=12, allow_nan=False, allow_infinity=False),
    st.sampled_from([Decimal("0E-20"), Decimal("1E+18"), Decimal("99999999999999999.9")]),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([1899, 1900, 2199, 2200, MAX_INT, MAX_INT + 1, -MAX_INT - 1]),
    st.dates(),
    st.datetimes(),
    st.booleans(),
    st.none(),
)


def full_walk_finds_nothing(event: Any) -> bool:
    return all(value_problem(where, value) is None for where, value in _values(event, ""))


@settings(max_examples=400)
@given(value=SCALARS, leaf=LEAVES)
def test_the_quick_check_of_a_value_agrees_with_the_full_one(value: Any, leaf: str) -> None:
    assert quick(value, leaf) == (value_problem(leaf, value) is None)


@settings(max_examples=200)
@given(values=st.lists(SCALARS, max_size=4), leaf=LEAVES)
def test_the_quick_check_of_a_list_or_a_mapping_agrees_with_the_full_one(
    values: list[Any], leaf: str
) -> None:
    mapping = {str(index): value for index, value in enumerate(values)}
    # Under a key, the items are checked by the key's name, as a model's field by its own.
    for container in (values, tuple(values), {leaf: values}, {leaf: mapping}):
        assert quick(container) == full_walk_finds_nothing(container)


@pytest.mark.parametrize("type_name", known_types())
@settings(
    max_examples=40,
    deadline=None,
    phases=NO_SHRINKING,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(data=st.data())
def test_the_quick_check_of_an_event_agrees_with_the_full_one(
    type_name: str, data: st.DataObject
) -> None:
    event = data.draw(events_of(type_name))
    assert quick(event) == full_walk_finds_nothing(event)
    if not quick(event):
        with pytest.raises(ValueOutOfLimits):
            check_event(event)


def test_a_date_and_a_time_outside_the_years_are_refused_by_both() -> None:
    for value in (date(1899, 12, 31), datetime(2200, 1, 1, tzinfo=UTC)):
        assert not quick(value, "on")
        assert value_problem("on", value) is not None
