"""Defects a new user met (issue 13), each with the behaviour the user relies on instead.

The reference cycle (Relazione sulla Performance 2020 of the Camera di commercio di Sondrio)
is recorded once per test; the figures are the document's: the performance di ente is
96,67 % (3.1), the Segretario generale's obiettivi dirigenziali weigh 50, 25, 5 and 20 and
are all reached (3.4).
"""

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from cli.app import app
from cli.example import load_example
from ledger.connect import open_store

runner = CliRunner()


def run(db: str, *args: str) -> Result:
    result = runner.invoke(app, ["--db", db, *args])
    assert "Traceback" not in result.output, result.output
    return result


@pytest.fixture
def reference(db_url: str) -> str:
    store = open_store(db_url, create=True)
    try:
        load_example(store, "sondrio-2020")
    finally:
        store.close()
    return db_url


def rows_of(data: str, delimiter: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.lstrip("\ufeff")), delimiter=delimiter))


@pytest.mark.usefixtures("italian")  # the Italian headers of the Excel profile
def test_export_csv_carries_the_ente_and_the_obiettivi_dirigenziali(reference: str) -> None:
    opendata = run(
        reference, "export", "-f", "csv", "--profile", "opendata", "--as-of", "30/06/2021"
    )
    assert opendata.exit_code == 0, opendata.output
    rows = rows_of(opendata.stdout, ",")
    ente = [row for row in rows if row["level"] == "ente"]
    assert [(row["title"], row["result"], row["band"]) for row in ente] == [
        ("Performance di ente", "96.67", "Eccellente")
    ]
    objectives = [row for row in rows if row["level"] == "manager_objective"]
    assert [(row["code"], row["weight"], row["result"]) for row in objectives] == [
        ("9.1.2", "50", "100"),
        ("3.4.1", "25", "100"),
        ("5.3.1", "5", "100"),
        ("7.1.2", "20", "100"),
    ]
    managers = [row for row in rows if row["level"] == "manager"]
    assert [(row["title"], row["result"]) for row in managers] == [
        ("Segretario Generale (Marco Bonat)", "100")
    ]
    excel = run(reference, "export", "-f", "csv", "--as-of", "30/06/2021")
    italian = rows_of(excel.stdout, ";")
    assert [(r["Livello"], r["Risultato"]) for r in italian if r["Chiave"] == "ente"] == [
        ("ente", "96,67")
    ]
    assert sum(row["Livello"] == "obiettivo dirigenziale" for row in italian) == 4


def test_opendata_to_standard_output_says_where_the_csvw_metadata_goes(reference: str) -> None:
    result = run(reference, "export", "-f", "csv", "--profile", "opendata")
    assert result.exit_code == 0
    assert result.stdout.startswith("level,key,code,")
    assert "CSVW metadata" in result.stderr
    assert "--output cruscotto.csv" in result.stderr


@pytest.mark.parametrize(
    "command", [["replay"], ["export", "-f", "html"], ["export", "-f", "json"]]
)
def test_a_known_at_before_the_cycle_existed_is_refused(reference: str, command: list[str]) -> None:
    result = run(reference, *command, "--known-at", "2020-01-01")
    assert result.exit_code == 1
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith(
        "Error: cciaa-so/2020 was not in the ledger yet at 01/01/2020 23:59 CET: its first "
        "event was recorded at "
    )
    assert "seq=0" not in result.output


def test_measurements_before_the_plan_is_approved_are_refused_once_with_the_count(
    reference: str, db_url: str, tmp_path: Path
) -> None:
    workbook = tmp_path / "misure.xlsx"
    assert run(reference, "export", "-f", "xlsx", "-o", str(workbook)).exit_code == 0
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    assert run(fresh, "init").exit_code == 0
    plan = Path(__file__).resolve().parents[2] / "cli" / "examples" / "sondrio-2020-plan.yaml"
    assert run(fresh, "plan", "import", str(plan), "--date", "20/01/2020").exit_code == 0
    result = run(fresh, "record", "measurements", str(workbook), "--date", "30/04/2021")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Error: no plan of cciaa-so/2020 is in force: it waits for its approval (record it "
        "first: ledger record approval plan --act ...); none of the 49 rows of "
        f"{workbook} was recorded"
    ]


def test_help_reads_as_a_user_expects() -> None:
    top = runner.invoke(app, ["--help"], terminal_width=100)
    commands = top.stdout.split("Commands:")[1].splitlines()
    assert not [line for line in commands if line.endswith("...")]  # summaries whole, not cut
    assert "Rebuild the cruscotto as of a date (and as known at a time)." in top.stdout
    measurement = runner.invoke(app, ["record", "measurement", "--help"])
    assert "record measurement [OPTIONS] ACTION VALUE" in measurement.stdout
    assert "{action}" not in measurement.stdout
    export = runner.invoke(app, ["export", "--help"], terminal_width=200)
    assert "(default today)" not in export.stdout
    assert "when omitted, today" in export.stdout
    assert "xlsx needs it" in export.stdout  # -o does not promise standard output for xlsx
    bad = runner.invoke(app, ["export", "--format", "pdf"])
    assert bad.exit_code == 2
    assert "Value error" not in bad.stderr
    assert "'pdf' is not one of xlsx, csv, json, html" in bad.stderr


def test_verify_and_digest_read_in_every_format_and_the_version_is_printed(
    reference: str,
) -> None:
    digest = run(reference, "digest").stdout.strip()
    as_json = json.loads(run(reference, "digest", "--format", "json").stdout)
    assert (as_json["line"], as_json["seq"], as_json["tree_size"]) == (digest, 180, 180)
    as_csv = rows_of(run(reference, "digest", "-f", "csv").stdout, ",")
    assert [row["line"] for row in as_csv] == [digest]
    verified = json.loads(run(reference, "verify", "--format", "json").stdout)
    assert (verified["ok"], verified["checked"], verified["head_seq"]) == (True, 180, 180)
    assert rows_of(run(reference, "verify", "-f", "csv").stdout, ",")[0]["checked"] == "180"
    version = runner.invoke(app, ["--version"])
    assert version.exit_code == 0
    assert version.stdout.startswith("ledger 0.")


def test_every_read_writes_to_a_file_with_o_never_over_the_ledger(
    reference: str, tmp_path: Path
) -> None:
    for command in (
        ["replay", "--as-of", "30/06/2021", "--format", "csv"],
        ["audit", "--format", "json"],
        ["digest"],
        ["plan", "show", "--as-of", "31/12/2020"],
        ["proof", "inclusion", "89"],
    ):
        target = tmp_path / f"{command[0]}-{len(command)}.out"
        printed = run(reference, *command)
        written = run(reference, *command, "-o", str(target))
        assert written.exit_code == 0, written.output
        assert written.stdout == ""
        assert target.read_text(encoding="utf-8") == printed.stdout, command
    if reference.startswith("sqlite:///"):
        ledger_file = reference.removeprefix("sqlite:///")
        refused = run(reference, "replay", "-o", ledger_file)
        assert refused.exit_code == 2
        assert "is the ledger itself" in refused.stderr
