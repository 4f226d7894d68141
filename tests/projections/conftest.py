"""Fixtures of the projections' property tests."""

from collections.abc import Iterator

import pytest

from ledger.connect import open_store
from ledger.store import SqlEventStore
from tests.conftest import BACKENDS, pg_schema


@pytest.fixture(scope="module", params=BACKENDS)
def shared_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SqlEventStore]:
    """One ledger for every example of a property (each example takes a stream of its own),
    on each backend."""
    if request.param == "sqlite":
        opened = open_store(f"sqlite:///{tmp_path_factory.mktemp('prop') / 'l.db'}", create=True)
        yield opened
        opened.close()
        return
    with pg_schema() as url:
        opened = open_store(url, create=True)
        yield opened
        opened.close()
