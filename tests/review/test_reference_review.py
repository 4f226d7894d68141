"""The OIV's review of the reference case through the command line (README "For the OIV")."""

import json

from ledger.store import SqlEventStore
from tests.review.cycles import run


def test_the_example_registers_its_actors_in_their_roles(sondrio_url: str) -> None:
    result = run(sondrio_url, "actors", "list", "--format", "json")
    assert result.exit_code == 0, result.output
    registry = json.loads(result.stdout)
    assert not registry["open"]
    assert {a["actor"]: a["role"] for a in registry["actors"]} == {
        "amministratore": "administrator",
        "controllo-gestione": "controller",
        "segreteria-giunta": "giunta-secretariat",
        "segretario-generale": "direzione",
        "oiv": "oiv",
        "ufficio-trasparenza": "publisher",
    }


def test_the_audit_of_the_reference_case_names_each_finding(sondrio_url: str) -> None:
    result = run(sondrio_url, "audit", "--as-of", "2021-12-31", "--format", "json")
    assert result.exit_code == 0, result.output
    found = [(f["severity"], f["kind"], f["node"]) for f in json.loads(result.stdout)["findings"]]
    assert found == [
        ("alta", "unruled_score", "3.5.2"),
        ("alta", "reported_mismatch", "competitivita-delle-imprese"),
        ("alta", "reported_mismatch", "utilizzo-ottimale-delle-risorse"),
        ("alta", "reported_mismatch", None),
        ("media", "stated_without_measure", "3.1.1"),
        ("media", "empty_approval", None),
        ("nota", "deadline", None),
        ("nota", "deadline", None),
        ("nota", "override", "3.3.1"),
        ("nota", "override", "8.1.1"),
        ("nota", "override", "3.4.1"),
        ("nota", "backfill", None),
        ("nota", "reported_match", None),
    ]


def test_the_history_of_3_3_1_shows_the_override_over_the_computed_score(
    sondrio_url: str,
) -> None:
    result = run(sondrio_url, "history", "3.3.1", "--format", "json")
    assert result.exit_code == 0, result.output
    events = json.loads(result.stdout)["events"]
    last = events[-1]
    assert (last["type"], last["actor"], last["role"]) == (
        "OverrideRecorded",
        "segretario-generale",
        "direzione",
    )
    assert (last["before"], last["after"], last["result_before"], last["result_after"]) == (
        "—",
        "60,00 %",
        0,
        60,
    )
    measured = events[-2]
    assert (measured["summary"], measured["result_after"]) == (
        "measurement 3.3.1 = 35,87 giorni",
        0,
    )


def test_the_diff_from_april_to_june_is_made_by_the_overrides_and_3_4_1(
    sondrio_url: str,
) -> None:
    result = run(
        sondrio_url, "diff", "--from", "30/04/2021", "--to", "30/06/2021", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    nodes = {n["code"] or n["key"]: n for n in json.loads(result.stdout)["nodes"]}
    actions = sorted(code for code, n in nodes.items() if n["level"] == "action")
    assert actions == ["3.3.1", "3.4.1", "8.1.1"]
    assert (nodes[None]["result_before"], nodes[None]["result_after"]) == (93.33, 96.67)


def test_the_reference_ledger_verifies(sondrio_url: str) -> None:
    result = run(sondrio_url, "verify")
    assert result.exit_code == 0, result.output


def test_a_reported_raggiungimento_of_an_operational_objective_is_refused(
    reviewed: SqlEventStore, db_url: str
) -> None:
    before = reviewed.count()
    result = run(
        db_url,
        "--actor",
        "oiv-1",
        "record",
        "reported",
        "achievement",
        "84 %",
        "--node",
        "1.1",
        "--document",
        "Relazione",
        "--where",
        "tabella 3.1",
        "--date",
        "14/06/2021",
    )
    assert result.exit_code == 1, result.output
    assert result.stderr == (
        "Error: 1.1 is not a strategic objective: only those have a % raggiungimento (name no "
        "node for the ente's)\n"
    )
    assert reviewed.count() == before


def test_a_reported_figure_is_compared_with_the_evidence(
    reviewed: SqlEventStore, db_url: str
) -> None:
    result = run(
        db_url,
        "--actor",
        "oiv-1",
        "record",
        "reported",
        "result",
        "90,00 %",
        "--node",
        "s1",
        "--document",
        "Relazione",
        "--where",
        "tabella 3.1",
        "--date",
        "14/06/2021",
    )
    assert result.exit_code == 0, result.output
    found = json.loads(run(db_url, "audit", "--as-of", "2021-12-31", "--format", "json").stdout)
    [mismatch] = [f for f in found["findings"] if f["kind"] == "reported_mismatch"]
    assert mismatch["reason"] == (
        "Relazione, tabella 3.1: the result of 'Primo strategico' printed 90,00 %, the evidence "
        "gives 100,00 %"
    )


def test_an_unknown_measure_is_a_usage_error(reviewed: SqlEventStore, db_url: str) -> None:
    result = run(db_url, "record", "reported", "mood", "5", "--document", "R", "--where", "w")
    assert result.exit_code == 2, result.output
    assert "'mood' is not one of result, achievement, strategic_at_100" in result.stderr
