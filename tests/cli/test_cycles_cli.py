"""One administration across its cycles: PIAO deadlines, history --cycles, last year beside."""

import json
from pathlib import Path
from typing import Any

import yaml

from tests.cli.conftest import count, ledger
from tests.trees import leaf, level, node, plan

TREE = [level("obiettivo", "mean_of_children", achievement={}), level("indicatore", "kpi")]


def cycle_file(folder: Path, year: int, **cycle: Any) -> Path:
    data = plan(
        TREE,
        [node("o1", [leaf("1.1"), leaf("1.2")], target=80), node("o2", [leaf("2.1")], target=100)],
        stream=f"comune-prova/{year}",
        year=year,
        **cycle,
    )
    path = folder / f"piano-{year}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def recorded_year(db: str, folder: Path, year: int, values: dict[str, str], **cycle: Any) -> None:
    stream = f"comune-prova/{year}"
    assert ledger(db, "plan", "import", str(cycle_file(folder, year, **cycle)), "--date",
                  f"10/01/{year}")[0] == 0  # fmt: skip
    code, out = ledger(db, "record", "approval", "plan", "--number", "3", "--date",
                       f"20/01/{year}", "--cycle", stream)  # fmt: skip
    assert code == 0, out
    for code_, value in values.items():
        assert ledger(db, "record", "measurement", code_, value, "--date", f"30/04/{year + 1}",
                      "--cycle", stream)[0] == 0  # fmt: skip


def test_an_objective_is_followed_across_the_cycles(db_url: str, tmp_path: Path) -> None:
    ledger(db_url, "init")
    recorded_year(db_url, tmp_path, 2021, {"1.1": "60", "1.2": "80", "2.1": "90"})
    recorded_year(db_url, tmp_path, 2022, {"1.1": "100", "1.2": "90", "2.1": "100"})
    code, out = ledger(db_url, "history", "o1", "--cycles", "--cycle", "comune-prova/2022",
                       "--format", "json")  # fmt: skip
    assert code == 0, out
    rows = json.loads(out)["cycles"]
    # 2021: (60 + 80) / 2 = 70, against 80: 87,5; 2022: (100 + 90) / 2 = 95, capped at 100
    assert [(r["cycle"], r["result"], r["achievement"]) for r in rows] == [
        ("comune-prova/2021", 70, 87.5),
        ("comune-prova/2022", 95, 100),
    ]


def test_last_years_result_is_shown_beside_this_years(db_url: str, tmp_path: Path) -> None:
    ledger(db_url, "init")
    recorded_year(db_url, tmp_path, 2021, {"1.1": "60", "1.2": "80", "2.1": "90"})
    recorded_year(db_url, tmp_path, 2022, {"1.1": "100", "1.2": "90", "2.1": "100"})
    code, out = ledger(db_url, "replay", "--cycle", "comune-prova/2022", "--as-of", "30/06/2023",
                       "--previous", "--format", "json")  # fmt: skip
    assert code == 0, out
    data = json.loads(out)
    assert data["previous_cycle"] == "comune-prova/2021"
    o1 = data["ente"]["nodes"][0]
    assert (o1["result"], o1["previous_result"], o1["previous_achievement"]) == (95, 70, 87.5)
    # the ente: mean of the objectives, (95 + 100) / 2 = 97,5; the year before (70 + 90) / 2 = 80
    assert (data["ente"]["result"], data["ente"]["previous_result"]) == (97.5, 80)
    table = ledger(db_url, "replay", "--cycle", "comune-prova/2022", "--as-of", "30/06/2023",
                   "--previous")[1]  # fmt: skip
    assert "Previous year (comune-prova/2021)" in table
    assert "previous year (comune-prova/2021): 80,00 %" in table


def test_a_first_cycle_has_no_previous_to_show(db_url: str, tmp_path: Path) -> None:
    ledger(db_url, "init")
    recorded_year(db_url, tmp_path, 2021, {"1.1": "60"})
    assert ledger(db_url, "replay", "--previous") == (
        1,
        "Error: comune-prova/2021 has no previous cycle in this ledger (name it as the plan "
        "file's cycle.previous, or record the year before)\n",
    )


def test_the_piao_of_2022_was_due_by_30_june(db_url: str, tmp_path: Path) -> None:
    ledger(db_url, "init")
    recorded_year(db_url, tmp_path, 2022, {}, container="piao")
    out = ledger(db_url, "audit", "--as-of", "31/12/2022", "--format", "json")[1]
    deadline = next(f for f in json.loads(out)["findings"] if f["kind"] == "deadline")
    assert deadline["severity"] == "nota"
    assert deadline["reason"] == (
        "the PIAO (sottosezione 2.2 Performance) approved 20/01/2022 (Deliberazione della Giunta "
        f"n. 3, seq {deadline['seqs'][0]}): in time for the legal deadline 30/06/2022"
    )


def test_a_comunes_own_plan_deadline_is_the_one_checked(db_url: str, tmp_path: Path) -> None:
    ledger(db_url, "init")
    # 30 days after the bilancio di previsione, approved on 15 December 2020 (say)
    recorded_year(db_url, tmp_path, 2021, {}, plan_deadline="2021-01-14")
    out = ledger(db_url, "audit", "--as-of", "31/12/2021", "--format", "json")[1]
    deadline = next(f for f in json.loads(out)["findings"] if f["kind"] == "deadline")
    assert deadline["severity"] == "alta"
    assert deadline["reason"].endswith(
        "6 days after the legal deadline 14/01/2021 (art. 10 D.Lgs. 150/2009)"
    )


def test_a_piano_operativo_puts_its_changes_in_force(db_url: str, tmp_path: Path) -> None:
    ledger(db_url, "init")
    recorded_year(db_url, tmp_path, 2021, {})
    assert ledger(db_url, "record", "amendment", "o1", "--title", "Obiettivo rinnovato",
                  "--reason", "PDO", "--date", "01/03/2021")[0] == 0  # fmt: skip
    before = count(db_url)
    code, out = ledger(db_url, "record", "approval", "operational_plan", "--number", "12",
                       "--date", "05/03/2021")  # fmt: skip
    assert code == 0, out
    assert count(db_url) == before + 1
    shown = json.loads(ledger(db_url, "plan", "show", "--as-of", "06/03/2021", "--format",
                              "json")[1])  # fmt: skip
    assert shown["pending"] == 0
    assert next(n for n in shown["nodes"] if n["key"] == "o1")["title"] == "Obiettivo rinnovato"
