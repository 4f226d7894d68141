"""Measurements from files as Italian offices save them, and files that cannot be read."""

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from cli.progress import LONG_FILE, progress_tracker
from formats.readers.sheets import Cell
from ledger.connect import open_store
from ledger.query import Query
from tests.formats.conftest import REFERENCE, count, ledger, lines, write_workbook

HEADER = "codice;valore;unità;data;evidenza"
ROWS = [
    "3.3.1;35,87 gg;;30/04/2021;Relazione, cruscotto riga 3.3.1",
    "9.1.3;€ 165,80;;30/04/2021;",
    "2.4.2;1.100;n.;30/04/2021;delibera Giunta",
    "6.1.1;71,53%;;30 aprile 2021;",
    "1.3.2;eccellente;;30/04/2021;",
    "3.3.5;14/12/2020;;30/04/2021;",
    "3.5.2;ottobre 2020;;30/04/2021;",
]


def recorded(db: str) -> list[dict[str, object]]:
    """The payloads of the measurements and assessments in the ledger, with their dates."""
    store = open_store(db)
    try:
        found = store.read(Query(types=("MeasurementRecorded", "AssessmentRecorded")))
        return [
            {**json.loads(entry.payload), "on": entry.effective_date, "key": entry.idempotency_key}
            for entry in found
        ]
    finally:
        store.close()


def write_csv(path: Path, rows: list[str], encoding: str, header: str = HEADER) -> Path:
    path.write_bytes("\r\n".join([header, *rows]).encode(encoding) + b"\r\n")
    return path


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig"], ids=["windows-1252", "utf-8-bom"])
def test_a_semicolon_csv_from_italian_excel_is_recorded_with_exact_values(
    planned: str, here: Path, encoding: str
) -> None:
    write_csv(here / "misure.csv", ROWS, encoding)
    code, out = ledger(planned, "record", "measurements", "misure.csv")
    assert (code, out) == (0, f"recorded 7 of 7 rows of misure.csv in {REFERENCE}\n")
    found = {row["action"]: row for row in recorded(planned)}
    assert (found["3.3.1"]["value"], found["3.3.1"]["unit"]) == ("35.87", "giorni")
    assert (found["9.1.3"]["value"], found["9.1.3"]["unit"]) == ("165.8", "€")
    assert (found["2.4.2"]["value"], found["2.4.2"]["unit"]) == ("1100", "n.")
    assert (found["6.1.1"]["value"], found["6.1.1"]["unit"]) == ("71.53", "%")
    assert (found["1.3.2"]["kind"], found["1.3.2"]["level"]) == ("qualitative", "eccellente")
    assert (found["3.3.5"]["completed_on"], found["3.3.5"]["precision"]) == ("2020-12-14", "day")
    assert (found["3.5.2"]["completed_on"], found["3.5.2"]["precision"]) == ("2020-10-01", "month")
    assert found["6.1.1"]["on"] == dt.date(2021, 4, 30)
    assert found["3.3.1"]["period"] == {"start": "2020-01-01", "end": "2020-12-31"}
    assert found["3.3.1"]["evidence"] == "Relazione, cruscotto riga 3.3.1 (misure.csv:2)"
    assert found["9.1.3"]["evidence"] == "misure.csv:3"


def test_a_comma_separated_csv_with_quoted_decimals_is_read_too(planned: str, here: Path) -> None:
    (here / "misure.csv").write_text(
        'codice,valore,data\r\n3.3.1,"35,87",30/04/2021\r\n', encoding="utf-8"
    )
    code, out = ledger(planned, "record", "measurements", "misure.csv")
    assert code == 0, out
    assert recorded(planned)[0]["value"] == "35.87"


def test_a_workbook_with_real_numbers_percentages_and_dates_is_recorded(
    planned: str, here: Path
) -> None:
    write_workbook(
        here / "misure.xlsx",
        {
            "Misure": [
                ["Misurazioni 2020"],
                [],
                ["Codice", "Valore", "Unità", "Data", "Periodo", "Raggiungimento", "Evidenza"],
                ["3.3.1", 35.87, "giorni", dt.date(2021, 4, 30), 2020, None, "riga 3.3.1"],
                ["6.1.1", 0.7153, None, dt.date(2021, 4, 30), "2020-01..2020-06", None, None],
                ["3.3.5", dt.date(2020, 12, 14), None, "30/04/2021", None, None, None],
                ["3.1.1", None, None, dt.date(2021, 4, 30), None, 100, None],
            ]
        },
        formats={"Misure": {"B5": "0.00%"}},
    )
    code, out = ledger(planned, "record", "measurements", "misure.xlsx")
    assert (code, out) == (0, f"recorded 4 of 4 rows of misure.xlsx in {REFERENCE}\n")
    found = {row["action"]: row for row in recorded(planned)}
    assert (found["3.3.1"]["value"], found["3.3.1"]["evidence"]) == (
        "35.87",
        "riga 3.3.1 (misure.xlsx:Misure:B4)",
    )
    assert (found["6.1.1"]["value"], found["6.1.1"]["unit"]) == ("71.53", "%")
    assert found["6.1.1"]["period"] == {"start": "2020-01-01", "end": "2020-06-30"}
    assert found["3.3.5"]["completed_on"] == "2020-12-14"
    assert (found["3.1.1"]["kind"], found["3.1.1"]["achievement"]) == ("achievement", "100")


def test_the_same_rows_imported_again_are_recorded_once_even_from_another_file(
    planned: str, here: Path
) -> None:
    write_csv(here / "misure.csv", ROWS, "cp1252")
    assert ledger(planned, "record", "measurements", "misure.csv")[0] == 0
    before = count(planned)
    write_csv(here / "misure-bis.csv", [*ROWS, "1.1.1;6;;30/04/2021;nuova riga"], "utf-8-sig")
    code, out = ledger(planned, "record", "measurements", "misure-bis.csv")
    assert (code, out) == (
        0,
        f"recorded 1 of 8 rows of misure-bis.csv in {REFERENCE} (7 already recorded)\n",
    )
    assert count(planned) == before + 1


def test_every_refused_row_is_reported_in_one_pass_and_nothing_is_written(
    planned: str, here: Path
) -> None:
    write_csv(
        here / "misure.csv",
        [
            "1.1.1;6;;30/04/2021;",
            "3.3.1;1.10;;30/04/2021;",
            "9.9.9;5;;30/04/2021;",
            "1.1.2;dodici;;30/04/2021;",
            "1.2.1;7;;31/02/2021;",
            "3.3.2;4,42 gg;%;30/04/2021;",
            "1.3.2;ottimo;;30/04/2021;",
            "1.1.1;6;;30/04/2021;",
        ],
        "cp1252",
    )
    before = count(planned)
    code, out = ledger(planned, "record", "measurements", "misure.csv")
    assert code == 1, out
    assert lines(out) == [
        "Error: misure.csv:3: '1.10' is ambiguous: write 1,10 for a decimal number or 1.100 for "
        "thousands (in Italian the comma is the decimal separator)",
        f"Error: misure.csv:4: action 9.9.9 is not in the plan of {REFERENCE} (ledger plan show)",
        "Error: misure.csv:5: 'dodici' is not a number: write it like 1.234,56 (dot for "
        "thousands, comma for decimals), optionally with a sign, €, % or a unit such as gg",
        "Error: misure.csv:6: '31/02/2021' is not a valid date (day is out of range for month): "
        "use 2021-04-30 or 30/04/2021 (also 30 aprile 2021)",
        "Error: misure.csv:7: '4,42 gg' is in 'giorni' but the unità column says '%'",
        "Error: misure.csv:8: level 'ottimo' of action 1.3.2 is not a level of this cycle's "
        "policy (buono, eccellente, insufficiente, sufficiente)",
        "Error: misure.csv:9: the same measurement as row 2",
        "Error: 7 of 8 rows refused in misure.csv; nothing was written",
    ]
    assert count(planned) == before


def test_a_row_the_plan_refuses_alone_is_reported_the_same_way(planned: str, here: Path) -> None:
    write_csv(here / "misure.csv", ["1.1.1;6;;30/04/2021;", "1.3.2;ottimo;;30/04/2021;"], "utf-8")
    code, out = ledger(planned, "record", "measurements", "misure.csv")
    assert code == 1, out
    assert lines(out)[-1] == "Error: 1 of 2 rows refused in misure.csv; nothing was written"
    assert recorded(planned) == []


def test_cells_of_a_workbook_are_named_by_sheet_and_cell(planned: str, here: Path) -> None:
    write_workbook(
        here / "misure.xlsx",
        {
            "Misure": [
                ["codice", "valore", "data"],
                ["3.3.1", "35.87", dt.date(2021, 4, 30)],
                ["3.3.2", 4.42, "domani"],
            ]
        },
    )
    code, out = ledger(planned, "record", "measurements", "misure.xlsx")
    assert code == 1, out
    assert lines(out) == [
        "Error: misure.xlsx:Misure:B2: '35.87' is ambiguous: write 35,87 for a decimal number "
        "or 35.870 for thousands (in Italian the comma is the decimal separator)",
        "Error: misure.xlsx:Misure:C3: 'domani' is not a date: use 2021-04-30 or 30/04/2021 "
        "(also 30 aprile 2021)",
        "Error: 2 of 2 rows refused in misure.xlsx; nothing was written",
    ]


@pytest.mark.parametrize(
    ("name", "content", "message", "exit_code"),
    [
        ("misure.csv", b"", "misure.csv: the file is empty (a CSV file was expected)", 2),
        (
            "misure.csv",
            b"%PDF-1.4\n\x00\x01binary",
            "misure.csv: not a CSV text file (is it a spreadsheet? save it as .csv)",
            2,
        ),
        (
            "misure.xlsx",
            b"codice;valore;data\n",
            "misure.xlsx: not an Excel workbook (.xlsx): the file is not a spreadsheet",
            2,
        ),
        (
            "misure.ods",
            b"PK\x03\x04",
            "misure.ods: .ods is not a measurements file: use .xlsx or .csv",
            2,
        ),
        (
            "misure.csv",
            b"codice;valore;data\r\n",
            "misure.csv: no measurements below the header row",
            2,
        ),
        (
            "misure.csv",
            b"codice;valore;evidenza\r\n3.3.1;35,87;x\r\n",
            "misure.csv: no column "
            "'data' (the header in row 1 has: codice, valore, evidenza): add the day each "
            "measurement was taken, or give --date",
            2,
        ),
        (
            "misure.csv",
            b"a;b\r\n1;2\r\n",
            "misure.csv: no header row found in the first 15 rows",
            2,
        ),
    ],
    ids=["empty", "binary", "text-as-xlsx", "ods", "header-only", "missing-column", "no-header"],
)
def test_a_file_that_cannot_be_read_is_one_usage_error_and_nothing_is_written(
    planned: str, here: Path, name: str, content: bytes, message: str, exit_code: int
) -> None:
    (here / name).write_bytes(content)
    before = count(planned)
    code, out = ledger(planned, "record", "measurements", name)
    assert (code, lines(out)) == (exit_code, [f"Error: {message}"])
    assert count(planned) == before


def test_a_workbook_without_the_measurements_sheet_names_the_sheets_it_has(
    planned: str, here: Path
) -> None:
    write_workbook(here / "misure.xlsx", {"Foglio1": [["x"]], "Foglio2": [["y"]]})
    code, out = ledger(planned, "record", "measurements", "misure.xlsx")
    assert (code, lines(out)) == (
        2,
        [
            "Error: misure.xlsx: no sheet named 'Misure' (the workbook has 'Foglio1', 'Foglio2'): "
            "rename the sheet, or choose one with --sheet"
        ],
    )


def test_sheet_option_chooses_the_sheet_and_date_option_fills_empty_dates(
    planned: str, here: Path
) -> None:
    write_workbook(
        here / "misure.xlsx",
        {
            "Note": [["niente"]],
            "Aprile": [["codice", "valore"], ["1.1.1", 6], ["1.1.2", "655"]],
        },
    )
    code, out = ledger(
        planned,
        "record",
        "measurements",
        "misure.xlsx",
        "--sheet",
        "aprile",
        "--date",
        "30/04/2021",
    )
    assert (code, out) == (0, f"recorded 2 of 2 rows of misure.xlsx in {REFERENCE}\n")
    assert [row["on"] for row in recorded(planned)] == [dt.date(2021, 4, 30)] * 2
    assert recorded(planned)[1]["value"] == str(Decimal(655))


def test_a_long_file_shows_a_progress_bar_on_a_terminal_only(
    here: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    long_file, short_file = here / "lungo.csv", here / "corto.csv"
    long_file.write_bytes(b"x" * (LONG_FILE + 1))
    short_file.write_bytes(b"x" * 100)
    rows: list[tuple[int, list[Cell]]] = [(1, []), (2, []), (3, [])]
    assert list(progress_tracker(long_file)(iter(rows), 3)) == rows
    assert capsys.readouterr().err == ""  # not a terminal: nothing in the way of the output
    monkeypatch.setenv("FORCE_COLOR", "1")  # rich then takes stderr for a terminal
    assert list(progress_tracker(short_file)(iter(rows), 3)) == rows
    assert capsys.readouterr().err == ""
    assert list(progress_tracker(long_file)(iter(rows), 3)) == rows
    assert "lettura di lungo.csv" in capsys.readouterr().err
