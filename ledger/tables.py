"""The one table of the ledger, as SQLAlchemy Core, portable between SQLite and PostgreSQL.

Dates and times are stored as fixed-format text (`2021-04-30`, `2021-04-30T09:15:02.123456Z`):
they are hashed exactly as stored, sort as text in time order, and read the same from either
backend. Hashes are stored as their 32 raw bytes and shown in hex.
"""

from sqlalchemy import (
    BigInteger,
    Column,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

SeqType = BigInteger().with_variant(Integer(), "sqlite")  # INTEGER PRIMARY KEY is SQLite's rowid

events = Table(
    "events",
    metadata,
    Column("seq", SeqType, primary_key=True, autoincrement=False),
    Column("event_id", String(36), nullable=False, unique=True),
    Column("stream", String(200), nullable=False),
    Column("version", Integer, nullable=False),
    Column("type", String(100), nullable=False),
    Column("schema_version", Integer, nullable=False),
    Column("effective_date", String(10), nullable=False),
    Column("recorded_at", String(27), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("role", String(100), nullable=False),
    Column("payload", Text, nullable=False),
    Column("prev_hash", LargeBinary(32), nullable=False),
    Column("hash", LargeBinary(32), nullable=False),
    Column("idempotency_key", String(300), nullable=True),
    Column("signature", Text, nullable=True),
    # Every read of one cycle goes through (stream, version); an index on recorded_at would
    # repeat seq order (recorded_at never goes backwards) and one on (stream, effective_date)
    # the stream prefix of this one: each would cost ~40 bytes and an index update per event.
    Index("ux_events_stream_version", "stream", "version", unique=True),
    Index("ux_events_idempotency_key", "idempotency_key", unique=True),
)

ledger_info = Table(
    "ledger_info",
    metadata,
    Column("key", String(100), primary_key=True),
    Column("value", String(400), nullable=False),
)

merkle_nodes = Table(
    "merkle_nodes",
    metadata,
    # A cache, never part of the chain and never hashed into it: the hash of each perfect
    # subtree of 2**level leaves (level >= ledger.tree.CACHE_LEVEL) over the leaves
    # idx * 2**level to (idx + 1) * 2**level - 1, i.e. the events of seq idx * 2**level + 1
    # to last_seq. Rebuilt from `events` whenever it is missing, behind or wrong.
    Column("level", Integer, primary_key=True, autoincrement=False),
    Column("idx", BigInteger, primary_key=True, autoincrement=False),
    Column("last_seq", BigInteger, nullable=False),
    Column("hash", LargeBinary(32), nullable=False),
)

snapshots = Table(
    "snapshots",
    metadata,
    # A cache, never part of the chain and never hashed into it: one cycle's projection state
    # as of its event `last_seq` (its version `version`), as written by the code whose
    # fingerprint is `code_version`. `check_hash` is SHA-256 over the row's other fields and the
    # chain hash of `last_seq`: a row that no longer matches the log, or whose bytes changed,
    # fails it and is rebuilt from `events` (ledger/snapshots.py).
    Column("stream", String(200), primary_key=True),
    Column("code_version", String(64), nullable=False),
    Column("last_seq", BigInteger, nullable=False),
    Column("version", Integer, nullable=False),
    Column("state", LargeBinary, nullable=False),
    Column("check_hash", LargeBinary(32), nullable=False),
)

SCHEMA_VERSION = 1
"""The version of these tables; `ledger/schema.py` checks it at open and migrates to it."""
