"""Read-only below the code: the database itself refuses a write through the console."""

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from ledger.connect import open_reader, open_store
from ledger.errors import ReaderCanWrite
from ledger.postgresql import PostgresEventStore, grant_reader
from web.state import ConsoleState

INSERT = (
    "INSERT INTO events (seq, event_id, stream, version, type, schema_version, effective_date, "
    "recorded_at, actor, role, payload, prev_hash, hash) VALUES (999, "
    "'00000000-0000-4000-8000-000000000999', 'x/1', 1, 'CycleClosed', 1, '2021-01-01', "
    "'2021-01-01T00:00:00.000000Z', 'intruso', 'oiv', '{}', :h, :h)"
)


def _state(console: TestClient) -> ConsoleState:
    app = console.app
    assert isinstance(app, FastAPI)
    state: ConsoleState = app.state.console
    return state


def test_an_insert_through_the_consoles_own_connection_is_refused_by_the_database(
    console: TestClient,
) -> None:
    store = _state(console).store
    with store.engine.connect() as conn, pytest.raises(DBAPIError) as refused:
        conn.execute(text(INSERT), {"h": bytes(32)})
    said = str(refused.value.orig).lower()
    assert "readonly" in said or "read-only" in said or "permission denied" in said, said
    assert store.entry(seq=999) is None


def test_sqlite_stays_read_only_even_when_query_only_is_switched_off(
    console: TestClient, served: tuple[str, str]
) -> None:
    if not served[0].startswith("sqlite"):
        pytest.skip("SQLite's open mode")
    store = _state(console).store
    with store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA query_only = OFF")
        with pytest.raises(DBAPIError) as refused:
            conn.execute(text(INSERT), {"h": bytes(32)})
    assert "readonly database" in str(refused.value.orig)


def test_the_console_refuses_a_postgresql_role_that_may_write(served: tuple[str, str]) -> None:
    if served[0].startswith("sqlite"):
        pytest.skip("PostgreSQL roles")
    with pytest.raises(ReaderCanWrite) as refused:
        open_reader(served[0])
    assert "ledger init --reader-role NAME" in str(refused.value)


def test_the_reader_role_is_made_only_once(served: tuple[str, str]) -> None:
    """`ledger init --reader-role` twice is no error, and the role still may only read."""
    if served[0].startswith("sqlite"):
        pytest.skip("PostgreSQL roles")
    role = served[1].split("://", 1)[1].split("@", 1)[0]
    owner = open_store(served[0])
    assert isinstance(owner, PostgresEventStore)
    grant_reader(owner, role)
    owner.close()
    reader = open_reader(served[1])
    assert reader.head() is not None
    reader.close()
