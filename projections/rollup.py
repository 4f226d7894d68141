"""The arithmetic of the rollup, exact: weighted sums, plain means, achievements, rounding.

Every figure is a `Fraction` until it is shown: a weight of 1/3 stays one third, a mean of
three results is their sum divided by three, and a rounding rule of the SMVP rounds the exact
value (half up at 96,665 gives 96,67, whatever a binary float would have made of it). Figures
become Decimals once, for the reads (`to_decimal`).
"""

from collections.abc import Sequence
from decimal import Decimal, localcontext
from fractions import Fraction

from events.exact import terminates, to_decimal_exact
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
    total = sum((weight for weight, _ in counted), ZERO)
    if not counted or total == 0:
        return None
    return sum((weight * value for weight, value in counted), ZERO) / total


def mean(values: Sequence[Fraction | None], missing: str) -> Fraction | None:
    """The plain mean of the values present (or of all, missing ones as 0, by the policy)."""
    if missing == "zero" and any(value is not None for value in values):
        values = [ZERO if value is None else value for value in values]
    present = [value for value in values if value is not None]
    if not present:
        return None
    return sum(present, ZERO) / len(present)


def weighted_coverage(weights: Sequence[Fraction], coverages: Sequence[Fraction]) -> Fraction:
    total = sum(weights, ZERO)
    if total == 0:
        return ZERO
    return sum((w * c for w, c in zip(weights, coverages, strict=True)), ZERO) / total


def mean_coverage(coverages: Sequence[Fraction]) -> Fraction:
    return sum(coverages, ZERO) / len(coverages) if coverages else ZERO


def achievement(
    result: Fraction | None, target: Fraction | None, rule: Achievement
) -> Fraction | None:
    """The result against the node's own target (result / target × 100), capped by the rule."""
    if result is None:
        return None
    reached = result if target is None or target == 0 else result / target * HUNDRED
    return min(Fraction(rule.cap), reached) if rule.capped else reached


def round_exact(value: Fraction, rounding: Rounding) -> Fraction:
    """The value rounded to `places` decimals as the SMVP says (half up, half even or down)."""
    scale = 10**rounding.places
    scaled = value * scale
    floor = scaled.numerator // scaled.denominator
    rest = scaled - floor
    if rounding.mode == "down":
        whole = floor if value >= 0 else -((-scaled).numerator // (-scaled).denominator)
    elif rest > Fraction(1, 2) or (
        rest == Fraction(1, 2) and (value >= 0 if rounding.mode == "half_up" else floor % 2 == 1)
    ):
        whole = floor + 1
    else:
        whole = floor
    return Fraction(whole, scale)


def rounded_by(value: Fraction | None, rounding: Rounding | None) -> Fraction | None:
    return value if value is None or rounding is None else round_exact(value, rounding)


def to_decimal(value: Fraction | None) -> Decimal | None:
    """The figure as a Decimal: exact when it terminates, else to 28 significant digits."""
    if value is None:
        return None
    if terminates(value):
        return to_decimal_exact(value)
    with localcontext() as context:
        context.prec = 28
        return Decimal(value.numerator) / Decimal(value.denominator)


def as_fraction(value: Decimal | None) -> Fraction | None:
    return None if value is None else Fraction(value)
