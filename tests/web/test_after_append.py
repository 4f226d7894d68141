"""The console while the ledger grows: what a page keeps is never older than the request.

These tests append to the ledger behind a running console (the module has its own; those
that break its chain have one each), so they live apart from the pages' tests, which read
the reference case as it is.
"""

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from events.cycle import CycleReopened
from ledger.connect import open_store
from ledger.records import NewEvent
from tests.conftest import BACKENDS, pg_server_url
from tests.ledger.builders import execute_as_intruder, remove_protection
from tests.web.conftest import REFERENCE, reference_ledger
from web.app import ConsoleConfig, create_app

AS_OF = "as_of=2021-07-01"


def append_reopening(owner_url: str, reason: str, count: int = 1) -> int:
    """Append `count` CycleReopened to the reference cycle as its owner would; the last seq."""
    store = open_store(owner_url)
    try:
        version = store.stream_version("cciaa-so/2020")
        new = [
            NewEvent(
                CycleReopened(reason=f"{reason} {n}"),
                date(2021, 7, 1),
                "amministratore",
                "administrator",
            )
            for n in range(1, count + 1)
        ]
        return store.append("cciaa-so/2020", new, expected_version=version)[-1].seq
    finally:
        store.close()


def trail_seqs(page: str) -> list[int]:
    return [int(s) for s in re.findall(r'<th scope="row"><a href="[^"]*events/(\d+)\?', page)]


def test_a_page_asked_after_an_append_shows_the_new_event(
    served: tuple[str, str], console: TestClient
) -> None:
    reopened = f"{REFERENCE}/trail?{AS_OF}&type=CycleReopened"
    before = trail_seqs(console.get(reopened).text)
    assert trail_seqs(console.get(reopened).text) == before  # now kept for this version
    seq = append_reopening(served[0], "riapertura per una correzione")
    assert trail_seqs(console.get(reopened).text) == [*before, seq]


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


@pytest.fixture(params=BACKENDS)
def own(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, TestClient]]:
    """(owner's URL, a console) over a ledger of its own: these tests break its chain."""
    with reference_ledger(request.param, tmp_path) as (owner, reader):
        app = create_app(ConsoleConfig(db=reader))
        with TestClient(app, follow_redirects=False) as client:
            yield owner, client


def verify_line(page: str) -> str:
    """The page's sentence on what the last check read, on one line."""
    found = re.search(r"<p>(Chain verified[^<]*|Checked at[^<]*)</p>", page)
    assert found, page
    return " ".join(found.group(1).split())


def tamper(owner_url: str, seq: int) -> None:
    """What an intruder with the database's keys does: edit a row's payload in place."""
    store = open_store(owner_url)
    try:
        remove_protection(store)
        execute_as_intruder(
            store, "UPDATE events SET payload = :payload WHERE seq = :seq",
            {"payload": '{"reason":"riscritto"}', "seq": seq},
        )  # fmt: skip
    finally:
        store.close()


def test_after_an_append_the_integrity_page_verifies_the_new_rows_only(
    own: tuple[str, TestClient],
) -> None:
    owner, console = own
    first = console.get(f"{REFERENCE}/integrity?{AS_OF}").text
    assert "The chain holds: 180 events checked" in first
    assert "Chain verified up to seq 180 by a full verify (every event from seq 1) at" in (
        verify_line(first)
    )
    append_reopening(owner, "riapertura", count=2)
    after = console.get(f"{REFERENCE}/integrity?{AS_OF}").text
    assert "The chain holds: 182 events checked" in after
    line = verify_line(after)
    assert line.startswith("Chain verified up to seq 182: the events after seq 180 checked at")
    assert "last full verify (every event from seq 1) at" in line
    assert "ledger-digest/2 seq=182 " in after
    data = console.get(f"/api{REFERENCE}/integrity?{AS_OF}").json()
    assert (data["ok"], data["verified_to"], data["full"], data["since"]) == (True, 182, False, 180)


def test_a_row_tampered_after_the_last_check_is_named_by_the_next_one(
    own: tuple[str, TestClient],
) -> None:
    owner, console = own
    assert "The chain holds" in console.get(f"{REFERENCE}/integrity?{AS_OF}").text
    append_reopening(owner, "riapertura", count=3)
    tamper(owner, 182)
    page = console.get(f"{REFERENCE}/integrity?{AS_OF}").text
    assert "The chain is broken at seq 182: its stored hash does not match its content" in page
    assert "The chain holds" not in page


def test_an_older_row_edited_in_place_is_found_by_the_full_verify_asked_for(
    own: tuple[str, TestClient],
) -> None:
    """The limit the page states: a check after an append reads only the new rows, so a row
    it verified before, edited with its stored hash left alone, waits for a full verify."""
    owner, console = own
    assert "The chain holds" in console.get(f"{REFERENCE}/integrity?{AS_OF}").text
    tamper(owner, 100)
    append_reopening(owner, "riapertura")
    page = console.get(f"{REFERENCE}/integrity?{AS_OF}").text
    assert "the events after seq 180 checked" in verify_line(page)
    link = f"{REFERENCE}/integrity?{AS_OF}&amp;full=1"
    assert f'<a href="{link}">verify the whole chain now</a>' in page
    answer = console.get(link.replace("&amp;", "&"))
    assert (answer.status_code, answer.headers["location"]) == (
        303,
        f"{REFERENCE}/integrity?{AS_OF}",
    )
    page = console.get(answer.headers["location"]).text
    assert "The chain is broken at seq 100: its stored hash does not match its content" in page
    assert verify_line(page).startswith("Checked at")
