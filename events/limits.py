"""The documented limits of every value an event may carry, checked where the value enters.

The models (pydantic) say what a value means; these limits say what every backend, every
reader and every writer can hold, so that a value accepted today never breaks a later read:

- numbers: at most `MAX_DIGITS` (28) significant digits, the precision of Python's decimal
  context; magnitude below 10^`MAX_MAGNITUDE` and at most `MAX_DECIMALS` decimals, so that
  rounding a figure to its printed decimals never needs more digits than the context holds;
- integers: within a signed 64-bit integer (what SQLite and PostgreSQL store);
- years between `MIN_YEAR` and `MAX_YEAR`, and every date inside that span;
- text: printable, no control characters (tab and line ends allowed in free text only, never
  in a code or a name), no lone surrogates; a code or a name is not blank.

Domain ranges (an achievement 0-100, a weight 0-100 or a share of 1) stay on the models,
whose refusals the front ends translate into one line naming the value (`validation_message`).
The check walks an event's values generically, so a field added tomorrow is covered too.
"""

import unicodedata
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from pydantic import BaseModel, ValidationError

from events.errors import UsageError
from events.i18n import N_, _

MAX_DIGITS = 28
MAX_MAGNITUDE = 18
MAX_DECIMALS = 10
MAX_INT = 2**63 - 1
MIN_YEAR = 1900
MAX_YEAR = 2199
MAX_TEXT = 20_000
"""Characters of one text value (a rationale or an opinion runs to a page or two)."""

FREE_TEXT = frozenset(
    {"note", "rationale", "reason", "opinion", "description", "title", "name", "evidence",
     "printed", "where", "document", "source", "entity_name", "display_name", "label"}
)  # fmt: skip
"""Fields whose text may span lines (tab and line ends allowed); every other text is a code,
a name or a key and holds no control character at all."""

_YEAR_NAMES = frozenset({"year", "years"})


class ValueOutOfLimits(UsageError):
    """A value outside what the ledger can hold and show: refused at entry, exit 2."""


def check_event(event: BaseModel) -> None:
    """Refuse the event if any of its values is outside the limits above, naming the first.

    Every append checks every event, so the common case takes `within_limits`, a walk that
    builds no paths and tests most values in one step; only an event it cannot clear is
    walked again with paths, to name the value at fault.
    """
    if within_limits(event):
        return
    for where, value in _values(event, ""):
        problem = value_problem(where, value)
        if problem is not None:
            raise ValueOutOfLimits(problem)


def value_problem(where: str, value: Any) -> str | None:
    """Why `value` (found at `where`, e.g. `kpi.target`) is outside the limits, or None."""
    leaf = where.rsplit(".", 1)[-1].rstrip("]0123456789[")
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        if leaf in _YEAR_NAMES and not MIN_YEAR <= value <= MAX_YEAR:
            return _("{where}: year {value} is outside {low}-{high}").format(
                where=where, value=value, low=MIN_YEAR, high=MAX_YEAR
            )
        if abs(value) > MAX_INT:
            return _("{where}: {value} is too large (at most {limit})").format(
                where=where, value=_short(str(value)), limit=MAX_INT
            )
        return None
    if isinstance(value, Decimal):
        return decimal_problem(where, value)
    if isinstance(value, Fraction):
        for part in (value.numerator, value.denominator):
            if abs(part) >= 10**MAX_DIGITS:
                return _("{where}: {value} has more than {digits} digits").format(
                    where=where, value=_short(str(value)), digits=MAX_DIGITS
                )
        return None
    if isinstance(value, date):
        if not MIN_YEAR <= value.year <= MAX_YEAR:
            return _("{where}: the date {value} is outside {low}-{high}").format(
                where=where, value=value.isoformat(), low=MIN_YEAR, high=MAX_YEAR
            )
        return None
    if isinstance(value, str):
        return text_problem(where, value, free=leaf in FREE_TEXT)
    return None


def decimal_problem(where: str, value: Decimal) -> str | None:
    """Why a number is outside the limits (not finite, too many digits, too large or fine)."""
    if not value.is_finite():
        return _("{where}: {value} is not a finite number").format(where=where, value=value)
    if value.is_zero():
        return None
    digits = len(value.as_tuple().digits)
    exponent = int(value.as_tuple().exponent)
    if digits > MAX_DIGITS and exponent < 0:
        digits = len(value.normalize().as_tuple().digits)
    if value.adjusted() >= MAX_MAGNITUDE:
        return _("{where}: {value} is too large (less than 10^{power} expected)").format(
            where=where, value=_short(f"{value:E}"), power=MAX_MAGNITUDE
        )
    if digits > MAX_DIGITS:
        return _("{where}: {value} has more than {digits} significant digits").format(
            where=where, value=_short(str(value)), digits=MAX_DIGITS
        )
    if -int(value.normalize().as_tuple().exponent) > MAX_DECIMALS:
        return _("{where}: {value} has more than {decimals} decimals").format(
            where=where, value=_short(str(value)), decimals=MAX_DECIMALS
        )
    return None


def text_problem(where: str, text: str, *, free: bool) -> str | None:
    """Why a text is outside the limits: control characters, surrogates, blank or too long."""
    if len(text) > MAX_TEXT:
        return _("{where}: a text of {length} characters (at most {limit})").format(
            where=where, length=len(text), limit=MAX_TEXT
        )
    allowed = "\t\n\r" if free else ""
    for index, char in enumerate(text):
        category = unicodedata.category(char)
        if category == "Cs":
            return _("{where}: character {index} is not valid text (a lone surrogate)").format(
                where=where, index=index + 1
            )
        if category in ("Cc", "Zl", "Zp") and char not in allowed:
            return _(
                "{where}: {value} holds a control character (U+{code:04X}) at position {index}"
            ).format(where=where, value=_short(ascii(text)), code=ord(char), index=index + 1)
    return None


def validation_message(error: ValidationError) -> str:
    """A pydantic refusal as one line: the field, what is wrong, and the value given."""
    first = error.errors(include_url=False)[0]
    where = ".".join(str(part) for part in first["loc"]) or error.title
    message = pydantic_problem(first)
    given = first.get("input")
    shown = (
        ""
        if isinstance(given, dict | list)
        else _(" (given: {value})").format(
            value=_short(ascii(given) if isinstance(given, str) else str(given))
        )
    )
    extra = len(error.errors()) - 1
    more = _(" and {count} more").format(count=extra) if extra else ""
    return f"{where}: {message}{shown}{more}"


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _leaf(where: str) -> str:
    """The name a value's limits depend on: the last field of its place, without indexes."""
    return where.rsplit(".", 1)[-1].rstrip("]0123456789[")


_LEAVES: dict[type[BaseModel], tuple[tuple[str, str], ...]] = {}
"""Each model class's fields with their leaf names, computed once per class."""


def _fields(model: type[BaseModel]) -> tuple[tuple[str, str], ...]:
    found = _LEAVES.get(model)
    if found is None:
        found = _LEAVES[model] = tuple((name, _leaf(name)) for name in model.model_fields)
    return found


def within_limits(value: Any, leaf: str = "") -> bool:
    """Whether `value` (found under the field `leaf`) is certainly within the limits.

    True only where `value_problem` finds nothing for any of its values: a text that is
    printable (`str.isprintable` is False for every control, separator and surrogate
    character, so it also clears those that free text allows) and not too long, a decimal
    whose digits and exponent are within bounds as written (normalising only removes digits
    and raises the exponent), an integer or a date within range; any other value is asked of
    `value_problem` itself. A False only means the slow walk runs and decides.
    """
    kind = type(value)
    if kind is str:
        return (len(value) <= MAX_TEXT and value.isprintable()) or (
            text_problem(leaf, value, free=leaf in FREE_TEXT) is None
        )
    if kind is Decimal:
        if value.is_finite():
            _, digits, exponent = value.as_tuple()
            if (
                len(digits) <= MAX_DIGITS
                and int(exponent) >= -MAX_DECIMALS
                and value.adjusted() < MAX_MAGNITUDE
            ):
                return True
        return decimal_problem(leaf, value) is None
    if kind is int:
        return -MAX_INT <= value <= MAX_INT and (
            leaf not in _YEAR_NAMES or MIN_YEAR <= value <= MAX_YEAR
        )
    if value is None or kind is bool:
        return True
    if kind is date or kind is datetime:
        return bool(MIN_YEAR <= value.year <= MAX_YEAR)
    if isinstance(value, BaseModel):
        for name, named in _fields(kind):
            item = getattr(value, name)
            # The common leaves inline, without a call: a short printable text, or nothing.
            if item is None or (type(item) is str and len(item) <= MAX_TEXT and item.isprintable()):
                continue
            if not within_limits(item, named):
                return False
        return True
    if isinstance(value, list | tuple | set | frozenset):
        return all(within_limits(item, leaf) for item in value)
    if isinstance(value, dict):
        return all(
            within_limits(key, leaf) and within_limits(item, _leaf(f"{leaf}.{key}"))
            for key, item in value.items()
        )
    return value_problem(leaf, value) is None


def _values(value: Any, where: str) -> Iterator[tuple[str, Any]]:
    """Every leaf value of a model with its dotted place (`kpi.thresholds[0].value`)."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _values(getattr(value, name), f"{where}.{name}" if where else name)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield f"{where}", key
            yield from _values(item, f"{where}.{key}")
    elif isinstance(value, list | tuple | set | frozenset):
        for index, item in enumerate(value):
            yield from _values(item, f"{where}[{index}]")
    else:
        yield where, value


_PYDANTIC_KINDS: dict[str, str] = {
    "missing": N_("a required field is missing"),
    "extra_forbidden": N_("this field is not expected here"),
    "literal_error": N_("should be {expected}"),
    "enum": N_("should be {expected}"),
    "greater_than_equal": N_("should be at least {ge}"),
    "greater_than": N_("should be more than {gt}"),
    "less_than_equal": N_("should be at most {le}"),
    "less_than": N_("should be less than {lt}"),
    "string_too_long": N_("a text of at most {max_length} characters is expected"),
    "string_too_short": N_("a text of at least {min_length} characters is expected"),
    "string_type": N_("a text is expected"),
    "int_type": N_("a whole number is expected"),
    "int_parsing": N_("a whole number is expected"),
    "int_from_float": N_("a whole number is expected"),
    "decimal_parsing": N_("a number is expected"),
    "decimal_type": N_("a number is expected"),
    "date_type": N_("a valid date is expected"),
    "date_parsing": N_("a valid date is expected"),
    "date_from_datetime_parsing": N_("a valid date is expected"),
    "datetime_type": N_("a valid date and time is expected"),
    "datetime_parsing": N_("a valid date and time is expected"),
    "datetime_from_date_parsing": N_("a valid date and time is expected"),
    "bool_type": N_("yes or no (true or false) is expected"),
    "bool_parsing": N_("yes or no (true or false) is expected"),
    "dict_type": N_("a mapping of fields is expected"),
    "model_type": N_("a mapping of fields is expected"),
    "model_attributes_type": N_("a mapping of fields is expected"),
    "list_type": N_("a list is expected"),
    "tuple_type": N_("a list is expected"),
    "json_invalid": N_("the text is not JSON"),
    "uuid_type": N_("a UUID is expected"),
    "uuid_parsing": N_("a UUID is expected"),
}
"""Pydantic's kinds of finding a user meets, worded for the catalog."""


def pydantic_problem(first: Any) -> str:
    """What pydantic found wrong with one value, in the reader's language.

    Pydantic words its findings in English. In a language the catalog serves, the kinds a user
    meets (a field missing or unknown, a value not among the choices, of the wrong type, out of
    range) are worded through it; in English pydantic's own text stays, as the documents quote
    it. Our validators' texts (`Value error, ...`) are translated where they are raised."""
    own = str(first.get("msg", "")).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    template = _PYDANTIC_KINDS.get(str(first.get("type", "")))
    if template is None or _(template) == template:
        return own
    try:
        return _(template).format(**(first.get("ctx") or {}))
    except (KeyError, IndexError):
        return own
