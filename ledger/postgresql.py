"""The PostgreSQL adapter: a shared ledger for a region or the whole country.

Appends take a transaction-level advisory lock before reading the head, so that seq order is
commit order: without it a reader could pass over an event whose lower seq commits late, the
bug most often reported against event stores (see message-db's `acquire_lock` and
eventsourcing's `_lock_table`: https://github.com/message-db/message-db,
https://github.com/pyeventsourcing/eventsourcing). Triggers refuse UPDATE, DELETE and TRUNCATE
on `events` for every role, the table's owner included.
"""

from sqlalchemy import Connection, create_engine, text

from ledger.store import Clock, SqlEventStore, utc_now

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


class PostgresEventStore(SqlEventStore):
    """The ledger in a PostgreSQL database (the schema first on the connection's search_path)."""

    backend = "postgresql"

    def __init__(self, url: str, *, clock: Clock = utc_now) -> None:
        super().__init__(create_engine(url, pool_pre_ping=True), url, clock=clock)

    def _lock(self, conn: Connection) -> None:
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": APPEND_LOCK_KEY})

    def _install_protection(self, conn: Connection) -> None:
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": APPEND_LOCK_KEY})
        for statement in _PROTECTION:
            conn.exec_driver_sql(statement)
