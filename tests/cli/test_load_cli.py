"""`ledger load FILE`: a cycle from its documents, as a backfill, all or nothing, idempotent."""

from pathlib import Path
from typing import Any

import pytest
import yaml

from cli.example import EXAMPLES
from ledger.connect import open_store
from tests.cli.conftest import count, ledger
from tests.trees import kpi, leaf, level, node, plan

CYCLE = "ateneo-prova/2021"


def plan_data() -> dict[str, Any]:
    tree = [
        level("obiettivo", "mean_of_children"),
        level("indicatore", "kpi"),
    ]
    ratio = kpi(target=90, unit="%", ratio={"numerator": "evase", "denominator": "ricevute",
                                            "scale": 100})  # fmt: skip
    return plan(
        tree,
        [node("o1", [leaf("1.1"), leaf("1.2", kpi=ratio)]), node("o2", [leaf("2.1")])],
        stream=CYCLE,
        bodies=["cda", "nucleo"],
    )


def acts(*extra: dict[str, Any], source: str | None = "Relazione 2021") -> dict[str, Any]:
    listed: list[dict[str, Any]] = [
        {"id": "piano", "act": "plan", "file": "piano.yaml", "date": "20/01/2021"},
        {"id": "approvazione", "act": "approval", "subject": "plan", "body": "cda",
         "number": "7", "date": "27/01/2021"},
        {"id": "m-1.1", "act": "measurement", "action": "1.1", "value": "≥ 95 %",
         "date": "30/04/2022"},
        {"id": "m-1.2", "act": "measurement", "action": "1.2", "value": "45/50",
         "date": "30/04/2022"},
        *extra,
    ]  # fmt: skip
    data: dict[str, Any] = {"format": "performance-ledger/acts/2", "cycle": CYCLE, "acts": listed}
    if source is not None:
        data["source"] = source
    return data


def write(folder: Path, document: dict[str, Any], name: str = "atti.yaml") -> Path:
    (folder / "piano.yaml").write_text(yaml.safe_dump(plan_data(), allow_unicode=True), "utf-8")
    path = folder / name
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def events(db: str) -> list[Any]:
    store = open_store(db)
    try:
        return list(store.read_stream(CYCLE))
    finally:
        store.close()


def test_an_acts_file_is_recorded_whole_as_a_backfill(db_url: str, tmp_path: Path) -> None:
    path = write(tmp_path, acts())
    code, out = ledger(db_url, "load", str(path))
    # the cycle, five nodes, the approval and two measurements
    assert (code, out) == (0, f"{path}: recorded 9 events of 4 acts in {CYCLE}\n")
    recorded = events(db_url)
    assert {entry.event.source for entry in recorded} == {"Relazione 2021"}
    approval = next(e.event for e in recorded if e.type == "ApprovalRecorded")
    assert (approval.body, approval.act, approval.number) == (
        "Consiglio di amministrazione",
        "Deliberazione del CdA n. 7",
        "7",
    )
    bound = next(e.event for e in recorded if e.type == "MeasurementRecorded")
    assert (bound.value, bound.bound, bound.unit) == (95, "at_least", "%")


def test_loading_the_same_file_again_records_nothing(db_url: str, tmp_path: Path) -> None:
    path = write(tmp_path, acts())
    ledger(db_url, "load", str(path))
    before = count(db_url)
    assert ledger(db_url, "load", str(path)) == (
        0,
        f"{path}: already recorded in {CYCLE}; nothing to do\n",
    )
    assert count(db_url) == before


def test_a_file_that_grew_records_only_its_new_acts(db_url: str, tmp_path: Path) -> None:
    ledger(db_url, "load", str(write(tmp_path, acts())))
    grown = acts({"id": "m-2.1", "act": "measurement", "action": "2.1", "value": "80",
                  "date": "30/04/2022"})  # fmt: skip
    path = write(tmp_path, grown)
    assert ledger(db_url, "load", str(path)) == (
        0,
        f"{path}: recorded 1 events of 1 acts in {CYCLE} (4 acts already recorded)\n",
    )


def test_a_refused_act_writes_nothing_of_the_whole_file(db_url: str, tmp_path: Path) -> None:
    wrong = acts({"id": "m-9.9", "act": "measurement", "action": "9.9", "value": "80",
                  "date": "30/04/2022"})  # fmt: skip
    assert ledger(db_url, "init")[0] == 0
    code, out = ledger(db_url, "load", str(write(tmp_path, wrong)))
    assert (code, out) == (
        1,
        f"Error: acts[4] (m-9.9): 9.9 is not in the plan of {CYCLE} in force on 30/04/2022 "
        "(see: ledger plan show)\n",
    )
    assert count(db_url) == 0


def test_a_value_that_is_not_a_number_names_the_act_and_is_a_usage_error(
    db_url: str, tmp_path: Path
) -> None:
    wrong = acts({"id": "m-2.1", "act": "measurement", "action": "2.1", "value": "warm",
                  "date": "30/04/2022"})  # fmt: skip
    code, out = ledger(db_url, "load", str(write(tmp_path, wrong)))
    assert code == 2, out
    assert out.startswith("Error: acts[4] (m-2.1): 'warm' is not a number")
    assert count(db_url) == 0


def test_a_backfill_without_a_source_is_refused(db_url: str, tmp_path: Path) -> None:
    path = write(tmp_path, acts(source=None))
    code, out = ledger(db_url, "load", str(path))
    assert (code, out) == (
        2,
        f"Error: {path}: a backfill names the document it was transcribed from: give "
        "--source DOC (or `source:` in the file)\n",
    )
    code, out = ledger(db_url, "load", str(path), "--source", "Verbale NdV n. 3/2022")
    assert code == 0, out
    assert {entry.event.source for entry in events(db_url)} == {"Verbale NdV n. 3/2022"}


def test_a_key_of_the_file_the_format_does_not_know_is_named_with_its_path(
    db_url: str, tmp_path: Path
) -> None:
    wrong = acts({"id": "m-2.1", "act": "measurement", "action": "2.1", "valore": "80",
                  "date": "30/04/2022"})  # fmt: skip
    path = write(tmp_path, wrong)
    code, out = ledger(db_url, "load", str(path))
    assert (code, out) == (
        2,
        f"Error: {path}: acts[4] (m-2.1).valore: Extra inputs are not permitted\n",
    )


def test_the_example_is_the_same_load_and_neither_records_twice(db_url: str) -> None:
    assert ledger(db_url, "example", "sondrio-2020", "--no-show") == (
        0,
        "sondrio-2020: recorded 180 events\n",
    )
    acts_file = EXAMPLES / "sondrio-2020-acts.yaml"
    assert ledger(db_url, "load", str(acts_file)) == (
        0,
        f"{acts_file}: already recorded in cciaa-so/2020; nothing to do\n",
    )


def test_a_single_act_names_its_source_too(db_url: str, tmp_path: Path) -> None:
    ledger(db_url, "load", str(write(tmp_path, acts())))
    code, out = ledger(
        db_url, "record", "measurement", "2.1", "70", "--date", "30/04/2022",
        "--source", "Relazione 2021, tabella 4",
    )  # fmt: skip
    assert code == 0, out
    assert events(db_url)[-1].event.source == "Relazione 2021, tabella 4"


NOT_A_BODY = (
    "'rettore' is not a body of ateneo-prova/2021 (its bodies: cda (Consiglio di "
    "amministrazione), nucleo (Nucleo di valutazione))"
)


@pytest.mark.parametrize(("options", "line"), [(["--body", "rettore"], NOT_A_BODY)])
def test_an_approval_by_a_body_the_cycle_does_not_have_is_refused(
    db_url: str, tmp_path: Path, options: list[str], line: str
) -> None:
    ledger(db_url, "load", str(write(tmp_path, acts())))
    before = count(db_url)
    code, out = ledger(
        db_url, "record", "approval", "relazione", *options, "--number", "3", "--date",
        "20/06/2022",
    )  # fmt: skip
    assert (code, out) == (1, f"Error: {line}\n")
    assert count(db_url) == before


def test_the_nucleo_validates_a_universitys_relazione(db_url: str, tmp_path: Path) -> None:
    ledger(db_url, "load", str(write(tmp_path, acts())))
    ledger(db_url, "record", "approval", "relazione", "--number", "41", "--date", "20/06/2022")
    code, out = ledger(db_url, "record", "validation", "--date", "28/06/2022")
    assert code == 0, out
    approval, validation = [e.event for e in events(db_url)][-2:]
    assert (approval.body, approval.act) == (
        "Consiglio di amministrazione",
        "Deliberazione del CdA n. 41",
    )
    assert validation.body == "Nucleo di valutazione"
    trail = ledger(db_url, "trail", "--type", "ValidationRecorded")[1]
    assert "validation of the Relazione by the Nucleo di valutazione" in trail
