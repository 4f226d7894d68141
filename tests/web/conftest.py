"""Fixtures of the console's tests: the reference case on both backends, served read-only.

On PostgreSQL the console connects as a role made by `ledger init --reader-role`, dropped
with its schema after the module.
"""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from cli.example import load_example
from ledger.connect import open_store
from ledger.postgresql import PostgresEventStore, grant_reader
from tests.conftest import BACKENDS, pg_server_url, require_postgres
from web.app import ConsoleConfig, create_app


@contextmanager
def reference_ledger(backend: str, folder: Path) -> Iterator[tuple[str, str]]:
    """(owner's URL, the console's URL) of a new ledger holding the reference case."""
    if backend == "sqlite":
        url = f"sqlite:///{folder / 'ledger.db'}"
        store = open_store(url, create=True)
        load_example(store, "sondrio-2020")
        store.close()
        yield url, url
        return
    require_postgres()
    suffix = uuid.uuid4().hex[:12]
    schema, role = f"ledger_console_{suffix}", f"ledger_reader_{suffix}"
    admin = create_engine(pg_server_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in pg_server_url() else "?"
    options = f"{separator}options={quote(f'-csearch_path={schema}')}"
    url = f"{pg_server_url()}{options}"
    store = open_store(url, create=True)
    try:
        load_example(store, "sondrio-2020")
        assert isinstance(store, PostgresEventStore)
        grant_reader(store, role)
    finally:
        store.close()
    reader = make_url(pg_server_url()).set(username=role, password=None)
    try:
        yield url, f"{reader.render_as_string(hide_password=False)}{options}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            conn.execute(text(f"DROP OWNED BY {role}"))
            conn.execute(text(f"DROP ROLE {role}"))
        admin.dispose()


@pytest.fixture(scope="module", params=BACKENDS)
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    """(owner's URL, the console's URL) of a ledger holding the reference case."""
    with reference_ledger(request.param, Path(tmp_path_factory.mktemp("console"))) as urls:
        yield urls


@pytest.fixture(scope="module")
def console(served: tuple[str, str]) -> Iterator[TestClient]:
    """The console over the reference case, open (as on a loopback address)."""
    app = create_app(ConsoleConfig(db=served[1]))
    with TestClient(app, follow_redirects=False) as client:
        yield client


REFERENCE = "/cycles/cciaa-so/2020"
