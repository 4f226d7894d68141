"""The store's reads: entries by query, raw rows for `verify`, hashes for the Merkle tree,
the head, a stream's version, the streams, one entry.

Every read that can grow with the ledger fetches its rows in batches of READ_BATCH (a
server-side cursor on PostgreSQL), so memory stays flat however large the ledger.
"""

from collections.abc import Generator, Iterator, Sequence
from datetime import date, datetime
from itertools import chain
from typing import Any

from sqlalchemy import Select, func, select

from events.limits import MAX_INT
from ledger.connections import StoreConnections
from ledger.query import STREAMS_SQL, Query, select_query, stream_version
from ledger.records import Entry
from ledger.rows import StoredRows, stored_entries, stored_entry
from ledger.tables import events

READ_BATCH = 2000
"""Rows fetched per round trip by every read: memory stays flat however large the ledger."""

EVERYTHING = Query()
"""The query of every entry (a frozen value, safe as a default)."""


class StoreReads(StoreConnections):
    """Reads over SQLAlchemy Core, each on a connection of its own."""

    def read(self, query: Query = EVERYTHING) -> Iterator[Entry]:
        """Entries matching `query`, in seq order, fetched in batches."""
        # chain, not `yield from`: no generator frame resumed per entry, only per batch.
        return chain.from_iterable(map(stored_entries, self._partitions(select_query(query))))

    def read_stream(
        self, stream: str, *, as_of: date | None = None, known_at: datetime | None = None
    ) -> Iterator[Entry]:
        """One cycle's entries in order, optionally as of a date and as known at a time."""
        return self.read(Query(stream=stream, as_of=as_of, known_at=known_at))

    def read_rows(self, *, after_seq: int = 0) -> StoredRows:
        """Raw stored rows in seq order: what `verify` recomputes the chain from (which takes
        them as the driver's tuples, see `StoredRows`)."""
        statement = select(events).where(events.c.seq > after_seq).order_by(events.c.seq)
        return StoredRows(self._partitions(statement))

    def read_hashes(self, *, after_seq: int = 0, until_seq: int) -> Generator[tuple[int, bytes]]:
        """(seq, stored hash) of the rows after `after_seq` up to `until_seq`, in seq order:
        the leaves of the Merkle tree (ledger/tree.py), without reading any payload."""
        statement = (
            select(events.c.seq, events.c.hash)
            .where(events.c.seq > after_seq, events.c.seq <= until_seq)
            .order_by(events.c.seq)
        )
        for partition in self._partitions(statement):
            for seq, digest in partition:
                yield seq, bytes(digest)

    def _partitions(self, statement: Select[Any]) -> Iterator[Sequence[Sequence[Any]]]:
        """Rows in lists of READ_BATCH (a server-side cursor on PostgreSQL): memory stays flat.

        SQLAlchemy compiles and executes the statement (its statement cache, its transaction,
        its errors). Its cursor strategy gives the first batch (it may hold a row it fetched
        ahead), and the DBAPI cursor the others, as the driver's tuples: SQLAlchemy's rows
        would only wrap the same values (no column of `events` has a result conversion), and
        its buffer would copy each row through a deque, at a cost per row that a full read
        pays a million times. A driver error goes through SQLAlchemy's handling all the same.
        """
        with (
            self._translated(),
            self.engine.connect() as conn,
            # Closing the result closes PostgreSQL's server-side cursor even when the caller
            # stops early (verify stops at the first break).
            conn.execution_options(yield_per=READ_BATCH).execute(statement) as result,
        ):
            strategy, cursor = result.cursor_strategy, result.cursor
            batch = strategy.fetchmany(result, cursor, READ_BATCH)
            fetch = cursor.fetchmany
            while True:
                if batch:
                    yield batch
                # A short batch is the last: the strategy may have closed the cursor on it.
                if len(batch) < READ_BATCH:
                    return
                try:
                    batch = fetch(READ_BATCH)
                except Exception as error:  # wrapped as SQLAlchemy would (DBAPIError)
                    strategy.handle_exception(result, cursor, error)

    def head(self) -> Entry | None:
        """The last entry of the ledger, or None when it is empty."""
        with self._translated(), self.engine.connect() as conn:
            values = conn.execute(select(events).order_by(events.c.seq.desc()).limit(1)).first()
        return stored_entry(values) if values else None

    def stream_version(self, stream: str) -> int:
        """How many events the stream holds (its last version), 0 when none."""
        with self._translated(), self.engine.connect() as conn:
            return stream_version(conn, stream)

    def streams(self) -> list[str]:
        """Every stream in the ledger, sorted.

        A plain `SELECT DISTINCT stream` reads every row's index entry (neither SQLite nor
        PostgreSQL before 18 skips through an index), which makes it grow with the ledger;
        the recursive form jumps from one stream to the next on the stream index, so its
        cost grows with the number of streams only. Same rows, same order (min and `>`
        compare with the column's collation, as ORDER BY does).
        """
        with self._translated(), self.engine.connect() as conn:
            return [stream for (stream,) in conn.exec_driver_sql(STREAMS_SQL)]

    def entry(self, *, seq: int | None = None, event_id: str | None = None) -> Entry | None:
        """One entry by seq or by event id."""
        statement = select(events)
        if seq is not None:
            if not 0 < seq <= MAX_INT:
                return None  # no row can have it, and the drivers refuse to bind it
            statement = statement.where(events.c.seq == seq)
        if event_id is not None:
            statement = statement.where(events.c.event_id == event_id)
        with self._translated(), self.engine.connect() as conn:
            values = conn.execute(statement.limit(1)).first()
        return stored_entry(values) if values else None

    def count(self) -> int:
        with self._translated(), self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(events)).scalar() or 0)
