"""Italian input as users and spreadsheets type it: every accepted form, every refusal."""

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import TypeVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import formats.italian
from events.errors import UsageError
from formats.italian import (
    italian_number,
    italian_percent,
    number_unit,
    parse_date,
    parse_datetime,
    parse_month,
    parse_number,
    parse_percent,
)

# No example database: these tests must not write into the working tree.
PROPERTY = settings(database=None, deadline=None, max_examples=300)

CENT = Decimal("0.01")
T = TypeVar("T")


def refusal(call: Callable[[str], object], text: str) -> str:
    """The message of the UsageError that `call(text)` raises, checked to be one line."""
    with pytest.raises(UsageError) as caught:
        call(text)
    message = str(caught.value)
    assert len(message.splitlines()) == 1
    return message


def outcome(call: Callable[[str], T], text: str) -> T | UsageError:
    """What `call(text)` returns, or the UsageError it raises; any other exception escapes."""
    try:
        return call(text)
    except UsageError as error:
        return error


def assert_one_line(result: object) -> None:
    if isinstance(result, UsageError):
        assert len(str(result).splitlines()) == 1


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


# --- dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-04-30", date(2021, 4, 30)),
        ("30/04/2021", date(2021, 4, 30)),
        ("30/4/2021", date(2021, 4, 30)),
        ("1/6/2021", date(2021, 6, 1)),
        ("30-04-2021", date(2021, 4, 30)),
        ("30.04.2021", date(2021, 4, 30)),
        ("30 aprile 2021", date(2021, 4, 30)),
        ("30 Aprile 2021", date(2021, 4, 30)),
        ("30 APRILE 2021", date(2021, 4, 30)),
        ("1° giugno 2021", date(2021, 6, 1)),
        ("1º giugno 2021", date(2021, 6, 1)),
        ("1 giugno 2021", date(2021, 6, 1)),
        ("30 apr 2021", date(2021, 4, 30)),
        ("30 apr. 2021", date(2021, 4, 30)),
        ("15 sett 2021", date(2021, 9, 15)),
        ("31 dic 2020", date(2020, 12, 31)),
        ("29 febbraio 2024", date(2024, 2, 29)),
        ("  30/04/2021 ", date(2021, 4, 30)),
        ("30\u00a0aprile  2021", date(2021, 4, 30)),
    ],
)
def test_a_date_reads_in_every_italian_form(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("31/02/2021", "not a valid date (day is out of range for month)"),
        ("29 febbraio 2021", "not a valid date"),
        ("04/30/2021", "not a valid date (month must be in 1..12)"),
        ("2021-13-01", "not a valid date"),
        ("0000-01-01", "not a valid date"),
        ("30/04/21", "two-digit year"),
        ("30-04-21", "two-digit year"),
        ("30 aprile 21", "two-digit year"),
        ("30 abrile 2021", "'abrile' is not an Italian month"),
        ("30/04-2021", "use 2021-04-30 or 30/04/2021"),
        ("30/04/02021", "use 2021-04-30 or 30/04/2021"),
        ("2021/04/30", "use 2021-04-30 or 30/04/2021"),
        ("20210430", "use 2021-04-30 or 30/04/2021"),
        ("2021-04-30T10:00", "use 2021-04-30 or 30/04/2021"),
        ("aprile 2021", "use 2021-04-30 or 30/04/2021"),
        ("domani", "use 2021-04-30 or 30/04/2021"),
        ("", "use 2021-04-30 or 30/04/2021"),
    ],
)
def test_an_invalid_date_is_refused_naming_it(text: str, hint: str) -> None:
    message = refusal(parse_date, text)
    assert repr(text) in message
    assert hint in message


@PROPERTY
@given(st.dates(min_value=date(1000, 1, 1)))
def test_any_date_reads_back_from_its_italian_strftime_form(day: date) -> None:
    # From year 1000 on: glibc's %Y does not zero-pad, and a short year is refused on purpose.
    assert parse_date(day.strftime("%d/%m/%Y")) == day


@PROPERTY
@given(st.dates())
def test_any_date_reads_back_from_its_iso_and_padded_italian_forms(day: date) -> None:
    assert parse_date(day.isoformat()) == day
    assert parse_date(f"{day.day:02d}/{day.month:02d}/{day.year:04d}") == day
    assert parse_date(f"{day.day}.{day.month}.{day.year:04d}") == day


@PROPERTY
@given(st.text())
def test_any_text_either_parses_as_a_date_or_is_refused_in_one_line(text: str) -> None:
    assert_one_line(outcome(parse_date, text))


# --- months --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "default_year", "expected"),
    [
        ("luglio", 2020, (2020, 7)),
        ("Luglio", 2021, (2021, 7)),
        ("lug.", 2020, (2020, 7)),
        ("luglio 2020", None, (2020, 7)),
        ("luglio 2020", 2019, (2020, 7)),
        ("Luglio 2020", None, (2020, 7)),
        ("LUGLIO 2020", None, (2020, 7)),
        ("lug 2020", None, (2020, 7)),
        ("07/2020", None, (2020, 7)),
        ("7/2020", None, (2020, 7)),
        ("07-2020", None, (2020, 7)),
        ("07.2020", None, (2020, 7)),
        ("2020-07", None, (2020, 7)),
        ("novembre 2020", None, (2020, 11)),
        ("gen 2021", None, (2021, 1)),
        ("dicembre 2020", None, (2020, 12)),
    ],
)
def test_a_month_reads_as_year_and_month(
    text: str, default_year: int | None, expected: tuple[int, int]
) -> None:
    assert parse_month(text, default_year) == expected


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("luglio", "has no year: write luglio 2021 or 07/2021"),
        ("lug", "has no year: write luglio 2021 or 07/2021"),
        ("13/2020", "not a valid month (month must be in 1..12)"),
        ("00/2020", "not a valid month"),
        ("2020-13", "not a valid month"),
        ("0000-07", "not a valid month"),
        ("07/20", "two-digit year"),
        ("luglio 20", "two-digit year"),
        ("lugl 2020", "'lugl' is not an Italian month"),
        ("july 2020", "'july' is not an Italian month"),
        ("30/07/2020", "use luglio 2020, 07/2020 or 2020-07"),
        ("2020", "use luglio 2020, 07/2020 or 2020-07"),
        ("", "use luglio 2020, 07/2020 or 2020-07"),
    ],
)
def test_an_invalid_month_is_refused_naming_it(text: str, hint: str) -> None:
    message = refusal(parse_month, text)
    assert repr(text) in message
    assert hint in message


@PROPERTY
@given(st.dates(), st.integers(min_value=1, max_value=9999))
def test_any_month_reads_back_from_its_name_and_numbers(day: date, default_year: int) -> None:
    names = [
        "gennaio",
        "febbraio",
        "marzo",
        "aprile",
        "maggio",
        "giugno",
        "luglio",
        "agosto",
        "settembre",
        "ottobre",
        "novembre",
        "dicembre",
    ]
    name = names[day.month - 1]
    expected = (day.year, day.month)
    assert parse_month(f"{name} {day.year:04d}") == expected
    assert parse_month(f"{name[:3]} {day.year:04d}") == expected
    assert parse_month(f"{day.month:02d}/{day.year:04d}") == expected
    assert parse_month(f"{day.year:04d}-{day.month:02d}") == expected
    assert parse_month(name.upper(), default_year) == (default_year, day.month)


@PROPERTY
@given(st.text(), st.none() | st.integers(min_value=1, max_value=9999))
def test_any_text_either_parses_as_a_month_or_is_refused_in_one_line(
    text: str, default_year: int | None
) -> None:
    assert_one_line(outcome(lambda value: parse_month(value, default_year), text))


# --- times ---------------------------------------------------------------------------------


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, micro: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, micro, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-05-01T10:00:00Z", utc(2021, 5, 1, 10)),
        ("2021-05-01T10:00:00z", utc(2021, 5, 1, 10)),
        ("2021-05-01T12:00:00+02:00", utc(2021, 5, 1, 10)),
        ("2021-05-01T12:00:00+0200", utc(2021, 5, 1, 10)),
        ("2021-05-01T12:00:00+02", utc(2021, 5, 1, 10)),
        ("2021-05-01T05:30:00-04:30", utc(2021, 5, 1, 10)),
        ("2021-05-01T10:00:00.250000Z", utc(2021, 5, 1, 10, 0, 0, 250000)),
        ("2021-05-01T10:00:00.25Z", utc(2021, 5, 1, 10, 0, 0, 250000)),
        ("2021-05-01 10:00Z", utc(2021, 5, 1, 10)),
        # Naive: Italian time, summer (+02:00) and winter (+01:00).
        ("2021-05-01T12:00:00", utc(2021, 5, 1, 10)),
        ("2021-05-01T12:00", utc(2021, 5, 1, 10)),
        ("2021-05-01 12:00", utc(2021, 5, 1, 10)),
        ("2021-01-15T12:00", utc(2021, 1, 15, 11)),
        ("30/04/2021 18:30", utc(2021, 4, 30, 16, 30)),
        ("30/04/2021 18:30:15", utc(2021, 4, 30, 16, 30, 15)),
        ("15/01/2021 8:05", utc(2021, 1, 15, 7, 5)),
        # A date alone: the end of that day in Italy.
        ("2021-05-01", utc(2021, 5, 1, 21, 59, 59, 999999)),
        ("01/05/2021", utc(2021, 5, 1, 21, 59, 59, 999999)),
        ("1° maggio 2021", utc(2021, 5, 1, 21, 59, 59, 999999)),
        ("2021-01-15", utc(2021, 1, 15, 22, 59, 59, 999999)),
        # The night the clocks change, on either side of the change.
        ("2021-03-28T01:59", utc(2021, 3, 28, 0, 59)),
        ("2021-03-28T03:00", utc(2021, 3, 28, 1, 0)),
        ("2021-10-31T02:30+02:00", utc(2021, 10, 31, 0, 30)),
        ("2021-10-31T02:30+01:00", utc(2021, 10, 31, 1, 30)),
    ],
)
def test_a_time_reads_as_an_aware_utc_instant(text: str, expected: datetime) -> None:
    moment = parse_datetime(text)
    assert moment == expected
    assert moment.tzinfo is UTC


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("2021-03-28T02:30", "does not exist in Italy"),
        ("2021-10-31T02:30", "2021-10-31T02:30:00+02:00 or 2021-10-31T02:30:00+01:00"),
        ("2021-05-01T24:00", "hour must be in 0..23"),
        ("2021-05-01T12:60", "minute must be in 0..59"),
        ("2021-05-01T23:59:60Z", "second must be in 0..59"),
        ("2021-02-30T12:00Z", "day is out of range for month"),
        ("2021-05-01T12:00+24:00", "an offset is at most"),
        ("2021-05-01T12:00+02:60", "an offset is at most"),
        ("30/04/2021 25:00", "hour must be in 0..23"),
        ("31/02/2021", "day is out of range for month"),
        ("30/04/21", "two-digit year"),
        ("0001-01-01T00:00", "out of the range"),
        ("9999-12-31T23:59:59-01:00", "out of the range"),
        ("2021-05-01T10", "use 2021-05-01T10:00:00Z"),
        ("2021-05-01T10:00:00.1234567Z", "use 2021-05-01T10:00:00Z"),
        ("2021-W17-6", "use 2021-05-01T10:00:00Z"),
        ("1620000000", "use 2021-05-01T10:00:00Z"),
        ("ieri", "use 2021-05-01T10:00:00Z"),
        ("", "use 2021-05-01T10:00:00Z"),
    ],
)
def test_an_invalid_time_is_refused_naming_it(text: str, hint: str) -> None:
    message = refusal(parse_datetime, text)
    assert repr(text) in message
    assert hint in message


@PROPERTY
@given(st.datetimes(timezones=st.just(UTC)))
def test_any_utc_instant_reads_back_from_its_iso_form(moment: datetime) -> None:
    assert parse_datetime(moment.isoformat()) == moment
    assert parse_datetime(moment.isoformat().replace("+00:00", "Z")) == moment


@PROPERTY
@given(
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1)),  # noqa: DTZ001
    st.integers(min_value=-23 * 60 - 59, max_value=23 * 60 + 59),
)
def test_any_offset_is_honoured(naive: datetime, minutes: int) -> None:
    sign = "-" if minutes < 0 else "+"
    text = f"{naive.isoformat()}{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    assert parse_datetime(text) == naive.replace(tzinfo=UTC) - timedelta(minutes=minutes)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Clocks forward at midnight: 00:00 never happened, the day ended at 23:59:59 +01:00.
        ("1916-06-03", utc(1916, 6, 3, 22, 59, 59, 999999)),
        # Clocks back at midnight to 23:00: the day ended after the repeated hour, at +01:00.
        ("1916-09-30", utc(1916, 9, 30, 22, 59, 59, 999999)),
        # Clocks back at 01:00 to midnight: the day ended before the first midnight, at +02:00.
        ("1945-09-14", utc(1945, 9, 14, 21, 59, 59, 999999)),
        ("9999-12-31", utc(9999, 12, 31, 22, 59, 59, 999999)),
    ],
)
def test_a_date_alone_ends_at_the_next_italian_midnight_even_when_the_clocks_changed_then(
    text: str, expected: datetime
) -> None:
    assert parse_datetime(text) == expected


@PROPERTY
@given(st.dates(min_value=date(1980, 1, 1), max_value=date(2200, 1, 1)))
def test_a_date_alone_is_the_last_instant_of_that_italian_day(day: date) -> None:
    end = parse_datetime(day.isoformat())
    assert end == parse_datetime(day.strftime("%d/%m/%Y"))
    next_midnight = parse_datetime(f"{day + timedelta(days=1)}T00:00")
    assert next_midnight - end == timedelta(microseconds=1)


@PROPERTY
@given(st.text())
def test_any_text_either_parses_as_a_time_or_is_refused_in_one_line(text: str) -> None:
    moment = outcome(parse_datetime, text)
    assert_one_line(moment)
    if isinstance(moment, datetime):
        assert moment.tzinfo is UTC


def test_the_module_does_not_depend_on_typer() -> None:
    source = Path(formats.italian.__file__).read_text(encoding="utf-8")
    imported = re.findall(r"^(?:from|import) ([\w.]+)", source, re.MULTILINE)
    assert imported
    assert not {name.split(".")[0] for name in imported} & {"typer", "click"}
