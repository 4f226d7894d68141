"""The events a figure is computed from are enough to compute it: replaying only them gives
every node's figure of the reference cycle, at whatever level the SMVP puts it."""

from datetime import date
from pathlib import Path

import pytest

from cli.example import load_example
from formats.readers.acts_load import load_acts_file
from ledger.store import SqlEventStore
from projections import acts
from projections.cruscotto import replay
from projections.provenance import figure_sources

STREAM = "cciaa-so/2020"
REAL = Path(__file__).resolve().parents[1] / "real"


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


def test_a_figures_events_give_it_in_a_tree_of_five_levels_with_means_of_indicators(
    store: SqlEventStore,
) -> None:
    """The university of tests/real (direzione > sezione > U.O. > obiettivo > indicatore):
    a sezione's plain mean of its indicators comes from its own indicators' events alone."""
    stream = "ateneo/2019"
    load_acts_file(
        store,
        REAL / "ateneo-2019-processi-acts.yaml",
        lambda role: acts.Actor("trascrizione", role, role_stated=False),
    )
    entries = list(store.read_stream(stream))
    as_of = date(2020, 6, 30)
    full = replay(entries, stream, as_of=as_of)
    assert len(full.levels) == 5

    for node in full.nodes():
        sources = figure_sources(entries, stream, node.key, as_of=as_of, cruscotto=full)
        alone = replay(list(sources.entries), stream, as_of=as_of)
        assert alone.node(node.key).result == node.result, node.key
    sezione = figure_sources(entries, stream, "0503", as_of=as_of)
    measured = {e.event.action for e in sezione.entries if e.type == "MeasurementRecorded"}
    assert measured and all(code.startswith("2019_0503") for code in measured)
