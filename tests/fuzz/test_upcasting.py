"""Hypothesis on reading events stored under older schema versions.

No event of the catalogue has a second schema version yet, so a test-only type is registered
for these tests (and removed after each one): `FuzzFeeRecorded`, now at v3. v1 stored the
amount in cents as an integer and the period as a bare year; v2 stored the amount as a decimal
string in euro; v3 added the explicit period. Rows of v1 and v2 are written through the real
append path by unregistered classes that carry the old version, exactly as an old release of
the ledger would have written them, and must read back as the v3 model.
"""

import contextlib
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events import registry
from events.base import LedgerEvent
from events.errors import LedgerError, UnknownEventType
from events.measurement import Period
from ledger.records import NewEvent
from ledger.store import SqlEventStore

TYPE = "FuzzFeeRecorded"


class FeeV1(LedgerEvent):
    """How an old release wrote the event: cents and a bare year."""

    type_name = TYPE
    schema_version: ClassVar[int] = 1

    payer: str
    cents: int
    year: int


class FeeV2(LedgerEvent):
    """The second shape: a decimal amount in euro, still a bare year."""

    type_name = TYPE
    schema_version: ClassVar[int] = 2

    payer: str
    amount: Decimal
    year: int


class FeeRecorded(LedgerEvent):
    """Today's shape: a decimal amount and an explicit period."""

    type_name = TYPE
    schema_version: ClassVar[int] = 3

    payer: str
    amount: Decimal
    period: Period


def fee_v1_to_v2(payload: dict[str, Any]) -> dict[str, Any]:
    """v1 stored cents as an integer; v2 stores euro as a decimal."""
    cents = payload.pop("cents")
    return {**payload, "amount": str(Decimal(cents) / 100)}


def fee_v2_to_v3(payload: dict[str, Any]) -> dict[str, Any]:
    """v2 stored a bare year; v3 stores the span."""
    year = payload.pop("year")
    return {**payload, "period": {"start": f"{year}-01-01", "end": f"{year}-12-31"}}


@pytest.fixture(autouse=True)
def fee_type(monkeypatch: pytest.MonkeyPatch) -> None:
    """Register the test-only type and its upcasters for one test (monkeypatch removes them)."""
    monkeypatch.setitem(registry._classes, TYPE, FeeRecorded)
    monkeypatch.setitem(registry._upcasters, (TYPE, 1), fee_v1_to_v2)
    monkeypatch.setitem(registry._upcasters, (TYPE, 2), fee_v2_to_v3)


# A name within the entry limits (events/limits.py): no control characters, which the store
# refuses at entry (tests/badinput/test_entry_limits.py holds that refusal).
payers = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip() == s and s != "")
years = st.integers(min_value=1990, max_value=2100)
cents = st.integers(min_value=-(10**12), max_value=10**12)
FIXTURE_OK = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def expected(payer: str, amount: Decimal, year: int) -> FeeRecorded:
    return FeeRecorded(
        payer=payer, amount=amount, period=Period(start=date(year, 1, 1), end=date(year, 12, 31))
    )


@FIXTURE_OK
@given(payer=payers, amount_cents=cents, year=years)
def test_a_v1_payload_reads_as_todays_model(payer: str, amount_cents: int, year: int) -> None:
    stored = FeeV1(payer=payer, cents=amount_cents, year=year)
    from events.encoding import encode_event

    event = registry.decode_event(TYPE, 1, encode_event(stored))

    assert event == expected(payer, Decimal(amount_cents) / 100, year)


@FIXTURE_OK
@given(
    payer=payers,
    amount=st.decimals(
        allow_nan=False, allow_infinity=False, places=2, max_value=10**9, min_value=-(10**9)
    ),
    year=years,
)
def test_a_v2_payload_reads_as_todays_model(payer: str, amount: Decimal, year: int) -> None:
    from events.encoding import encode_event

    stored = FeeV2(payer=payer, amount=amount, year=year)

    assert registry.decode_event(TYPE, 2, encode_event(stored)) == expected(payer, amount, year)


@FIXTURE_OK
@given(version=st.integers().filter(lambda v: v not in (1, 2, 3)))
def test_a_schema_version_this_code_does_not_know_is_a_refusal(version: int) -> None:
    with pytest.raises(UnknownEventType):
        registry.decode_event(TYPE, version, '{"payer":"x","amount":"1","year":2020}')


@FIXTURE_OK
@given(
    payload=st.dictionaries(
        st.sampled_from(["payer", "cents", "amount", "year", "period", "extra"]),
        st.one_of(
            st.none(),
            st.booleans(),
            st.integers(),
            st.text(max_size=10),
            st.lists(st.integers(), max_size=2),
        ),
    ),
    version=st.sampled_from([1, 2, 3]),
)
def test_a_stored_payload_of_the_wrong_shape_is_a_refusal_not_a_crash(
    payload: dict[str, Any], version: int
) -> None:
    # An upcaster meets whatever an old row holds: a missing or mistyped field must come out
    # as a LedgerError naming the payload, never as a KeyError from inside the upcaster.
    from events.encoding import canonical_json

    with contextlib.suppress(LedgerError):
        registry.decode_event(TYPE, version, canonical_json(payload))


@FIXTURE_OK
@given(text=st.text(max_size=30))
def test_stored_bytes_that_are_not_json_are_a_refusal_not_a_crash(text: str) -> None:
    with contextlib.suppress(LedgerError):
        registry.decode_event(TYPE, 3, text)


@FIXTURE_OK
@given(payer=payers, amount_cents=cents, year=years, as_v2=st.booleans())
def test_old_rows_written_through_the_store_read_back_upcast(
    store: SqlEventStore, payer: str, amount_cents: int, year: int, as_v2: bool
) -> None:
    old: LedgerEvent = (
        FeeV2(payer=payer, amount=Decimal(amount_cents) / 100, year=year)
        if as_v2
        else FeeV1(payer=payer, cents=amount_cents, year=year)
    )
    stream = f"fuzz-{store.count()}/2020"
    [written] = store.append(
        stream,
        [NewEvent(old, date(year, 6, 1), "controller@ente", "controller")],
        expected_version=0,
    )

    [entry] = store.read_stream(stream)

    assert entry.schema_version == (2 if as_v2 else 1)
    assert entry.payload == written.payload
    assert entry.event == expected(payer, Decimal(amount_cents) / 100, year)
