"""Canonical bytes: the same event gives the same bytes on every run, Python and backend.

The form is RFC 8785 (JSON Canonicalization Scheme) restricted to what our models hold:
objects with keys sorted by UTF-16 code units, no insignificant whitespace, UTF-8, and no
numbers other than integers. Decimals and dates travel as strings, so no float ever reaches
the hashed bytes: https://www.rfc-editor.org/rfc/rfc8785
"""

import json
from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from pydantic import BaseModel

from events.errors import EncodingError
from events.i18n import _

# JCS requires integers to be exactly representable as IEEE 754 doubles.
_MAX_SAFE_INTEGER = 2**53 - 1


def canonical_decimal(value: Decimal) -> str:
    """Write a decimal without exponent and without trailing zeros: 97.20 and 97.2 are one value."""
    if not value.is_finite():
        raise EncodingError(_("{value} is not a finite number").format(value=value))
    # str() of a decimal does not depend on the context; when it has no exponent it is the
    # plain form (digits, perhaps a point), and only trailing zeros and "-0" need care.
    text = str(value)
    if "E" not in text:
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return "0" if text == "-0" else text
    return _decimal_from_digits(value)


def _decimal_from_digits(value: Decimal) -> str:
    """The same text built from the digits themselves, for decimals str() writes with an
    exponent: normalize() and format() round to the caller's decimal context, so the same
    event could encode differently in two processes."""
    sign, digits, raw_exponent = value.as_tuple()
    exponent = int(raw_exponent)  # an int for every finite decimal
    text = "".join(map(str, digits))
    if exponent >= 0:
        text += "0" * exponent
    else:
        point = len(text) + exponent
        text = "0." + "0" * -point + text if point <= 0 else f"{text[:point]}.{text[point:]}"
        text = text.rstrip("0").rstrip(".")
    text = text.lstrip("0") or "0"
    if text.startswith("."):
        text = "0" + text
    return f"-{text}" if sign and text != "0" else text


def canonical_datetime(value: datetime) -> str:
    """Write an aware datetime in UTC with microseconds and a Z: one form, sortable as text."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise EncodingError(f"datetime {value.isoformat()} has no time zone")
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _integer(value: int) -> int:
    if abs(value) > _MAX_SAFE_INTEGER:
        raise EncodingError(
            _("integer {value} is too large for canonical JSON; use a Decimal").format(value=value)
        )
    return value


def _same(value: Any) -> Any:
    return value


def _mapping(value: Mapping[Any, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, item in value.items():
        # Most leaves are text: kept as they are without a call.
        out[key if type(key) is str else str(key)] = (
            item if type(item) is str else to_canonical_value(item)
        )
    return out


def _sequence(value: list[Any] | tuple[Any, ...]) -> list[Any]:
    return [to_canonical_value(item) for item in value]


_BY_TYPE: dict[type, Any] = {
    str: _same,
    bool: _same,
    type(None): _same,
    int: _integer,
    Decimal: canonical_decimal,
    dict: _mapping,
    list: _sequence,
    tuple: _sequence,
    date: date.isoformat,
    datetime: canonical_datetime,
}
"""The exact types a model dump holds, each with its conversion: one lookup instead of a chain
of isinstance checks (the append path encodes every event). Subclasses take the chain below."""


def to_canonical_value(value: Any) -> Any:
    """Turn a model dump into plain JSON values (str, int, bool, None, list, dict)."""
    convert = _BY_TYPE.get(type(value))
    if convert is not None:
        return convert(value)
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return _integer(value)
    if isinstance(value, float):
        raise EncodingError(f"float {value!r} cannot be hashed reproducibly; use a Decimal")
    if isinstance(value, Decimal):
        return canonical_decimal(value)
    if isinstance(value, datetime):
        return canonical_datetime(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return to_canonical_value(value.value)
    if isinstance(value, BaseModel):
        return to_canonical_value(value.model_dump(mode="python"))
    if isinstance(value, Mapping):
        return _mapping(value)
    if isinstance(value, list | tuple):
        return _sequence(value)
    raise EncodingError(f"{type(value).__name__} value {value!r} has no canonical form")


def _utf16_key(key: str) -> bytes:
    return key.encode("utf-16-be", errors="surrogatepass")


def _serialise(value: Any) -> str:
    if isinstance(value, dict):
        items = sorted(value.items(), key=lambda item: _utf16_key(item[0]))
        return "{" + ",".join(f"{_serialise(k)}:{_serialise(v)}" for k, v in items) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_serialise(item) for item in value) + "]"
    # For strings, integers, booleans and null, Python's encoder with ensure_ascii=False writes
    # exactly the JCS form (short escapes for \b \f \n \r \t, \u00xx for other controls).
    return json.dumps(value, ensure_ascii=False)


def _has_astral_key(value: Any) -> bool:
    """Whether a key holds a character beyond U+FFFF, where code-point and UTF-16 order differ."""
    if isinstance(value, dict):
        return any(
            (not key.isascii() and any(ord(char) > 0xFFFF for char in key)) or _has_astral_key(item)
            for key, item in value.items()
        )
    if isinstance(value, list):
        return any(_has_astral_key(item) for item in value)
    return False


_ENCODE = json.JSONEncoder(
    ensure_ascii=False, sort_keys=True, separators=(",", ":"), check_circular=False
).encode
"""`json.dumps(plain, ensure_ascii=False, sort_keys=True, separators=(",", ":"))`, without a new
encoder per call (a third of its time on our payloads). The circular check is left out: the
value comes from `to_canonical_value`, which builds a fresh tree and so never holds a cycle."""


def canonical_json(value: Any) -> bytes:
    """The canonical UTF-8 bytes of a JSON-able value.

    Python's own encoder sorts keys by code point, which is JCS's UTF-16 order for every key
    without characters beyond U+FFFF, and is twice as fast as our serialiser; the serialiser
    is kept for the rare key that needs it.
    """
    plain = to_canonical_value(value)
    text = _ENCODE(plain)
    # An ASCII text has no key beyond U+FFFF: the walk over the keys is only for the others.
    if not text.isascii() and _has_astral_key(plain):
        text = _serialise(plain)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise EncodingError(
            _("text holds a character that is not valid Unicode: {error}").format(error=error)
        ) from None


def encode_event(event: BaseModel) -> bytes:
    """The canonical bytes of an event's payload.

    Absent values (`None`) are left out, which keeps rows small; it is lossless because every
    optional field of our models defaults to `None` (a test holds every event type to it).
    """
    return canonical_json(event.model_dump(mode="python", exclude_none=True))


def decode_json(data: bytes | str) -> dict[str, Any]:
    """Parse stored canonical JSON; refuses floats so that a hand-edited row cannot sneak one in."""

    def no_float(text: str) -> Any:
        raise EncodingError(
            _("stored payload holds a float {text}; canonical payloads hold none").format(text=text)
        )

    try:
        loaded = json.loads(data, parse_float=no_float)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        shown = _("a stored payload is not JSON: {error}").format(error=error)
        raise EncodingError(shown) from None
    if not isinstance(loaded, dict):
        raise EncodingError(_("a stored payload must be a JSON object"))
    return loaded
