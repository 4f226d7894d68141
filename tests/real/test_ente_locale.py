"""An ente locale's PEG, as its measurement report counts the objectives, loaded with `ledger load`.

The document was found with the search tool (corpus `pages`): page 21 ("POST MISURAZIONE") of
a report of the "Servizio Programmazione e Controlli, P.E.G. e Performance - Ufficio Controllo
Strategico e Controllo di Gestione", https://fliphtml5.com/lgvri/byji/report_da_continuare/21.
It names no objective: it counts them by their grado di raggiungimento ("in linea con le
previsioni", "superiore alle attese", "inferiore alla previsione", "non misurabili") and by their
tempo di realizzazione ("nei tempi", "in anticipo", "in ritardo"), for the administrative and the
technical objectives, each count with its share of the 142 results measured. The transcription
(ente-peg-2019-plan.yaml, its header says what is inferred) has one objective per counted one.

Every figure below was typed from the page, never from the ledger's output, and every figure
the page prints is compared with the replay at its printed precision: here by counting the
replay's assessments, and by `ledger audit`, which compares the counts and shares the acts file
records as printed (`measure: count` and `share`).
"""

from collections import Counter
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from formats.italian_numbers import parse_number
from ledger.connect import open_store
from projections.cruscotto import Cruscotto, replay
from projections.findings import Finding, audit
from tests.cli.conftest import ledger

HERE = Path(__file__).resolve().parent
STREAM = "ente-peg/2019"

RESULTS = 142  # "dei 142 risultati pervenuti, analizzati e misurati"
TECNICI = 8  # "gli 8 obiettivi tecnici valutabili"

# Grado di raggiungimento: kind -> word -> (count, share of the 142), as printed
GRADO = {
    "amministrativi": {
        "in linea con le previsioni": ("86", "60,6%"),
        "superiore alle attese": ("17", "12,0%"),
        "inferiore alla previsione": ("31", "21,8%"),
        "non misurabili": ("0", "0,0%"),
    },
    "tecnici": {
        "in linea con le previsioni": ("3", "2,1%"),
        "inferiore alla previsione": ("5", "3,5%"),
        "non misurabili": ("0", "0,0%"),
        "superiore alle attese": ("0", "0,0%"),
    },
}
# Tempo di realizzazione, the same way
TEMPO = {
    "amministrativi": {
        "nei tempi": ("103", "72,5%"),
        "in anticipo": ("0", "0,0%"),
        "in ritardo": ("31", "21,8%"),
        "non misurabili": ("0", "0,0%"),
    },
    "tecnici": {
        "nei tempi": ("3", "2,1%"),
        "in ritardo": ("5", "3,5%"),
        "in anticipo": ("0", "0,0%"),
    },
}


@pytest.fixture
def peg(db_url: str) -> Cruscotto:
    code, out = ledger(db_url, "load", str(HERE / "ente-peg-2019-acts.yaml"))
    assert code == 0, out
    store = open_store(db_url)
    try:
        return replay(store.read_stream(STREAM), STREAM, as_of=date(2020, 12, 31))
    finally:
        store.close()


def assessed(view: Cruscotto, kind: str, dimension: str) -> Counter[str]:
    """How many objectives of a kind the replay holds at each word of one dimension."""
    words: Counter[str] = Counter()
    for objective in view.node(kind).children:
        [indicator] = [i for i in objective.children if i.code == f"{objective.code}-{dimension}"]
        words[indicator.measured or "non misurabili"] += 1
    return words


def share(count: int) -> Decimal:
    """A count's share of the 142 results, at the page's one decimal (half up)."""
    return (Decimal(count) / RESULTS * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def test_the_142_results_are_134_administrative_and_8_technical_objectives(
    peg: Cruscotto,
) -> None:
    kinds = {kind: len(peg.node(kind).children) for kind in ("amministrativi", "tecnici")}
    assert kinds["tecnici"] == TECNICI
    assert sum(kinds.values()) == RESULTS
    # the page's own arithmetic: 86 + 17 + 31 + 0 administrative ones and the 8 make the 142
    administrative = sum(int(count) for count, _ in GRADO["amministrativi"].values())
    assert administrative + TECNICI == RESULTS == sum(kinds.values())


@pytest.mark.parametrize(("dimension", "table"), [("grado", GRADO), ("tempo", TEMPO)])
def test_every_count_and_share_the_page_prints_is_the_replays(
    peg: Cruscotto, dimension: str, table: dict[str, dict[str, tuple[str, str]]]
) -> None:
    for kind, words in table.items():
        found = assessed(peg, kind, dimension)
        assert set(found) <= set(words), (kind, dimension, found)
        for word, (count, printed) in words.items():
            assert found[word] == int(count), (kind, word)
            assert share(found[word]) == parse_number(printed.rstrip("%")), (kind, word)


def test_the_shares_of_each_dimension_add_up_to_the_whole(peg: Cruscotto) -> None:
    # 60,6 + 12,0 + 21,8 + 2,1 + 3,5 = 100,0 and 72,5 + 21,8 + 2,1 + 3,5 = 99,9: the timing's
    # printed shares lose 0,1 to their rounding (103/142 = 72,54; 31/142 = 21,83; 3/142 = 2,11;
    # 5/142 = 3,52), while the counts themselves cover all 142
    for table, printed_total in ((GRADO, "100,0"), (TEMPO, "99,9")):
        printed = [p for words in table.values() for _, p in words.values()]
        shares = sum(parse_number(p.rstrip("%")) for p in printed)
        counts = sum(int(c) for words in table.values() for c, _ in words.values())
        assert shares == parse_number(printed_total)
        assert counts == RESULTS
    # every objective's timing follows its grado, as the page says ("coerentemente")
    for kind in ("amministrativi", "tecnici"):
        for objective in peg.node(kind).children:
            grado, tempo = (i.measured for i in objective.children)
            assert (grado == "inferiore alla previsione") == (tempo == "in ritardo"), objective.code


def test_a_word_of_the_timing_is_refused_as_a_grado(db_url: str, peg: Cruscotto) -> None:
    # each dimension has its own scale: "nei tempi" is no grado di raggiungimento
    store = open_store(db_url)
    try:
        before = store.stream_version(STREAM)
    finally:
        store.close()
    args = ("record", "assessment", "A001-grado", "--level", "nei tempi", "--date", "01/04/2020")
    code, out = ledger(db_url, *args)
    assert code == 1
    assert out.strip().splitlines()[-1] == (
        "Error: level 'nei tempi' of action A001-grado is not a level of its KPI "
        "(in linea con le previsioni, inferiore alla previsione, superiore alle attese)"
    )
    store = open_store(db_url)
    try:
        assert store.stream_version(STREAM) == before
    finally:
        store.close()


def findings(db_url: str) -> list[Finding]:
    store = open_store(db_url)
    try:
        return audit(list(store.read_stream(STREAM)), STREAM, as_of=date(2020, 12, 31))
    finally:
        store.close()


def test_the_audit_finds_every_printed_count_and_share_in_agreement(
    db_url: str, peg: Cruscotto
) -> None:
    # 12 counts and 12 shares of the page's words (its "non misurabili" is no word of a scale)
    found = findings(db_url)
    [matched] = [f for f in found if f.kind == "reported_match"]
    assert len(matched.seqs) == 24
    assert not [f for f in found if f.kind.startswith("reported_") and f is not matched]


def test_a_count_or_share_the_evidence_does_not_give_is_a_finding(
    db_url: str, peg: Cruscotto, tmp_path: Path
) -> None:
    # as if the page had printed 88 administrative objectives "in linea", at 61,6 %
    wrong = tmp_path / "wrong-acts.yaml"
    wrong.write_text(
        "format: performance-ledger/acts/2\n"
        'id: "wrong"\n'
        f"cycle: {STREAM}\n"
        'source: "a misprint"\n'
        "acts:\n"
        "  - {id: n, act: reported, document: R, where: p. 21, measure: count,\n"
        "     node: amministrativi,"
        '     level: in linea con le previsioni, value: "88", date: "31/03/2020"}\n'
        "  - {id: q, act: reported, document: R, where: p. 21, measure: share,\n"
        "     node: amministrativi,"
        '     level: in linea con le previsioni, value: "61,6%", date: "31/03/2020"}\n',
        encoding="utf-8",
    )
    code, out = ledger(db_url, "load", str(wrong))
    assert code == 0, out
    reasons = sorted(f.reason for f in findings(db_url) if f.kind == "reported_mismatch")
    assert reasons == [
        "R, p. 21: the indicators of 'Obiettivi amministrativi' assessed 'in linea con le "
        "previsioni' printed 88, the evidence gives 86 of 134",
        "R, p. 21: the indicators of 'Obiettivi amministrativi' assessed 'in linea con le "
        "previsioni', as a share of the cycle's printed 61,6%, the evidence gives 60,56 % "
        "(86 of 142)",
    ]


def test_a_count_of_a_word_no_scale_there_has_is_refused(db_url: str, peg: Cruscotto) -> None:
    args = ("record", "reported", "count", "0", "--node", "tecnici", "--level", "nei tempo")
    code, out = ledger(db_url, *args, "--document", "R", "--where", "p. 21", "--date", "31/03/2020")
    assert code == 1
    assert out.strip().splitlines()[-1] == (
        "Error: no qualitative KPI below tecnici has the level 'nei tempo'"
    )
