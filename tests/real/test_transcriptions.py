"""Three real administrations' documents, transcribed by hand and loaded with `ledger load`.

The documents were found with the search tool (corpus `pages`); the stored copy of each holds
its first pages only, which is what is transcribed (the files' headers say what is cut and what
is inferred):

- a university's "Allegato n. 5 - Relazione annuale sulla Performance integrata di Ateneo 2019.
  Rendicontazione degli obiettivi di efficacia e di efficienza dei processi interni",
  https://123dok.org/document/q5mpd7n7-appalti-pubblici-sezione-contratti-sezione-contratti-forniture-sezione.html
  (five levels, equal-weight means);
- the ATER di Potenza's "Relazione finale sulla performance anno 2015 - Allegati", Tabella 1,
  https://123dok.org/document/qo5ovg27-relazione-finale-sulla-performance-anno.html
  (an azienda territoriale: its managers' weights and conversion factors);
- a university's "Allegato 1: Obiettivi di performance istituzionale di Ateneo", monitoraggio
  intermedio 2019,
  https://fdocumenti.com/document/allegato-1-obiettivi-di-performance-istituzionale-di-allegato-1-obiettivi.html
  (targets relative to a baseline, changes measured as ratios).

Every figure below was typed from the documents, never from the ledger's output, and every
figure the stored text prints is compared with the replay at its printed precision, or named.
"""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from formats.italian_numbers import parse_number
from ledger.connect import open_store
from projections.cruscotto import Cruscotto, replay
from projections.findings import Finding, audit
from tests.cli.conftest import ledger

HERE = Path(__file__).resolve().parent


def loaded(db: str, name: str) -> None:
    path = HERE / f"{name}-acts.yaml"
    code, out = ledger(db, "load", str(path))
    assert code == 0, out


def cruscotto(db: str, stream: str, day: date) -> Cruscotto:
    store = open_store(db)
    try:
        return replay(store.read_stream(stream), stream, as_of=day)
    finally:
        store.close()


def findings(db: str, stream: str, day: date) -> list[Finding]:
    store = open_store(db)
    try:
        return audit(list(store.read_stream(stream)), stream, as_of=day)
    finally:
        store.close()


def printed(text: str) -> Decimal:
    return parse_number(text)


# -- Allegato n. 5: five levels, equal-weight means --------------------------------------------

PROCESSI = "ateneo/2019"
# code: (Target, Valore consuntivo), as the table prints them
TARGETS_AND_RESULTS = {
    "2019_050301_PROC_74": ("4,00", "4,90"),
    "2019_050301_PROC_75": ("On", "On"),
    "2019_050301_PROC_76": ("On", "On"),
    "2019_050302_PROC_77": ("4,00", "4,70"),
    "2019_050302_PROC_78": ("4,00", "2,00"),
    "2019_050302_PROC_79": ("On", "On"),
    "2019_050402_PROC_83": ("30,00", "30,00"),
}


@pytest.fixture
def processi(db_url: str) -> Cruscotto:
    loaded(db_url, "ateneo-2019-processi")
    return cruscotto(db_url, PROCESSI, date(2020, 12, 31))


def test_the_codes_spell_five_levels_direzione_sezione_uo_obiettivo_indicatore(
    processi: Cruscotto,
) -> None:
    assert [rule.name for rule in processi.levels] == [
        "Direzione",
        "Sezione",
        "Unità organizzativa",
        "Obiettivo annuale",
        "Indicatore",
    ]
    objective = processi.node("2019_050302_PROC_78")
    uo = processi.node("050302")
    assert objective in uo.children and uo in processi.node("0503").children
    assert processi.node("0503") in processi.node("05").children


def test_every_target_and_consuntivo_the_table_prints_is_the_replays(processi: Cruscotto) -> None:
    for code, (target, result) in TARGETS_AND_RESULTS.items():
        indicator = processi.node(code).children[0]
        assert indicator.target_label == target, code
        if result == "On":
            assert indicator.score is not None and indicator.measured == "sì", code
        else:
            assert indicator.measured_value == printed(result), code


def test_the_equal_weight_means_of_the_inferred_smvp(processi: Cruscotto) -> None:
    # Not figures of the document (its "Livello di conseguimento" is not in the stored text):
    # the inferred rules worked by hand. Scores: 4,90 and 4,70 of 4 capped at 100; 2 of 4
    # giornate: 50; On: 100; 30 of 30: 100.
    assert processi.node("2019_050302_PROC_78").result == 50
    # U.O. 050302: (100 + 50 + 100) / 3; U.O. 050301: 100; Sezione 0503: their plain mean
    assert processi.node("050302").result == Decimal("83.33333333333333333333333333")
    assert processi.node("0503").result == Decimal("91.66666666666666666666666667")
    # Direzione: (Sezione 0503 + Sezione 0504 = 100) / 2 = 95,8333...
    assert processi.node("05").result == Decimal("95.83333333333333333333333333")


# -- ATER di Potenza 2015: the managers' weights and conversion factors -------------------------

ATER = "ater-pz/2015"
# Tabella 1: objective -> (Bilancia, Pignatelli, Arcieri), as printed
TABELLA_1 = {
    "1": ("0,00", "2,50", "0,00"),
    "2": ("0,00", "3,52", "7,48"),
    "3": ("1,54", "4,46", "0,00"),
    "4": ("0,00", "2,30", "1,80"),
    "5": ("0,00", "0,00", "3,00"),
    "6": ("1,50", "0,00", "4,00"),
    "7": ("1,40", "0,00", "0,00"),
    "8": ("0,00", "2,50", "0,00"),
    "9": ("0,00", "0,00", "1,50"),
    "10": ("0,00", "2,50", "0,00"),
}
PESO_CALCOLATO = ("4,44", "17,78", "17,78")
PESO_EFFETTIVO = ("10", "40", "40")
FATTORE = ("2,2523", "2,2497", "2,2497")
MANAGERS = ("bilancia", "pignatelli", "arcieri")


@pytest.fixture
def ater(db_url: str) -> Cruscotto:
    loaded(db_url, "ater-potenza-2015")
    return cruscotto(db_url, ATER, date(2015, 12, 31))


def test_every_weight_of_tabella_1_is_the_plans(ater: Cruscotto) -> None:
    by_key = {manager.key: manager for manager in ater.managers}
    for column, key in enumerate(MANAGERS):
        weights = {code: weight for code, _, weight, _ in by_key[key].items}
        for objective, row in TABELLA_1.items():
            assert weights.get(objective, Decimal(0)) == printed(row[column]), (key, objective)


def test_the_sums_points_and_conversion_factors_are_the_documents(ater: Cruscotto) -> None:
    by_key = {manager.key: manager for manager in ater.managers}
    for column, key in enumerate(MANAGERS):
        manager = by_key[key]
        assert manager.weight_total == printed(PESO_CALCOLATO[column]), key
        assert manager.points == printed(PESO_EFFETTIVO[column]), key
        # "Fattore di conversione", printed to four decimals: 10 / 4,44 = 2,25225...
        assert manager.factor is not None
        assert manager.factor.quantize(Decimal("0.0001")) == printed(FATTORE[column]), key


def test_the_ten_objectives_of_tabella_1_are_the_plans(ater: Cruscotto) -> None:
    assert [node.code for node in ater.roots] == list(TABELLA_1)
    assert (
        ater.node("9").title == "RIQUALIFICAZIONE E MESSA A REDDITO IMMOBILE VIA PRETORIA (EX INPS)"
    )


# -- Allegato 1: targets relative to a baseline, changes measured as ratios ---------------------

ISTITUZIONALE = "ateneo-istituzionale/2019"
# indicator: "monitoraggio intermedio 2019" as printed, and its inputs from the Note column
MONITORAGGIO = {
    "1.4-wos": ("+15%", 496, 430),
    "1.4-scopus": ("+16%", 581, 498),
    "2.1-offerte": ("- 34%", 503, 766),
    "2.1-borse": ("+10,64%", 2511 + 100, 2260 + 100),
    "3.1-esteri": ("14%", 352, 308),
}


# indicator: "2019 target" as printed; objective: "peso obiettivo" as printed
TARGETS = {
    "1.4-wos": "+ 10%",
    "1.4-scopus": "+ 10%",
    "1.1-ricavi": "9M€",
    "2.1-offerte": "+10% sul 2018",
    "2.1-borse": "+10% sul 2018",
    "3.1-esteri": "+ 20% rispetto al 2018",
}
PESI = {"1.4-a": "5%", "1.1-a": "5%", "2.1-a": "10%", "3.1-a": "10%"}
# Also printed, and not recomputable: "0,049 (indicatore A_B_3 ...)" in the Note of row 3.1, a
# share whose denominator the document does not give; it is left in the transcription's notes.


@pytest.fixture
def istituzionale(db_url: str) -> str:
    loaded(db_url, "ateneo-istituzionali-2019")
    return db_url


def test_each_change_against_its_baseline_is_divided_exactly(istituzionale: str) -> None:
    view = cruscotto(istituzionale, ISTITUZIONALE, date(2019, 6, 30))
    for code, (_, value, baseline) in MONITORAGGIO.items():
        node = view.node(code)
        expected = (Decimal(value) / Decimal(baseline) * 100 - 100).quantize(Decimal("0.0001"))
        assert node.measured_value is not None
        assert node.measured_value.quantize(Decimal("0.0001")) == expected, code
    assert view.node("1.1-ricavi").measured_value == 11  # "11M€"
    assert {code: view.node(code).target_label for code in TARGETS} == TARGETS


def test_the_objectives_weights_are_kept_as_printed(istituzionale: str) -> None:
    store = open_store(istituzionale)
    try:
        notes = {
            e.event.key: e.event.note
            for e in store.read_stream(ISTITUZIONALE)
            if e.type == "ObjectiveDefined" and e.event.key in PESI
        }
    finally:
        store.close()
    assert notes == {key: f"peso obiettivo {weight}" for key, weight in PESI.items()}


def test_the_printed_changes_agree_but_one_which_differs_only_by_its_rounding(
    istituzionale: str,
) -> None:
    # 581 / 498 = +16,67 %: the document prints "+16%", which rounded half up would be +17 %.
    # The other five printed figures agree at their printed precision (+15,35 -> +15;
    # -34,33 -> -34; +10,636 -> +10,64; +14,29 -> 14; 11 -> 11).
    found = findings(istituzionale, ISTITUZIONALE, date(2019, 6, 30))
    rounding = [f for f in found if f.kind == "reported_rounding"]
    assert [(f.severity, f.node) for f in rounding] == [("nota", "1.4-scopus")]
    assert "printed +16%, the evidence gives 16,67" in rounding[0].reason
    [matched] = [f for f in found if f.kind == "reported_match"]
    assert len(matched.seqs) == 5
    assert not [f for f in found if f.severity == "alta"]
