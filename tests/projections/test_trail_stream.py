"""The streamed trail (the `ledger trail` command's) gives the rows of the in-memory trail.

`trail_rows` reads the plan events first, then every entry one at a time, and looks up a
corrected measurement instead of remembering every measurement: on the reference cycle, with
every kind of filter, its rows are those of `trail` over the same entries.
"""

from datetime import date

import pytest

from cli.example import load_example
from events.measurement import MeasurementCorrected, MeasurementRecorded
from ledger.query import Query
from ledger.records import NewEvent
from ledger.store import SqlEventStore
from projections.errors import UnknownNode
from projections.trail import TrailFilter, trail
from projections.trail_stream import trail_rows
from tests.builders import year_2020

FILTERS = [
    TrailFilter(),
    TrailFilter(stream="cciaa-so/2020"),
    TrailFilter(node="1.1"),
    TrailFilter(role="controller"),
    TrailFilter(types=("MeasurementCorrected", "OverrideRecorded")),
    TrailFilter(effective_from=date(2021, 4, 1), effective_to=date(2021, 6, 7)),
]


def test_the_streamed_trail_is_the_trail(store: SqlEventStore) -> None:
    load_example(store, "sondrio-2020")
    [measured] = store.append(
        "cciaa-so/2020",
        [NewEvent(MeasurementRecorded(action="1.1.1", value=1, period=year_2020()),
                  date(2021, 6, 1), "controller-1", "controller")],
        expected_version=store.stream_version("cciaa-so/2020"),
    )  # fmt: skip
    store.append(
        "cciaa-so/2020",
        [NewEvent(MeasurementCorrected(corrects=measured.event_id, value=2, reason="errata"),
                  date(2021, 6, 2), "controller-1", "controller")],
        expected_version=store.stream_version("cciaa-so/2020"),
    )  # fmt: skip
    everything = list(store.read(Query()))
    for wanted in FILTERS:
        streamed = list(trail_rows(store, wanted))
        assert streamed == trail(everything, wanted), wanted
        assert streamed
    corrected = list(trail_rows(store, TrailFilter(types=("MeasurementCorrected",))))
    assert corrected[-1].node is not None and "1.1.1" in corrected[-1].node


def test_an_unknown_node_is_refused_before_any_row(store: SqlEventStore) -> None:
    load_example(store, "sondrio-2020")
    with pytest.raises(UnknownNode):
        trail_rows(store, TrailFilter(node="9.9.9"))
