"""Fixtures of the review tests: the reference case and two synthetic cycles, on both backends.

The reference case is loaded once per backend and module: the tests only read it.
"""

import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text

from cli.example import load_example
from ledger.connect import open_store
from ledger.store import SqlEventStore
from tests.conftest import BACKENDS, pg_server_url, require_postgres
from tests.review.cycles import neglected_cycle, reviewed_cycle
from tests.review.registered import generate_key, registered_cycle


@pytest.fixture(scope="module", params=BACKENDS)
def sondrio_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A database holding the reference case, as `ledger example sondrio-2020` records it."""
    if request.param == "sqlite":
        url = f"sqlite:///{Path(tmp_path_factory.mktemp('sondrio')) / 'ledger.db'}"
        with_schema = None
    else:
        require_postgres()
        with_schema = f"ledger_review_{uuid.uuid4().hex[:12]}"
        admin = create_engine(pg_server_url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{with_schema}"'))
        separator = "&" if "?" in pg_server_url() else "?"
        url = f"{pg_server_url()}{separator}options={quote(f'-csearch_path={with_schema}')}"
    store = open_store(url, create=True)
    load_example(store, "sondrio-2020")
    store.close()
    yield url
    if with_schema is not None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{with_schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def sondrio(sondrio_url: str) -> Iterator[SqlEventStore]:
    store = open_store(sondrio_url)
    yield store
    store.close()


@pytest.fixture
def reviewed(db_url: str) -> Iterator[SqlEventStore]:
    yield from reviewed_cycle(db_url)


@pytest.fixture
def neglected(db_url: str) -> Iterator[SqlEventStore]:
    yield from neglected_cycle(db_url)


@pytest.fixture
def registered(db_url: str) -> Iterator[SqlEventStore]:
    yield from registered_cycle(db_url)


@pytest.fixture
def oiv_key(tmp_path: Path) -> Path:
    return generate_key(tmp_path / "oiv.pem")
