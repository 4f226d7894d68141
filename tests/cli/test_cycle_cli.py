"""The cycle through the command line: exit codes, exact error lines, nothing written on refusal."""

import json
from pathlib import Path

import pytest
import yaml

from tests.builders import small_plan
from tests.cli.conftest import count, ledger


def test_a_measurement_is_recorded_with_an_italian_number(approved: str) -> None:
    code, out = ledger(
        approved, "record", "measurement", "1.1.2", "28,5 gg", "--date", "30/04/2021"
    )
    assert code == 0, out
    assert out.startswith("recorded seq ") and "MeasurementRecorded in test-ente/2020" in out
    data = json.loads(ledger(approved, "replay", "--as-of", "2021-04-30", "--format", "json")[1])
    action = data["ente"]["perspectives"][0]["strategic"][0]["operational"][0]["actions"][1]
    assert (action["code"], action["measured"], action["computed"], action["result"]) == (
        "1.1.2",
        "28,50",
        80,
        80,
    )  # medio 29 reached, lower is better


def test_an_unknown_action_exits_1_with_one_line_and_writes_nothing(approved: str) -> None:
    before = count(approved)
    code, out = ledger(approved, "record", "measurement", "9.9.9", "5", "--date", "30/04/2021")
    assert (code, out) == (
        1,
        "Error: 9.9.9 is not in the plan of test-ente/2020 in force on "
        "30/04/2021 (see: ledger plan show)\n",
    )
    assert count(approved) == before


def test_a_value_that_is_not_a_number_is_a_usage_error(approved: str) -> None:
    before = count(approved)
    code, out = ledger(approved, "record", "measurement", "1.1.1", "warm")
    assert code == 2 and "'warm' is not a number" in out
    assert count(approved) == before


def test_an_ambiguous_number_is_refused_not_guessed(approved: str) -> None:
    code, out = ledger(approved, "record", "measurement", "1.1.1", "1.10")
    assert code == 2 and "'1.10' is ambiguous" in out


def test_replay_accepts_both_date_forms_and_gives_the_same_cruscotto(approved: str) -> None:
    ledger(approved, "record", "measurement", "1.1.1", "95", "--date", "30/04/2021")
    iso = ledger(approved, "replay", "--as-of", "2021-04-30", "--format", "json")[1]
    italian = ledger(approved, "replay", "--as-of", "30/04/2021", "--format", "json")[1]
    assert iso == italian and json.loads(iso)["as_of"] == "2021-04-30"


def test_replay_before_any_approval_says_no_plan_is_in_force(db_url: str, plan_file: Path) -> None:
    ledger(db_url, "init")
    ledger(db_url, "plan", "import", str(plan_file), "--date", "20/01/2020")
    code, out = ledger(db_url, "replay", "--as-of", "2020-01-25")
    assert code == 0
    assert "no plan in force on 25/01/2020 (" in out and "changes pending approval)" in out


def test_replay_in_every_format(approved: str) -> None:
    ledger(approved, "record", "measurement", "1.1.1", "95", "--date", "30/04/2021")
    table = ledger(approved, "replay", "--as-of", "2021-04-30")[1]
    assert "Obiettivo strategico" in table and "% Achievement" in table and "80,00 %" in table
    rows = ledger(approved, "replay", "--as-of", "2021-04-30", "--format", "csv")[1].splitlines()
    assert rows[0].startswith("level,key,code,parent,title,weight,kpi")
    assert any(
        row.startswith("action,1.1.1,1.1.1,1.1,Soglie,50,") and ",80," in row for row in rows
    )


def test_known_at_shows_what_the_ledger_held_before_a_correction(approved: str) -> None:
    _, out = ledger(approved, "record", "measurement", "1.1.1", "95", "--date", "30/04/2021")
    seq = out.split()[2]
    log = json.loads(ledger(approved, "log", "--format", "json")[1])
    recorded = log[-1]["recorded_at"]
    code, out = ledger(
        approved,
        "record",
        "correction",
        seq,
        "--value",
        "100",
        "--reason",
        "recount",
        "--date",
        "10/05/2021",
    )
    assert code == 0, out

    def result(*extra: str) -> int:
        data = json.loads(
            ledger(approved, "replay", "--as-of", "2021-06-30", "--format", "json", *extra)[1]
        )
        return int(
            data["ente"]["perspectives"][0]["strategic"][0]["operational"][0]["actions"][0][
                "result"
            ]
        )

    assert result() == 100
    assert result("--known-at", recorded) == 80


def test_several_cycles_need_cycle(approved: str, tmp_path: Path) -> None:
    other = small_plan()
    other["cycle"]["id"] = "test-ente/2021"
    other["cycle"]["year"] = 2021
    path = tmp_path / "piano-2021.yaml"
    path.write_text(yaml.safe_dump(other, allow_unicode=True), encoding="utf-8")
    ledger(approved, "plan", "import", str(path))
    code, out = ledger(approved, "replay")
    assert (code, out) == (
        1,
        "Error: the ledger holds several cycles (test-ente/2020, "
        "test-ente/2021): choose one with --cycle\n",
    )
    assert ledger(approved, "replay", "--cycle", "test-ente/2020")[0] == 0
    code, out = ledger(approved, "replay", "--cycle", "nope/2020")
    assert code == 1 and out.startswith("Error: cycle nope/2020 does not exist")


def test_importing_the_same_plan_file_again_records_nothing(db_url: str, plan_file: Path) -> None:
    ledger(db_url, "init")
    ledger(db_url, "plan", "import", str(plan_file))
    before = count(db_url)
    code, out = ledger(db_url, "plan", "import", str(plan_file))
    assert code == 0 and "already recorded" in out and count(db_url) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("cycle: [", "piano.yaml: line 1: expected the node content"),
        ("perspectives: []\n", "piano.yaml: cycle: Field required"),
        (
            "format: performance-ledger/plan/1\n"
            "cycle: {id: a/1, entity: a, entity_name: A, year: 2020}\n"
            "perspectives:\n"
            " - {key: p, title: P, strategic: [{key: s, title: S, target: 1.400}]}\n",
            "piano.yaml: line 4: 1.400 is ambiguous",
        ),
        ("\xff\xfe", "piano.yaml: not a UTF-8 text file"),
    ],
)
def test_a_broken_plan_file_is_one_line_exit_2_and_nothing_written(
    db_url: str, tmp_path: Path, content: str, message: str
) -> None:
    ledger(db_url, "init")
    path = tmp_path / "piano.yaml"
    path.write_bytes(content.encode("latin-1"))
    code, out = ledger(db_url, "plan", "import", str(path))
    assert code == 2 and out.startswith(f"Error: {path.parent}/{message}"), out
    assert out.count("\n") == 1
    assert count(db_url) == 0


def test_a_missing_plan_file_is_named(db_url: str, tmp_path: Path) -> None:
    ledger(db_url, "init")
    code, out = ledger(db_url, "plan", "import", str(tmp_path / "nope.yaml"))
    assert (code, out) == (2, f"Error: {tmp_path / 'nope.yaml'}: no such file\n")


def test_the_example_twice_records_nothing_the_second_time(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'sondrio.db'}"
    code, out = ledger(db, "example", "sondrio-2020")
    assert code == 0 and "Performance di ente: 96,67 % (Eccellente)" in out
    before = count(db)
    code, out = ledger(db, "example", "sondrio-2020", "--no-show")
    assert (code, out) == (0, "sondrio-2020: already recorded\n") and count(db) == before


def test_a_json_plan_file_is_imported_like_a_yaml_one(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "piano.json"
    path.write_text(json.dumps(small_plan(), ensure_ascii=False), encoding="utf-8")
    ledger(db_url, "init")
    code, out = ledger(db_url, "plan", "import", str(path), "--date", "20/01/2020")
    assert code == 0, out
    assert out.startswith("recorded ") and "events in test-ente/2020" in out


def test_plan_show_gives_the_tree_in_force_and_the_pending_changes(
    db_url: str, plan_file: Path
) -> None:
    ledger(db_url, "init")
    ledger(db_url, "plan", "import", str(plan_file), "--date", "20/01/2020")
    code, out = ledger(db_url, "plan", "show", "--as-of", "25/01/2020")
    assert (code, out) == (
        0,
        "test-ente/2020: no plan in force yet\n16 plan changes pending approval\n",
    )
    ledger(db_url, "record", "approval", "plan", "--act", "n. 5/GC", "--date", "27/01/2020")
    shown = json.loads(
        ledger(db_url, "plan", "show", "--as-of", "27/01/2020", "--format", "json")[1]
    )
    nodes = {node["key"]: node for node in shown["nodes"]}
    assert shown["pending"] == 0 and len(nodes) == 16  # 2 + 3 + 4 + 7
    assert (nodes["1.1.2"]["parent"], nodes["1.1.2"]["weight"], nodes["1.1.2"]["kind"]) == (
        "1.1",
        50,
        "threshold",
    )
    assert nodes["1.1.2"]["in_force_from"] == "2020-01-27"
    table = ledger(db_url, "plan", "show", "--as-of", "27/01/2020")[1]
    assert "    1.1.2" in table and "Giorni" in table
