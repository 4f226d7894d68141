"""Tampering with the stored rows: the database refuses it, and `ledger verify` names it.

The first tests prove that the database itself refuses UPDATE, DELETE (and TRUNCATE) on
`events`. The rest play an intruder who has switched that protection off and edits the rows
with raw SQL: the real `ledger verify` command must then name the exact seq that no longer
follows, and a published digest must catch what a self-consistent rewrite hides.
"""

from collections.abc import Iterator
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy.exc import DBAPIError

from ledger.connect import open_store
from ledger.records import StoredRow
from ledger.store import SqlEventStore
from ledger.verify import recompute_hash
from tests.ledger.builders import (
    OTHER_STREAM,
    STREAM,
    SettableClock,
    execute_as_intruder,
    recorded,
    remove_protection,
    reopened,
    run_ledger,
    sondrio_opened,
)

EVENTS = 6


@pytest.fixture
def ledger(db_url: str) -> Iterator[SqlEventStore]:
    """Six events in two streams, appended one by one a minute apart."""
    clock = SettableClock()
    store = open_store(db_url, create=True, clock=clock)
    try:
        store.append(
            STREAM, [recorded(sondrio_opened(), effective=date(2020, 1, 31))], expected_version=0
        )
        for number in range(2, EVENTS + 1):
            clock.advance(minutes=1)
            stream = STREAM if number % 2 else OTHER_STREAM
            version = store.stream_version(stream)
            store.append(stream, [reopened(f"event {number}")], expected_version=version)
        yield store
    finally:
        store.close()


def stored(store: SqlEventStore) -> list[StoredRow]:
    return list(store.read_rows())


def verify_fails_at(url: str, seq: int, reason: str, *options: str) -> None:
    result = run_ledger(url, "verify", *options)
    assert result.exit_code == 1, result.output
    assert result.stderr == f"Error: chain broken at seq {seq}: {reason}\n"
    # The intruder switched the protection off first: verify says so, naming the triggers.
    assert result.stdout.startswith("append-only protection NOT in force: trigger events_refuse_")
    assert result.stdout.count("\n") == 1


def verify_passes(url: str, checked: int, *options: str) -> str:
    result = run_ledger(url, "verify", *options)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"ok: {checked} events checked, head seq {checked} sha256 ")
    return result.stdout


def published_digest(url: str) -> str:
    result = run_ledger(url, "digest")
    assert result.exit_code == 0, result.output
    return result.stdout.strip()


# -- the database refuses -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "statement",
    [
        'UPDATE events SET payload = \'{"reason":"forged"}\' WHERE seq = 2',
        "UPDATE events SET actor = 'someone else'",
        "UPDATE events SET seq = seq + 100 WHERE seq = 6",
    ],
)
def test_update_is_refused_by_the_database(ledger: SqlEventStore, statement: str) -> None:
    before = stored(ledger)

    with pytest.raises(DBAPIError, match="append-only: UPDATE on events is refused"):
        execute_as_intruder(ledger, statement)

    assert stored(ledger) == before


@pytest.mark.parametrize("statement", ["DELETE FROM events WHERE seq = 3", "DELETE FROM events"])
def test_delete_is_refused_by_the_database(ledger: SqlEventStore, statement: str) -> None:
    before = stored(ledger)

    with pytest.raises(DBAPIError, match="append-only: DELETE on events is refused"):
        execute_as_intruder(ledger, statement)

    assert stored(ledger) == before


def test_truncate_is_refused_by_the_database(ledger: SqlEventStore, backend: str) -> None:
    if backend == "sqlite":
        pytest.skip("SQLite has no TRUNCATE; its DELETE without WHERE is tested above")
    before = stored(ledger)

    with pytest.raises(DBAPIError, match="append-only: TRUNCATE on events is refused"):
        execute_as_intruder(ledger, "TRUNCATE events")

    assert stored(ledger) == before


COLUMNS = (
    "seq, event_id, stream, version, type, schema_version, effective_date, recorded_at, "
    "actor, role, payload, prev_hash, hash, idempotency_key, signature"
)
FORGED_COPY = (
    "seq, event_id, stream, version, type, schema_version, effective_date, recorded_at, "
    'actor, role, \'{"reason":"forged"}\', prev_hash, hash, idempotency_key, signature'
)


def test_replacing_a_row_by_insert_is_refused_by_the_database(
    ledger: SqlEventStore, backend: str
) -> None:
    # An insert that collides with a stored row and resolves the conflict by overwriting it
    # is an UPDATE or a DELETE in disguise. SQLite's REPLACE deletes the old row without firing
    # DELETE triggers (unless recursive_triggers is on): https://www.sqlite.org/lang_conflict.html
    before = stored(ledger)
    if backend == "sqlite":
        statement = (
            f"INSERT OR REPLACE INTO events ({COLUMNS}) "
            f"SELECT {FORGED_COPY} FROM events WHERE seq = 2"
        )
    else:
        statement = (
            f"INSERT INTO events ({COLUMNS}) SELECT {FORGED_COPY} FROM events "
            "WHERE seq = 2 ON CONFLICT (seq) DO UPDATE SET payload = EXCLUDED.payload"
        )

    with pytest.raises(DBAPIError, match="append-only"):
        execute_as_intruder(ledger, statement)

    assert stored(ledger) == before


@pytest.mark.parametrize("collides_on", ["seq", "event_id", "stream_version", "idempotency_key"])
def test_an_insert_replacing_a_row_on_one_unique_value_is_refused(
    ledger: SqlEventStore, backend: str, collides_on: str
) -> None:
    # REPLACE deletes whichever stored row holds the seq, the event id, the stream's version
    # or the idempotency key of the new one: each alone is enough to lose a row.
    if backend != "sqlite":
        pytest.skip("PostgreSQL has no INSERT OR REPLACE; its ON CONFLICT DO UPDATE is above")
    [target] = ledger.append(STREAM, [reopened("imported", key="import#1")], expected_version=3)
    before = stored(ledger)
    forged = {
        "seq": target.seq + 1,
        "event_id": "00000000-0000-4000-8000-000000000099",
        "stream": target.stream,
        "version": 99,
        "idempotency_key": "import#2",
    }
    if collides_on == "stream_version":
        forged["version"] = target.version
    else:
        forged[collides_on] = getattr(target, collides_on)
    statement = (
        f"INSERT OR REPLACE INTO events ({COLUMNS}) SELECT :seq, :event_id, :stream, "
        ":version, type, schema_version, effective_date, recorded_at, actor, role, "
        '\'{"reason":"forged"}\', prev_hash, hash, :idempotency_key, signature '
        "FROM events WHERE seq = 2"
    )

    with pytest.raises(DBAPIError, match="append-only"):
        execute_as_intruder(ledger, statement, forged)

    assert stored(ledger) == before


# -- with the protection removed, verify names the seq --------------------------------------------


def test_an_untouched_ledger_verifies(ledger: SqlEventStore) -> None:
    verify_passes(ledger.url, EVENTS)


@pytest.mark.parametrize("seq", [1, 4, EVENTS])
def test_an_edited_payload_is_named_by_verify(ledger: SqlEventStore, seq: int) -> None:
    remove_protection(ledger)
    execute_as_intruder(
        ledger,
        "UPDATE events SET payload = :forged WHERE seq = :seq",
        {"forged": '{"reason":"forged"}', "seq": seq},
    )

    verify_fails_at(ledger.url, seq, "its stored hash does not match its content")


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("effective_date", "2019-12-31"),  # back-dating an act
        ("recorded_at", "2021-04-30T09:15:02.123457Z"),
        ("actor", "oiv@cciaa-so"),
        ("role", "oiv"),
        ("stream", "cciaa-so/2021"),
        ("type", "CycleClosed"),
        ("idempotency_key", "xlsx:99"),
        ("event_id", "00000000-0000-4000-8000-000000000099"),
    ],
)
def test_an_edited_envelope_field_is_named_by_verify(
    ledger: SqlEventStore, column: str, value: str
) -> None:
    remove_protection(ledger)
    execute_as_intruder(
        ledger, f"UPDATE events SET {column} = :value WHERE seq = 3", {"value": value}
    )

    verify_fails_at(ledger.url, 3, "its stored hash does not match its content")


def test_an_edited_stored_hash_is_named_by_verify(ledger: SqlEventStore) -> None:
    remove_protection(ledger)
    execute_as_intruder(
        ledger, "UPDATE events SET hash = :forged WHERE seq = 5", {"forged": bytes(32)}
    )

    verify_fails_at(ledger.url, 5, "its stored hash does not match its content")


def test_a_deleted_middle_event_is_named_by_verify(ledger: SqlEventStore) -> None:
    remove_protection(ledger)
    execute_as_intruder(ledger, "DELETE FROM events WHERE seq = 3")

    verify_fails_at(ledger.url, 3, "seq 3 is missing (next is 4)")


def test_a_swapped_pair_of_rows_is_named_by_verify(ledger: SqlEventStore) -> None:
    remove_protection(ledger)
    # Through a temporary value, as seq is the primary key.
    execute_as_intruder(ledger, "UPDATE events SET seq = -1 WHERE seq = 3")
    execute_as_intruder(ledger, "UPDATE events SET seq = 3 WHERE seq = 4")
    execute_as_intruder(ledger, "UPDATE events SET seq = 4 WHERE seq = -1")

    verify_fails_at(ledger.url, 3, "its prev_hash is not the hash of the previous row")


def test_swapped_payloads_of_two_rows_are_named_by_verify(ledger: SqlEventStore) -> None:
    rows = stored(ledger)
    remove_protection(ledger)
    for seq, other in ((4, 5), (5, 4)):
        execute_as_intruder(
            ledger,
            "UPDATE events SET payload = :payload WHERE seq = :seq",
            {"payload": rows[other - 1].payload, "seq": seq},
        )

    verify_fails_at(ledger.url, 4, "its stored hash does not match its content")


# -- what only a published digest catches --------------------------------------------------------


def test_a_cut_tail_passes_plain_verify_but_not_the_digest(ledger: SqlEventStore) -> None:
    line = published_digest(ledger.url)
    remove_protection(ledger)
    execute_as_intruder(ledger, "DELETE FROM events WHERE seq > 4")

    verify_passes(ledger.url, 4)
    verify_fails_at(
        ledger.url,
        5,
        f"the ledger ends at seq 4, before the digest's seq {EVENTS}: cut short",
        "--digest",
        line,
    )


def test_a_ledger_that_grew_after_the_digest_still_extends_it(ledger: SqlEventStore) -> None:
    line = published_digest(ledger.url)
    ledger.append(STREAM, [reopened("later")], expected_version=ledger.stream_version(STREAM))

    output = verify_passes(ledger.url, EVENTS + 1, "--digest", line)
    assert output.endswith(f"; extends digest seq {EVENTS}\n")


def rewrite_from(store: SqlEventStore, seq: int, payload: str) -> None:
    """Edit one payload, then recompute every later hash so that the chain holds again."""
    rows = stored(store)
    remove_protection(store)
    prev = rows[seq - 2].hash if seq > 1 else bytes(32)
    for row in rows[seq - 1 :]:
        edited = row.payload if row.seq != seq else payload
        new = replace(row, payload=edited, prev_hash=prev)
        new_hash = recompute_hash(new, prev.hex())
        execute_as_intruder(
            store,
            "UPDATE events SET payload = :payload, prev_hash = :prev, hash = :hash "
            "WHERE seq = :seq",
            {"payload": edited, "prev": prev, "hash": new_hash, "seq": row.seq},
        )
        prev = new_hash


def test_a_rewritten_and_rehashed_history_is_caught_by_the_digest(ledger: SqlEventStore) -> None:
    line = published_digest(ledger.url)
    rewrite_from(ledger, 2, '{"reason":"a different story"}')

    verify_passes(ledger.url, EVENTS)  # self-consistent: only the digest can tell
    verify_fails_at(
        ledger.url,
        EVENTS,
        "the ledger no longer extends the digest: hash differs",
        "--digest",
        line,
    )


def test_a_rewrite_before_an_older_digest_is_named_at_that_digest(db_url: str) -> None:
    clock = SettableClock()
    store = open_store(db_url, create=True, clock=clock)
    try:
        store.append(STREAM, [reopened("1"), reopened("2"), reopened("3")], expected_version=0)
        line = published_digest(db_url)
        store.append(STREAM, [reopened("4"), reopened("5")], expected_version=3)
        rewrite_from(store, 2, '{"reason":"2, as we now prefer it"}')
    finally:
        store.close()

    verify_passes(db_url, 5)
    verify_fails_at(
        db_url, 3, "the ledger no longer extends the digest: hash differs", "--digest", line
    )
