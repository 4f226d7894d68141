"""The console while the ledger grows: what a page keeps is never older than the request.

These tests append to the ledger behind a running console (the module has its own), so they
live apart from the pages' tests, which read the reference case as it is.
"""

import re
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from events.cycle import CycleReopened
from ledger.connect import open_store
from ledger.records import NewEvent
from tests.conftest import pg_server_url
from tests.web.conftest import REFERENCE

AS_OF = "as_of=2021-07-01"


def append_reopening(owner_url: str, reason: str) -> int:
    """Append a CycleReopened to the reference cycle as its owner would; its seq."""
    store = open_store(owner_url)
    try:
        version = store.stream_version("cciaa-so/2020")
        new = NewEvent(CycleReopened(reason=reason), date(2021, 7, 1), "controller", "controller")
        [entry] = store.append("cciaa-so/2020", [new], expected_version=version)
        return entry.seq
    finally:
        store.close()


def trail_seqs(page: str) -> list[int]:
    return [int(s) for s in re.findall(r'<th scope="row"><a href="[^"]*events/(\d+)\?', page)]


def test_a_page_asked_after_an_append_shows_the_new_event(
    served: tuple[str, str], console: TestClient
) -> None:
    reopened = f"{REFERENCE}/trail?{AS_OF}&type=CycleReopened"
    assert trail_seqs(console.get(reopened).text) == []
    assert trail_seqs(console.get(reopened).text) == []  # now kept for this version
    seq = append_reopening(served[0], "riapertura per una correzione")
    assert trail_seqs(console.get(reopened).text) == [seq]


def test_the_console_answers_after_the_database_dropped_its_connections(
    served: tuple[str, str], console: TestClient
) -> None:
    """A PostgreSQL restart (here: every session of the console's role ended by the server)
    costs the next request nothing but a new connection."""
    if not served[0].startswith("postgresql"):
        pytest.skip("PostgreSQL sessions")
    assert console.get(f"{REFERENCE}/cruscotto?{AS_OF}").status_code == 200
    reader = make_url(served[1]).username
    admin = create_engine(pg_server_url(), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            ended = conn.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE usename = :role"
                ),
                {"role": reader},
            ).scalar()
    finally:
        admin.dispose()
    assert ended
    answer = console.get(f"{REFERENCE}/cruscotto?{AS_OF}")
    assert answer.status_code == 200
    assert "96,67 %" in answer.text
