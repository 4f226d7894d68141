"""Italian numbers as users and spreadsheets type them: every accepted form, every refusal."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import formats.italian_numbers
from formats.italian_numbers import italian_number, number_unit, parse_number, parse_percent
from projections.numbers import italian_percent
from tests.formats.italian_input import assert_no_typer, assert_one_line, outcome, refusal

# No example database: these tests must not write into the working tree.
PROPERTY = settings(database=None, deadline=None, max_examples=300)

CENT = Decimal("0.01")


# --- numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected", "unit"),
    [
        ("35,87", Decimal("35.87"), None),
        ("1.100", Decimal("1100"), None),
        ("1.400", Decimal("1400"), None),
        ("97,20%", Decimal("97.20"), "%"),
        ("27,78 %", Decimal("27.78"), "%"),
        ("€ 165,80", Decimal("165.80"), "€"),
        ("€165,80", Decimal("165.80"), "€"),
        ("165,80 €", Decimal("165.80"), "€"),
        ("165,80€", Decimal("165.80"), "€"),
        ("EUR 165,80", Decimal("165.80"), "€"),
        ("165,80 EUR", Decimal("165.80"), "€"),
        ("165,80 euro", Decimal("165.80"), "€"),
        ("165,80 Euro", Decimal("165.80"), "€"),
        ("35,87 gg", Decimal("35.87"), "giorni"),
        ("35,87 gg.", Decimal("35.87"), "giorni"),
        ("35,87 GG", Decimal("35.87"), "giorni"),
        ("40,76 giorni", Decimal("40.76"), "giorni"),
        ("1 giorno", Decimal("1"), "giorni"),
        ("10 mesi", Decimal("10"), "mesi"),
        ("1 mese", Decimal("1"), "mesi"),
        ("12 ore", Decimal("12"), "ore"),
        ("3 unità", Decimal("3"), "unità"),
        ("-3,5", Decimal("-3.5"), None),
        ("+2", Decimal("2"), None),
        ("−3,5", Decimal("-3.5"), None),
        ("- 3,5", Decimal("-3.5"), None),
        ("-€ 3,50", Decimal("-3.50"), "€"),
        ("€ -3,50", Decimal("-3.50"), "€"),
        ("-3,5 %", Decimal("-3.5"), "%"),
        ("1.234.567,89", Decimal("1234567.89"), None),
        ("1.234.567", Decimal("1234567"), None),
        ("1.234,5", Decimal("1234.5"), None),
        ("1234,5", Decimal("1234.5"), None),
        ("1100", Decimal("1100"), None),
        ("0,5", Decimal("0.5"), None),
        ("0", Decimal("0"), None),
        ("97,20", Decimal("97.20"), None),
        ("  35,87  ", Decimal("35.87"), None),
        ("€\u00a0165,80", Decimal("165.80"), "€"),
        ("165,80\u202f€", Decimal("165.80"), "€"),
    ],
)
def test_an_italian_number_reads_as_the_decimal_typed(
    text: str, expected: Decimal, unit: str | None
) -> None:
    value = parse_number(text)
    assert value == expected
    assert str(value) == str(expected)  # trailing zeros kept: the Decimal is exactly as typed
    assert parse_percent(text) == expected
    assert number_unit(text) == unit


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("1.10", "write 1,10 for a decimal number or 1.100 for thousands"),
        ("35.87", "write 35,87 for a decimal number or 35.870 for thousands"),
        ("1.5", "write 1,5 for a decimal number or 1.500 for thousands"),
        ("1234.567", "write 1234,567 for a decimal number or 1.234.567 for thousands"),
        ("1.1000", "write 1,1000 if the dot is a decimal point"),
        ("0.5", "write 0,5 if the dot is a decimal point"),
        ("0.100", "write 0,100 if the dot is a decimal point"),
        ("-35.87 %", "write 35,87"),
    ],
)
def test_a_lone_dot_that_is_not_a_thousands_group_is_refused_as_ambiguous(
    text: str, hint: str
) -> None:
    message = refusal(parse_number, text)
    assert f"{text!r} is ambiguous" in message
    assert hint in message


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("1.23,5", "groups of three digits"),
        ("1.23.456", "groups of three digits"),
        ("1.234.56", "groups of three digits"),
        ("1234.567,8", "groups of three digits"),
        ("0.123,5", "groups of three digits"),
        ("1,234.56", "write 1.234,56"),
        ("1,2,3", "more than one decimal comma"),
        (",5", "0,5"),
        ("-,5", "0,5"),
        (".5", "0,5"),
        ("5,", "digits after the comma"),
        ("5.", "not a number"),
        ("1..100", "not a number"),
        ("1 100", "separate thousands with a dot"),
        ("1'100", "separate thousands with a dot"),
        ("1’100", "separate thousands with a dot"),
        ("abc", "not a number"),
        ("12abc3", "not a number"),
        ("12abc", "not a number"),
        ("NaN", "not a number"),
        ("inf", "not a number"),
        ("-Infinity", "not a number"),
        ("1e5", "not a number"),
        ("1E5", "not a number"),
        ("--3", "two signs"),
        ("+-3", "two signs"),
        ("€ 10 %", "not both"),
        ("€ 10 €", "not both"),
        ("10 % gg", "not a number"),
        ("10 giorni lavorativi", "not a number"),
        ("٣", "not a number"),
        ("3-", "not a number"),
    ],
)
def test_a_malformed_number_is_refused_naming_it(text: str, hint: str) -> None:
    for call in (parse_number, parse_percent, number_unit):
        message = refusal(call, text)
        assert repr(text) in message
        assert hint in message


@pytest.mark.parametrize("text", ["", "   ", "\u00a0"])
def test_an_empty_number_is_refused(text: str) -> None:
    assert "empty value" in refusal(parse_number, text)


def test_a_long_value_is_shortened_in_the_message() -> None:
    message = refusal(parse_number, "x" * 1000)
    assert len(message) < 300


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (Decimal("97.2"), 2, "97,20"),
        (Decimal("1100"), 0, "1.100"),
        (Decimal("1100"), 2, "1.100,00"),
        (Decimal("-3.5"), 2, "-3,50"),
        (Decimal("1234567.891"), 2, "1.234.567,89"),
        (Decimal("0.125"), 2, "0,13"),
        (Decimal("0.135"), 2, "0,14"),
        (Decimal("2.5"), 0, "3"),
        (Decimal("-2.5"), 0, "-3"),
        (Decimal("-0.001"), 2, "0,00"),
        (Decimal("0"), 2, "0,00"),
        (Decimal("1E+3"), 2, "1.000,00"),
        (Decimal("999.995"), 2, "1.000,00"),
        (Decimal("35.87"), 1, "35,9"),
        (Decimal("1E+30"), 0, "1" + ".000" * 10),
    ],
)
def test_a_number_is_formatted_the_italian_way_rounding_half_up(
    value: Decimal, decimals: int, expected: str
) -> None:
    assert italian_number(value, decimals) == expected
    assert italian_percent(value, decimals) == f"{expected} %"


def test_a_number_keeps_its_decimals_and_a_percent_has_two() -> None:
    assert italian_number(Decimal("97.2")) == "97,2"
    assert italian_percent(Decimal("97.2")) == "97,20 %"


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity")])
def test_formatting_a_non_finite_number_is_a_programming_error(value: Decimal) -> None:
    with pytest.raises(ValueError, match="cannot format"):
        italian_number(value)


def test_formatting_with_negative_decimals_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="decimals"):
        italian_number(Decimal(1), -1)


@PROPERTY
@given(
    st.decimals(
        min_value=Decimal("-1e15"),
        max_value=Decimal("1e15"),
        places=2,
        allow_nan=False,
        allow_infinity=False,
    )
)
def test_any_amount_survives_italian_formatting_and_parsing(value: Decimal) -> None:
    assert parse_number(italian_number(value, 2)) == value.quantize(CENT)
    assert parse_percent(italian_percent(value, 2)) == value.quantize(CENT)
    assert number_unit(italian_percent(value, 2)) == "%"


@PROPERTY
@given(
    st.decimals(
        min_value=Decimal("-1e15"),
        max_value=Decimal("1e15"),
        places=6,
        allow_nan=False,
        allow_infinity=False,
    )
)
def test_formatting_rounds_half_up_and_parses_back_to_the_rounded_value(value: Decimal) -> None:
    rounded = value.quantize(CENT, rounding=ROUND_HALF_UP)
    assert parse_number(italian_number(value, 2)) == rounded


@PROPERTY
@given(st.integers(min_value=-(10**18), max_value=10**18))
def test_any_whole_number_survives_thousands_grouping(value: int) -> None:
    text = italian_number(Decimal(value), 0)
    if abs(value) >= 1000:
        assert "." in text
    assert parse_number(text) == value


@PROPERTY
@given(st.text())
def test_any_text_either_parses_as_a_number_or_is_refused_in_one_line(text: str) -> None:
    assert_one_line(outcome(parse_number, text))
    assert_one_line(outcome(number_unit, text))


@PROPERTY
@given(st.text(alphabet="0123456789.,-+−€% 'gEe"))
def test_any_number_like_text_either_parses_or_is_refused(text: str) -> None:
    value = outcome(parse_number, text)
    assert_one_line(value)
    if isinstance(value, Decimal):
        assert value.is_finite()


def test_the_module_does_not_depend_on_typer() -> None:
    assert_no_typer(formats.italian_numbers.__file__)
