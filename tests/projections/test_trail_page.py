"""The console's trail, a page at a time: forwards by `after`, backwards by `before`.

Walking the pages one way or the other must give the rows of the whole trail (`trail` over
every entry, the function `ledger trail` prints), each exactly once and in seq order, and a
page's neighbours must be the pages next to it.
"""

from datetime import date

import pytest

from cli.example import load_example
from ledger.query import Query
from ledger.store import SqlEventStore
from projections.trail import TrailFilter, TrailRow, trail
from projections.trail_page import TrailPage, trail_page

CYCLE = "cciaa-so/2020"
FILTERS = [
    TrailFilter(),
    TrailFilter(node="3.3.1"),
    TrailFilter(role="controller"),
    TrailFilter(types=("MeasurementRecorded",)),
    TrailFilter(effective_from=date(2021, 4, 1), effective_to=date(2021, 6, 7)),
]


@pytest.fixture
def reference(store: SqlEventStore) -> SqlEventStore:
    load_example(store, "sondrio-2020")
    return store


def seqs(page: TrailPage) -> list[int]:
    return [row.seq for row in page.rows]


def test_the_previous_page_of_a_page_is_the_page_before_it(reference: SqlEventStore) -> None:
    # The reference cycle's 180 events are seq 1 to 180: pages of 50 are 1-50, 51-100, ...
    second = trail_page(reference, CYCLE, TrailFilter(), after=50)
    assert seqs(second) == list(range(51, 101))
    assert (second.previous_before, second.next_after) == (51, 100)
    first = trail_page(reference, CYCLE, TrailFilter(), before=51)
    assert seqs(first) == list(range(1, 51))
    assert (first.previous_before, first.next_after) == (None, 50)
    third = trail_page(reference, CYCLE, TrailFilter(), before=151)
    assert seqs(third) == list(range(101, 151))
    assert (third.previous_before, third.next_after) == (101, 150)


def test_a_previous_page_that_would_be_short_is_the_first_page(
    reference: SqlEventStore,
) -> None:
    page = trail_page(reference, CYCLE, TrailFilter(), before=31)
    assert seqs(page) == list(range(1, 51))
    assert page.previous_before is None


def test_the_last_page_has_no_next_and_its_previous_goes_back(reference: SqlEventStore) -> None:
    last = trail_page(reference, CYCLE, TrailFilter(), after=150)
    assert seqs(last) == list(range(151, 181))
    assert (last.previous_before, last.next_after) == (151, None)
    beyond = trail_page(reference, CYCLE, TrailFilter(), after=180)
    assert (seqs(beyond), beyond.previous_before, beyond.next_after) == ([], 181, None)


@pytest.mark.parametrize("wanted", FILTERS, ids=repr)
def test_walking_the_pages_either_way_gives_the_whole_trail_once(
    reference: SqlEventStore, wanted: TrailFilter
) -> None:
    whole = trail(list(reference.read(Query(stream=CYCLE))), wanted)
    assert whole
    forwards: list[list[TrailRow]] = []
    page = trail_page(reference, CYCLE, wanted, size=7)
    assert page.previous_before is None
    while True:
        forwards.append(page.rows)
        if page.next_after is None:
            break
        page = trail_page(reference, CYCLE, wanted, after=page.next_after, size=7)
    assert [row for rows in forwards for row in rows] == whole
    backwards: list[list[TrailRow]] = []
    while page.previous_before is not None:
        page = trail_page(reference, CYCLE, wanted, before=page.previous_before, size=7)
        backwards.append(page.rows)
    # The pages forwards are full but the last, so the rows before the last page's first are
    # a whole number of pages: going back retraces them, the first page included.
    assert backwards[::-1] == forwards[:-1]
