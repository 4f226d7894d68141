"""The ledger pauses Python's cyclic collector while it appends or replays, and gives it back.

A program embedding the ledger (the console, an import script) keeps its own collector
setting: on after every append, accepted or refused, and after every replay; off if the
program had switched it off.
"""

import gc
from collections.abc import Iterator
from datetime import date

import pytest

from ledger.errors import ConcurrencyConflict
from ledger.store import SqlEventStore
from projections.cruscotto import replay
from tests.builders import STREAM as PLAN_STREAM
from tests.builders import approved_cycle
from tests.ledger.builders import STREAM, reopened


@pytest.fixture
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


@pytest.mark.usefixtures("collector_on")
def test_the_collector_is_on_again_after_an_append_accepted_or_refused(
    store: SqlEventStore,
) -> None:
    store.append(STREAM, [reopened("first")], expected_version=0)
    assert gc.isenabled()
    with pytest.raises(ConcurrencyConflict):
        store.append(STREAM, [reopened("stale")], expected_version=0)
    assert gc.isenabled()
    assert [entry.event.reason for entry in store.read_stream(STREAM)] == ["first"]


@pytest.mark.usefixtures("collector_on")
def test_the_collector_is_on_again_after_a_replay(store: SqlEventStore) -> None:
    approved_cycle(store)
    cruscotto = replay(store.read_stream(PLAN_STREAM), PLAN_STREAM, as_of=date(2020, 12, 31))
    assert cruscotto.roots  # a cruscotto was made, with the collector paused
    assert gc.isenabled()


def test_a_collector_switched_off_by_the_program_stays_off(store: SqlEventStore) -> None:
    was = gc.isenabled()
    gc.disable()
    try:
        store.append(STREAM, [reopened("first")], expected_version=0)
        assert not gc.isenabled()
    finally:
        if was:
            gc.enable()
