"""The PostgreSQL adapter: a shared ledger for a region or the whole country.

Appends take a transaction-level advisory lock before reading the head, so that seq order is
commit order: without it a reader could pass over an event whose lower seq commits late, the
bug most often reported against event stores (see message-db's `acquire_lock` and
eventsourcing's `_lock_table`: https://github.com/message-db/message-db,
https://github.com/pyeventsourcing/eventsourcing). Triggers refuse UPDATE, DELETE and TRUNCATE
on `events` for every role, the table's owner included.
"""

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.exc import DBAPIError

from events.errors import UsageError
from events.i18n import _
from ledger.connections import Clock, utc_now
from ledger.errors import ReaderCanWrite
from ledger.pg_identity import ROLE_NAME, install_identity, map_role, mapped_roles
from ledger.pg_identity import TRIGGER as IDENTITY_TRIGGER
from ledger.rows import COLUMNS, select_all_sql
from ledger.store import SqlEventStore

APPEND_LOCK_KEY = 0x1ED6E4
"""The advisory lock that serialises appends in one database."""

_PROTECTION = (
    """
    CREATE OR REPLACE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'the ledger is append-only: %% on events is refused', TG_OP;
    END
    $$
    """,
    "CREATE OR REPLACE TRIGGER events_refuse_update_delete BEFORE UPDATE OR DELETE ON events "
    "FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()",
    "CREATE OR REPLACE TRIGGER events_refuse_truncate BEFORE TRUNCATE ON events "
    "FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()",
)

TRIGGERS = ("events_refuse_update_delete", "events_refuse_truncate", IDENTITY_TRIGGER)
"""The triggers `_PROTECTION` installs, which `verify` expects to find enabled."""

COPY_THRESHOLD = 50
"""Rows from which an append uses COPY rather than executemany (COPY's set-up then pays)."""

_COPY = f"COPY events ({', '.join(COLUMNS)}) FROM STDIN"

_STREAM_VERSIONS = (
    "SELECT s.stream, (SELECT max(version) FROM events WHERE events.stream = s.stream) "
    "FROM unnest(CAST(%s AS text[])) AS s(stream)"
)

_BY_KEYS = (
    "SELECT e.* FROM unnest(CAST(%s AS text[])) AS k(key) CROSS JOIN LATERAL ("  # noqa: S608 - our columns
    + select_all_sql("idempotency_key = k.key")
    + " LIMIT 1) AS e"
)
"""The rows under any of the keys, one index probe per key. `idempotency_key = ANY(keys)` let
the planner scan the whole table for a batch of 5,000 keys (18 ms at 60k events, growing with
the ledger); the LIMIT keeps the subquery from being flattened into a hash join, so each key is
one probe of the unique index whatever the table's size or statistics."""


def postgres_engine(url: str) -> Engine:
    """An engine whose sessions plan server-side cursors for reading every row.

    Reads stream through server-side cursors (memory stays flat), and PostgreSQL plans a
    cursor for fetching only its first 10 % of rows (`cursor_tuple_fraction`), which made it
    read one cycle by walking the whole table in seq order instead of taking the stream
    index and sorting ~700 rows (20-40 ms instead of 1 ms on a 100k-event ledger). Every
    read of ours consumes its cursor, so plan for all rows:
    https://www.postgresql.org/docs/current/runtime-config-query.html#GUC-CURSOR-TUPLE-FRACTION
    """
    engine = create_engine(url, pool_pre_ping=True)

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("SET cursor_tuple_fraction = 1.0")
        cursor.close()
        dbapi_connection.commit()  # a SET rolled back would be undone

    return engine


class PostgresEventStore(SqlEventStore):
    """The ledger in a PostgreSQL database (the schema first on the connection's search_path)."""

    backend = "postgresql"

    def __init__(self, url: str, *, clock: Clock = utc_now) -> None:
        super().__init__(postgres_engine(url), url, clock=clock)

    def _lock(self, conn: Connection) -> None:
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": APPEND_LOCK_KEY})

    def _stream_versions(self, conn: Connection, streams: set[str]) -> dict[str, int]:
        """Every stream's version in one round trip, one index probe per stream."""
        rows = conn.exec_driver_sql(_STREAM_VERSIONS, (sorted(streams),))
        return {stream: int(version or 0) for stream, version in rows}

    def _rows_by_idempotency_key(
        self, conn: Connection, keys: list[str]
    ) -> Iterator[Sequence[Any]]:
        """Rows under any of `keys`, with the keys as one array parameter (one plan, any size)."""
        yield from conn.exec_driver_sql(_BY_KEYS, (keys,))

    def _insert_rows(self, conn: Connection, rows: list[tuple[Any, ...]]) -> None:
        """Large batches go in with COPY, PostgreSQL's fast loading, in the same transaction.

        COPY fires the same constraints and row triggers as INSERT; the driver's errors are
        wrapped as SQLAlchemy's (IntegrityError, OperationalError...), as executemany's are.
        https://www.postgresql.org/docs/current/sql-copy.html
        """
        driver = conn.connection.driver_connection
        if len(rows) < COPY_THRESHOLD or driver is None:
            super()._insert_rows(conn, rows)
            return
        cursor = driver.cursor()
        if not hasattr(cursor, "copy"):  # psycopg2 has no cursor.copy(); executemany works
            cursor.close()
            super()._insert_rows(conn, rows)
            return
        dbapi = conn.dialect.loaded_dbapi
        try:
            with cursor.copy(_COPY) as copy:
                for row in rows:
                    copy.write_row(row)
        except dbapi.Error as error:
            raise DBAPIError.instance(_COPY, None, error, dbapi.Error) from error
        finally:
            cursor.close()

    def _protection_missing(self, conn: Connection) -> list[str]:
        """Missing or disabled triggers, and any rule on `events` (a rule can rewrite an
        UPDATE or DELETE into something no trigger sees)."""
        found = conn.exec_driver_sql(
            "SELECT tgname, tgenabled FROM pg_trigger "
            "WHERE tgrelid = CAST('events' AS regclass) AND NOT tgisinternal"
        )
        enabled: dict[str, str] = {str(row[0]): str(row[1]) for row in found}
        problems = [
            f"trigger {name}" + (" (disabled)" if enabled.get(name) == "D" else "")
            for name in TRIGGERS
            if enabled.get(name, "D") == "D"
        ]
        rules = conn.exec_driver_sql(
            "SELECT rulename FROM pg_rules WHERE tablename = 'events' "
            "AND schemaname = current_schema()"
        )
        problems += [f"unexpected rule {name}" for (name,) in rules]
        return problems

    def _install_protection(self, conn: Connection) -> None:
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": APPEND_LOCK_KEY})
        for statement in _PROTECTION:
            conn.exec_driver_sql(statement)
        install_identity(conn)

    def map_role(self, role: str, actor: str) -> None:
        """Let the database role `role` write as `actor`, and as no one else (pg_identity)."""
        with self._write() as conn:
            install_identity(conn)
            map_role(conn, role, actor)

    def db_roles(self) -> list[tuple[str, str]]:
        """(database role, actor) of every mapping; none on a ledger older than them."""
        with self._translated(), self.engine.connect() as conn:
            if not inspect(conn).has_table("ledger_db_roles"):
                return []
            return mapped_roles(conn)


_WRITE_PRIVILEGES = (
    "SELECT rolsuper OR has_table_privilege('events', 'INSERT') "
    "OR has_table_privilege('events', 'UPDATE') OR has_table_privilege('events', 'DELETE') "
    "OR has_table_privilege('events', 'TRUNCATE') FROM pg_roles WHERE rolname = current_user"
)


class PostgresReaderStore(PostgresEventStore):
    """The ledger read through a role that holds SELECT only, in read-only transactions."""

    def __init__(self, url: str, *, clock: Clock = utc_now) -> None:
        super().__init__(url, clock=clock)
        event.listen(self.engine, "connect", _read_only_sessions)

    def require_read_only(self) -> None:
        """Refuse a role that may write `events`: the database, not the code, must say no."""
        with self._translated(), self.engine.connect() as conn:
            role = str(conn.exec_driver_sql("SELECT current_user").scalar())
            may_write = conn.exec_driver_sql(_WRITE_PRIVILEGES).scalar()
        if may_write:
            raise ReaderCanWrite(role, self.display_url)


def _read_only_sessions(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("SET default_transaction_read_only = on")
    cursor.close()
    dbapi_connection.commit()


def reader_store(url: str) -> PostgresReaderStore:
    """The PostgreSQL ledger at `url`, read through its (SELECT-only) role."""
    return PostgresReaderStore(url)


def grant_reader(store: PostgresEventStore, role: str) -> None:
    """Create the role `role` (if missing) that may log in and only read this ledger.

    Safe to repeat. It gets USAGE on the ledger's schema and SELECT on its tables, today's and
    those made later (the Merkle cache), nothing else; give it a password with
    `ALTER ROLE name PASSWORD '...'` where the server asks for one.
    """
    if not ROLE_NAME.fullmatch(role):
        raise UsageError(
            _(
                "reader role {role!r} must be a lower-case name of letters, digits and _ "
                "(e.g. ledger_reader)"
            ).format(role=role)
        )
    with store.side_transaction() as conn:
        schema = str(conn.exec_driver_sql("SELECT current_schema()").scalar())
        exists = conn.exec_driver_sql("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).scalar()
        if not exists:
            conn.exec_driver_sql(f"CREATE ROLE {role} LOGIN")
        quoted = '"' + schema.replace('"', '""') + '"'
        conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA {quoted} TO {role}")
        conn.exec_driver_sql(f"GRANT SELECT ON ALL TABLES IN SCHEMA {quoted} TO {role}")
        conn.exec_driver_sql(
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {quoted} GRANT SELECT ON TABLES TO {role}"
        )
