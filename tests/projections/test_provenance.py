"""The events a figure is computed from are enough to compute it: replaying only them gives
every node's figure of the reference cycle, at whatever level the SMVP puts it."""

from datetime import date

import pytest

from cli.example import load_example
from ledger.store import SqlEventStore
from projections.cruscotto import replay
from projections.provenance import figure_sources

STREAM = "cciaa-so/2020"


@pytest.mark.parametrize("as_of", [date(2021, 4, 30), date(2021, 6, 30)])
def test_replaying_only_a_figures_events_gives_the_figure(
    store: SqlEventStore, as_of: date
) -> None:
    load_example(store, "sondrio-2020")
    entries = list(store.read_stream(STREAM))
    full = replay(entries, STREAM, as_of=as_of)

    ente = figure_sources(entries, STREAM, None, as_of=as_of)
    assert replay(list(ente.entries), STREAM, as_of=as_of).result == full.result
    for node in full.nodes():
        sources = figure_sources(entries, STREAM, node.key, as_of=as_of, cruscotto=full)
        alone = replay(list(sources.entries), STREAM, as_of=as_of)
        assert alone.node(node.key).result == node.result, node.key
        assert len(sources.entries) < len(ente.entries) or node.level == "perspective"


def test_a_figure_leaves_out_what_happens_elsewhere(store: SqlEventStore) -> None:
    load_example(store, "sondrio-2020")
    entries = list(store.read_stream(STREAM))

    sources = figure_sources(entries, STREAM, "3.3.1", as_of=date(2021, 4, 30))

    # On 30/04/2021 3.3.1 is measured (35,87 days) and not yet overridden (07/06/2021).
    assert [e.type for e in sources.entries][-2:] == ["ApprovalRecorded", "MeasurementRecorded"]
    assert sources.node is not None
    assert sources.node.result == 0
