"""The fast read paths behave as the plain ones: `verify` over the store's rows as the
driver's tuples, its framing of repeated parts, and the decoded events kept by payload.

Every test runs on both backends (the `store` fixture) or on rows held in memory; what each
asserts is what a caller sees (a verdict, a row, an event), never how fast.
"""

from dataclasses import replace
from datetime import date

import pytest

import ledger.chain
import ledger.reads
import ledger.records
from events.cycle import CycleReopened
from events.errors import InvalidPayload
from ledger.records import StoredRow
from ledger.store import SqlEventStore
from ledger.verify import verify_rows
from tests.ledger.builders import (
    OTHER_STREAM,
    STREAM,
    execute_as_intruder,
    remove_protection,
    reopened,
)

REASON = "Riapertura, sentito l'OIV"


def fill(store: SqlEventStore, count: int) -> None:
    """`count` reopenings over two streams, in transactions of three, all of one reason."""
    versions = {STREAM: 0, OTHER_STREAM: 0}
    for start in range(0, count, 3):
        stream = STREAM if start % 2 == 0 else OTHER_STREAM
        size = min(3, count - start)
        batch = [reopened(REASON, effective=date(2021, 5, 1)) for _ in range(size)]
        store.append(stream, batch, expected_version=versions[stream])
        versions[stream] += size


def test_verify_over_the_store_checks_every_row_as_over_stored_rows(
    store: SqlEventStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # verify takes the store's rows as the driver's tuples; the same rows handed over as
    # `StoredRow`s (a list) must give the very same verdict, across batch boundaries.
    monkeypatch.setattr(ledger.reads, "READ_BATCH", 4)
    fill(store, 11)

    from_store = verify_rows(store.read_rows())
    from_rows = verify_rows(list(store.read_rows()))

    assert from_store.ok
    assert from_store == from_rows
    assert from_store.checked == 11


def test_rows_taken_one_by_one_then_as_values_are_not_skipped_nor_repeated(
    store: SqlEventStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ledger.reads, "READ_BATCH", 4)
    fill(store, 9)
    everything = list(store.read_rows())

    rows = store.read_rows()
    first, second = next(rows), next(rows)
    rest = [StoredRow(*values) for values in rows.values()]

    assert [first, second, *rest] == everything


def test_verify_names_a_changed_byte_whatever_the_frames_kept(
    store: SqlEventStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # verify keeps the frames of the parts that repeat (stream, type, dates, actor, role);
    # starting again empty on every row, or keeping them all, must not change a verdict.
    fill(store, 8)
    rows = list(store.read_rows())
    changed = [*rows[:5], replace(rows[5], actor=rows[5].actor + "x"), *rows[6:]]
    for kept in (1, 2, 4096):
        monkeypatch.setattr(ledger.chain, "FRAMES_KEPT", kept)

        assert verify_rows(store.read_rows()).ok
        verdict = verify_rows(changed)
        assert (verdict.broken_seq, verdict.checked) == (6, 5)
        assert verdict.reason == "its stored hash does not match its content"


def test_entries_of_one_payload_read_as_equal_events(
    store: SqlEventStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A payload read before is answered from the decoded events kept, with the cache kept
    # or dropped as `drop_unused_caches` decides: the events are the same either way.
    monkeypatch.setattr(ledger.reads, "READ_BATCH", 2)
    monkeypatch.setattr(ledger.records, "_readers", {})
    fill(store, 7)

    first = [entry.event for entry in store.read()]
    for name, (version, decode) in list(ledger.records._readers.items()):
        ledger.records._readers[name] = (version, getattr(decode, "__wrapped__", decode))
    second = [entry.event for entry in store.read()]

    assert first == second == [CycleReopened(reason=REASON)] * 7


def test_a_type_read_without_its_cache_still_reads_every_payload(
    store: SqlEventStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Payloads that never recur make the read drop the type's cache after a few misses
    # (here 2): the reads before, during and after that decision give every event as stored.
    monkeypatch.setattr(ledger.reads, "READ_BATCH", 2)
    monkeypatch.setattr(ledger.records, "MISSES_BEFORE_DROP", 2)
    monkeypatch.setattr(ledger.records, "_readers", {})
    reasons = [f"reason {number}" for number in range(9)]
    store.append(STREAM, [reopened(reason) for reason in reasons], expected_version=0)

    for _ in range(2):
        events = [entry.event for entry in store.read()]
        assert events == [CycleReopened(reason=reason) for reason in reasons]
    _version, decode = ledger.records._readers["CycleReopened"]
    assert not hasattr(decode, "cache_info")  # the read went on without the cache


def test_a_forged_payload_is_refused_at_each_read_and_the_others_still_read(
    store: SqlEventStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A row edited in the database (its payload no longer a CycleReopened) is refused by name
    # every time it is read (a refusal is never kept as a decoded event), and the rows of one
    # text around it still read, from the type's cache.
    monkeypatch.setattr(ledger.records, "_readers", {})
    fill(store, 6)
    remove_protection(store)
    execute_as_intruder(
        store, "UPDATE events SET payload = :forged WHERE seq = 3", {"forged": '{"note":1}'}
    )

    for _ in range(2):
        events = []
        for entry in store.read():
            if entry.seq == 3:
                with pytest.raises(InvalidPayload, match=r"^seq 3: "):
                    entry.event  # noqa: B018 - reading it is the act under test
            else:
                events.append(entry.event)
        assert events == [CycleReopened(reason=REASON)] * 5
    _version, decode = ledger.records._readers["CycleReopened"]
    assert decode.cache_info().hits >= 8  # type: ignore[attr-defined]
