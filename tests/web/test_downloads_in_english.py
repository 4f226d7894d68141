"""The console's downloads in English (the tests' language, `--lang en`): the same rows, each
column's label worded in English. The Italian labels are test_review_pages.py's and
tests/formats/test_export.py's; the open data CSV's column names are identifiers in both."""

import csv
import io

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from tests.web.conftest import REFERENCE

AS_OF = "as_of=2021-06-30"


def test_the_audit_csv_has_english_labels(console: TestClient) -> None:
    answer = console.get(f"{REFERENCE}/audit.csv?{AS_OF}")
    assert answer.status_code == 200, answer.text
    header = answer.content.decode("utf-8-sig").splitlines()[0]
    assert header == "severity;kind;node;title;events (seq);reason;detail"


def test_the_trail_workbook_has_an_english_sheet_and_header(console: TestClient) -> None:
    answer = console.get(f"{REFERENCE}/trail.xlsx?{AS_OF}")
    assert answer.status_code == 200, answer.text
    book = load_workbook(io.BytesIO(answer.content))
    assert book.sheetnames == ["Ledger", "Digest"]
    assert [cell.value for cell in book["Ledger"][1]] == [
        "seq",
        "cycle",
        "type",
        "act date",
        "recorded at (Europe/Rome)",
        "author",
        "role",
        "node",
        "act",
        "signed",
        "source",
    ]


def test_the_cruscotto_csv_for_excel_has_english_headers(console: TestClient) -> None:
    answer = console.get(f"{REFERENCE}/cruscotto.csv?{AS_OF}")
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig")), delimiter=";"))
    row = next(r for r in rows if r["Code number"] == "3.3.1")
    assert (row["Computed"], row["Override"], row["Result"]) == ("0,00", "60,00", "60,00")
    assert "Codice" not in rows[0]


def test_the_open_data_csv_keeps_its_column_names(console: TestClient) -> None:
    answer = console.get(f"{REFERENCE}/cruscotto.csv?{AS_OF}&profile=opendata")
    assert answer.status_code == 200, answer.text
    assert (
        answer.content.decode("utf-8")
        .splitlines()[0]
        .startswith(
            "level,key,code,parent,title,weight,kpi,unit,target,measured,computed,rule_score,"
        )
    )
