"""The rollup's arithmetic is exact: its sums in integers and its Decimals without a loop give
the figures that plain `Fraction` arithmetic and `events.exact.to_decimal_exact` give.

The replay computes them for every node of every cycle, so projections/rollup.py does them
the short way; these properties hold the short way to the plain one on any exact numbers."""

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from events.exact import to_decimal_exact
from projections.rollup import mean, mean_coverage, to_decimal, weighted, weighted_coverage

SMALL = st.fractions(min_value=-1000, max_value=1000, max_denominator=60)
WEIGHTS = st.fractions(min_value=0, max_value=100, max_denominator=12)
TERMINATING = st.builds(
    lambda n, twos, fives: Fraction(n, 2**twos * 5**fives),
    st.integers(-(10**30), 10**30),
    st.integers(0, 12),
    st.integers(0, 12),
)


@given(TERMINATING)
def test_a_terminating_fraction_is_its_exact_decimal_digit_for_digit(value: Fraction) -> None:
    assert str(to_decimal(value)) == str(to_decimal_exact(value))


def test_a_fraction_that_does_not_terminate_has_28_significant_digits() -> None:
    assert to_decimal(Fraction(2, 3)) == Decimal("0.6666666666666666666666666667")
    assert to_decimal(Fraction(290, 3)) == Decimal("96.66666666666666666666666667")
    assert to_decimal(None) is None


@given(st.lists(st.tuples(WEIGHTS, st.none() | SMALL), max_size=8))
def test_a_weighted_sum_is_the_plain_fraction_sum(pairs: list[tuple[Fraction, Fraction]]) -> None:
    counted = [(w, v) for w, v in pairs if v is not None]
    total = sum((w for w, _ in counted), Fraction(0))
    expected = sum((w * v for w, v in counted), Fraction(0)) / total if total else None
    assert weighted(pairs, "excluded") == expected
    coverages = [Fraction(100) if v is not None else Fraction(0) for _, v in pairs]
    weights = [w for w, _ in pairs]
    all_weights = sum(weights, Fraction(0))
    covered = sum((w * c for w, c in zip(weights, coverages, strict=True)), Fraction(0))
    assert weighted_coverage(weights, coverages) == (covered / all_weights if all_weights else 0)


@given(st.lists(st.none() | SMALL, max_size=8))
def test_a_mean_is_the_plain_fraction_mean(values: list[Fraction | None]) -> None:
    present = [v for v in values if v is not None]
    assert mean(values, "excluded") == (
        sum(present, Fraction(0)) / len(present) if present else None
    )
    assert mean_coverage(present) == (sum(present, Fraction(0)) / len(present) if present else 0)
