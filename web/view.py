"""How the console shows values: the same Italian forms as the terminal and the spreadsheets.

Dates as 30/06/2021, numbers as 96,67 %, recorded times in Europe/Rome (the clock the OIV
reads; the stored value is UTC and the event page shows it as stored). Templates receive
these as filters and compute nothing themselves.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from events.labels import event_label
from formats.italian_dates import ROME
from projections.diff import field_label
from projections.numbers import italian_number, italian_percent
from projections.review import kind_label, severity_label


def day(value: date | None) -> str:
    return "" if value is None else value.strftime("%d/%m/%Y")


def moment(value: datetime | None) -> str:
    """A recorded time in Italian local time, with its zone (CET or CEST) named."""
    if value is None:
        return ""
    local = value.astimezone(ROME)
    return f"{local.strftime('%d/%m/%Y %H:%M:%S')} {local.tzname()}"


def pct(value: Decimal | None) -> str:
    return "" if value is None else italian_percent(value)


def weight(value: Any) -> str:
    """A weight as the Piano prints it: 40 %, 12,50 %."""
    if value is None:
        return ""
    number = Decimal(value)
    return italian_percent(number, 0) if number == int(number) else italian_percent(number)


def number(value: Decimal | None) -> str:
    return "" if value is None else italian_number(value)


def path(text: str) -> str:
    """A cycle or node name as a URL path segment (a cycle's `/` stays a `/`)."""
    return quote(text, safe="/")


_CONTROLS = {code: 0x2400 + code for code in range(32) if chr(code) not in "\t\n\r"}
_CONTROLS[0x7F] = 0x2421


def visible(value: Any) -> Any:
    """Every value a template prints: control characters (a terminal's escape sequences
    among them) shown as their Unicode pictures (␛[31m), never passed on; then escaped."""
    if value is None:
        return ""
    if isinstance(value, str) and not hasattr(value, "__html__"):
        return value.translate(_CONTROLS)
    return value


FILTERS = {
    "day": day,
    "moment": moment,
    "pct": pct,
    "weight": weight,
    "number": number,
    "event_label": event_label,
    "field_label": field_label,
    "severity_label": severity_label,
    "kind_label": kind_label,
}
