"""Italian figures as the cruscotto prints them: `97,20`, `1.100`, `96,67 %`."""

from decimal import ROUND_HALF_UP, Decimal

TWO_PLACES = Decimal("0.01")


def rounded(value: Decimal | None, places: Decimal = TWO_PLACES) -> Decimal | None:
    """Round half up, as the administration's spreadsheets do."""
    return None if value is None else value.quantize(places, rounding=ROUND_HALF_UP)


def italian_number(value: Decimal, decimals: int | None = None) -> str:
    """Thousands dot and decimal comma; `decimals=None` keeps the value's own decimals."""
    if decimals is not None:
        value = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    text = format(abs(value), "f")
    whole, _, fraction = text.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    out = sign + ".".join(groups)
    return f"{out},{fraction}" if fraction else out


def italian_percent(value: Decimal | None, decimals: int = 2) -> str:
    """`97,20 %`; a missing value prints as an em dash."""
    return "—" if value is None else f"{italian_number(value, decimals)} %"
