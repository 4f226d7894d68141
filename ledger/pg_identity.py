"""Who writes, as PostgreSQL knows it: each person logs in with a database role of their own,
mapped to one actor of the ledger, and the database itself refuses a row whose actor is not
the one mapped to the session's role.

The check is a statement-level trigger on `events` (`events_record_session_actor`, over the
rows each statement inserted), owned by the ledger's owner and run with its rights (SECURITY
DEFINER), that reads the mapping table
`ledger_db_roles` by its schema-qualified name with a fixed search_path, so that a client can
neither point it at a table of its own (a temporary `ledger_db_roles` would come first on the
default search_path) nor switch it off: only the table's owner may disable a trigger, and the
writers' roles get SELECT and INSERT, nothing else. It uses `session_user`, the role that
logged in, which `SET ROLE` does not change.

While `ledger_db_roles` is empty the ledger runs as before (any name, as on SQLite): an
administration maps its people one by one with `ledger actors db-role ROLE ACTOR`, and from
the first mapping on every insert needs a mapped session role. The actor is part of the row's
hash, which the client computes: the database therefore refuses a wrong actor instead of
rewriting it.
"""

import re

from sqlalchemy import Connection

from events.errors import UsageError
from events.i18n import _

TRIGGER = "events_record_session_actor"
MARK = "ledger identity:"
"""The start of the trigger's refusals, by which the store recognises them."""
ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
"""A database role's name (a reader's or a writer's): a plain lower-case identifier, so that
it needs no quoting rules."""

_TABLE = (
    "CREATE TABLE IF NOT EXISTS ledger_db_roles (db_role text PRIMARY KEY, actor text NOT NULL)"
)

# `%%` is one `%` for the driver (plpgsql's placeholder in RAISE).
_FUNCTION = """
CREATE OR REPLACE FUNCTION {schema}.ledger_check_session_actors() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    mapped text;
    claimed text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM {schema}.ledger_db_roles) THEN
        RETURN NULL;
    END IF;
    SELECT actor INTO mapped FROM {schema}.ledger_db_roles WHERE db_role = session_user;
    IF mapped IS NULL THEN
        RAISE EXCEPTION 'ledger identity: the database role %% is mapped to no actor of this '
            'ledger (an administrator maps it: ledger actors db-role %% ACTOR)',
            session_user, session_user USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT actor INTO claimed FROM inserted WHERE actor IS DISTINCT FROM mapped
        ORDER BY seq LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'ledger identity: the database role %% records as %%, not as %%',
            session_user, quote_literal(mapped), quote_literal(claimed)
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NULL;
END
$$
"""

_TRIGGER = (
    f"CREATE TRIGGER {TRIGGER} AFTER INSERT ON events REFERENCING NEW TABLE AS inserted "
    "FOR EACH STATEMENT EXECUTE FUNCTION {schema}.ledger_check_session_actors()"
)
"""Once per statement, over the rows it inserted (a transition table), not once per row: a
bulk append's COPY of 5,000 rows ran the row trigger's two lookups 5,000 times. The check
runs after the rows are in, inside the statement: its refusal undoes the statement, and the
append's whole transaction with it, as a row trigger's did."""

_INSTALLED = (
    "SELECT tgtype & 1 FROM pg_trigger "  # bit 0 of tgtype: FOR EACH ROW
    "WHERE tgrelid = CAST('events' AS regclass) AND tgname = %s"
)
_FORMER = (
    "DROP TRIGGER {trigger} ON events",
    "DROP FUNCTION IF EXISTS {schema}.ledger_check_session_actor()",
)
"""The row-level form ledgers made before the statement-level one, replaced on install."""


def quoted_schema(conn: Connection) -> str:
    """The connection's current schema, as a quoted identifier."""
    schema = str(conn.exec_driver_sql("SELECT current_schema()").scalar())
    return '"' + schema.replace('"', '""') + '"'


def install_identity(conn: Connection) -> None:
    """Create the mapping table and the trigger (safe to repeat: `ledger init`)."""
    schema = quoted_schema(conn)
    conn.exec_driver_sql(_TABLE)
    conn.exec_driver_sql(_FUNCTION.format(schema=schema))
    row_level = conn.exec_driver_sql(_INSTALLED, (TRIGGER,)).scalar()
    if row_level == 0:
        return  # the statement-level trigger is there, and now calls the function just made
    if row_level is not None:  # one transaction: the check is never missing in between
        for statement in _FORMER:
            conn.exec_driver_sql(statement.format(trigger=TRIGGER, schema=schema))
    conn.exec_driver_sql(_TRIGGER.format(schema=schema))


def map_role(conn: Connection, role: str, actor: str) -> None:
    """Let the database role `role` (created if missing, able to log in) write as `actor`.

    It gets USAGE on the schema, SELECT on the ledger's tables, INSERT on `events` and the
    right to fill the caches (the Merkle tree's, the snapshots); never UPDATE or DELETE on
    `events`, nor any right on the mapping.
    """
    if not ROLE_NAME.fullmatch(role):
        raise UsageError(
            _(
                "database role {role} must be a lower-case name of letters, digits and _ "
                "(e.g. mario_rossi)"
            ).format(role=repr(role))
        )
    if not actor.strip():
        raise UsageError(_("name the actor the database role writes as"))
    schema = quoted_schema(conn)
    exists = conn.exec_driver_sql("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).scalar()
    if not exists:
        conn.exec_driver_sql(f"CREATE ROLE {role} LOGIN")
    conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA {schema} TO {role}")
    conn.exec_driver_sql(f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {role}")
    conn.exec_driver_sql(f"REVOKE ALL ON {schema}.ledger_db_roles FROM {role}")
    conn.exec_driver_sql(f"GRANT INSERT ON {schema}.events TO {role}")
    for cache in ("merkle_nodes", "snapshots"):
        found = conn.exec_driver_sql("SELECT to_regclass(%s)", (f"{schema}.{cache}",)).scalar()
        if found is not None:
            conn.exec_driver_sql(f"GRANT INSERT, UPDATE, DELETE ON {schema}.{cache} TO {role}")
    conn.exec_driver_sql(
        f"INSERT INTO {schema}.ledger_db_roles (db_role, actor) VALUES (%s, %s) "  # noqa: S608 - our quoted schema
        "ON CONFLICT (db_role) DO UPDATE SET actor = EXCLUDED.actor",
        (role, actor),
    )


def mapped_roles(conn: Connection) -> list[tuple[str, str]]:
    """(database role, actor) of every mapping, by role."""
    rows = conn.exec_driver_sql("SELECT db_role, actor FROM ledger_db_roles ORDER BY db_role")
    return [(str(role), str(actor)) for role, actor in rows]
