"""Idempotency keys: re-running the same import records nothing twice.

An append looks up, under the lock, which of its batch's keys are already recorded; a key
recorded with the same content answers with the recorded entry, a key recorded with other
content is refused (`IdempotencyConflict`), never silently reused.
"""

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, select

from ledger.errors import IdempotencyConflict
from ledger.records import Entry, NewEvent
from ledger.rows import stored_entry
from ledger.tables import events

IN_CHUNK = 500
"""Values per IN (...) list: far below SQLite's and PostgreSQL's limits on bound parameters."""


def rows_by_keys(conn: Connection, keys: list[str]) -> Iterator[Sequence[Any]]:
    """Stored rows whose key is among `keys`, in portable IN lists of IN_CHUNK."""
    for start in range(0, len(keys), IN_CHUNK):
        chunk = keys[start : start + IN_CHUNK]
        yield from conn.execute(select(events).where(events.c.idempotency_key.in_(chunk)))


def entries_by_key(rows: Iterable[Sequence[Any]]) -> dict[str, Entry]:
    """The recorded entries of `rows` (all columns), by their idempotency key."""
    found: dict[str, Entry] = {}
    for values in rows:
        entry = stored_entry(values)
        found[entry.idempotency_key or ""] = entry
    return found


def already_recorded(
    recorded: dict[str, Entry], stream: str, payloads: Sequence[tuple[NewEvent, str, bytes]]
) -> dict[str, Entry]:
    """The batch's events already in the ledger under their idempotency key, by new event id.

    A key recorded with other content (stream, type, payload or effective date) is refused.
    `payloads` holds each new event with its canonical text and bytes.
    """
    found: dict[str, Entry] = {}
    for new, payload, _ in payloads:
        entry = recorded.get(new.idempotency_key) if new.idempotency_key else None
        if entry is None:
            continue
        same = (
            entry.stream == stream
            and entry.type == new.event.type_name
            and entry.payload == payload
            and entry.row.effective_date == new.effective_date.isoformat()
        )
        if not same:
            raise IdempotencyConflict(entry.idempotency_key or "", entry.seq)
        found[new.event_id] = entry
    return found
