"""Canonical bytes: every event round-trips byte for byte, and the bytes follow RFC 8785.

The event strategy is generic: it reads each registered type's pydantic fields, so a new event
type joins these properties the day it is registered, with no change here.
"""

import json
import types
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal, localcontext
from enum import Enum
from fractions import Fraction
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import annotated_types
import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from events import encoding
from events.base import LedgerEvent
from events.encoding import canonical_decimal, canonical_json, decode_json, encode_event
from events.errors import EncodingError
from events.registry import decode_event, event_class, known_types

MAX_SAFE_INTEGER = 2**53 - 1

# Shrinking a failing event through the models' validators takes minutes; a failure is shown
# as first found instead (the decimal tests below give the minimal cases).
NO_SHRINKING = (Phase.explicit, Phase.reuse, Phase.generate)

# -- a strategy for any registered event, read from the models' fields ---------------------------


def _bounds(metadata: Sequence[Any]) -> dict[str, Any]:
    bounds: dict[str, Any] = {}
    for constraint in metadata:
        if isinstance(constraint, annotated_types.Ge):
            bounds["min_value"] = constraint.ge
        elif isinstance(constraint, annotated_types.Le):
            bounds["max_value"] = constraint.le
        elif isinstance(constraint, annotated_types.Gt):
            bounds["min_value"], bounds["exclude_min"] = constraint.gt, True
        elif isinstance(constraint, annotated_types.Lt):
            bounds["max_value"], bounds["exclude_max"] = constraint.lt, True
    return bounds


# Values with more digits than the default decimal context keeps (28): random draws reach them
# only now and then, so they are offered explicitly, every run.
LONG_DECIMALS = (
    Decimal("12.345678901234567890123456789"),
    Decimal("0.10000000000000000000000000001"),
    Decimal("-98765432109876543210987654321"),
)


def _within(number: Decimal, bounds: dict[str, Any]) -> bool:
    low, high = bounds.get("min_value"), bounds.get("max_value")
    return (low is None or number >= low) and (high is None or number <= high)


def values_of(annotation: Any, metadata: Sequence[Any] = ()) -> st.SearchStrategy[Any]:
    """Values a field of this type may hold, within its declared bounds."""
    origin = get_origin(annotation)
    args = get_args(annotation)
    if origin is Annotated:
        return values_of(args[0], [*metadata, *args[1:]])
    if origin in (Union, types.UnionType):
        return st.one_of([values_of(arg, metadata) for arg in args])
    if origin is Literal:
        return st.sampled_from(args)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return st.lists(values_of(args[0]), max_size=3).map(tuple)
        return st.tuples(*(values_of(arg) for arg in args))
    if origin is list:
        return st.lists(values_of(args[0]), max_size=3)
    if origin is dict:
        return st.dictionaries(values_of(args[0]), values_of(args[1]), max_size=3)
    if annotation is type(None):
        return st.none()
    if annotation is bool:
        return st.booleans()
    if annotation is int:
        limits = {"min_value": -MAX_SAFE_INTEGER, "max_value": MAX_SAFE_INTEGER}
        limits.update({k: v for k, v in _bounds(metadata).items() if not k.startswith("ex")})
        return st.integers(**limits)
    if annotation is Decimal:
        bounds = _bounds(metadata)
        # st.decimals has no exclusive bounds: draw inclusive ones and leave the bound itself out
        excluded = [
            bounds.get(key)
            for key in ("min_value", "max_value")
            if bounds.pop(f"exclude_{key.split('_')[0]}", False)
        ]
        drawn = st.decimals(allow_nan=False, allow_infinity=False, **bounds) | st.sampled_from(
            [d for d in LONG_DECIMALS if _within(d, bounds)]
        )
        return drawn.filter(lambda d: d not in excluded) if excluded else drawn
    if annotation is Fraction:
        bounds = _bounds(metadata)
        return st.fractions(
            min_value=bounds.get("min_value"),
            max_value=bounds.get("max_value"),
            max_denominator=10_000,
        )
    if annotation is str:
        return st.text(max_size=20)
    if annotation is datetime:
        return st.datetimes(timezones=st.sampled_from([UTC, timezone(timedelta(hours=2))]))
    if annotation is date:
        return st.dates()
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return st.sampled_from(list(annotation))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return models(annotation)
    raise TypeError(f"no strategy for {annotation!r}: teach values_of() about it")


def _field_values(field: FieldInfo) -> st.SearchStrategy[Any]:
    return values_of(field.annotation, field.metadata)


def _valid_or_none(model: type[BaseModel], data: dict[str, Any]) -> BaseModel | None:
    try:
        return model.model_validate(data)
    except ValidationError:
        return None  # the model's own rules (weights, thresholds, periods) refused the draw


def _periods() -> st.SearchStrategy[Any]:
    """A period ends on or after its start: drawn so, instead of filtering half the draws."""
    from events.measurement import Period

    return st.dates().flatmap(
        lambda start: st.dates(min_value=start).map(lambda end: Period(start=start, end=end))
    )


def _measurements() -> st.SearchStrategy[Any]:
    """A MeasurementRecorded has one value form (a value, perhaps a bound; or a ratio with a
    denominator other than 0): each form drawn directly. Drawing every field at random and
    keeping the valid ones kept so few that hypothesis could stop on `filter_too_much`."""
    from events.measurement import MeasurementRecorded

    fields = MeasurementRecorded.model_fields
    number = values_of(Decimal)
    common = {name: _field_values(fields[name]) for name in ("note", "source", "unit", "evidence")}
    plain = st.fixed_dictionaries(
        {"value": number}, optional={"bound": _field_values(fields["bound"])}
    )
    ratio = st.fixed_dictionaries({"numerator": number, "denominator": number.filter(bool)})
    return st.builds(
        lambda action, period, form, extra: MeasurementRecorded(
            action=action, period=period, **form, **extra
        ),
        _field_values(fields["action"]),
        _periods(),
        plain | ratio,
        st.fixed_dictionaries({}, optional=common),
    )


SHAPED: dict[str, Any] = {"Period": _periods, "MeasurementRecorded": _measurements}
"""Models whose own rules refuse most random draws, with strategies that draw valid values."""


def models(model: type[BaseModel]) -> st.SearchStrategy[Any]:
    """Valid instances of `model`: each field drawn from its type; defaults sometimes left out."""
    shaped = SHAPED.get(model.__name__)
    if shaped is not None and model.__module__ == "events.measurement":
        return shaped()  # type: ignore[no-any-return]
    required = {n: _field_values(f) for n, f in model.model_fields.items() if f.is_required()}
    optional = {n: _field_values(f) for n, f in model.model_fields.items() if not f.is_required()}
    return (
        st.fixed_dictionaries(required, optional=optional)
        .map(lambda data: _valid_or_none(model, data))
        .filter(lambda instance: instance is not None)
    )


def events_of(type_name: str) -> st.SearchStrategy[LedgerEvent]:
    return models(event_class(type_name))


# -- round trip ---------------------------------------------------------------------------------


@pytest.mark.parametrize("type_name", known_types())
@settings(max_examples=60, deadline=None, phases=NO_SHRINKING)
@given(data=st.data())
def test_any_event_round_trips_through_the_canonical_encoding(
    type_name: str, data: st.DataObject
) -> None:
    event = data.draw(events_of(type_name))

    encoded = encode_event(event)
    decoded = decode_event(type_name, type(event).schema_version, encoded)

    assert decoded == event, f"stored {encoded!r} reads back as {decoded!r}"
    assert encode_event(decoded) == encoded


def test_the_catalogue_is_registered_and_includes_the_cycle() -> None:
    assert {"CycleOpened", "CycleClosed", "CycleReopened"} <= set(known_types())


def _admits_none(annotation: Any) -> bool:
    if annotation is None or annotation is type(None):
        return True
    if get_origin(annotation) is Annotated:
        return _admits_none(get_args(annotation)[0])
    if get_origin(annotation) in (Union, types.UnionType):
        return any(_admits_none(arg) for arg in get_args(annotation))
    return False


def _nested_models(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [model for arg in get_args(annotation) for model in _nested_models(arg)]


def _optional_fields_without_none_default(
    model: type[BaseModel], path: str, seen: set[type[BaseModel]]
) -> list[str]:
    if model in seen:
        return []
    seen.add(model)
    wrong: list[str] = []
    for name, field in model.model_fields.items():
        where = f"{path}.{name}"
        if _admits_none(field.annotation) and (
            field.is_required() or field.default_factory is not None or field.default is not None
        ):
            wrong.append(where)
        for nested in _nested_models(field.annotation):
            wrong += _optional_fields_without_none_default(nested, f"{where}", seen)
    return wrong


@pytest.mark.parametrize("type_name", known_types())
def test_every_optional_field_defaults_to_none(type_name: str) -> None:
    # encode_event drops None values; decoding then restores each field's default, which gives
    # back the same event only if that default is None.
    cls = event_class(type_name)

    assert _optional_fields_without_none_default(cls, type_name, set()) == []


# -- canonical form (RFC 8785) -----------------------------------------------------------------


def utf16_order(key: str) -> bytes:
    return key.encode("utf-16-be", errors="surrogatepass")


def reference_form(value: Any) -> str:
    """An independent writing of JCS for our subset: sorted keys, no whitespace, UTF-8 text."""

    def ordered(item: Any) -> Any:
        if isinstance(item, dict):
            return {k: ordered(item[k]) for k in sorted(item, key=utf16_order)}
        if isinstance(item, list):
            return [ordered(element) for element in item]
        return item

    return json.dumps(ordered(value), ensure_ascii=False, separators=(",", ":"))


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-MAX_SAFE_INTEGER, MAX_SAFE_INTEGER)
    | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(value=json_values)
def test_canonical_json_is_the_rfc_8785_form(value: Any) -> None:
    encoded = canonical_json(value)

    assert encoded == reference_form(value).encode("utf-8")
    assert json.loads(encoded) == value


@given(keys=st.lists(st.text(max_size=4), unique=True, max_size=8))
def test_object_keys_are_sorted_by_utf16_code_units(keys: list[str]) -> None:
    encoded = canonical_json(dict.fromkeys(keys, 0))

    written = [key for key, _ in json.loads(encoded, object_pairs_hook=lambda pairs: pairs)]
    assert written == sorted(keys, key=utf16_order)


def test_key_order_follows_the_rfc_8785_example() -> None:
    # RFC 8785 section 3.2.3: UTF-16 order puts U+1F600 (a surrogate pair) before U+FB33.
    keys = ["\u20ac", "\r", "\ufb33", "1", "\U0001f600", "\u0080", "\u00f6"]

    encoded = canonical_json(dict.fromkeys(keys, 0))

    expected = ["\r", "1", "\u0080", "\u00f6", "\u20ac", "\U0001f600", "\ufb33"]
    assert [k for k, _ in json.loads(encoded, object_pairs_hook=lambda p: p)] == expected


def test_strings_are_escaped_as_rfc_8785_writes_them() -> None:
    # RFC 8785 section 3.2.2.2's example string.
    value = "\u20ac$\u000f\u000aA'\u0042\u0022\u005c\\\"/"

    assert canonical_json(value) == '"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"'.encode()


def test_canonical_bytes_hold_no_insignificant_whitespace() -> None:
    value = {"b": [1, 2, {"d": None, "c": True}], "a": "x y"}

    assert canonical_json(value) == b'{"a":"x y","b":[1,2,{"c":true,"d":null}]}'


@given(
    number=st.floats(allow_nan=True, allow_infinity=True),
    where=st.sampled_from(["top", "list", "object", "deep"]),
)
def test_encoding_a_float_raises_encoding_error(number: float, where: str) -> None:
    value: Any = {
        "top": number,
        "list": [1, number],
        "object": {"a": number},
        "deep": {"a": [{"b": number}]},
    }[where]

    with pytest.raises(EncodingError, match="float"):
        canonical_json(value)


def test_a_stored_payload_holding_a_float_is_refused() -> None:
    with pytest.raises(EncodingError, match="float"):
        decode_json(b'{"value":97.2}')


def test_equal_decimals_encode_alike() -> None:
    assert canonical_json({"v": Decimal("97.20")}) == canonical_json({"v": Decimal("97.2")})
    assert canonical_json({"v": Decimal("97.20")}) == b'{"v":"97.2"}'
    assert canonical_decimal(Decimal("1E+3")) == "1000"
    assert canonical_decimal(Decimal("-0.00")) == "0"
    assert canonical_decimal(Decimal("100")) == "100"


@settings(phases=NO_SHRINKING)
@given(
    number=st.decimals(allow_nan=False, allow_infinity=False) | st.sampled_from(LONG_DECIMALS),
    zeros=st.integers(0, 4),
)
def test_any_decimal_encodes_as_plain_digits_that_read_back_equal(
    number: Decimal, zeros: int
) -> None:
    text = canonical_decimal(number)
    sign, digits, exponent = number.as_tuple()
    assert isinstance(exponent, int)
    # The same value with trailing zeros, built exactly (arithmetic would round to 28 digits).
    padded = Decimal((sign, (*digits, *[0] * zeros), exponent - zeros))

    assert Decimal(text) == number
    assert canonical_decimal(padded) == text
    assert "e" not in text.lower()
    assert text != "-0"
    assert "." not in text or not text.endswith("0")


def test_decimal_encoding_does_not_depend_on_the_decimal_context() -> None:
    # Canonical bytes must be the same in every process, whatever precision a caller set.
    with localcontext() as context:
        context.prec = 4
        assert canonical_decimal(Decimal("97.2345")) == "97.2345"


def test_a_decimal_with_more_than_28_digits_keeps_every_digit() -> None:
    number = Decimal("0.12345678901234567890123456789")

    assert canonical_decimal(number) == "0.12345678901234567890123456789"


def test_a_naive_datetime_is_refused() -> None:
    with pytest.raises(EncodingError, match="has no time zone"):
        canonical_json({"at": datetime(2021, 4, 30, 9, 15)})  # noqa: DTZ001 - the point


def test_an_aware_datetime_is_written_in_utc_with_microseconds() -> None:
    rome = timezone(timedelta(hours=2))

    encoded = canonical_json({"at": datetime(2021, 4, 30, 11, 15, tzinfo=rome)})

    assert encoded == b'{"at":"2021-04-30T09:15:00.000000Z"}'


def test_dates_are_iso_text() -> None:
    assert canonical_json([date(2021, 4, 30)]) == b'["2021-04-30"]'


def test_an_integer_beyond_2_to_the_53_is_refused() -> None:
    assert canonical_json(MAX_SAFE_INTEGER) == str(MAX_SAFE_INTEGER).encode()
    with pytest.raises(EncodingError, match="too large"):
        canonical_json(MAX_SAFE_INTEGER + 1)


def test_a_lone_surrogate_is_refused() -> None:
    with pytest.raises(EncodingError, match="not valid Unicode"):
        canonical_json({"note": "\ud800"})


def test_keys_beyond_the_basic_plane_sort_by_utf16_units_as_jcs_says() -> None:
    # U+1F600 is the surrogate pair D83D DE00 in UTF-16, which sorts before U+FF00;
    # by code point it would sort after: RFC 8785 section 3.2.3 orders by UTF-16 units.
    assert canonical_json({"\uff00": 1, "\U0001f600": 2}) == '{"😀":2,"＀":1}'.encode()


@given(st.dictionaries(st.text(max_size=4), st.integers(-5, 5) | st.text(max_size=4), max_size=6))
def test_the_fast_encoder_agrees_with_the_reference_serialiser(value: dict[str, object]) -> None:
    try:
        expected = encoding._serialise(encoding.to_canonical_value(value)).encode("utf-8")
    except UnicodeEncodeError:
        return  # lone surrogates: both paths refuse them (tested elsewhere)
    assert canonical_json(value) == expected
