"""The stored row's shape: the columns in table order, and a driver's row as a `StoredRow`.

The append builds rows in this order and every read turns the driver's rows back into
`StoredRow`s here, so the order of `events`' columns is named once for both directions.
"""

from collections.abc import Iterator, Sequence
from dataclasses import fields
from functools import partial
from itertools import chain
from operator import attrgetter
from typing import Any

from ledger.records import Entry, StoredRow, drop_unused_caches
from ledger.tables import events

COLUMNS = tuple(str(column.name) for column in events.columns)
"""The stored columns in table order, which is also `StoredRow`'s field order."""

if tuple(f.name for f in fields(StoredRow)) != COLUMNS:  # pragma: no cover - guards an edit
    raise RuntimeError("ledger.tables.events and ledger.records.StoredRow must list one order")

row_values = attrgetter(*COLUMNS)
"""A `StoredRow`'s values in table order, as a tuple (in C)."""

HASH = COLUMNS.index("hash")
PREV_HASH = COLUMNS.index("prev_hash")
SIGNATURE = COLUMNS.index("signature")

PLACEHOLDERS = {"qmark": "?", "format": "%s", "pyformat": "%s"}
"""The DBAPI's parameter marker for each paramstyle our drivers use."""


def select_all_sql(where: str) -> str:
    """`SELECT <every column> FROM events WHERE <where>` for the adapters' driver-level reads."""
    return f"SELECT {', '.join(COLUMNS)} FROM events WHERE {where}"  # noqa: S608


def insert_sql(placeholder: str) -> str:
    """The plain INSERT of one row, for the DBAPI's executemany (column names are ours)."""
    columns = ", ".join(COLUMNS)
    markers = ", ".join([placeholder] * len(COLUMNS))
    return f"INSERT INTO events ({columns}) VALUES ({markers})"  # noqa: S608


def _bytes_hashes(values: Sequence[Any]) -> tuple[Any, ...]:
    """A row's values with its hashes as `bytes` (psycopg2 gives memoryview)."""
    converted = list(values)
    converted[PREV_HASH] = bytes(converted[PREV_HASH])
    converted[HASH] = bytes(converted[HASH])
    return tuple(converted)


_new_object = object.__new__
_FAST_ROWS = not hasattr(StoredRow, "__slots__")


def stored_row(values: Sequence[Any]) -> StoredRow:
    """A selected row (all columns, table order) as a `StoredRow`.

    Reads and `verify` spend much of their time here, and a frozen dataclass's `__init__`
    sets each of the 15 fields through `object.__setattr__`: filling the instance's `__dict__`
    in one step gives the very same object (same fields, equality, hash and repr) in a third
    of the time. Hashes are copied into `bytes` only when the driver hands out another buffer
    type (psycopg2 gives memoryview).
    """
    if type(values[PREV_HASH]) is not bytes or type(values[HASH]) is not bytes:
        values = _bytes_hashes(values)
    if not _FAST_ROWS:  # pragma: no cover - only if StoredRow ever gets __slots__
        return StoredRow(*values)
    row = _new_object(StoredRow)
    row.__dict__.update(zip(COLUMNS, values, strict=True))
    return row


_entry_of_values = partial(tuple.__new__, Entry)


def stored_entry(values: Sequence[Any]) -> Entry:
    """A selected row (all columns, table order) as an `Entry`: its values kept as they are
    (the `StoredRow` is built only if asked for). Hashes are copied into `bytes` only when the
    driver hands out another buffer type (psycopg2 gives memoryview)."""
    if type(values[PREV_HASH]) is not bytes or type(values[HASH]) is not bytes:
        return Entry(stored_row(values))
    return _entry_of_values(values)


def stored_entries(batch: Sequence[Sequence[Any]]) -> Iterator[Entry]:
    """A batch of selected rows as entries, without a Python frame per row when the driver
    gives `bytes` for the hashes (a driver gives one type per column, so the first row
    tells)."""
    drop_unused_caches()
    if _hashes_are_bytes(batch):
        return map(_entry_of_values, batch)
    return map(stored_entry, batch)


def _hashes_are_bytes(batch: Sequence[Sequence[Any]]) -> bool:
    """Whether the driver gives `bytes` for the hashes (it gives one type per column, so the
    first row tells)."""
    return bool(batch) and type(batch[0][PREV_HASH]) is bytes and type(batch[0][HASH]) is bytes


def _batch_values(batch: Sequence[Sequence[Any]]) -> Iterator[Sequence[Any]]:
    if _hashes_are_bytes(batch):
        return iter(batch)
    return map(_bytes_hashes, batch)


class StoredRows(Iterator[StoredRow]):
    """`read_rows`' answer: the stored rows in seq order, fetched in batches.

    Iterated, it gives `StoredRow`s. `verify_rows` takes the same rows as the driver's tuples
    instead (`values()`): it walks every row of the ledger and hands a `StoredRow` only to
    its hook, so building one per row for nothing was a third of its time.
    """

    def __init__(self, batches: Iterator[Sequence[Sequence[Any]]]) -> None:
        self._batches = batches
        self._rows: Iterator[StoredRow] | None = None

    def __iter__(self) -> "StoredRows":
        return self

    def __next__(self) -> StoredRow:
        if self._rows is None:
            self._rows = chain.from_iterable(map(partial(map, stored_row), self._batches))
        return next(self._rows)

    def values(self) -> Iterator[Sequence[Any]]:
        """The rows not taken yet, each as its values in table order (hashes as `bytes`)."""
        if self._rows is not None:  # some were taken as rows: go on from there
            return map(row_values, self._rows)
        return chain.from_iterable(map(_batch_values, self._batches))

    def close(self) -> None:
        """Close the read (its connection and cursor) before the rows run out."""
        close = getattr(self._batches, "close", None)
        if close is not None:
            close()
