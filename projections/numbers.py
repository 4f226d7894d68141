"""Italian figures as the cruscotto prints them: `97,20`, `1.100`, `96,67 %`.

The one formatter of numbers for every layer that shows them (projections' texts, the
terminal, the spreadsheets, the pages); `formats.italian_numbers` reads them back.
"""

from decimal import ROUND_HALF_UP, Decimal, localcontext

TWO_PLACES = Decimal("0.01")
_ITALIAN_MARKS = str.maketrans(",.", ".,")
"""Python's grouping comma and decimal point, swapped."""


def rounded(value: Decimal | None, places: Decimal = TWO_PLACES) -> Decimal | None:
    """Round half up, as the administration's spreadsheets do."""
    return None if value is None else value.quantize(places, rounding=ROUND_HALF_UP)


def italian_number(value: Decimal, decimals: int | None = None) -> str:
    """`97.2` -> `97,20` (decimals=2), `1100` -> `1.100`: the inverse of `parse_number`.

    `decimals=None` keeps the value's own decimals. Written by hand rather than with babel:
    babel rounds half to even where Italian accounting rounds half up, and prints `-0,00` for
    tiny negatives. Always grouped, so the output never has a lone dot that `parse_number`
    would refuse.
    """
    if decimals is not None and decimals < 0:
        raise ValueError(f"decimals must be zero or more, not {decimals}")
    if not value.is_finite():
        raise ValueError(f"cannot format {value} as an Italian number")
    if decimals is not None:
        with localcontext() as context:
            context.prec = max(context.prec, value.adjusted() + decimals + 2)
            value = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if value.is_zero():
        value = value.copy_abs()
    return f"{value:,f}".translate(_ITALIAN_MARKS)


def italian_percent(value: Decimal | None, decimals: int = 2) -> str:
    """`97,20 %`, with the space Italian typography puts before the sign; None is an em dash."""
    return "—" if value is None else f"{italian_number(value, decimals)} %"
