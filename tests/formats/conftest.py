"""Ledgers and files for the format tests, built through the users' own commands.

Every ledger here runs on SQLite and PostgreSQL (the `db_url` fixture). Files are written into
the test's own folder, which is the working directory, so that error lines name them as a
user would type them (`misure.csv:4`), and each test can assert those lines exactly.
"""

import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import openpyxl
import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from cli.app import app
from cli.example import EXAMPLES, load_example
from ledger.connect import open_store
from ledger.store import SqlEventStore
from tests.conftest import BACKENDS, pg_server_url, require_postgres

runner = CliRunner()
REFERENCE = "cciaa-so/2020"


def ledger(db: str, *args: str) -> tuple[int, str]:
    """Run `ledger --db DB ARGS...` as a user would; return the exit code and what it printed."""
    result = runner.invoke(app, ["--db", db, *args])
    assert "Traceback" not in result.output, result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def import_back(db: str, workbook: str, cycle: str) -> None:
    """Start `cycle` from the reference's exported workbook, as a controller would: its plan
    imported and approved, then its measurements (the reference: 87 plan events, 49 rows)."""
    code, out = ledger(db, "plan", "import", workbook, "--cycle", cycle, "--date", "27/01/2020")
    assert (code, out.startswith(f"recorded 87 events in {cycle}")) == (0, True), out
    approval = ("record", "approval", "plan", "--act", "delibera n. 5/GC", "--date", "27/01/2020")
    code, out = ledger(db, *approval, "--cycle", cycle)
    assert code == 0, out
    code, out = ledger(db, "record", "measurements", workbook, "--cycle", cycle)
    assert (code, out) == (0, f"recorded 49 of 49 rows of {workbook} in {cycle}\n")


def run_bytes(db: str, *args: str) -> bytes:
    """The bytes a successful command wrote to standard output."""
    result = runner.invoke(app, ["--db", db, *args])
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def count(db: str) -> int:
    store = open_store(db)
    try:
        return store.count()
    finally:
        store.close()


def lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.strip()]


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The test's folder as the working directory: files are named as a user names them."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def reference(store: SqlEventStore) -> SqlEventStore:
    """The whole Sondrio 2020 cycle, recorded as `ledger example sondrio-2020` records it."""
    load_example(store, "sondrio-2020")
    return store


@pytest.fixture
def reference_url(reference: SqlEventStore, db_url: str) -> str:
    return db_url


@contextmanager
def reference_database(backend: str, folder: Path) -> Iterator[str]:
    """A database of its own holding the reference cycle; a PostgreSQL schema is dropped after."""
    if backend == "sqlite":
        url = f"sqlite:///{folder / 'ledger.db'}"
        _load_reference(url)
        yield url
        return
    require_postgres()
    schema = f"ledger_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_server_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in pg_server_url() else "?"
    url = f"{pg_server_url()}{separator}options={quote(f'-csearch_path={schema}')}"
    try:
        _load_reference(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _load_reference(url: str) -> None:
    store = open_store(url, create=True)
    try:
        load_example(store, "sondrio-2020")
    finally:
        store.close()


@pytest.fixture(scope="session", params=BACKENDS)
def shared_reference(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The reference cycle, recorded once per backend, for tests that only read it."""
    with reference_database(request.param, tmp_path_factory.mktemp("reference")) as url:
        yield url


@pytest.fixture
def planned(db_url: str, here: Path) -> str:
    """A ledger whose only cycle has the reference plan approved and no measurement yet."""
    assert ledger(db_url, "init")[0] == 0
    plan = str(EXAMPLES / "sondrio-2020-plan.yaml")
    code, out = ledger(db_url, "plan", "import", plan, "--date", "27/01/2020")
    assert code == 0, out
    code, out = ledger(
        db_url, "record", "approval", "plan", "--act", "delibera n. 5/GC", "--date", "27/01/2020"
    )
    assert code == 0, out
    return db_url


def write_workbook(
    path: Path,
    sheets: dict[str, Sequence[Sequence[Any]]],
    merges: dict[str, Sequence[str]] | None = None,
    formats: dict[str, dict[str, str]] | None = None,
) -> Path:
    """A workbook as a person makes one: sheets of rows, some cells merged or formatted."""
    workbook = openpyxl.Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
        for cell, number_format in (formats or {}).get(name, {}).items():
            sheet[cell].number_format = number_format
        for merged in (merges or {}).get(name, ()):
            sheet.merge_cells(merged)
    workbook.save(path)
    return path
