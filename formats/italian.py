"""Numbers, dates and times as Italian users type them, for the CLI and the Excel/CSV importers.

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
from decimal import Decimal
from zoneinfo import ZoneInfo

from events.errors import UsageError
from events.i18n import N_, _

# The one formatter lives below (projections print figures too); front ends take it from here.
from projections.numbers import italian_number as italian_number
from projections.numbers import italian_percent as italian_percent
from projections.numbers import rounded as rounded

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


def _number_help() -> str:
    return _(
        "write it like 1.234,56 (dot for thousands, comma for decimals), optionally with a "
        "sign, €, % or a unit such as gg"
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


def _not_a_number(quoted: str) -> str:
    return _("{value} is not a number: {help}").format(value=quoted, help=_number_help())


def _quote(text: str) -> str:
    """The user's value as shown in a message: `repr` keeps the message on one line."""
    shown = text if len(text) <= 60 else f"{text[:57]}..."
    return repr(shown)


def _squash(text: str) -> str:
    """Spreadsheets pad with non-breaking and repeated spaces; they carry no meaning here."""
    return " ".join(text.split())


# --- numbers -------------------------------------------------------------------------------


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
    quoted = _quote(text.strip())
    squashed = _squash(text)
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
    quoted = _quote(text.strip())
    found = _match_date(_squash(text), quoted)
    if found is None:
        raise UsageError(_("{value} is not a date: {help}").format(value=quoted, help=_date_help()))
    return found


def parse_month(text: str, default_year: int | None = None) -> tuple[int, int]:
    """Read a month as (year, month): reporting periods are months, not days.

    A month name alone (`luglio`) takes `default_year`, which the caller knows from context
    (the cycle being imported); without one it is refused rather than assumed to be this year.
    """
    quoted = _quote(text.strip())
    squashed = _squash(text)
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
    quoted = _quote(text.strip())
    squashed = _squash(text)
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
