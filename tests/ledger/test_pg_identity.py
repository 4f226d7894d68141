"""On PostgreSQL the database records who writes: two people log in as two database roles,
and the second cannot record an act in the first one's name, whatever the client sends.

The roles are created by the test and dropped after it (they are the server's, not the
schema's); the SQLite ledger says plainly that it cannot tell who writes.
"""

import uuid
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import create_engine, make_url, text

from events.cycle import CycleReopened
from ledger.connect import open_store
from ledger.errors import InvalidAppend
from ledger.postgresql import PostgresEventStore
from ledger.records import NewEvent
from tests.conftest import pg_server_url
from tests.ledger.builders import STREAM, recorded, sondrio_opened
from tests.review.cycles import run


@pytest.fixture
def two_people(pg_schema_url: str) -> Iterator[tuple[str, str]]:
    """The URLs of two database roles, mapped to the actors `controller-1` and `oiv-1`."""
    suffix = uuid.uuid4().hex[:8]
    roles = (f"ledger_ctrl_{suffix}", f"ledger_oiv_{suffix}")
    store = open_store(pg_schema_url, create=True)
    assert isinstance(store, PostgresEventStore)
    try:
        store.append(STREAM, [recorded(sondrio_opened(), actor="controller-1")], expected_version=0)
        assert run(pg_schema_url, "actors", "db-role", roles[0], "controller-1").exit_code == 0
        store.map_role(roles[1], "oiv-1")
    finally:
        store.close()
    urls = tuple(
        make_url(pg_schema_url).set(username=role).render_as_string(hide_password=False)
        for role in roles
    )
    try:
        yield urls[0], urls[1]
    finally:
        admin = create_engine(pg_server_url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            for role in roles:
                conn.execute(text(f"DROP OWNED BY {role}"))
                conn.execute(text(f"DROP ROLE {role}"))
        admin.dispose()


def reopen(url: str, actor: str) -> int:
    store = open_store(url)
    try:
        [entry] = store.append(
            STREAM,
            [NewEvent(CycleReopened(reason="prova"), date(2021, 7, 1), actor, "controller")],
            expected_version=store.stream_version(STREAM),
        )
        return entry.seq
    finally:
        store.close()


@pytest.mark.postgres
def test_the_second_role_cannot_record_an_act_as_the_first(two_people: tuple[str, str]) -> None:
    controller, oiv = two_people
    assert reopen(controller, "controller-1") == 2
    with pytest.raises(InvalidAppend) as refused:
        reopen(oiv, "controller-1")
    role = make_url(oiv).username
    assert str(refused.value) == (
        f"the database role {role} records as 'oiv-1', not as 'controller-1'; nothing was written"
    )
    result = run(oiv, "--actor", "controller-1", "--role", "controller", "record", "measurement",
                 "1.1.1", "95")  # fmt: skip
    assert result.exit_code == 1
    store = open_store(controller)
    try:
        assert store.count() == 2
        assert [row.actor for row in store.read_rows()] == ["controller-1", "controller-1"]
    finally:
        store.close()


@pytest.mark.postgres
def test_a_bulk_append_with_one_act_in_another_name_is_refused_whole(
    two_people: tuple[str, str],
) -> None:
    # 120 events go in with COPY: the check sees every row of the statement, the 61st too.
    controller, _ = two_people
    acts = [
        NewEvent(CycleReopened(reason=f"r{n}"), date(2021, 7, 1), "controller-1", "controller")
        for n in range(120)
    ]
    acts[60] = NewEvent(CycleReopened(reason="r60"), date(2021, 7, 1), "oiv-1", "oiv")
    store = open_store(controller)
    try:
        with pytest.raises(InvalidAppend) as refused:
            store.append(STREAM, acts, expected_version=1)
        role = make_url(controller).username
        assert str(refused.value) == (
            f"the database role {role} records as 'controller-1', not as 'oiv-1'; "
            "nothing was written"
        )
        assert store.count() == 1
        acts[60] = NewEvent(CycleReopened(reason="r60"), date(2021, 7, 1), "controller-1", "oiv")
        assert len(store.append(STREAM, acts, expected_version=1)) == 120
    finally:
        store.close()


@pytest.mark.postgres
def test_a_role_cannot_switch_the_check_off_nor_edit_the_mapping(
    two_people: tuple[str, str],
) -> None:
    _, oiv = two_people
    engine = create_engine(oiv)
    try:
        for statement in (
            "ALTER TABLE events DISABLE TRIGGER events_record_session_actor",
            "UPDATE ledger_db_roles SET actor = 'controller-1'",
            "CREATE TEMP TABLE ledger_db_roles (db_role text, actor text)",
        ):
            with engine.connect() as conn:
                try:
                    conn.execute(text(statement))
                    conn.commit()
                except Exception:
                    conn.rollback()
                    continue
            # Only the temporary table can be made; the trigger does not read it.
            assert statement.startswith("CREATE TEMP")
    finally:
        engine.dispose()
    with pytest.raises(InvalidAppend):
        reopen(oiv, "controller-1")


@pytest.mark.postgres
def test_verify_reports_the_identity_trigger_when_dropped(pg_schema_url: str) -> None:
    store = open_store(pg_schema_url, create=True)
    try:
        with store.engine.begin() as conn:
            conn.execute(text("DROP TRIGGER events_record_session_actor ON events"))
        assert store.protection_missing() == ["trigger events_record_session_actor"]
    finally:
        store.close()


def test_on_sqlite_actors_list_says_any_writer_can_claim_any_name(tmp_path: object) -> None:
    url = f"sqlite:///{tmp_path}/ledger.db"
    store = open_store(url, create=True)
    try:
        store.append(STREAM, [recorded(sondrio_opened())], expected_version=0)
    finally:
        store.close()
    run(url, "--actor", "admin", "actors", "register", "admin", "--as", "administrator")
    listed = run(url, "actors", "list").stdout.splitlines()
    assert listed[-1] == (
        "identity: on SQLite anyone who can write the file can claim any name; only signed "
        "acts prove who recorded them (ledger keys register, then ledger keys require)"
    )
    result = run(url, "actors", "db-role", "someone", "admin")
    assert result.exit_code == 2
