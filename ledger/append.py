"""The append's critical section: under the write lock, read the head, the streams' versions
and the recorded idempotency keys, chain the new rows and insert them in one statement.

The cost is a fixed handful of statements per transaction (head, stream versions,
idempotency keys, one bulk insert), never one round trip per event: the payloads are encoded
and the request checked before the lock is taken (ledger/admission.py).
"""

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.exc import IntegrityError, ProgrammingError

from events.encoding import encode_event
from ledger.admission import check_request
from ledger.chain import GENESIS, RowHasher
from ledger.collector import collector_paused
from ledger.connections import StoreConnections
from ledger.errors import ConcurrencyConflict, InvalidAppend
from ledger.idempotency import IN_CHUNK, already_recorded, entries_by_key, rows_by_keys
from ledger.pg_identity import MARK as IDENTITY_MARK
from ledger.query import stream_version
from ledger.records import Entry, NewEvent, format_recorded_at
from ledger.rows import COLUMNS, HASH, PLACEHOLDERS, insert_sql, stored_entries
from ledger.tables import events


class StoreAppends(StoreConnections):
    """Portable append over SQLAlchemy Core; the adapters replace the lookups and the insert
    with their own single statements."""

    def append(
        self, stream: str, new_events: Sequence[NewEvent], *, expected_version: int
    ) -> list[Entry]:
        """Append a batch to one stream in one transaction, or refuse it whole.

        A batch whose every idempotency key is already recorded answers with the recorded
        entries and writes nothing; otherwise the stream must be at `expected_version`.
        """
        return self.append_batches([(stream, new_events, expected_version)])[0]

    def append_batches(
        self, batches: Sequence[tuple[str, Sequence[NewEvent], int]]
    ) -> list[list[Entry]]:
        """Append several streams' batches in one transaction: all of them or none.

        The cost is a fixed handful of statements per transaction (head, stream versions,
        idempotency keys, one bulk insert), never one round trip per event: the payloads are
        encoded before the write lock is taken, and the rows go in with one executemany (or
        COPY on PostgreSQL).
        """
        with collector_paused():
            return self._append_batches(batches)

    def _append_batches(
        self, batches: Sequence[tuple[str, Sequence[NewEvent], int]]
    ) -> list[list[Entry]]:
        keys: set[str] = set()
        for stream, new_events, _ in batches:
            check_request(stream, new_events, keys)
        # The canonical bytes are hashed as they are; their text is what is stored.
        encoded: list[list[tuple[NewEvent, str, bytes]]] = []
        for _, new_events, _ in batches:
            data = [encode_event(new.event) for new in new_events]
            encoded.append(list(zip(new_events, map(bytes.decode, data), data, strict=True)))
        with self._append_transaction() as conn:
            self._lock(conn)
            head = conn.execute(
                select(events.c.seq, events.c.hash, events.c.recorded_at)
                .order_by(events.c.seq.desc())
                .limit(1)
            ).first()
            seq = head.seq if head else 0
            prev = bytes(head.hash) if head else GENESIS
            now = format_recorded_at(self.clock())
            if head and head.recorded_at > now:
                now = head.recorded_at  # recorded_at never goes backwards, whatever the clocks do
            recorded = self._recorded_by_key(
                conn, [new.idempotency_key for b in batches for new in b[1] if new.idempotency_key]
            )
            versions = self._stream_versions(conn, {stream for stream, _, _ in batches})
            versions = {stream: versions.get(stream, 0) for stream, _, _ in batches}
            results: list[list[Entry]] = []
            rows: list[tuple[Any, ...]] = []
            hasher = RowHasher()
            for (stream, asked, expected), payloads in zip(batches, encoded, strict=True):
                existing = already_recorded(recorded, stream, payloads) if recorded else {}
                if existing and all(new.event_id in existing for new, _, _ in payloads):
                    results.append([existing[new.event_id] for new, _, _ in payloads])
                    continue
                version = versions.get(stream, 0)
                if version != expected:
                    raise ConcurrencyConflict(stream, expected, version)
                if existing:
                    payloads = [item for item in payloads if item[0].event_id not in existing]
                new_rows = _chained_rows(hasher, stream, payloads, (seq, version, now, prev))
                if new_rows:
                    seq, version, prev = new_rows[-1][0], new_rows[-1][3], new_rows[-1][HASH]
                versions[stream] = version
                rows += new_rows
                entries = stored_entries(new_rows)
                if existing:  # in the batch's order: the recorded ones where they were asked
                    results.append([existing.get(new.event_id) or next(entries) for new in asked])
                else:
                    results.append(list(entries))
            if rows:
                try:
                    self._insert_rows(conn, rows)
                except ProgrammingError as error:
                    # The database refused the actor (ledger/pg_identity.py): one clear line.
                    text = str(error.orig).strip().splitlines()[0] if error.orig else ""
                    if IDENTITY_MARK not in text:
                        raise
                    raise InvalidAppend(
                        text[text.index(IDENTITY_MARK) + len(IDENTITY_MARK) :].strip()
                        + "; nothing was written"
                    ) from error
                except IntegrityError as error:
                    # Seq, version and keys were checked under the lock: only an event id
                    # recorded before can collide (refused by the constraint or the trigger).
                    ids = [row[1] for row in rows]
                    raise InvalidAppend(_already_recorded(self._first_recorded_id(ids))) from error
        return results

    def _first_recorded_id(self, ids: list[str]) -> str:
        """Which of `ids` the ledger already holds (read outside the failed transaction)."""
        with self.engine.connect() as conn:
            for start in range(0, len(ids), IN_CHUNK):
                found = conn.execute(
                    select(events.c.event_id).where(
                        events.c.event_id.in_(ids[start : start + IN_CHUNK])
                    )
                ).scalar()
                if found is not None:
                    return str(found)
        return "(unknown)"

    def _insert_rows(self, conn: Connection, rows: list[tuple[Any, ...]]) -> None:
        """Insert the new rows (in `events` column order) with one executemany.

        The DBAPI cursor's executemany is used directly: SQLAlchemy's per-row parameter
        processing of `events.insert()` cost more than the database's own work here.
        """
        paramstyle = conn.dialect.paramstyle
        if paramstyle not in PLACEHOLDERS:  # pragma: no cover - both our drivers are known
            conn.execute(events.insert(), [dict(zip(COLUMNS, row, strict=True)) for row in rows])
            return
        conn.exec_driver_sql(insert_sql(PLACEHOLDERS[paramstyle]), rows)

    @staticmethod
    def _row(
        seq: int,
        version: int,
        stream: str,
        new: NewEvent,
        payload: str,
        now: str,
        prev: bytes,
        hasher: RowHasher | None = None,
    ) -> tuple[Any, ...]:
        """The stored values of one new row, in `events` column order (that of `StoredRow`),
        chained after the row whose hash is `prev`; `hasher` is the transaction's."""
        after = (seq - 1, version - 1, now, prev)
        one = [(new, payload, payload.encode("utf-8"))]
        [row] = _chained_rows(hasher or RowHasher(), stream, one, after)
        return row

    def _recorded_by_key(self, conn: Connection, keys: list[str]) -> dict[str, Entry]:
        """Entries already recorded under any of `keys`, by key."""
        return entries_by_key(self._rows_by_idempotency_key(conn, keys)) if keys else {}

    def _rows_by_idempotency_key(
        self, conn: Connection, keys: list[str]
    ) -> Iterator[Sequence[Any]]:
        """Stored rows whose key is among `keys`: portable IN lists; the adapters use one
        statement with the keys as one parameter, which the server plans once."""
        return rows_by_keys(conn, keys)

    def _stream_versions(self, conn: Connection, streams: set[str]) -> dict[str, int]:
        """The current version of each of `streams` (0 for a new one).

        Portable form, one indexed max() per stream; the adapters replace it with one
        statement. (A `GROUP BY stream` would read every row of every stream, not the last.)
        """
        return {stream: stream_version(conn, stream) for stream in streams}


def _chained_rows(
    hasher: RowHasher,
    stream: str,
    payloads: Sequence[tuple[NewEvent, str, bytes]],
    after: tuple[int, int, str, bytes],
) -> list[tuple[Any, ...]]:
    """The stored values of new rows for one stream, in `events` column order (that of
    `StoredRow`), each chained to the one before; `after` is the (seq, stream version,
    recorded_at, hash) they follow."""
    seq, version, now, prev = after
    rows: list[tuple[Any, ...]] = []
    chain_hash = hasher.chain_hash
    for new, text, data in payloads:
        seq += 1
        version += 1
        event, key = new.event, new.idempotency_key
        envelope = (
            event.type_name,
            event.schema_version,
            new.effective_date.isoformat(),
            now,
            new.actor,
            new.role,
        )
        digest = chain_hash(prev, seq, new.event_id, stream, version, envelope, key, data)
        signature = new.signer(digest.hex()) if new.signer else None
        rows.append((seq, new.event_id, stream, version, *envelope, text, prev, digest, key,
                     signature))  # fmt: skip
        prev = digest
    return rows


def _already_recorded(event_id: str) -> str:
    """The refusal of an event id recorded before, in the reader's language: worded here, as
    `_append_batches` binds `_` as a throwaway name in its loops."""
    from events.i18n import _

    return _(
        "event id {event_id} is already recorded (event ids are unique); nothing was written"
    ).format(event_id=event_id)
