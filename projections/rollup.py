"""The arithmetic of the rollup, exact: weighted sums, plain means, achievements, rounding.

Every figure is a `Fraction` until it is shown: a weight of 1/3 stays one third, a mean of
three results is their sum divided by three, and a rounding rule of the SMVP rounds the exact
value (half up at 96,665 gives 96,67, whatever a binary float would have made of it). Figures
become Decimals once, for the reads (`to_decimal`).
"""

from collections.abc import Iterable, Sequence
from decimal import Decimal, localcontext
from fractions import Fraction

from events.policy import Achievement, Rounding

ZERO = Fraction(0)
HUNDRED = Fraction(100)
Pairs = Sequence[tuple[Fraction, Fraction | None]]


def weighted(pairs: Pairs, missing: str, coverages: Sequence[Fraction] = ()) -> Fraction | None:
    """Σ weight × value / Σ weight over the values present (missing: "excluded" re-normalises
    the weights of the rest; "zero" counts a missing value as 0, unless nothing is measured)."""
    if missing == "zero":
        if coverages and all(coverage == 0 for coverage in coverages):
            return None
        pairs = [(weight, ZERO if value is None else value) for weight, value in pairs]
    counted = [(weight, value) for weight, value in pairs if value is not None]
    total = _sum(weight for weight, _ in counted)
    if not counted or total[0] == 0:
        return None
    return _divided(_dot(counted), total)


def mean(values: Sequence[Fraction | None], missing: str) -> Fraction | None:
    """The plain mean of the values present (or of all, missing ones as 0, by the policy)."""
    if missing == "zero" and any(value is not None for value in values):
        values = [ZERO if value is None else value for value in values]
    present = [value for value in values if value is not None]
    if not present:
        return None
    return _divided(_sum(present), (len(present), 1))


def weighted_coverage(weights: Sequence[Fraction], coverages: Sequence[Fraction]) -> Fraction:
    total = _sum(weights)
    if total[0] == 0:
        return ZERO
    return _divided(_dot(zip(weights, coverages, strict=True)), total)


def mean_coverage(coverages: Sequence[Fraction]) -> Fraction:
    return _divided(_sum(coverages), (len(coverages), 1)) if coverages else ZERO


# The sums above in integers: a Fraction sum reduces every partial sum by a gcd, in Python; a
# sum over a common denominator reduces once, in the Fraction made of it. Same value.

Ratio = tuple[int, int]
"""A numerator and a positive denominator, not necessarily in lowest terms."""


def sums_to_one(values: Iterable[Fraction]) -> bool:
    """Whether Σ values = 1."""
    numerator, denominator = _sum(values)
    return numerator == denominator


def _sum(values: Iterable[Fraction]) -> Ratio:
    numerator, denominator = 0, 1
    for value in values:
        top, bottom = value.numerator, value.denominator
        if bottom == denominator:
            numerator += top
        else:
            numerator, denominator = numerator * bottom + top * denominator, denominator * bottom
    return numerator, denominator


def _dot(pairs: Iterable[tuple[Fraction, Fraction]]) -> Ratio:
    """Σ a × b."""
    numerator, denominator = 0, 1
    for a, b in pairs:
        top, bottom = a.numerator * b.numerator, a.denominator * b.denominator
        if bottom == denominator:
            numerator += top
        else:
            numerator, denominator = numerator * bottom + top * denominator, denominator * bottom
    return numerator, denominator


def _divided(dividend: Ratio, divisor: Ratio) -> Fraction:
    """dividend / divisor (the divisor not zero), in lowest terms."""
    return Fraction(dividend[0] * divisor[1], dividend[1] * divisor[0])


def achievement(
    result: Fraction | None, target: Fraction | None, rule: Achievement
) -> Fraction | None:
    """The result against the node's own target (result / target × 100), capped by the rule."""
    if result is None:
        return None
    reached = result if target is None or target == 0 else result / target * HUNDRED
    return min(Fraction(rule.cap), reached) if rule.capped else reached


def round_exact(value: Fraction, rounding: Rounding) -> Fraction:
    """The value rounded to `places` decimals as the SMVP says (half up, half even or down).

    In integers: the value × 10^places is `floor` and `rest` / `denominator` (0 <= rest <
    denominator), so the fraction part is above a half when 2 × rest > denominator."""
    scale = 10**rounding.places
    scaled, denominator = value.numerator * scale, value.denominator
    floor, rest = divmod(scaled, denominator)
    if rounding.mode == "down":
        whole = floor if value >= 0 else -(-scaled // denominator)
    elif 2 * rest > denominator or (
        2 * rest == denominator and (value >= 0 if rounding.mode == "half_up" else floor % 2 == 1)
    ):
        whole = floor + 1
    else:
        whole = floor
    return Fraction(whole, scale)


def rounded_by(value: Fraction | None, rounding: Rounding | None) -> Fraction | None:
    return value if value is None or rounding is None else round_exact(value, rounding)


def to_decimal(value: Fraction | None) -> Decimal | None:
    """The figure as a Decimal: exact when it terminates, else to 28 significant digits.

    The exact form is `events.exact.to_decimal_exact`'s, found without its loop: a fraction
    in lowest terms terminates when its denominator is 2^twos × 5^fives, and then it is
    numerator × (10^places / denominator) scaled by 10^-places, places = max(twos, fives)."""
    if value is None:
        return None
    numerator, denominator = value.numerator, value.denominator
    if denominator == 1 and -_EXACT_INTEGER < numerator < _EXACT_INTEGER:
        return Decimal(numerator)
    twos = (denominator & -denominator).bit_length() - 1
    odd, fives = denominator >> twos, 0
    while odd % 5 == 0:
        odd //= 5
        fives += 1
    if odd == 1:
        places = max(twos, fives)
        return Decimal(numerator * (10**places // denominator)).scaleb(-places)
    with localcontext() as context:
        context.prec = 28
        return Decimal(numerator) / Decimal(denominator)


_EXACT_INTEGER = 10**28
"""Integers below it in size are Decimals as they are (`scaleb` rounds only longer ones)."""


def as_fraction(value: Decimal | None) -> Fraction | None:
    return None if value is None else fraction_of(value)


def fraction_of(value: Decimal | int) -> Fraction:
    """`Fraction(value)` of a finite Decimal (or an int), without `Fraction`'s checks of
    what kind of number it was given (an abstract-class check per conversion)."""
    return Fraction(*value.as_integer_ratio())
