"""The snapshot table: one cycle's projection state kept beside the log, as opaque bytes.

A snapshot is a cache, never part of the chain: the ledger stores and checks the bytes, the
projections (projections/snapshots.py) write and read what they mean. What the ledger
guarantees here is only that a snapshot it hands back still matches the log and is the one
written: its `check` is SHA-256 over the stream, the code fingerprint, seq, version, the bytes
and the chain hash of the event at `last_seq`, so a row copied from another ledger, left
behind by a rewritten history, or altered in place fails it and is treated as absent.

Writing one is best effort: a read-only connection (the web console), a ledger made before the
table existed, or two writers at once leave the snapshot as it was, and the next act rebuilds
it. No error of this table ever refuses an act.
"""

import hashlib
from dataclasses import dataclass

from sqlalchemy import delete, insert, inspect, select
from sqlalchemy.exc import SQLAlchemyError

from events.errors import LedgerError
from ledger.store import SqlEventStore
from ledger.tables import events, snapshots


@dataclass(frozen=True)
class Snapshot:
    """A checked snapshot: the state after the event `last_seq`, the stream's `version`-th."""

    stream: str
    code_version: str
    last_seq: int
    version: int
    state: bytes


def snapshot_check(
    stream: str, code_version: str, last_seq: int, version: int, state: bytes, chain_hash: bytes
) -> bytes:
    """The check of a snapshot row: every field framed by its length, then SHA-256."""
    parts = (
        b"ledger-snapshot-1",
        stream.encode("utf-8"),
        code_version.encode("utf-8"),
        str(last_seq).encode("ascii"),
        str(version).encode("ascii"),
        bytes(chain_hash),
        state,
    )
    return hashlib.sha256(b"".join(len(p).to_bytes(8, "big") + p for p in parts)).digest()


def load_snapshot(store: SqlEventStore, stream: str, code_version: str) -> Snapshot | None:
    """The stream's snapshot if it was written by `code_version` and passes its check."""
    statement = (
        select(
            snapshots.c.code_version,
            snapshots.c.last_seq,
            snapshots.c.version,
            snapshots.c.state,
            snapshots.c.check_hash,
            events.c.stream,
            events.c.version,
            events.c.hash,
        )
        .select_from(snapshots.join(events, events.c.seq == snapshots.c.last_seq))
        .where(snapshots.c.stream == stream)
    )
    try:
        with store.engine.connect() as conn:
            row = conn.execute(statement).first()
    except SQLAlchemyError:
        return None  # no snapshot table yet (a ledger made before it): nothing cached
    if row is None:
        return None
    written, last_seq, version, state, check, event_stream, event_version, chain_hash = row
    state = bytes(state)
    if (
        written != code_version
        or event_stream != stream
        or event_version != version
        or bytes(check) != snapshot_check(stream, written, last_seq, version, state, chain_hash)
    ):
        return None
    return Snapshot(stream, written, int(last_seq), int(version), state)


def save_snapshot(
    store: SqlEventStore, stream: str, code_version: str, last_seq: int, version: int, state: bytes
) -> bool:
    """Replace the stream's snapshot; False when it could not be written (never an error)."""
    try:
        with store.side_transaction() as conn:
            if not inspect(conn).has_table("snapshots"):
                snapshots.create(conn, checkfirst=True)
            chain_hash = conn.execute(
                select(events.c.hash).where(
                    events.c.seq == last_seq, events.c.stream == stream, events.c.version == version
                )
            ).scalar()
            if chain_hash is None:
                return False
            check = snapshot_check(stream, code_version, last_seq, version, state, chain_hash)
            conn.execute(delete(snapshots).where(snapshots.c.stream == stream))
            conn.execute(
                insert(snapshots).values(
                    stream=stream,
                    code_version=code_version,
                    last_seq=last_seq,
                    version=version,
                    state=state,
                    check_hash=check,
                )
            )
    except (SQLAlchemyError, LedgerError):
        return False
    return True
