"""Refusals reach an Italian user in Italian: one line, the value at fault, the right exit code.

Each test runs `ledger` as a user does (a subprocess, `LEDGER_LANG=it`), with a bad value of
one area: a number in a plan file, a KPI missing what its kind needs, a stored payload that no
longer decodes, a database URL, a sheet's date, a workbook that is no workbook. The expected
Italian is typed by hand from the catalog's wording.
"""

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.builders import small_plan

LEDGER = str(Path(sys.executable).with_name("ledger"))


def _run(*words: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LEDGER_LANG": "it", "COLUMNS": "200", "PAGER": "cat"}
    return subprocess.run(
        [LEDGER, *words], capture_output=True, text=True, env=env, cwd=cwd, check=False
    )


def _error_line(done: subprocess.CompletedProcess[str]) -> str:
    lines = [line for line in done.stderr.splitlines() if line.startswith("Errore: ")]
    assert len(lines) == 1, done.stderr
    assert "Traceback" not in done.stderr
    return lines[0]


def _plan_file(folder: Path, plan: dict[str, Any]) -> Path:
    path = folder / "piano.yaml"
    path.write_text(yaml.safe_dump(plan, allow_unicode=True), encoding="utf-8")
    return path


def _import_plan(folder: Path, db: str, plan: dict[str, Any]) -> subprocess.CompletedProcess[str]:
    path = _plan_file(folder, plan)
    return _run("--db", db, "plan", "import", str(path), "--date", "20/01/2020", cwd=folder)


def _first_operational(plan: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = plan["perspectives"][0]["strategic"][0]["operational"][0]
    return found


@pytest.fixture
def ledger_db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    assert _run("--db", url, "init", cwd=tmp_path).returncode == 0
    return url


def test_a_weight_that_is_no_number_is_refused_in_italian(tmp_path: Path, ledger_db: str) -> None:
    plan = small_plan()
    _first_operational(plan)["weight"] = "sessanta"
    done = _import_plan(tmp_path, ledger_db, plan)
    assert done.returncode == 2
    line = _error_line(done)
    assert "'sessanta' non è un numero né una frazione (scrivere 50, 12,5 o 1/3)" in line
    assert "weight" in line


def test_a_kpi_without_what_its_kind_needs_is_refused_in_italian(
    tmp_path: Path, ledger_db: str
) -> None:
    plan = small_plan()
    _first_operational(plan)["actions"][0]["kpi"]["kind"] = "deadline"
    done = _import_plan(tmp_path, ledger_db, plan)
    assert done.returncode == 2
    line = _error_line(done)
    assert line.endswith("(1.1.1).kpi: un KPI a scadenza richiede la sua scadenza")
    assert "Value error" not in line


def _ledger_with_payload(tmp_path: Path, ledger_db: str, payload: str) -> str:
    """A ledger whose first event's stored payload was edited behind the ledger's back."""
    done = _import_plan(tmp_path, ledger_db, small_plan())
    assert done.returncode == 0, done.stderr
    connection = sqlite3.connect(tmp_path / "ledger.db")
    connection.execute("DROP TRIGGER events_refuse_update")
    (type_name,) = connection.execute("SELECT type FROM events WHERE seq = 1").fetchone()
    connection.execute("UPDATE events SET payload = ? WHERE seq = 1", (payload,))
    connection.commit()
    connection.close()
    return str(type_name)


@pytest.mark.parametrize(
    ("payload", "found", "english"),
    [
        ("{}", "manca un campo obbligatorio", "Field required"),
        ('{"cycle":', "il testo non è JSON", "Invalid JSON"),
    ],
)
def test_a_stored_payload_that_no_longer_decodes_is_named_in_italian(
    tmp_path: Path, ledger_db: str, payload: str, found: str, english: str
) -> None:
    type_name = _ledger_with_payload(tmp_path, ledger_db, payload)
    done = _run("--db", ledger_db, "plan", "show", cwd=tmp_path)
    assert done.returncode == 1
    line = _error_line(done)
    assert f"seq 1: contenuto registrato di {type_name}: " in line
    assert found in line
    assert english not in line
    assert line.endswith("(ledger verify elenca ogni riga di questo tipo)")
    checked = _run("--db", ledger_db, "verify", cwd=tmp_path)
    assert checked.returncode == 1
    assert _error_line(checked) == (
        "Errore: catena interrotta alla seq 1: il suo hash registrato non corrisponde al contenuto"
    )


def test_a_database_url_of_no_known_database_is_refused_in_italian(tmp_path: Path) -> None:
    done = _run("--db", "oracle://server/ledger", "replay", cwd=tmp_path)
    assert done.returncode == 2
    assert _error_line(done) == (
        "Errore: 'oracle://server/ledger': database 'oracle' non supportato "
        "(usa sqlite o postgresql)"
    )


def test_a_sqlite_ledger_in_a_missing_folder_is_refused_in_italian(tmp_path: Path) -> None:
    missing = tmp_path / "nessuna" / "ledger.db"
    done = _run("--db", f"sqlite:///{missing}", "init", cwd=tmp_path)
    assert done.returncode == 2
    line = _error_line(done)
    assert line.endswith(f": la cartella {missing.parent} non esiste")


@pytest.fixture
def approved_db(tmp_path: Path, ledger_db: str) -> str:
    done = _import_plan(tmp_path, ledger_db, small_plan())
    assert done.returncode == 0, done.stderr
    approval = ("record", "approval", "plan", "--act", "delibera n. 5/GC", "--date", "27/01/2020")
    done = _run("--db", ledger_db, *approval, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return ledger_db


def _measurements(tmp_path: Path, db: str, rows: str) -> subprocess.CompletedProcess[str]:
    sheet = tmp_path / "misure.csv"
    sheet.write_text("codice;valore;data\n" + rows, encoding="utf-8")
    return _run("--db", db, "record", "measurements", sheet.name, cwd=tmp_path)


def test_a_month_misspelt_in_a_sheet_is_refused_in_italian(
    tmp_path: Path, approved_db: str
) -> None:
    done = _measurements(tmp_path, approved_db, "1.1.1;95;31 abrile 2021\n")
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert lines[0].startswith("Errore: misure.csv:2: '31 abrile 2021': 'abrile' non è un mese")
    assert lines[-1] == "Errore: 1 riga su 1 rifiutata in misure.csv; non è stato scritto nulla"


def test_a_day_the_month_lacks_is_refused_in_italian(tmp_path: Path, approved_db: str) -> None:
    done = _measurements(tmp_path, approved_db, "1.1.1;95;31/04/2021\n1.1.2;90;30/04/2021\n")
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert lines[0].startswith(
        "Errore: misure.csv:2: '31/04/2021' non è una data valida (il giorno non esiste in quel "
        "mese): "
    )
    assert lines[-1] == "Errore: 1 riga su 2 rifiutata in misure.csv; non è stato scritto nulla"


def test_a_workbook_that_is_no_workbook_is_refused_in_italian(
    tmp_path: Path, approved_db: str
) -> None:
    fake = tmp_path / "misure.xlsx"
    fake.write_text("codice;valore\n", encoding="utf-8")
    done = _run("--db", approved_db, "record", "measurements", str(fake), cwd=tmp_path)
    assert done.returncode == 2
    assert _error_line(done) == (
        f"Errore: {fake}: non è una cartella di lavoro Excel (.xlsx): il file non è un foglio "
        "di calcolo"
    )


def test_a_file_of_no_known_kind_is_refused_in_italian(tmp_path: Path, approved_db: str) -> None:
    other = tmp_path / "misure.pdf"
    other.write_text("codice;valore\n", encoding="utf-8")
    done = _run("--db", approved_db, "record", "measurements", str(other), cwd=tmp_path)
    assert done.returncode == 2
    line = _error_line(done)
    assert line.endswith(": .pdf non è un file di misurazioni: usa .xlsx o .csv")


ENGLISH_GIVEAWAYS = re.compile(
    r"\b(is not|must|cannot|unknown|Did you mean|Value error|Input should)\b"
)
BAD_COMMAND_LINES = [
    ["replay", "--format", "pdf"],
    ["replay", "--as-of", "31/abrile/2021"],
    ["replay", "--known-at", "2021-13-01"],
    ["record", "measurement", "1.1.1", "abc", "--date", "30/04/2021"],
    ["record", "measurement", "9.9.9", "12", "--date", "30/04/2021"],
    ["record", "assessment", "1.1.1", "--date", "30/04/2021"],
    ["history", "9.9.9"],
    ["diff", "--from", "30/06/2021", "--to", "30/04/2021"],
    ["verify", "--digest", "seq=1"],
    ["actor", "add", "x"],
]


@pytest.mark.parametrize("words", BAD_COMMAND_LINES, ids=" ".join)
def test_a_bad_command_line_is_refused_in_italian_words(
    tmp_path: Path, approved_db: str, words: list[str]
) -> None:
    done = _run("--db", approved_db, *words, cwd=tmp_path)
    assert done.returncode in (1, 2)
    line = _error_line(done)
    assert ENGLISH_GIVEAWAYS.search(line) is None, line


def test_a_value_of_the_wrong_kind_names_both_kinds_in_italian(
    tmp_path: Path, approved_db: str
) -> None:
    words = ("record", "assessment", "1.1.1", "--level", "ottimo", "--date", "30/04/2021")
    done = _run("--db", approved_db, *words, cwd=tmp_path)
    assert done.returncode == 1
    assert _error_line(done) == (
        "Errore: l'azione 1.1.1 ha un KPI a soglie (kpi): richiede una misurazione, "
        "non un livello qualitativo (--level)"
    )


def test_an_act_dated_before_its_cycle_opened_says_so_and_writes_nothing(
    tmp_path: Path, approved_db: str
) -> None:
    """The cycle exists: the refusal names the act's day and the cycle's opening, not 'unknown'."""
    before = _events(tmp_path)
    words = ("record", "measurement", "1.1.1", "12", "--date", "30/04/2019")
    done = _run("--db", approved_db, *words, cwd=tmp_path)
    assert done.returncode == 1
    assert _error_line(done) == (
        "Errore: il ciclo test-ente/2020 il 30/04/2019 non era ancora aperto: "
        "è stato aperto il 20/01/2020"
    )
    assert _events(tmp_path) == before


def _events(folder: Path) -> int:
    with sqlite3.connect(folder / "ledger.db") as connection:
        (count,) = connection.execute("SELECT count(*) FROM events").fetchone()
    return int(count)
