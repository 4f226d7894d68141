"""The stored schema version: checked at open, newer refused, older migrated only on request."""

import pytest
from sqlalchemy import Connection, inspect, text

from ledger.connect import open_store
from ledger.errors import SchemaTooNew
from ledger.schema import Migration
from ledger.store import SqlEventStore
from ledger.tables import SCHEMA_VERSION
from tests.cli.conftest import ledger


def set_stored_version(store: SqlEventStore, version: str) -> None:
    """What another version of the code would have left in the database."""
    with store.engine.begin() as conn:
        conn.execute(
            text("UPDATE ledger_info SET value = :v WHERE key = 'schema_version'"), {"v": version}
        )


def test_a_new_ledger_records_this_versions_schema(store: SqlEventStore) -> None:
    with store.engine.connect() as conn:
        stored = conn.execute(
            text("SELECT value FROM ledger_info WHERE key = 'schema_version'")
        ).scalar()
    assert stored == str(SCHEMA_VERSION)


def test_a_newer_ledger_is_refused_in_one_line(store: SqlEventStore, db_url: str) -> None:
    set_stored_version(store, str(SCHEMA_VERSION + 1))
    for command in (["replay"], ["verify"], ["init"], ["migrate"]):
        code, output = ledger(db_url, *command)
        assert code == 1, output
        assert output.strip().splitlines() == [
            f"Error: this ledger was written by a newer version (schema {SCHEMA_VERSION + 1}; "
            f"this version reads schema {SCHEMA_VERSION}): upgrade the ledger software"
        ]


def test_an_older_ledger_is_refused_until_migrate(store: SqlEventStore, db_url: str) -> None:
    set_stored_version(store, str(SCHEMA_VERSION - 1))
    code, output = ledger(db_url, "verify")
    assert code == 1, output
    assert output.strip() == (
        f"Error: this ledger has schema {SCHEMA_VERSION - 1}, this version needs "
        f"{SCHEMA_VERSION}: run `ledger migrate` (take a copy first)"
    )


def test_migrate_on_an_up_to_date_ledger_changes_nothing(db_url: str) -> None:
    assert ledger(db_url, "init")[0] == 0
    code, output = ledger(db_url, "migrate")
    assert (code, output.strip()) == (
        0,
        f"the ledger is at schema version {SCHEMA_VERSION}: nothing to migrate",
    )


def test_migrations_run_in_order_once_and_record_the_version(store: SqlEventStore) -> None:
    def add_table(conn: Connection, backend: str) -> None:
        conn.execute(text("CREATE TABLE migrated_marker (backend VARCHAR(20))"))
        conn.execute(text("INSERT INTO migrated_marker VALUES (:b)"), {"b": backend})

    later = SCHEMA_VERSION + 1
    steps = (Migration(later, "a marker table", add_table),)
    found, ran = store.migrate(steps, current=later)
    assert (found, [step.to_version for step in ran]) == (SCHEMA_VERSION, [later])
    assert store.migrate(steps, current=later) == (later, [])
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT backend FROM migrated_marker")).scalars().all() == [
            store.backend
        ]
    # This code reads only SCHEMA_VERSION: the migrated ledger is now "newer".
    store.close()
    with pytest.raises(SchemaTooNew):
        open_store(store.url)


def test_a_failed_migration_leaves_the_version_as_it_was(store: SqlEventStore) -> None:
    def broken(conn: Connection, backend: str) -> None:
        conn.execute(text("CREATE TABLE half_done (x INTEGER)"))
        raise RuntimeError("disk full, say")

    later = SCHEMA_VERSION + 1
    with pytest.raises(RuntimeError, match="disk full"):
        store.migrate((Migration(later, "broken", broken),), current=later)
    store.close()
    reopened = open_store(store.url)  # still this version's schema: opens
    with reopened.engine.connect() as conn:
        assert not inspect(conn).has_table("half_done")
    reopened.close()
