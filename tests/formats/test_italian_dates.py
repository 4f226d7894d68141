"""Italian dates, months and times as users and spreadsheets type them: each form, each refusal."""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import formats.italian_dates
from formats.italian_dates import parse_date, parse_datetime, parse_month
from tests.formats.italian_input import assert_no_typer, assert_one_line, outcome, refusal

# No example database: these tests must not write into the working tree.
PROPERTY = settings(database=None, deadline=None, max_examples=300)


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
    assert_no_typer(formats.italian_dates.__file__)
