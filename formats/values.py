"""Measured values as Italian reports print them: a number, a bound (`≥95%`), a ratio (`45/50`),
and weights that may be fractions (`1/3`).

A value known only as a bound is read as one, never silently as a number: `≥ 95 %` is 95 with
the bound `at_least`, and the cycle's policy says how such a value scores.
"""

import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from events.errors import UsageError
from events.exact import as_fraction
from events.i18n import _
from events.measurement import Bound
from formats.italian_numbers import number_unit, parse_number

_BOUNDS: tuple[tuple[str, Bound], ...] = (
    ("≥", "at_least"),
    (">=", "at_least"),
    ("=>", "at_least"),
    ("almeno", "at_least"),
    ("oltre", "at_least"),
    (">", "at_least"),
    ("≤", "at_most"),
    ("<=", "at_most"),
    ("=<", "at_most"),
    ("non oltre", "at_most"),
    ("al massimo", "at_most"),
    ("<", "at_most"),
)


@dataclass(frozen=True)
class MeasuredValue:
    """A value as written: the number (or the ratio's parts), its unit, and its bound."""

    value: Decimal | None
    unit: str | None
    bound: Bound | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None


def split_bound(text: str) -> tuple[Bound | None, str]:
    """`≥ 95%` -> (at_least, `95%`); a value without a sign has no bound."""
    stripped = text.strip()
    lowered = stripped.lower()
    for sign, bound in _BOUNDS:
        if lowered.startswith(sign):
            return bound, stripped[len(sign) :].strip()
    return None, stripped


def parse_measured(text: str) -> MeasuredValue:
    """A measured value as written: `35,87 gg`, `≥ 95 %`, `45/50` (a ratio)."""
    bound, rest = split_bound(text)
    if "/" in rest and bound is None:
        numerator, _slash, denominator = rest.partition("/")
        try:
            top, bottom = parse_number(numerator), parse_number(denominator)
        except UsageError:
            raise UsageError(
                _("{text!r} is not a ratio: write numerator/denominator, e.g. 45/50").format(
                    text=text
                )
            ) from None
        if bottom == 0:
            raise UsageError(
                _("{text!r}: the denominator of a ratio cannot be 0").format(text=text)
            )
        return MeasuredValue(None, None, None, top, bottom)
    return MeasuredValue(parse_number(rest), number_unit(rest), bound)


_FRACTION = re.compile(r"^\s*[^/]+/[^/]+\s*$")


def parse_weight(text: str) -> Fraction:
    """A weight as written: `50`, `12,5`, `33,33 %` or an exact fraction `1/3`, `100/3`."""
    if _FRACTION.match(text):
        top, _slash, bottom = text.partition("/")
        try:
            return as_fraction(f"{parse_number(top)}/{parse_number(bottom)}")
        except (UsageError, ValueError):
            raise UsageError(
                _("{text!r} is not a weight: write 50, 12,5 or a fraction such as 1/3").format(
                    text=text
                )
            ) from None
    return Fraction(parse_number(text))


def printed_decimals(text: str) -> int:
    """How many decimals a printed figure shows: `90,00 %` two, `90%` none."""
    match = re.search(r",(\d+)", text)
    return len(match.group(1)) if match else 0
