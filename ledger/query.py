"""Which entries a read asks for (`Query`) and the SQL that answers it.

A `Query` is a value: the projections and the front ends say what they need (a stream, a
span of effective dates, what was known at a time, a page) and the store turns it into one
indexed SELECT in seq order.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Select, func, select

from ledger.records import format_recorded_at
from ledger.tables import events

STREAMS_SQL = (
    "WITH RECURSIVE found(stream) AS ("
    " SELECT min(stream) FROM events"
    " UNION ALL"
    " SELECT (SELECT min(e.stream) FROM events e WHERE e.stream > found.stream)"
    " FROM found WHERE found.stream IS NOT NULL"
    ") SELECT stream FROM found WHERE stream IS NOT NULL"
)
"""Every stream, sorted, by jumping from one to the next on the stream index (see `streams`)."""


@dataclass(frozen=True)
class Query:
    """Which entries to read; every bound is inclusive but the seq keysets, and results come in
    `seq` order (from the last when `descending`).

    `as_of` keeps what was effective by that day, `known_at` what the ledger held at that time.
    `after_seq` and `before_seq` are the keysets of a page (exclusive): with `descending` and
    `limit`, the last entries before a seq, as the trail's previous page reads them.
    """

    stream: str | None = None
    types: tuple[str, ...] = ()
    after_seq: int = 0
    after_version: int = 0
    until_seq: int | None = None
    effective_from: date | None = None
    as_of: date | None = None
    recorded_from: datetime | None = None
    known_at: datetime | None = None
    actor: str | None = None
    role: str | None = None
    before_seq: int | None = None
    descending: bool = False
    limit: int | None = None
    """At most this many entries (the first in the order asked): a page of the console's trail."""


def select_query(query: Query) -> Select[Any]:
    """The SELECT of every column that answers `query`, in seq order."""
    statement = select(events).where(events.c.seq > query.after_seq)
    if query.until_seq is not None:
        statement = statement.where(events.c.seq <= query.until_seq)
    if query.before_seq is not None:
        statement = statement.where(events.c.seq < query.before_seq)
    if query.stream is not None:
        statement = statement.where(events.c.stream == query.stream)
    if query.after_version:
        statement = statement.where(events.c.version > query.after_version)
    if query.types:
        statement = statement.where(events.c.type.in_(query.types))
    if query.effective_from is not None:
        statement = statement.where(events.c.effective_date >= query.effective_from.isoformat())
    if query.as_of is not None:
        statement = statement.where(events.c.effective_date <= query.as_of.isoformat())
    if query.recorded_from is not None:
        statement = statement.where(events.c.recorded_at >= format_recorded_at(query.recorded_from))
    if query.known_at is not None:
        statement = statement.where(events.c.recorded_at <= format_recorded_at(query.known_at))
    if query.actor is not None:
        statement = statement.where(events.c.actor == query.actor)
    if query.role is not None:
        statement = statement.where(events.c.role == query.role)
    statement = statement.order_by(events.c.seq.desc() if query.descending else events.c.seq)
    return statement if query.limit is None else statement.limit(query.limit)


def stream_version(conn: Connection, stream: str) -> int:
    """The stream's last version (0 when it holds nothing): one indexed max()."""
    version = conn.execute(
        select(func.max(events.c.version)).where(events.c.stream == stream)
    ).scalar()
    return int(version or 0)
