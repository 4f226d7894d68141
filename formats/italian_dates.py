"""Dates, months and times as Italian users type them, for the CLI and the importers.

This is a pure module (no typer, no I/O) so that every front end reads input the same way.
Every refusal is a `UsageError` of one line that quotes the value at fault and shows the way out.
The guiding rule is *never guess*: an input that two readers could take for two different numbers
or times is refused, because a silently wrong figure in an audit ledger is worse than a retry.

Dates (`parse_date`)
    `2021-04-30`, `30/04/2021`, `30/4/2021`, `30-04-2021`, `30.04.2021`, `30 aprile 2021`,
    `1° giugno 2021`, `30 apr 2021`. Day first always (Italian order, no US guessing); the year
    must have four digits, since `30/04/21` may be 1921 or 2021.

Times (`parse_datetime`)
    See its docstring: offsets are honoured, local times are Italian time, a date alone means
    the end of that day.
"""

import re
from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from events.errors import UsageError
from events.i18n import N_, _
from formats.italian_numbers import quote_input, squash_spaces

ROME = ZoneInfo("Europe/Rome")

_MONTH_NAMES = (
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
)
# Full names and the three-letter abbreviations of printed calendars, plus the common `sett`.
_MONTHS = {
    **{name: number for number, name in enumerate(_MONTH_NAMES, start=1)},
    **{name[:3]: number for number, name in enumerate(_MONTH_NAMES, start=1)},
    "sett": 9,
}

_ISO_DATE = re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})", re.ASCII)
_NUMERIC_DATE = re.compile(
    r"(?P<day>\d{1,2})(?P<sep>[/.-])(?P<month>\d{1,2})(?P=sep)(?P<year>\d{4})", re.ASCII
)
_TEXT_DATE = re.compile(
    r"(?P<day>\d{1,2})[°º]? ?(?P<name>[a-z]+)\.? (?P<year>\d{4})", re.ASCII | re.IGNORECASE
)
_SHORT_YEAR_DATE = re.compile(
    r"\d{1,2}(?:([/.-])\d{1,2}\1|[°º]? ?[a-z]+\.? )\d{2}", re.ASCII | re.IGNORECASE
)

_MONTH_NAME = re.compile(r"(?P<name>[a-z]+)\.?(?: (?P<year>\d{4}))?", re.ASCII | re.IGNORECASE)
_MONTH_NUMERIC = re.compile(r"(?P<month>\d{1,2})[/.-](?P<year>\d{4})", re.ASCII)
_MONTH_ISO = re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})", re.ASCII)
_SHORT_YEAR_MONTH = re.compile(r"(?:\d{1,2}[/.-]|[a-z]+\.? )\d{2}", re.ASCII | re.IGNORECASE)

_ISO_DATETIME = re.compile(
    r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})[T ]"
    r"(?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,](?P<fraction>\d{1,6}))?)?"
    r" ?(?P<offset>Z|[+-]\d{2}(?::?\d{2})?)?",
    re.ASCII | re.IGNORECASE,
)
_ITALIAN_DATETIME = re.compile(
    r"(?P<day>\d{1,2})(?P<sep>[/.-])(?P<month>\d{1,2})(?P=sep)(?P<year>\d{4}) "
    r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?",
    re.ASCII,
)


def _date_help() -> str:
    return _("use 2021-04-30 or 30/04/2021 (also 30 aprile 2021)")


def _month_help() -> str:
    return _("use luglio 2020, 07/2020 or 2020-07")


def _datetime_help() -> str:
    return _(
        "use 2021-05-01T10:00:00Z, 2021-05-01T12:00:00+02:00, 30/04/2021 18:30 (Italian time) "
        "or a date alone (the end of that day)"
    )


# --- dates ---------------------------------------------------------------------------------


def _month_number(name: str, quoted: str) -> int:
    number = _MONTHS.get(name.casefold())
    if number is None:
        raise UsageError(
            _(
                "{value}: {name!r} is not an Italian month (gennaio ... dicembre, or gen ... dic)"
            ).format(value=quoted, name=name)
        )
    return number


_CALENDAR_PROBLEMS = {
    text: text
    for text in (
        N_("day is out of range for month"),
        N_("month must be in 1..12"),
        N_("hour must be in 0..23"),
        N_("minute must be in 0..59"),
        N_("second must be in 0..59"),
    )
}
"""Python's words for an impossible date, kept as msgids: English unchanged, Italian worded."""


def _calendar_problem(error: ValueError) -> str:
    """Why Python refused a date (`day is out of range for month`), in the reader's language."""
    text = str(error)
    if text in _CALENDAR_PROBLEMS:
        return _(text)
    if text.startswith("year ") and text.endswith(" is out of range"):
        return _("year {year} is out of range").format(year=text.split()[1])
    return text


def _calendar_date(year: str | int, month: str | int, day: str | int, quoted: str) -> date:
    try:
        return date(int(year), int(month), int(day))
    except ValueError as error:
        raise UsageError(
            _("{value} is not a valid date ({error}): {help}").format(
                value=quoted, error=_calendar_problem(error), help=_date_help()
            )
        ) from None


def _match_date(squashed: str, quoted: str) -> date | None:
    """The date if `squashed` has a date form; None if it has none, so callers word the help."""
    if match := _ISO_DATE.fullmatch(squashed) or _NUMERIC_DATE.fullmatch(squashed):
        return _calendar_date(match["year"], match["month"], match["day"], quoted)
    if match := _TEXT_DATE.fullmatch(squashed):
        month = _month_number(match["name"], quoted)
        return _calendar_date(match["year"], month, match["day"], quoted)
    if _SHORT_YEAR_DATE.fullmatch(squashed):
        raise UsageError(
            _("{value} has a two-digit year: write it in full, e.g. 30/04/2021").format(
                value=quoted
            )
        )
    return None


def parse_date(text: str) -> date:
    """Read a calendar date, day first as Italians write it; the forms are in the module doc."""
    quoted = quote_input(text.strip())
    found = _match_date(squash_spaces(text), quoted)
    if found is None:
        raise UsageError(_("{value} is not a date: {help}").format(value=quoted, help=_date_help()))
    return found


def parse_month(text: str, default_year: int | None = None) -> tuple[int, int]:
    """Read a month as (year, month): reporting periods are months, not days.

    A month name alone (`luglio`) takes `default_year`, which the caller knows from context
    (the cycle being imported); without one it is refused rather than assumed to be this year.
    """
    quoted = quote_input(text.strip())
    squashed = squash_spaces(text)
    year: int | str | None
    if match := _MONTH_NAME.fullmatch(squashed):
        month = _month_number(match["name"], quoted)
        year = match["year"] or default_year
        if year is None:
            raise UsageError(
                _("{quoted} has no year: write {month} 2021 or {number:02d}/2021").format(
                    quoted=quoted, month=_MONTH_NAMES[month - 1], number=month
                )
            )
    elif match := _MONTH_NUMERIC.fullmatch(squashed) or _MONTH_ISO.fullmatch(squashed):
        month, year = int(match["month"]), match["year"]
    elif _SHORT_YEAR_MONTH.fullmatch(squashed):
        raise UsageError(
            _("{value} has a two-digit year: write it in full, e.g. 07/2020").format(value=quoted)
        )
    else:
        raise UsageError(
            _("{value} is not a month: {help}").format(value=quoted, help=_month_help())
        )
    try:
        first_day = date(int(year), month, 1)
    except ValueError as error:
        raise UsageError(
            _("{value} is not a valid month ({error}): {help}").format(
                value=quoted, error=error, help=_month_help()
            )
        ) from None
    return first_day.year, first_day.month


# --- times ---------------------------------------------------------------------------------


def _format_offset(offset: timedelta | None) -> str:
    minutes = int(offset.total_seconds()) // 60 if offset is not None else 0
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _zone(offset: str | None) -> timezone | ZoneInfo:
    """The zone an offset names; no offset at all means Italian time."""
    if offset is None:
        return ROME
    if offset.upper() == "Z":
        return UTC
    digits = offset[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours >= 24 or minutes >= 60:
        raise ValueError("an offset is at most +23:59 or -23:59")
    delta = timedelta(hours=hours, minutes=minutes)
    return timezone(-delta if offset.startswith("-") else delta)


def _to_utc(moment: datetime, quoted: str) -> datetime:
    """The UTC instant of `moment`, refusing the Italian hour skipped or repeated by DST."""
    if moment.tzinfo is ROME:
        earlier, later = moment.replace(fold=0), moment.replace(fold=1)
        if earlier.utcoffset() != later.utcoffset():
            wall = earlier.replace(tzinfo=None).isoformat()
            if earlier.astimezone(UTC).astimezone(ROME).replace(tzinfo=None).isoformat() != wall:
                raise UsageError(
                    _(
                        "{quoted} does not exist in Italy (the clocks go forward that night): "
                        "check the time, or give it with an offset such as +01:00"
                    ).format(quoted=quoted)
                )
            first, second = _format_offset(earlier.utcoffset()), _format_offset(later.utcoffset())
            raise UsageError(
                _(
                    "{quoted} happens twice in Italy (the clocks go back that night): add the "
                    "offset: {wall}{first} or {wall}{second}"
                ).format(quoted=quoted, wall=wall, first=first, second=second)
            )
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise UsageError(
            _("{quoted} is out of the range of supported times").format(quoted=quoted)
        ) from None


def _moment(match: re.Match[str], quoted: str) -> datetime:
    fields = match.groupdict()
    fraction = fields.get("fraction") or ""
    try:
        moment = datetime(
            int(match["year"]),
            int(match["month"]),
            int(match["day"]),
            int(match["hour"]),
            int(match["minute"]),
            int(match["second"] or 0),
            int(fraction.ljust(6, "0")) if fraction else 0,
            tzinfo=_zone(fields.get("offset")),
        )
    except ValueError as error:
        raise UsageError(
            _("{value} is not a valid date and time ({error}): {help}").format(
                value=quoted, error=_calendar_problem(error), help=_datetime_help()
            )
        ) from None
    return _to_utc(moment, quoted)


def parse_datetime(text: str) -> datetime:
    """Read a point in time for `--known-at`, returned as an aware UTC datetime.

    - ISO 8601 with `Z` or an offset (`2021-05-01T10:00:00Z`, `2021-05-01T12:00:00+02:00`) is
      the exact instant written.
    - A time without an offset (`2021-05-01T12:00`, `30/04/2021 18:30`) is Italian wall-clock
      time (Europe/Rome, daylight saving included), since that is the clock the user reads. The
      hour skipped in spring does not exist and the hour repeated in autumn is ambiguous: both
      are refused, and the latter's message offers the two offsets.
    - A date alone (`2021-05-01`, `01/05/2021`, any `parse_date` form) means the end of that day
      in Italy, 23:59:59.999999: "what did we know on 1 May" includes everything recorded that
      day.
    """
    quoted = quote_input(text.strip())
    squashed = squash_spaces(text)
    if match := _ISO_DATETIME.fullmatch(squashed) or _ITALIAN_DATETIME.fullmatch(squashed):
        return _moment(match, quoted)
    try:
        day = _match_date(squashed, quoted)
    except UsageError as error:
        raise UsageError(str(error).replace(_date_help(), _datetime_help())) from None
    if day is None:
        raise UsageError(
            _("{value} is not a date and time: {help}").format(value=quoted, help=_datetime_help())
        )
    return _end_of_day(day, quoted)


def _end_of_day(day: date, quoted: str) -> datetime:
    """The instant before the next Italian midnight, even on the nights when the clocks changed
    at midnight (1916-1979), when 23:59:59.999999 itself was repeated or skipped."""
    try:
        if day == date.max:
            return datetime.combine(day, time.max, tzinfo=ROME).astimezone(UTC)
        next_midnight = datetime.combine(day + timedelta(days=1), time(), tzinfo=ROME)
        return next_midnight.astimezone(UTC) - timedelta(microseconds=1)
    except OverflowError:
        raise UsageError(
            _("{quoted} is out of the range of supported times").format(quoted=quoted)
        ) from None


def italian_moment(moment: datetime, *, seconds: bool = False) -> str:
    """A recorded time as a person in Italy reads it: local time and its zone.

    `2021-06-14T08:05:00Z` is `14/06/2021 10:05 CEST`, `2021-01-14T09:05:00Z` is
    `14/01/2021 10:05 CET`. The ledger stores UTC and JSON keeps ISO 8601 with its offset; only
    what is shown to people is turned to Italian time. A naive datetime is taken as UTC.
    """
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    local = aware.astimezone(ROME)
    shown = local.strftime("%d/%m/%Y %H:%M:%S" if seconds else "%d/%m/%Y %H:%M")
    return f"{shown} {local.tzname()}"


def rome_wall_time(moment: datetime) -> datetime:
    """The Italian wall-clock time of an instant, without zone: what a spreadsheet cell holds.

    Excel has no time zones; the column's header names the zone (Europe/Rome).
    """
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(ROME).replace(tzinfo=None)
