"""The store's contract, run against every backend (the `store` / `db_url` fixtures).

Each test appends through the public API and asserts on what the database then holds.
"""

import copy
import gc
import pickle
import tracemalloc
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from itertools import pairwise
from pathlib import Path

import pytest

from events.base import LedgerEvent
from events.cycle import CycleClosed, CycleOpened, CycleReopened
from events.errors import LedgerError
from ledger.chain import GENESIS
from ledger.connect import open_store
from ledger.errors import (
    ConcurrencyConflict,
    IdempotencyConflict,
    InvalidAppend,
    LedgerNotInitialized,
)
from ledger.query import Query
from ledger.records import Entry, NewEvent, StoredRow
from ledger.store import SqlEventStore
from ledger.verify import verify_rows
from tests.ledger.builders import (
    OTHER_STREAM,
    STREAM,
    T0,
    SettableClock,
    fixed_id,
    recorded,
    reopened,
    sondrio_closed,
    sondrio_opened,
)

RECORDED_AT_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def rows(store: SqlEventStore) -> list[StoredRow]:
    return list(store.read_rows())


def reasons(entries: list[Entry]) -> list[str]:
    found: list[str] = []
    for entry in entries:
        event = entry.event
        assert isinstance(event, CycleReopened)
        found.append(event.reason)
    return found


def test_an_empty_ledger_has_no_head_no_streams_and_version_0(store: SqlEventStore) -> None:
    assert store.head() is None
    assert store.count() == 0
    assert store.streams() == []
    assert store.stream_version(STREAM) == 0
    assert rows(store) == []


def test_append_assigns_gapless_seq_across_streams(store: SqlEventStore) -> None:
    store.append(STREAM, [reopened("a1"), reopened("a2")], expected_version=0)
    store.append(OTHER_STREAM, [reopened("b1")], expected_version=0)
    store.append(STREAM, [reopened("a3")], expected_version=2)
    store.append(OTHER_STREAM, [reopened("b2"), reopened("b3")], expected_version=1)

    stored = rows(store)
    assert [row.seq for row in stored] == [1, 2, 3, 4, 5, 6]
    assert [row.stream for row in stored] == [
        STREAM,
        STREAM,
        OTHER_STREAM,
        STREAM,
        OTHER_STREAM,
        OTHER_STREAM,
    ]
    assert stored[0].prev_hash == GENESIS
    assert all(row.prev_hash == before.hash for before, row in pairwise(stored))
    assert verify_rows(stored).ok


def test_each_stream_numbers_its_own_versions_from_1(store: SqlEventStore) -> None:
    store.append(STREAM, [reopened("a1"), reopened("a2")], expected_version=0)
    store.append(OTHER_STREAM, [reopened("b1")], expected_version=0)
    store.append(STREAM, [reopened("a3")], expected_version=2)

    assert [e.version for e in store.read_stream(STREAM)] == [1, 2, 3]
    assert [e.version for e in store.read_stream(OTHER_STREAM)] == [1]
    assert store.stream_version(STREAM) == 3
    assert store.stream_version(OTHER_STREAM) == 1
    assert store.streams() == sorted([STREAM, OTHER_STREAM])


def test_append_answers_the_entries_it_stored(store: SqlEventStore) -> None:
    appended = store.append(STREAM, [reopened("a1"), reopened("a2")], expected_version=0)

    assert [entry.seq for entry in appended] == [1, 2]
    assert [store.entry(seq=entry.seq) for entry in appended] == appended
    assert store.head() == appended[-1]


@pytest.mark.parametrize("expected", [0, 1, 3])
def test_append_with_stale_expected_version_writes_nothing(
    store: SqlEventStore, expected: int
) -> None:
    store.append(STREAM, [reopened("a1"), reopened("a2")], expected_version=0)
    head_before = store.head()

    with pytest.raises(ConcurrencyConflict) as refused:
        store.append(STREAM, [reopened("late")], expected_version=expected)

    message = str(refused.value)
    assert f"stream {STREAM} is at version 2, not the expected {expected}" in message
    assert (refused.value.stream, refused.value.expected, refused.value.actual) == (
        STREAM,
        expected,
        2,
    )
    assert store.count() == 2
    assert store.head() == head_before
    assert store.stream_version(STREAM) == 2


def test_a_new_stream_must_be_expected_at_version_0(store: SqlEventStore) -> None:
    with pytest.raises(
        ConcurrencyConflict, match=f"stream {STREAM} is at version 0, not the expected 1"
    ):
        store.append(STREAM, [reopened("a1")], expected_version=1)
    assert store.count() == 0


def test_batch_with_a_repeated_idempotency_key_writes_nothing(store: SqlEventStore) -> None:
    store.append(STREAM, [reopened("before")], expected_version=0)
    batch = [reopened("ok"), reopened("first", key="imp-7"), reopened("second", key="imp-7")]

    with pytest.raises(InvalidAppend, match="idempotency key 'imp-7' repeats in one batch"):
        store.append(STREAM, batch, expected_version=1)

    assert store.count() == 1
    assert store.stream_version(STREAM) == 1


def test_batch_with_an_empty_idempotency_key_writes_nothing(store: SqlEventStore) -> None:
    batch = [reopened("ok", key="imp-1"), reopened("bad", key="")]

    with pytest.raises(InvalidAppend, match="idempotency key may not be empty"):
        store.append(STREAM, batch, expected_version=0)

    assert store.count() == 0


def test_batch_with_a_malformed_event_id_is_refused_and_writes_nothing(
    store: SqlEventStore,
) -> None:
    # An event id is the caller's input (an import may carry its own): a bad one is a refusal
    # that names it, like every other malformed append, not a bare ValueError.
    batch = [reopened("ok"), reopened("bad", event_id="not-a-uuid")]

    with pytest.raises(InvalidAppend, match="not-a-uuid"):
        store.append(STREAM, batch, expected_version=0)

    assert store.count() == 0


def test_an_event_id_already_recorded_is_refused_and_writes_nothing(
    store: SqlEventStore,
) -> None:
    store.append(STREAM, [reopened("first", event_id=fixed_id(1))], expected_version=0)
    head_before = store.head()

    with pytest.raises(LedgerError, match=fixed_id(1)):
        store.append(
            STREAM, [reopened("ok"), reopened("again", event_id=fixed_id(1))], expected_version=1
        )

    assert store.count() == 1
    assert store.head() == head_before


def test_a_key_repeated_across_the_batches_of_one_call_is_refused_and_writes_nothing(
    store: SqlEventStore,
) -> None:
    with pytest.raises(LedgerError, match="imp-7"):
        store.append_batches(
            [
                (STREAM, [reopened("a1", key="imp-7")], 0),
                (OTHER_STREAM, [reopened("b1", key="imp-7")], 0),
            ]
        )

    assert store.count() == 0


@pytest.mark.parametrize(
    "new",
    [
        pytest.param(reopened("a1", actor="controller\x00"), id="actor"),
        pytest.param(reopened("a1", key="xlsx:\x001"), id="idempotency-key"),
    ],
)
def test_a_nul_character_in_the_envelope_is_refused_alike_on_every_backend(
    store: SqlEventStore, new: NewEvent
) -> None:
    # PostgreSQL text cannot hold NUL and SQLite can: the store must refuse it before either
    # database sees it, or the same append succeeds on one backend and crashes on the other.
    with pytest.raises(InvalidAppend):
        store.append(STREAM, [new], expected_version=0)

    assert store.count() == 0


def test_batches_across_two_streams_are_all_or_nothing(store: SqlEventStore) -> None:
    store.append(OTHER_STREAM, [reopened("b1")], expected_version=0)

    with pytest.raises(ConcurrencyConflict, match=f"stream {OTHER_STREAM} is at version 1"):
        store.append_batches(
            [
                (STREAM, [reopened("a1"), reopened("a2")], 0),
                (OTHER_STREAM, [reopened("b2")], 0),  # stale: the stream is at version 1
            ]
        )

    assert store.count() == 1
    assert store.stream_version(STREAM) == 0
    assert store.streams() == [OTHER_STREAM]


def test_append_batches_chains_every_stream_in_one_transaction(store: SqlEventStore) -> None:
    [first, second, third] = store.append_batches(
        [
            (STREAM, [reopened("a1"), reopened("a2")], 0),
            (OTHER_STREAM, [reopened("b1")], 0),
            (STREAM, [reopened("a3")], 2),
        ]
    )

    assert [e.seq for e in [*first, *second, *third]] == [1, 2, 3, 4]
    assert [e.version for e in [*first, *second, *third]] == [1, 2, 1, 3]
    assert verify_rows(rows(store)).ok


def test_recorded_at_is_stamped_by_the_ledger_in_utc(db_url: str) -> None:
    rome = timezone(timedelta(hours=2))
    clock = SettableClock(datetime(2021, 4, 30, 11, 15, 2, 123456, tzinfo=rome))
    store = open_store(db_url, create=True, clock=clock)
    try:
        [entry] = store.append(STREAM, [reopened("a1")], expected_version=0)
        stored = store.entry(seq=1)
    finally:
        store.close()

    assert stored is not None
    assert stored.row.recorded_at == "2021-04-30T09:15:02.123456Z"
    assert stored.recorded_at == datetime(2021, 4, 30, 9, 15, 2, 123456, tzinfo=UTC)
    assert stored.recorded_at.utcoffset() == timedelta(0)
    assert entry == stored


def test_recorded_at_never_decreases_when_the_clock_goes_backwards(db_url: str) -> None:
    clock = SettableClock(T0)
    store = open_store(db_url, create=True, clock=clock)
    try:
        store.append(STREAM, [reopened("1")], expected_version=0)
        clock.advance(hours=-3)  # the server's clock is set back (NTP step, wrong time zone...)
        store.append(STREAM, [reopened("2")], expected_version=1)
        clock.advance(days=-400)
        store.append(STREAM, [reopened("3")], expected_version=2)
        clock.now = T0 + timedelta(seconds=5)
        store.append(STREAM, [reopened("4")], expected_version=3)
        stamps = [row.recorded_at for row in store.read_rows()]
    finally:
        store.close()

    times = [datetime.strptime(s, RECORDED_AT_FORMAT).replace(tzinfo=UTC) for s in stamps]
    assert times == sorted(times)
    assert times[0] == T0
    assert all(T0 <= moment < T0 + timedelta(seconds=1) for moment in times[1:3])
    assert times[3] == T0 + timedelta(seconds=5)


def test_a_clock_without_time_zone_is_refused_and_writes_nothing(db_url: str) -> None:
    store = open_store(db_url, create=True, clock=lambda: datetime(2021, 4, 30, 9, 0))  # noqa: DTZ001
    try:
        with pytest.raises(LedgerError, match="no time zone"):
            store.append(STREAM, [reopened("a1")], expected_version=0)
        assert store.count() == 0
    finally:
        store.close()


def test_same_idempotency_key_records_nothing_twice(store: SqlEventStore) -> None:
    [first] = store.append(STREAM, [reopened("import row 12", key="xlsx:12")], expected_version=0)

    [again] = store.append(STREAM, [reopened("import row 12", key="xlsx:12")], expected_version=1)

    assert store.count() == 1
    assert (again.seq, again.hash, again.event_id) == (first.seq, first.hash, first.event_id)
    assert again == first


def test_a_retry_with_a_stale_expected_version_answers_the_recorded_entries(
    store: SqlEventStore,
) -> None:
    batch = [reopened("row 1", key="xlsx:1"), reopened("row 2", key="xlsx:2")]
    first = store.append(STREAM, batch, expected_version=0)
    store.append(STREAM, [reopened("someone else")], expected_version=2)

    retry = [reopened("row 1", key="xlsx:1"), reopened("row 2", key="xlsx:2")]
    again = store.append(STREAM, retry, expected_version=0)

    assert again == first
    assert [(e.seq, e.hash) for e in again] == [(1, first[0].hash), (2, first[1].hash)]
    assert store.count() == 3


def test_a_rerun_with_new_rows_records_only_the_new_ones(store: SqlEventStore) -> None:
    batch = [reopened("row 1", key="xlsx:1"), reopened("row 2", key="xlsx:2")]
    first = store.append(STREAM, batch, expected_version=0)
    rerun = [reopened(f"row {n}", key=f"xlsx:{n}") for n in (1, 2, 3)]

    again = store.append(STREAM, rerun, expected_version=2)

    assert again[:2] == first
    assert (again[2].seq, again[2].version, again[2].idempotency_key) == (3, 3, "xlsx:3")
    assert again[2].prev_hash == first[1].hash
    assert store.count() == 3
    assert verify_rows(store.read_rows()).ok


def test_a_recorded_batch_beside_a_new_one_answers_both(store: SqlEventStore) -> None:
    [first] = store.append(STREAM, [reopened("row 1", key="xlsx:1")], expected_version=0)

    recorded_again, new = store.append_batches(
        [
            (STREAM, [reopened("row 1", key="xlsx:1")], 0),
            (OTHER_STREAM, [reopened("other row 1", key="other:1")], 0),
        ]
    )

    assert recorded_again == [first]
    assert [(e.seq, e.stream, e.version) for e in new] == [(2, OTHER_STREAM, 1)]
    assert store.count() == 2


def test_new_keys_with_a_stale_expected_version_are_refused_and_write_nothing(
    store: SqlEventStore,
) -> None:
    store.append(STREAM, [reopened("row 1", key="xlsx:1")], expected_version=0)

    with pytest.raises(ConcurrencyConflict):
        store.append(STREAM, [reopened("row 2", key="xlsx:2")], expected_version=0)

    assert store.count() == 1


@pytest.mark.parametrize(
    "retry",
    [
        pytest.param(reopened("row 1 edited", key="xlsx:1"), id="other-payload"),
        pytest.param(reopened("row 1", key="xlsx:1", effective=date(2021, 5, 2)), id="other-date"),
        pytest.param(recorded(CycleClosed(), key="xlsx:1"), id="other-type"),
    ],
)
def test_same_key_with_different_content_raises_idempotency_conflict(
    store: SqlEventStore, retry: NewEvent
) -> None:
    store.append(STREAM, [reopened("before")], expected_version=0)
    store.append(STREAM, [reopened("row 1", key="xlsx:1")], expected_version=1)
    head_before = store.head()

    with pytest.raises(IdempotencyConflict) as refused:
        store.append(STREAM, [retry], expected_version=2)

    assert "idempotency key 'xlsx:1' already recorded seq 2 with different content" in str(
        refused.value
    )
    assert (refused.value.key, refused.value.seq) == ("xlsx:1", 2)
    assert store.count() == 2
    assert store.head() == head_before


def test_same_key_in_another_stream_raises_idempotency_conflict(store: SqlEventStore) -> None:
    store.append(STREAM, [reopened("row 1", key="xlsx:1")], expected_version=0)

    with pytest.raises(IdempotencyConflict, match="'xlsx:1' already recorded seq 1"):
        store.append(OTHER_STREAM, [reopened("row 1", key="xlsx:1")], expected_version=0)

    assert store.streams() == [STREAM]


@pytest.fixture
def ledger(db_url: str) -> Iterator[SqlEventStore]:
    """Five events over two streams, recorded a day apart, effective on various dates."""
    clock = SettableClock(T0)
    store = open_store(db_url, create=True, clock=clock)
    try:
        for stream, new in [
            (STREAM, recorded(sondrio_opened(), effective=date(2020, 1, 31))),
            (STREAM, reopened("s-2", effective=date(2020, 6, 30))),
            (OTHER_STREAM, reopened("o-1", effective=date(2020, 3, 1))),
            (STREAM, reopened("s-3", effective=date(2019, 12, 31))),
            (STREAM, recorded(sondrio_closed(), effective=date(2021, 6, 30))),
        ]:
            store.append(stream, [new], expected_version=store.stream_version(stream))
            clock.advance(days=1)
        yield store
    finally:
        store.close()


def seqs(entries: Iterable[Entry]) -> list[int]:
    return [entry.seq for entry in entries]


def test_read_stream_returns_one_cycle_in_seq_order(ledger: SqlEventStore) -> None:
    entries = list(ledger.read_stream(STREAM))

    assert seqs(entries) == [1, 2, 4, 5]
    assert [type(entry.event) for entry in entries] == [
        CycleOpened,
        CycleReopened,
        CycleReopened,
        CycleClosed,
    ]
    assert entries[0].event == sondrio_opened()
    assert entries[3].event == sondrio_closed()
    assert reasons(list(ledger.read_stream(OTHER_STREAM))) == ["o-1"]


def test_read_as_of_keeps_what_was_effective_by_that_day(ledger: SqlEventStore) -> None:
    assert seqs(ledger.read(Query(as_of=date(2020, 3, 1)))) == [1, 3, 4]
    assert seqs(ledger.read_stream(STREAM, as_of=date(2020, 6, 30))) == [1, 2, 4]
    assert seqs(ledger.read(Query(as_of=date(2019, 12, 30)))) == []


def test_read_known_at_keeps_what_the_ledger_held_then(ledger: SqlEventStore) -> None:
    assert seqs(ledger.read(Query(known_at=T0))) == [1]
    assert seqs(ledger.read(Query(known_at=T0 + timedelta(days=2)))) == [1, 2, 3]
    assert seqs(ledger.read(Query(known_at=T0 + timedelta(days=2, microseconds=-1)))) == [1, 2]
    assert seqs(ledger.read_stream(STREAM, known_at=T0 + timedelta(days=3))) == [1, 2, 4]
    rome = timezone(timedelta(hours=2))
    assert seqs(ledger.read(Query(known_at=(T0 + timedelta(days=1)).astimezone(rome)))) == [1, 2]


def test_read_as_of_and_known_at_combine(ledger: SqlEventStore) -> None:
    query = Query(stream=STREAM, as_of=date(2020, 12, 31), known_at=T0 + timedelta(days=1))
    assert seqs(ledger.read(query)) == [1, 2]


def test_read_by_types_and_effective_from(ledger: SqlEventStore) -> None:
    assert seqs(ledger.read(Query(types=("CycleReopened",)))) == [2, 3, 4]
    assert seqs(ledger.read(Query(types=("CycleOpened", "CycleClosed")))) == [1, 5]
    assert seqs(ledger.read(Query(effective_from=date(2020, 3, 1)))) == [2, 3, 5]
    reopened_since_march = Query(types=("CycleReopened",), effective_from=date(2020, 3, 1))
    assert seqs(ledger.read(reopened_since_march)) == [2, 3]
    assert seqs(ledger.read(Query(after_seq=2, until_seq=4))) == [3, 4]


def test_read_backwards_before_a_seq_gives_the_last_entries_first(
    ledger: SqlEventStore,
) -> None:
    assert seqs(ledger.read(Query(before_seq=5, descending=True, limit=2))) == [4, 3]
    assert seqs(ledger.read(Query(before_seq=3, descending=True))) == [2, 1]
    reopened = Query(types=("CycleReopened",), before_seq=4, descending=True)
    assert seqs(ledger.read(reopened)) == [3, 2]


def test_read_rows_returns_the_stored_rows_after_a_seq(ledger: SqlEventStore) -> None:
    everything = list(ledger.read_rows())
    tail = list(ledger.read_rows(after_seq=3))

    assert [row.seq for row in everything] == [1, 2, 3, 4, 5]
    assert tail == everything[3:]
    assert all(isinstance(row.hash, bytes) and len(row.hash) == 32 for row in everything)
    assert everything[1].payload == '{"reason":"s-2"}'
    assert everything[1].effective_date == "2020-06-30"
    assert everything[1].recorded_at == "2021-05-01T09:15:02.123456Z"
    assert verify_rows(everything).ok


def test_entry_by_seq_and_by_event_id(store: SqlEventStore) -> None:
    store.append(STREAM, [reopened("a1", event_id=fixed_id(1))], expected_version=0)
    store.append(STREAM, [reopened("a2", event_id=fixed_id(2))], expected_version=1)

    by_seq = store.entry(seq=2)
    by_id = store.entry(event_id=fixed_id(2))

    assert by_seq is not None
    assert by_seq == by_id
    assert by_seq.event_id == fixed_id(2)
    assert by_seq.event == CycleReopened(reason="a2")
    assert store.entry(seq=3) is None
    assert store.entry(event_id=fixed_id(9)) is None


@dataclass(frozen=True)
class Holder:
    entry: Entry


def test_an_entry_read_back_is_a_frozen_record_of_its_row(store: SqlEventStore) -> None:
    # Reads keep the driver's values and build the StoredRow only when asked: the entry must
    # still be the record callers know (equal by row, hashed by seq, immutable, picklable).
    store.append(STREAM, [reopened("a1", event_id=fixed_id(1))], expected_version=0)
    store.append(STREAM, [reopened("a2", event_id=fixed_id(2))], expected_version=1)
    first, second = list(store.read_stream(STREAM))
    stored = list(store.read_rows())

    assert first.row == stored[0]
    assert first == Entry(stored[0])
    assert first != second
    assert first != tuple(first)  # an entry equals entries only
    assert {first, Entry(stored[0])} == {first}
    assert (second.seq, second.version, second.stream) == (2, 2, STREAM)
    assert second.effective_date == date(2021, 4, 30)
    assert second.recorded_at.tzinfo is not None
    assert second.prev_hash == first.hash == stored[0].hash.hex()
    copied = pickle.loads(pickle.dumps(second))  # noqa: S301 - our own bytes
    assert copied == second
    assert copied.event == CycleReopened(reason="a2")
    # A record holding an entry (an override's) still goes through asdict and deepcopy.
    assert asdict(Holder(second))["entry"] == second == copy.deepcopy(second)
    with pytest.raises(AttributeError):
        first.seq = 9  # type: ignore[misc]
    with pytest.raises(TypeError):
        _ = first < second  # type: ignore[operator]


def test_init_twice_is_safe_and_keeps_the_data(db_url: str) -> None:
    first = open_store(db_url, create=True)
    first.append(STREAM, [reopened("a1"), reopened("a2")], expected_version=0)
    head = first.head()
    first.close()

    second = open_store(db_url, create=True)
    try:
        assert second.count() == 2
        assert second.head() == head
        second.append(STREAM, [reopened("a3")], expected_version=2)
        assert verify_rows(second.read_rows()).ok
    finally:
        second.close()


def test_opening_a_ledger_that_was_never_initialised_is_refused(db_url: str, backend: str) -> None:
    with pytest.raises(LedgerNotInitialized, match=r"\(create it with: ledger init\)"):
        open_store(db_url)
    if backend == "sqlite":
        assert not Path(db_url.removeprefix("sqlite:///")).exists()


def same_history(url: str) -> tuple[Entry | None, list[StoredRow]]:
    """Append one history, with fixed ids and a fixed clock; answer the head and the rows."""
    clock = SettableClock(T0)
    store = open_store(url, create=True, clock=clock)
    try:
        append_same_history(store, clock)
        return store.head(), rows(store)
    finally:
        store.close()


def append_same_history(store: SqlEventStore, clock: SettableClock) -> None:
    store.append(
        STREAM,
        [recorded(sondrio_opened(), event_id=fixed_id(1), effective=date(2020, 1, 31))],
        expected_version=0,
    )
    clock.advance(minutes=1)
    store.append_batches(
        [
            (
                STREAM,
                [reopened("riapertura: è giusto così ☃ 𝄞", event_id=fixed_id(2), key="k-2")],
                1,
            ),
            (OTHER_STREAM, [reopened('"quoted" \\ and \n newline', event_id=fixed_id(3))], 0),
        ]
    )
    clock.advance(minutes=1)
    store.append(
        STREAM,
        [recorded(sondrio_closed(), event_id=fixed_id(4), effective=date(2021, 6, 30))],
        expected_version=2,
    )


def test_sqlite_and_postgres_compute_the_same_head_hash(pg_schema_url: str, tmp_path: Path) -> None:
    sqlite_head, sqlite_rows = same_history(f"sqlite:///{tmp_path / 'ledger.db'}")
    postgres_head, postgres_rows = same_history(pg_schema_url)

    assert sqlite_head is not None
    assert postgres_head is not None
    assert sqlite_head.seq == postgres_head.seq == 4
    assert sqlite_head.hash == postgres_head.hash
    assert sqlite_rows == postgres_rows
    assert verify_rows(sqlite_rows).ok


STREAMED_EVENTS = 20_000
PEAK_WHILE_STREAMING = 6_000_000  # bytes; holding every row at once would take about 20 MB


def test_reading_20000_events_streams_in_bounded_memory(store: SqlEventStore) -> None:
    padding = "x" * 300  # rows of realistic size, so that a full load would stand out
    chunk = 2_000
    for start in range(0, STREAMED_EVENTS, chunk):
        half = chunk // 2
        store.append_batches(
            [
                (STREAM, [reopened(f"{start + i}-{padding}") for i in range(half)], start // 2),
                (
                    OTHER_STREAM,
                    [reopened(f"{start + half + i}-{padding}") for i in range(half)],
                    start // 2,
                ),
            ]
        )
    assert store.count() == STREAMED_EVENTS

    count = 0
    last_seq = 0
    tracemalloc.start()
    try:
        for row in store.read_rows():
            count += 1
            assert row.seq == last_seq + 1
            last_seq = row.seq
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert count == STREAMED_EVENTS
    assert peak < PEAK_WHILE_STREAMING, f"peak {peak / 1e6:.1f} MB while streaming"


def test_every_entry_decodes_back_into_the_event_appended(store: SqlEventStore) -> None:
    events: list[LedgerEvent] = [
        sondrio_opened(),
        CycleReopened(reason="Riapertura, sentito l'OIV"),
        sondrio_closed(),
    ]
    store.append(STREAM, [recorded(event) for event in events], expected_version=0)

    assert [entry.event for entry in store.read_stream(STREAM)] == events


def test_a_read_abandoned_part_way_closes_what_it_opened(store: SqlEventStore) -> None:
    # `for entry in store.read(): ... break` is ordinary caller code (verify stops at the
    # first broken seq); it must not leave a cursor or a connection behind.
    store.append(STREAM, [reopened(str(number)) for number in range(5)], expected_version=0)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _row in store.read_rows():
            break
        for _entry in store.read(Query(stream=STREAM)):
            break
        gc.collect()

    leaks = [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)]
    assert leaks == []


def test_reads_return_every_row_whatever_the_batch_boundaries(
    store: SqlEventStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Reads fetch in batches (ledger/reads.py); with batches of 3, ledgers of 0 to 7 events
    # cover an empty read, one row, a short batch, a full batch and a full one plus a row.
    import ledger.reads

    monkeypatch.setattr(ledger.reads, "READ_BATCH", 3)
    for count in range(8):
        assert [e.seq for e in store.read()] == list(range(1, count + 1))
        assert [r.seq for r in store.read_rows()] == list(range(1, count + 1))
        assert reasons(list(store.read(Query(types=("CycleReopened",))))) == [
            f"r-{n}" for n in range(1, count + 1)
        ]
        store.append(STREAM, [reopened(f"r-{count + 1}")], expected_version=count)
