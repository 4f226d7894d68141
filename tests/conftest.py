"""Fixtures shared by every test: a real SQLite file and a real PostgreSQL schema per test.

PostgreSQL is the server at LEDGER_TEST_PG_URL (default: the machine's 127.0.0.1:5432, database
`test`). Each test gets a schema of its own, dropped afterwards, so no run depends on another.
When the server cannot be reached the PostgreSQL leg is skipped, except under CI=true, where it
fails: CI must prove both backends.
"""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import settings
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from events.i18n import set_language
from ledger.connect import open_store
from ledger.store import SqlEventStore

# Tests read messages in English (the catalog's source language) unless a test asks for
# Italian, the users' default: subprocesses inherit the variable, in-process commands the
# setting. Tests of the Italian wording choose it themselves (LEDGER_LANG=it).
os.environ["LEDGER_LANG"] = "en"
set_language("en")

# Under CI every property test draws the same examples on every run (COMMON.md: hypothesis is
# deterministic under CI) and keeps no example database between runs.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI", "").lower() == "true":
    settings.load_profile("ci")

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def pg_server_url() -> str:
    return os.environ.get("LEDGER_TEST_PG_URL", DEFAULT_PG_URL)


_pg_checked: dict[str, str | None] = {}


def _pg_unavailable_reason() -> str | None:
    if "reason" not in _pg_checked:
        try:
            engine = create_engine(pg_server_url())
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            engine.dispose()
            _pg_checked["reason"] = None
        except OperationalError as error:
            _pg_checked["reason"] = str(error.orig).strip().splitlines()[0]
    return _pg_checked["reason"]


def require_postgres() -> None:
    """Skip without PostgreSQL, but fail under CI=true: CI must run both backends."""
    reason = _pg_unavailable_reason()
    if reason is not None:
        message = f"PostgreSQL at {pg_server_url()} is unreachable: {reason}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)


@contextmanager
def pg_schema() -> Iterator[str]:
    """A URL whose search_path is a fresh schema of its own, dropped on leaving."""
    require_postgres()
    schema = f"ledger_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_server_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in pg_server_url() else "?"
    try:
        yield f"{pg_server_url()}{separator}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def pg_schema_url() -> Iterator[str]:
    """A URL whose search_path is a fresh schema of its own, dropped after the test."""
    with pg_schema() as url:
        yield url


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def db_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A fresh, empty database URL on the backend under test (not yet initialised)."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'ledger.db'}"
    url: str = request.getfixturevalue("pg_schema_url")
    return url


@pytest.fixture
def store(db_url: str) -> Iterator[SqlEventStore]:
    """An initialised, empty ledger on the backend under test."""
    opened = open_store(db_url, create=True)
    yield opened
    opened.close()
