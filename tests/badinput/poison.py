"""Rows that an older version let in: appended as it would have, without today's entry limits.

The limits (events/limits.py) now refuse these values at entry; ledgers written before still
hold them, and every read must survive them. The row is chained and hashed exactly as the
store does (`SqlEventStore._row`), so `ledger verify` accepts it.
"""

from datetime import date

from sqlalchemy import select

from events.base import LedgerEvent
from events.encoding import encode_event
from ledger.records import NewEvent, format_recorded_at
from ledger.rows import COLUMNS
from ledger.store import SqlEventStore
from ledger.tables import events


def append_unchecked(store: SqlEventStore, stream: str, event: LedgerEvent, on: date) -> int:
    """Append `event` to `stream` as an older version would have; its seq."""
    new = NewEvent(event, effective_date=on, actor="controllo", role="controller")
    with store.engine.begin() as conn:
        head = conn.execute(
            select(events.c.seq, events.c.hash, events.c.recorded_at)
            .order_by(events.c.seq.desc())
            .limit(1)
        ).one()
        version = conn.execute(
            select(events.c.version)
            .where(events.c.stream == stream)
            .order_by(events.c.version.desc())
            .limit(1)
        ).scalar()
        row = SqlEventStore._row(
            head.seq + 1,
            (version or 0) + 1,
            stream,
            new,
            encode_event(event).decode("utf-8"),
            max(head.recorded_at, format_recorded_at(store.clock())),
            bytes(head.hash),
        )
        conn.execute(events.insert().values(dict(zip(COLUMNS, row, strict=True))))
    return int(head.seq) + 1
