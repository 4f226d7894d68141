"""An indicator may take another node's figure as its value; never one fed by itself."""

import pytest

from ledger.store import SqlEventStore
from projections.cruscotto import replay
from projections.dependencies import FigureCycle
from projections.provenance import figure_sources
from tests.trees import END, approved, kpi, leaf, level, measure, node, plan, view

TREE = [
    level("area", "mean_of_children"),
    level("obiettivo", "mean_of_children"),
    level("indicatore", "kpi"),
]


def derived(reference: str, figure: str = "result") -> dict:  # type: ignore[type-arg]
    return kpi(target=80, derived_from={"node": reference, "figure": figure})


def test_an_indicator_takes_the_result_of_a_node_of_another_branch(store: SqlEventStore) -> None:
    data = plan(
        TREE,
        [
            node("servizi", [node("s1", [leaf("i1"), leaf("i2")])]),
            # "grado di raggiungimento degli obiettivi dei servizi" as an indicator of the direzione
            node("direzione", [node("d1", [leaf("d1.1", kpi=derived("servizi"))])]),
        ],
    )
    stream = approved(store, data)
    measure(store, stream, "i1", "100")
    measure(store, stream, "i2", "60")
    cruscotto = view(store, stream)
    # servizi = (100 + 60) / 2 = 80; d1.1 measures 80 against its target 80: 100 %
    assert cruscotto.node("d1.1").measured == "80,00"
    assert cruscotto.node("d1.1").computed == 100
    assert cruscotto.node("d1.1").coverage == 100


def test_the_ente_as_an_indicator_of_its_own_objective_is_refused_as_a_cycle(
    store: SqlEventStore,
) -> None:
    data = plan(TREE, [node("a1", [node("o1", [leaf("i1"), leaf("i2", kpi=derived("ente"))])])])
    with pytest.raises(FigureCycle) as refused:
        approved(store, data)
    assert str(refused.value) == (
        "a figure would feed its own inputs in ente-albero/2021: i2 → ente → a1 → o1 → i2 (an "
        "indicator cannot take the value of a node it is part of); nothing was written"
    )
    assert store.streams() == []


def test_an_indicator_of_its_own_objective_is_refused_as_a_cycle(store: SqlEventStore) -> None:
    data = plan(TREE, [node("a1", [node("o1", [leaf("i1", kpi=derived("o1"))])])])
    with pytest.raises(FigureCycle, match="i1 → o1 → i1"):
        approved(store, data)
    assert store.streams() == []


def test_two_indicators_feeding_each_other_across_branches_are_refused(
    store: SqlEventStore,
) -> None:
    data = plan(
        TREE,
        [
            node("a1", [node("o1", [leaf("x", kpi=derived("o2"))])]),
            node("a2", [node("o2", [leaf("y", kpi=derived("o1"))])]),
        ],
    )
    with pytest.raises(FigureCycle, match="x → o2 → y → o1 → x"):
        approved(store, data)
    assert store.streams() == []


def test_a_derived_indicator_cannot_be_measured(store: SqlEventStore) -> None:
    data = plan(
        TREE,
        [
            node("a1", [node("o1", [leaf("i1")])]),
            node("a2", [node("o2", [leaf("d", kpi=derived("o1"))])]),
        ],
    )
    stream = approved(store, data)
    before = store.stream_version(stream)
    with pytest.raises(Exception, match=r"d takes its value from o1 \(result\): it is computed"):
        measure(store, stream, "d", "50")
    assert store.stream_version(stream) == before


def test_the_events_of_a_derived_figure_include_those_of_the_node_it_takes(
    store: SqlEventStore,
) -> None:
    data = plan(
        TREE,
        [
            node("servizi", [node("s1", [leaf("i1"), leaf("i2")])]),
            node("direzione", [node("d1", [leaf("d1.1", kpi=derived("s1"))])]),
            node("altro", [node("x1", [leaf("x")])]),
        ],
    )
    stream = approved(store, data)
    measure(store, stream, "i1", "100")
    measure(store, stream, "i2", "60")
    measure(store, stream, "x", "50")
    entries = list(store.read_stream(stream))

    sources = figure_sources(entries, stream, "direzione", as_of=END)

    measured = [e.event.action for e in sources.entries if e.type == "MeasurementRecorded"]
    assert measured == ["i1", "i2"]  # s1's measurements, not x's
    alone = replay(list(sources.entries), stream, as_of=END)
    assert alone.node("d1.1").computed == 100  # s1 = 80 against the target 80
    assert alone.node("direzione").result == 100
