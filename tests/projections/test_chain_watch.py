"""The console's verify: in full once, then only the rows appended since, and in full again
when the row it ended on changed, when a day has passed, or when asked."""

from datetime import UTC, date, datetime, timedelta

import pytest

from cli.example import load_example
from events.cycle import CycleReopened
from ledger.records import NewEvent
from ledger.store import SqlEventStore
from projections.chain_watch import ChainWatch
from tests.ledger.builders import SettableClock, execute_as_intruder, remove_protection

CYCLE = "cciaa-so/2020"
NOON = datetime(2026, 12, 2, 11, 0, tzinfo=UTC)


@pytest.fixture
def reference(store: SqlEventStore) -> SqlEventStore:
    load_example(store, "sondrio-2020")
    return store


def reopen(store: SqlEventStore, count: int = 1) -> None:
    new = [
        NewEvent(CycleReopened(reason=f"r{n}"), date(2021, 7, 1), "amministratore", "administrator")
        for n in range(count)
    ]
    store.append(CYCLE, new, expected_version=store.stream_version(CYCLE))


def edit_in_place(store: SqlEventStore, seq: int, **columns: str | bytes) -> None:
    remove_protection(store)
    sets = ", ".join(f"{name} = :{name}" for name in columns)
    execute_as_intruder(
        store, f"UPDATE events SET {sets} WHERE seq = :seq", {**columns, "seq": seq}
    )


def test_a_grown_ledger_is_verified_from_where_the_last_check_ended(
    reference: SqlEventStore,
) -> None:
    watch = ChainWatch(reference, SettableClock(NOON))
    first = watch.check()
    assert (first.full, first.verdict.ok, first.verdict.head.seq) == (True, True, 180)
    assert watch.check() is first  # nothing appended: nothing read again
    reopen(reference, 3)
    second = watch.check()
    assert (second.full, second.since, second.verdict.head.seq) == (False, 180, 183)
    assert second.verdict.checked == 183 and second.verdict.ok
    assert second.full_at == first.at
    # The tree went on growing: the same root as a full verify of the 183 rows.
    assert second.verdict.head_digest == watch.check(full=True).verdict.head_digest


def test_a_rehashed_row_where_the_last_check_ended_makes_the_next_check_full(
    reference: SqlEventStore,
) -> None:
    watch = ChainWatch(reference, SettableClock(NOON))
    watch.check()
    edit_in_place(reference, 180, payload='{"note":"riscritto"}', hash=bytes([1]) * 32)
    found = watch.check()
    assert found.full
    assert found.verdict.broken_seq == 180


def test_a_ledger_cut_short_below_what_was_verified_is_named(reference: SqlEventStore) -> None:
    watch = ChainWatch(reference, SettableClock(NOON))
    watch.check()
    remove_protection(reference)
    execute_as_intruder(reference, "DELETE FROM events WHERE seq > 170")
    found = watch.check()
    assert found.full and found.verdict.broken_seq == 171
    assert "cut short" in (found.verdict.reason or "")


def test_an_older_row_edited_in_place_waits_for_the_daily_full_verify(
    reference: SqlEventStore,
) -> None:
    clock = SettableClock(NOON)
    watch = ChainWatch(reference, clock)
    watch.check()
    edit_in_place(reference, 100, payload='{"note":"riscritto"}')
    reopen(reference)
    clock.advance(hours=23)
    missed = watch.check()
    assert (missed.full, missed.verdict.ok) == (False, True)
    clock.advance(hours=1)
    found = watch.check()
    assert found.full and found.verdict.broken_seq == 100
    assert found.full_at == NOON + timedelta(hours=24)


def test_a_break_stands_until_the_ledger_grows(reference: SqlEventStore) -> None:
    watch = ChainWatch(reference, SettableClock(NOON))
    watch.check()
    reopen(reference, 2)
    edit_in_place(reference, 182, payload='{"reason":"riscritto"}')
    broken = watch.check()
    assert (broken.full, broken.verdict.broken_seq) == (False, 182)
    assert watch.check() is broken
    reopen(reference)
    again = watch.check()
    assert again.full and again.verdict.broken_seq == 182
