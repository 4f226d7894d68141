"""The replay's decoder gives the very model full validation gives, for every event type.

`read_event` (events/decoding.py) reads a stored payload without re-running the append's
checks; these properties hold it to `decode_event`, the validated decode, on the canonical
bytes of random valid events of every registered type (the generic strategy of
test_encoding.py): same class, same values of the same types (a decimal's exponent
included), same fields set, same bytes when encoded again.
"""

import contextlib
import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from events.encoding import encode_event
from events.errors import InvalidPayload, LedgerError, UnknownEventType
from events.registry import decode_event, known_types, read_event
from tests.events.test_encoding import NO_SHRINKING, events_of


def assert_identical(read: Any, validated: Any, where: str = "event") -> None:
    """Equal, and of the same type all the way down (1 == Decimal(1) == True would pass ==)."""
    assert type(read) is type(validated), f"{where}: {type(read)} != {type(validated)}"
    if isinstance(validated, BaseModel):
        assert read.model_fields_set == validated.model_fields_set, where
        for name in type(validated).model_fields:
            assert_identical(getattr(read, name), getattr(validated, name), f"{where}.{name}")
    elif isinstance(validated, dict):
        assert list(read) == list(validated), where
        for key, value in validated.items():
            assert_identical(read[key], value, f"{where}[{key!r}]")
    elif isinstance(validated, list | tuple):
        assert len(read) == len(validated), where
        for index, (mine, theirs) in enumerate(zip(read, validated, strict=True)):
            assert_identical(mine, theirs, f"{where}[{index}]")
    elif isinstance(validated, Decimal):
        assert read.as_tuple() == validated.as_tuple(), where
    else:
        assert read == validated, where


@pytest.mark.parametrize("type_name", known_types())
@settings(max_examples=60, deadline=None, phases=NO_SHRINKING)
@given(data=st.data())
def test_the_replay_decoder_gives_the_validated_model(type_name: str, data: st.DataObject) -> None:
    event = data.draw(events_of(type_name))
    stored = encode_event(event)
    version = type(event).schema_version

    read = read_event(type_name, version, stored)

    assert_identical(read, decode_event(type_name, version, stored))
    assert read == event
    assert encode_event(read) == stored


def test_a_payload_it_cannot_read_is_refused_by_the_validation_naming_the_field() -> None:
    # A missing required field: the replay's decoder hands it to validation, which names it.
    with pytest.raises(InvalidPayload, match="period"):
        read_event("MeasurementRecorded", 2, '{"action":"1.1","value":"5"}')


@given(text=st.text(max_size=30))
def test_bytes_that_are_not_json_are_a_refusal_not_a_crash(text: str) -> None:
    with contextlib.suppress(LedgerError):
        read_event("MeasurementRecorded", 2, text)


FORGED = [
    # Neither a value nor a ratio (a check of the event itself).
    ("MeasurementRecorded", 2,
     '{"action":"1.1","period":{"end":"2020-12-31","start":"2020-01-01"}}',
     "a measurement needs its value"),
    # A period that ends before it starts (a check of a nested model).
    ("MeasurementRecorded", 2,
     '{"action":"1.1","period":{"end":"2020-01-01","start":"2020-12-31"},"value":"5"}',
     "before it starts"),
    # A threshold KPI without a target (a check of a model nested in one without checks).
    ("ObjectiveDefined", 2,
     '{"key":"1","kpi":{"description":"d","kind":"threshold"},"level":"action","title":"t"}',
     "target"),
    # A weight above 100 (a bound on an exact fraction).
    ("ObjectiveDefined", 2, '{"key":"1","level":"action","title":"t","weight":"150"}', "100"),
]  # fmt: skip


@pytest.mark.parametrize(("type_name", "version", "forged", "refusal"), FORGED)
def test_a_row_breaking_a_check_the_append_made_is_read_as_stored_and_refused_by_verify(
    type_name: str, version: int, forged: str, refusal: str
) -> None:
    # The append refuses each of these, so only a forged row holds one. The replay reads it
    # as stored (no read fails on it); verify's full validation names it.
    read = read_event(type_name, version, forged)

    assert read.model_dump(mode="json", exclude_unset=True) == json.loads(forged)
    with pytest.raises(InvalidPayload, match=refusal):
        decode_event(type_name, version, forged)


def test_an_unknown_type_is_still_unknown() -> None:
    with pytest.raises(UnknownEventType):
        read_event("MalloryRecorded", 1, "{}")
