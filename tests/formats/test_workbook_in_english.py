"""The workbook in English (`--lang en`), and a workbook in either language imported back.

Headers, sheet titles and the policy's wording follow the reader's language; the names of the
sheets the importers look up (`Cruscotto`, `Misure`, `Ciclo`, `Note`, `Obiettivi
dirigenziali`) are identifiers and stay Italian, so a workbook exported in English is still a
plan file and a measurements file. Expected texts are typed from the Italian workbook the
tests of test_export.py read, put in English word by word.
"""

import io
from pathlib import Path

import openpyxl
import pytest

from events.i18n import set_language
from tests.formats.conftest import import_back, ledger

AS_OF = ("--as-of", "30/06/2021")
COPY = "cciaa-so/2020-bis"


def test_the_workbook_in_english_has_english_headers_and_titles(
    shared_reference: str, here: Path
) -> None:
    code, out = ledger(shared_reference, "export", *AS_OF, "-f", "xlsx", "-o", "c.xlsx")
    assert code == 0, out
    book = openpyxl.load_workbook(io.BytesIO((here / "c.xlsx").read_bytes()))
    assert book.sheetnames == [
        "Cruscotto",
        "Obiettivi strategici",  # the levels' names are the policy's own
        "Prospettive",
        "Obiettivi dirigenziali",
        "Override",
        "Misure",
        "Note",
        "Ciclo",
        "Rules",
    ]
    assert book.properties.title == "Performance cruscotto 2020 - Camera di commercio di Sondrio"
    assert book.properties.description.startswith("ledger data: ledger-digest/2 seq=180 ")
    sheet = book["Cruscotto"]
    assert str(sheet["A2"].value).startswith(
        "as of 30/06/2021 - cycle cciaa-so/2020 - ledger data: ledger-digest/2 seq=180 "
    )
    assert [cell.value for cell in sheet[5] if cell.value] == [
        "BSC perspective",
        "Strategic objective",
        "Operational objectives",
        "Actions",
        "Achievement percentage",
        "KPI details",
    ]
    labels = {cell.value: cell.column for cell in sheet[6] if cell.value}
    for label in ("code", "title / description", "key", "% achievement", "Overall rating"):
        assert label in labels, label
    row = next(r for r in sheet.iter_rows(min_row=7) if r[labels["code"] - 1].value == "3.3.1")
    by_label = {label: row[column - 1].value for label, column in labels.items()}
    assert by_label["Weight"] == 0.4
    assert by_label["Result"] == 35.87
    assert (
        by_label["computed achievement"],
        by_label["override (OIV heard)"],
        by_label["final score"],
    ) == (0, 0.6, 0.6)
    assert str(by_label["rationale of the override"]).startswith("Relazione 2020")
    assert by_label["OIV heard on"].date().isoformat() == "2021-06-07"
    assert by_label["kind"] == "threshold"  # the identifier the import reads back
    assert by_label["direction"] == "lower"
    strategic = [cell.value for cell in book["Obiettivi strategici"][1]]
    assert strategic[1:] == [
        "Measured result",
        "Target",
        "% Achievement",
        "Overall rating",
        "Measurement coverage",
    ]
    assert [cell.value for cell in book["Misure"][1]] == [
        "action code",
        "value",
        "unit",
        "date",
        "period",
        "achievement",
        "evidence",
        "note",
    ]
    assert [cell.value for cell in book["Ciclo"][1]] == ["field", "value"]
    rules = book["Rules"]
    assert [cell.value for cell in rules[1]] == [
        "level",
        "how it is computed",
        "achievement",
        "rounding",
    ]
    rows = [[cell.value for cell in row] for row in rules.iter_rows(min_row=2)]
    assert rows[4][:2] == [
        "Performance di ente",
        "Simple mean of the achievement of the obiettivi strategici",
    ]
    assert rows[6][:2] == ["Overall rating", "Eccellente: from 90 %"]


@pytest.mark.parametrize("written_in", ["it", "en"])
def test_a_workbook_in_either_language_imports_back_as_plan_and_measurements(
    reference_url: str, here: Path, written_in: str
) -> None:
    set_language(written_in)
    try:
        code, out = ledger(reference_url, "export", *AS_OF, "-f", "xlsx", "-o", "c.xlsx")
    finally:
        set_language("en")
    assert code == 0, out
    header = [cell.value for cell in openpyxl.load_workbook(here / "c.xlsx")["Misure"][1]]
    assert header[0] == {"it": "codice", "en": "action code"}[written_in]
    import_back(reference_url, "c.xlsx", COPY)


def test_the_trail_workbook_in_english(shared_reference: str, here: Path) -> None:
    code, out = ledger(shared_reference, "export-trail", "--format", "xlsx", "--output", "r.xlsx")
    assert code == 0, out
    book = openpyxl.load_workbook(here / "r.xlsx")
    assert book.sheetnames == ["Ledger", "Digest"]
    assert [cell.value for cell in book["Ledger"][1]][:4] == [
        "seq",
        "recorded at (UTC)",
        "act date",
        "cycle",
    ]
