"""Numbers as Italian users type them, for the CLI and the Excel/CSV importers.

This is a pure module (no typer, no I/O) so that every front end reads input the same way.
Every refusal is a `UsageError` of one line that quotes the value at fault and shows the way out.
The guiding rule is *never guess*: an input that two readers could take for two different numbers
or times is refused, because a silently wrong figure in an audit ledger is worse than a retry.

Numbers (`parse_number`)
    The comma is the decimal separator, the dot the thousands separator.

    a. With a comma, the comma is the decimal point and any dots must be valid thousands groups:
       `1.234,5` is 1234.5, `1.23,5` is refused.
    b. Without a comma, dots are thousands separators when every group after the first has
       exactly three digits: `1.100` is 1100, `1.234.567` is 1234567. A single dot followed by
       anything else (`1.10`, `35.87`, `1.5`, `1.1000`) is refused as ambiguous, with the comma
       form suggested: it is either an English decimal point or a mistyped thousands group.
    c. Several dots with a group that is not three digits (`1.23.456`) are refused.

    A grouped number must also start with one to three digits and no leading zero, so `0.100`
    (an English 0.1) and `1234.567` are refused rather than read as thousands. A comma with
    nothing before it (`,5`) or after it (`5,`), spaces or apostrophes between digit groups
    (`1 100`, `1'100`), exponents (`1e5`), `NaN` and `inf` are refused. A sign (`+`, `-` or the
    typographic minus `−`), a currency before or after (`€`, `EUR`, `euro`), a `%` sign or one
    unit word after a space (`gg`, `gg.`, `giorni`, `mesi`, ...) are allowed; the result is the
    `Decimal` exactly as typed (`97,20` keeps its trailing zero).
"""

import re
from decimal import Decimal

from events.errors import UsageError
from events.i18n import _

# The one formatter lives below (projections print figures too); front ends take it from here.
from projections.numbers import italian_number as italian_number

_UNITS = {
    "%": "%",
    "€": "€",
    "eur": "€",
    "euro": "€",
    "gg": "giorni",
    "giorni": "giorni",
    "giorno": "giorni",
    "mesi": "mesi",
    "mese": "mesi",
}

# Matched against text whose whitespace runs have been squashed to one plain space.
_NUMBER = re.compile(
    r"(?P<sign>[-+−])? ?(?P<prefix>€|eur\b|euro\b)? ?(?P<sign2>[-+−])? ?"
    r"(?P<body>[0-9][0-9.,]*)"
    r"(?: ?(?P<symbol>%|€)| (?P<word>[^\W\d_]+\.?))?",
    re.IGNORECASE,
)
_BARE_SEPARATOR = re.compile(r"(?<![0-9.,])[.,][0-9]")
_SPACED_GROUPS = re.compile(r"[0-9][ '’][0-9]{3}(?![0-9])")


def _number_help() -> str:
    return _(
        "write it like 1.234,56 (dot for thousands, comma for decimals), optionally with a "
        "sign, €, % or a unit such as gg"
    )


def _not_a_number(quoted: str) -> str:
    return _("{value} is not a number: {help}").format(value=quoted, help=_number_help())


def quote_input(text: str) -> str:
    """The user's value as shown in a message: `repr` keeps the message on one line."""
    shown = text if len(text) <= 60 else f"{text[:57]}..."
    return repr(shown)


def squash_spaces(text: str) -> str:
    """Spreadsheets pad with non-breaking and repeated spaces; they carry no meaning here."""
    return " ".join(text.split())


def _group(digits: str) -> str:
    """Thousands dots in a run of digits, for suggesting the grouped form."""
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return ".".join(groups)


def _valid_groups(groups: list[str]) -> bool:
    """Thousands groups as a grouped number is printed: `1.234.567`, never `0.100` or `1234.567`."""
    first, rest = groups[0], groups[1:]
    if not rest:
        return True
    return 1 <= len(first) <= 3 and not first.startswith("0") and all(len(g) == 3 for g in rest)


def _ambiguous(quoted: str, body: str) -> UsageError:
    """Name both readings of a lone dot, so the user picks one instead of us."""
    first, second = body.split(".")
    as_decimal = f"{first},{second}"
    as_thousands: str | None = None
    if not first.startswith("0"):
        if len(second) < 3 and len(first) <= 3:
            as_thousands = f"{first}.{second.ljust(3, '0')}"
        elif len(second) == 3 and len(first) > 3:
            as_thousands = _group(first + second)
    if as_thousands is None:
        return UsageError(
            _(
                "{value} is ambiguous: write {decimal} if the dot is a decimal point (in Italian "
                "the comma is the decimal separator)"
            ).format(value=quoted, decimal=as_decimal)
        )
    return UsageError(
        _(
            "{value} is ambiguous: write {decimal} for a decimal number or {thousands} for "
            "thousands (in Italian the comma is the decimal separator)"
        ).format(value=quoted, decimal=as_decimal, thousands=as_thousands)
    )


def _digits(body: str, quoted: str) -> str:
    """The body's plain-digit form (`1.234,5` -> `1234.5`), applying the rules of the docstring."""
    grouping_error = UsageError(
        _(
            "{value} is not a valid number: a dot separates thousands only before groups of "
            "three digits (1.234.567,89) and the decimal separator is the comma"
        ).format(value=quoted)
    )
    if body.count(",") > 1:
        raise UsageError(
            _("{value} is not a number: it has more than one decimal comma").format(value=quoted)
        )
    integer, comma, fraction = body.partition(",")
    if comma and "." in fraction:
        swapped = body.translate(str.maketrans(",.", ".,"))
        int_part, _comma, frac_part = swapped.partition(",")
        if swapped.count(",") == 1 and frac_part and _valid_groups(int_part.split(".")):
            raise UsageError(
                _(
                    "{value} uses English separators: write {swapped} (dot for thousands, comma "
                    "for decimals)"
                ).format(value=quoted, swapped=swapped)
            )
        raise grouping_error
    if comma and not fraction:
        raise UsageError(
            _("{value} is not a number: put digits after the comma, or drop it").format(
                value=quoted
            )
        )
    groups = integer.split(".")
    if any(not group for group in groups):
        raise UsageError(_not_a_number(quoted))
    if len(groups) > 1 and not _valid_groups(groups):
        if comma or len(groups) > 2:
            raise grouping_error
        raise _ambiguous(quoted, integer)
    return "".join(groups) + (f".{fraction}" if comma else "")


def _split_number(text: str) -> tuple[Decimal, str | None]:
    """The value and the unit as written; shared so that the two can never disagree."""
    quoted = quote_input(text.strip())
    squashed = squash_spaces(text)
    if not squashed:
        raise UsageError(_("an empty value is not a number: {help}").format(help=_number_help()))
    match = _NUMBER.fullmatch(squashed)
    if match is None:
        if _BARE_SEPARATOR.search(squashed):
            raise UsageError(
                _("{value} is not a number: write a zero before the comma, e.g. 0,5").format(
                    value=quoted
                )
            )
        if _SPACED_GROUPS.search(squashed):
            raise UsageError(
                _("{value} is not a number: separate thousands with a dot, e.g. 1.100").format(
                    value=quoted
                )
            )
        raise UsageError(_not_a_number(quoted))
    if match["sign"] and match["sign2"]:
        raise UsageError(_("{value} is not a number: it has two signs").format(value=quoted))
    suffix = match["symbol"] or match["word"]
    if match["prefix"] and suffix:
        raise UsageError(
            _("{value} is not a number: write a currency or a unit, not both").format(value=quoted)
        )
    sign = "-" if (match["sign"] or match["sign2"]) in ("-", "−") else ""
    value = Decimal(sign + _digits(match["body"], quoted))
    return value, match["prefix"] or suffix


def parse_number(text: str) -> Decimal:
    """Read a number the way it is written in Italian documents and spreadsheets.

    The rules, and why a lone dot is refused, are in the module docstring. A unit after the
    number is accepted so that values pasted from reports (`35,87 gg`) need no cleaning; use
    `number_unit` to check it.
    """
    return _split_number(text)[0]


def parse_percent(text: str) -> Decimal:
    """`parse_number` under a name that says what the call site expects; `%` is optional.

    The percentage points are returned as written (`97,20%` -> 97.20, not 0.972), because the
    performance reports state targets and results in points.
    """
    return _split_number(text)[0]


def number_unit(text: str) -> str | None:
    """The unit written with a number, in one spelling per unit, so importers can check it.

    Raises on the same input as `parse_number`: a unit is only meaningful next to a valid number.
    Unknown words come back as written, for the caller to accept or refuse.
    """
    unit = _split_number(text)[1]
    if unit is None:
        return None
    return _UNITS.get(unit.casefold().removesuffix("."), unit)
