"""Exact rational numbers in events: a weight of one third is 1/3, never 33,33.

Weights and factors are kept as `Fraction`s, so that three weights of `1/3` (or of `100/3`)
sum to exactly one (or one hundred) and a weighted mean is computed without a rounding error.
The canonical text of a value is the decimal form when it terminates (`0.5`, `12.5`, `50`) and
`numerator/denominator` otherwise (`1/3`): a terminating weight is written as a v1 event wrote
it, and a repeating one is written exactly.
"""

from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

from events.encoding import canonical_decimal
from events.i18n import _

_FROM_TEXT: dict[str, Fraction] = {}
"""Fractions already read from text, by the text: a plan's weights are a handful of values
(`25`, `12.5`, `100/3`) repeated in every objective of every cycle, and a replay reads each
from its stored text. A `Fraction` is immutable, so one instance serves every reader."""
_FROM_TEXT_LIMIT = 4096


def _not_a_number(value: Any) -> str:
    """The refusal of a value that is no number, in the reader's language."""
    return _("{value} is not a number or a fraction (write 50, 12.5 or 1/3)").format(
        value=repr(value)
    )


def as_fraction(value: Any) -> Fraction:
    """A Fraction from an int, a Decimal, a Fraction, or text such as `1/3`, `12.5`, `100/3`.

    Floats are refused: they are not exact (a YAML or JSON reader of ours never makes one).
    """
    if type(value) is str:
        found = _FROM_TEXT.get(value)
        if found is None:
            found = _fraction(value)
            if len(_FROM_TEXT) < _FROM_TEXT_LIMIT:
                _FROM_TEXT[value] = found
        return found
    return _fraction(value)


def _fraction(value: Any) -> Fraction:
    if isinstance(value, (bool, float)):
        raise ValueError(
            _("{value} is not an exact number: write it as text, e.g. '1/3'").format(
                value=repr(value)
            )
        )
    if isinstance(value, Fraction | int):
        return Fraction(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(_("{value} is not a finite number").format(value=value))
        return Fraction(value)
    if isinstance(value, str):
        text = value.strip().replace(" ", "")
        try:
            if "/" in text:
                numerator, _slash, denominator = text.partition("/")
                return Fraction(Decimal(numerator)) / Fraction(Decimal(denominator))
            return Fraction(Decimal(text))
        except (InvalidOperation, ValueError, ZeroDivisionError):
            raise ValueError(_not_a_number(value)) from None
    raise ValueError(_not_a_number(value))


def terminates(value: Fraction) -> bool:
    """Whether the fraction has a finite decimal form (its denominator divides a power of 10)."""
    denominator = value.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    return denominator == 1


def fraction_text(value: Fraction) -> str:
    """`0.5`, `50`, `1/3`: the canonical text of an exact number."""
    if terminates(value):
        return canonical_decimal(to_decimal_exact(value))
    return f"{value.numerator}/{value.denominator}"


def to_decimal_exact(value: Fraction) -> Decimal:
    """The exact Decimal of a terminating fraction (no rounding, whatever the context)."""
    if not terminates(value):
        raise ValueError(_("{value} has no finite decimal form").format(value=value))
    scale = 0
    numerator, denominator = value.numerator, value.denominator
    while denominator != 1:
        numerator *= 10
        scale += 1
        common = _gcd(numerator, denominator)
        numerator //= common
        denominator //= common
    return Decimal(numerator).scaleb(-scale)


def _gcd(a: int, b: int) -> int:
    while b:
        a, b = b, a % b
    return abs(a)


Exact = Annotated[
    Fraction,
    BeforeValidator(as_fraction),
    PlainSerializer(fraction_text, return_type=str),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number"},
                {"type": "string", "pattern": r"^\s*-?\d+(\.\d+)?\s*(/\s*\d+(\.\d+)?\s*)?$"},
            ],
            "description": "a number (50, 12.5) or an exact fraction written as text ('1/3')",
        }
    ),
]
"""A number kept exact: a weight or a factor, as a `Fraction`."""
