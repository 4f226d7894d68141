"""Printed figures an OIV can use as they are: rounding is a note, one cause is one finding."""

from datetime import date
from decimal import Decimal

from events.oversight import ReportedFigureRecorded
from formats.values import printed_decimals
from ledger.store import SqlEventStore
from projections import oversight
from projections.findings import Finding, audit
from tests.builders import OIV
from tests.trees import approved, leaf, level, measure, node, plan

TREE = [
    level("area", "mean_of_children"),
    level("obiettivo", "mean_of_children"),
    level("indicatore", "kpi"),
]
PRINTED_ON = date(2022, 6, 14)


def cycle(store: SqlEventStore) -> str:
    """Two areas: a1 holds o1 (80) and o2 (100), a2 holds o3 (100, 100, 90: 96,666...)."""
    data = plan(
        TREE,
        [
            node("a1", [node("o1", [leaf("i1")]), node("o2", [leaf("i2")])]),
            node("a2", [node("o3", [leaf("i3"), leaf("i4"), leaf("i5")])]),
        ],
    )
    stream = approved(store, data)
    for code, value in (("i1", "80"), ("i2", "100"), ("i3", "100"), ("i4", "100"), ("i5", "90")):
        measure(store, stream, code, value)
    return stream


def printed(store: SqlEventStore, stream: str, node: str | None, text: str) -> None:
    value = Decimal(text.replace("%", "").strip().replace(",", "."))
    figure = ReportedFigureRecorded(
        document="Relazione 2021",
        where="tabella 1",
        measure="result",
        node=node,
        value=value,
        printed=text,
        decimals=printed_decimals(text),
    )
    oversight.record_reported(store, stream, figure, PRINTED_ON, OIV)


def found(store: SqlEventStore, stream: str) -> list[Finding]:
    everything = audit(list(store.read_stream(stream)), stream, as_of=date(2022, 12, 31))
    return [f for f in everything if f.kind.startswith("reported")]


def test_a_figure_that_differs_only_by_its_printed_precision_is_a_note(
    store: SqlEventStore,
) -> None:
    stream = cycle(store)
    printed(store, stream, "o3", "96,66 %")  # the evidence is 96,666...: truncated, not rounded
    [finding] = found(store, stream)
    assert (finding.kind, finding.severity, finding.node) == ("reported_rounding", "nota", "o3")
    assert finding.reason == (
        "Relazione 2021, tabella 1: the result of 'Nodo o3' printed 96,66 %, the evidence gives "
        "96,6667: they differ only in the printed precision (rounding)"
    )


def test_a_figure_rounded_as_printed_agrees(store: SqlEventStore) -> None:
    stream = cycle(store)
    printed(store, stream, "o3", "96,67 %")
    [finding] = found(store, stream)
    assert (finding.kind, finding.severity) == ("reported_match", "nota")


def test_a_mismatch_that_follows_from_another_names_it_and_one_cause_is_one_finding(
    store: SqlEventStore,
) -> None:
    stream = cycle(store)
    printed(store, stream, "o1", "60,00 %")  # wrong: the evidence gives 80,00
    printed(store, stream, "a1", "80,00 %")  # (60 + 100) / 2: computed from the wrong 60
    printed(store, stream, None, "88,33 %")  # (80 + 96,67) / 2 = 88,33: also from the 60
    seq_o1 = store.stream_version(stream) - 2
    result = found(store, stream)
    alta = [f for f in result if f.severity == "alta"]
    assert [(f.kind, f.node) for f in alta] == [("reported_mismatch", "o1")]
    assert alta[0].reason == (
        "Relazione 2021, tabella 1: the result of 'Nodo o1' printed 60,00 %, the evidence gives "
        "80,00 %"
    )
    assert alta[0].detail is not None and "it explains 2 more printed figures" in alta[0].detail
    consequences = [f for f in result if f.kind == "reported_consequence"]
    assert [(f.severity, f.node) for f in consequences] == [("nota", "a1"), ("nota", None)]
    assert consequences[0].reason == (
        "Relazione 2021, tabella 1: the result of 'Nodo a1' printed 80,00 %, the evidence gives "
        f"90,00 %: follows from the mismatch of the result of 'Nodo o1' (seq {seq_o1})"
    )


def test_a_mismatch_that_its_children_do_not_explain_stays_a_finding_of_its_own(
    store: SqlEventStore,
) -> None:
    stream = cycle(store)
    printed(store, stream, "o1", "60,00 %")
    printed(store, stream, "a1", "75,00 %")  # neither the evidence (90) nor from the 60 (80)
    alta = [f for f in found(store, stream) if f.severity == "alta"]
    assert [f.node for f in alta] == ["o1", "a1"]
