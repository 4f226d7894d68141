"""Fixtures shared by every test: a real SQLite file and a real PostgreSQL schema per test.

PostgreSQL is the server at LEDGER_TEST_PG_URL (default: the machine's 127.0.0.1:5432, database
`test`). Each test gets a schema of its own, dropped afterwards, so no run depends on another.
When the server cannot be reached the PostgreSQL leg is skipped, except under CI=true, where it
fails: CI must prove both backends.
"""

import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import settings
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError
from typer.testing import CliRunner, Result

from events.i18n import set_language
from ledger.connect import open_store
from ledger.store import SqlEventStore

# Tests read messages in English (the catalog's source language) unless a test asks for
# Italian, the users' default: subprocesses inherit the variable, in-process commands the
# setting. Tests of the Italian wording choose it themselves (LEDGER_LANG=it).
os.environ["LEDGER_LANG"] = "en"
# Traces of internal errors (exit 70) go to a log of the test run, never the user's own.
os.environ.setdefault(
    "LEDGER_LOG", os.path.join(tempfile.gettempdir(), f"ledger-test-errors-{os.getpid()}.log")
)
set_language("en")


@pytest.fixture
def italian() -> Iterator[None]:
    """Messages in Italian, the users' default, for the test; English again after it."""
    set_language("it")
    try:
        yield
    finally:
        set_language("en")


# Hypothesis profiles (docs/bad-input.md, "Fuzzing"):
# - `ci`: derandomized, the same examples on every run, no example database kept between runs,
#   so a submission's CI never turns red by chance; a failing example found by fuzzing is kept
#   as an explicit @example in its test. Chosen under CI=true, or HYPOTHESIS_PROFILE=ci.
# - `fuzz`: random seeds and many more examples (tests/fuzz scale theirs with `examples()`),
#   run before stopping work: python -m tests.fuzz.run --minutes 20.
settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True)
settings.register_profile("fuzz", derandomize=False, deadline=None, print_blob=True)
_PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or (
    "ci" if os.environ.get("CI", "").lower() == "true" else None
)
if _PROFILE:
    settings.load_profile(_PROFILE)

# The promise of every command (docs/bad-input.md): exit 0, 1, 2 or 70, and never a traceback.
# Every invocation through typer's CliRunner in any test is held to it here, whatever the test
# itself asserts; the guard's own test is tests/badinput/test_guard.py.
ALLOWED_EXIT_CODES = (0, 1, 2, 70)
_unguarded_invoke = CliRunner.invoke


def guarded_invoke(self: CliRunner, *args: Any, **kwargs: Any) -> Result:
    """`CliRunner.invoke`, failing the test on a traceback, an escaped exception or an exit
    code outside ALLOWED_EXIT_CODES."""
    result = _unguarded_invoke(self, *args, **kwargs)
    printed = result.output + (result.stderr if result.stderr_bytes is not None else "")
    problems = []
    if "Traceback" in printed:
        problems.append("printed a traceback")
    if result.exit_code not in ALLOWED_EXIT_CODES:
        problems.append(f"exited {result.exit_code}")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        problems.append(f"let {result.exception!r} escape")
    if problems:
        pytest.fail(f"the command {' and '.join(problems)}:\n{printed}", pytrace=False)
    return result


CliRunner.invoke = guarded_invoke  # type: ignore[method-assign]

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
