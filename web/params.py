"""The parameters every page shares, parsed as the command line parses them.

A page's URL carries its cycle, `as_of` and `known_at`, so that the OIV can cite it in the
documento di validazione. Dates are read by the same parsers as `ledger --as-of` (30/04/2021
or 2021-04-30); a bad one is a 400 naming it, an unknown cycle a 404.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar
from urllib.parse import urlencode

from events.errors import UsageError
from events.i18n import _
from formats.italian_dates import parse_date, parse_datetime
from ledger.records import format_recorded_at
from web.errors import bad_request, unknown_cycle

T = TypeVar("T")


def _parsed(text: str | None, parse: Callable[[str], T], refusal: Callable[[], str]) -> T | None:
    """An optional value from the query string; a bad one is a 400 with `refusal()`."""
    if text is None or not text.strip():
        return None
    try:
        return parse(text)
    except UsageError:
        raise bad_request(refusal()) from None


def day_param(name: str, text: str | None) -> date | None:
    """An optional date (30/04/2021 or 2021-04-30)."""
    return _parsed(
        text,
        parse_date,
        lambda: _("{name}: {value!r} is not a date (write 30/04/2021 or 2021-04-30)").format(
            name=name, value=text
        ),
    )


def moment_param(name: str, text: str | None) -> datetime | None:
    """An optional time (UTC, or Italian local time)."""
    return _parsed(
        text,
        parse_datetime,
        lambda: _(
            "{name}: {value!r} is not a date and time (write 30/04/2021 18:30, Italian time, "
            "or 2021-04-30T16:30:00Z)"
        ).format(name=name, value=text),
    )


def seq_param(name: str, text: str | None) -> int | None:
    """An optional seq (a whole number from 0)."""
    if text is None or not text.strip():
        return None
    if not text.strip().isdigit() or len(text.strip()) > 18:
        raise bad_request(
            _("{name}: {value!r} is not a seq (a whole number such as 120)").format(
                name=name, value=text
            )
        )
    return int(text)


def known_cycle(version_of: Callable[[str], int], cycle: str) -> int:
    """The cycle's version, if the ledger holds it (one index probe), else a 404 naming it."""
    version = version_of(cycle)
    if version == 0:
        raise unknown_cycle(cycle)
    return version


@dataclass(frozen=True)
class When:
    """The two times of a question: as of a date, as known at a time (None: now)."""

    as_of: date
    known_at: datetime | None

    @property
    def known(self) -> str:
        """`known_at` as the URL carries it (empty: now)."""
        return format_recorded_at(self.known_at) if self.known_at is not None else ""

    def query(self, **more: str | None) -> str:
        """The query string that names this view exactly (ISO forms, stable to cite)."""
        values = {"as_of": self.as_of.isoformat()}
        if self.known_at is not None:
            values["known_at"] = format_recorded_at(self.known_at)
        values.update({key: value for key, value in more.items() if value})
        return urlencode(values)


def when_of(as_of: str | None, known_at: str | None, default: date) -> When:
    """The `as_of` (default `default`) and `known_at` of a request."""
    return When(day_param("as_of", as_of) or default, moment_param("known_at", known_at))
