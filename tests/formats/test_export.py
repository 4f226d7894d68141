"""`ledger export` and `ledger export-trail`: each format read back by the tool people use."""

import csv
import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from ledger.connect import open_store
from tests.formats.conftest import REFERENCE, ledger, lines, run_bytes

AS_OF = ("--as-of", "30/06/2021")


def test_json_is_exactly_the_replay_contract(shared_reference: str) -> None:
    exported = run_bytes(shared_reference, "export", *AS_OF, "--format", "json")
    replayed = run_bytes(shared_reference, "replay", *AS_OF, "--format", "json")
    assert exported == replayed
    assert json.loads(exported)["ente"]["result"] == 96.67


@pytest.mark.usefixtures("italian")  # the Italian headers of the Excel profile
def test_the_excel_csv_has_a_bom_semicolons_and_decimal_commas(shared_reference: str) -> None:
    data = run_bytes(shared_reference, "export", *AS_OF, "--format", "csv", "--profile", "excel")
    assert data.startswith(b"\xef\xbb\xbfLivello;Chiave;Codice;Padre;Titolo;Peso;")
    assert b"\r\n" in data
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    row = next(r for r in rows if r["Codice"] == "3.3.1")
    assert (row["Livello"], row["Peso"], row["Misurato"], row["Calcolato"], row["Override"]) == (
        "azione",
        "40,00",
        "35,87",
        "0,00",
        "60,00",
    )
    assert row["OIV sentito il"] == "07/06/2021"
    assert row["Motivazione override"].startswith("Relazione 2020, section 3.3:")
    strategic = next(r for r in rows if r["Chiave"] == "competitivita-del-territorio")
    assert (strategic["Risultato"], strategic["Valutazione sintetica"]) == ("97,20", "Eccellente")


def test_excel_is_never_handed_a_formula() -> None:
    from formats.writers.cruscotto_csv import excel_cell

    assert [excel_cell(text) for text in ("=SUM(A1)", "+39 0342", "-x", "@a", "1.1")] == [
        "'=SUM(A1)",
        "'+39 0342",
        "'-x",
        "'@a",
        "1.1",
    ]
    assert excel_cell(Decimal("-1234.5")) == "-1.234,50"


def test_the_open_data_csv_is_rfc_4180_with_documented_columns_and_a_licence(
    shared_reference: str, here: Path
) -> None:
    code, out = ledger(
        shared_reference,
        "export",
        *AS_OF,
        "--format",
        "csv",
        "--profile",
        "opendata",
        "--output",
        "cruscotto.csv",
    )
    assert code == 0, out
    data = (here / "cruscotto.csv").read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    assert data == run_bytes(shared_reference, "replay", *AS_OF, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
    row = next(r for r in rows if r["code"] == "3.3.1")
    assert (row["weight"], row["measured"], row["computed"], row["override"], row["result"]) == (
        "40",
        "35,87",
        "0",
        "60",
        "60",
    )
    assert row["oiv_heard_on"] == "2021-06-07"
    metadata = json.loads((here / "cruscotto.csv-metadata.json").read_text(encoding="utf-8"))
    assert metadata["url"] == "cruscotto.csv"
    assert metadata["dc:license"] == {"@id": "https://creativecommons.org/licenses/by/4.0/"}
    assert [c["name"] for c in metadata["tableSchema"]["columns"]] == list(rows[0])
    assert all(c["dc:description"] for c in metadata["tableSchema"]["columns"])
    assert metadata["dc:source"].startswith("ledger-digest/2 seq=180 sha256=")


@pytest.mark.usefixtures("italian")  # the Italian wording of the documents
def test_the_workbook_is_laid_out_like_the_seed_with_real_numbers(
    shared_reference: str, here: Path
) -> None:
    code, out = ledger(shared_reference, "export", *AS_OF, "--format", "xlsx", "--output", "c.xlsx")
    assert code == 0, out
    assert out.startswith(f"scritto c.xlsx ({REFERENCE} al 30/06/2021, ledger-digest/2 seq=")
    book = openpyxl.load_workbook(here / "c.xlsx")
    assert book.sheetnames == [
        "Cruscotto",
        "Obiettivi strategici",
        "Prospettive",
        "Obiettivi dirigenziali",
        "Override",
        "Misure",
        "Note",
        "Ciclo",
        "Regole",  # the SMVP's rules in words (#13)
    ]
    sheet = book["Cruscotto"]
    assert (sheet["A3"].value, sheet["B3"].value, sheet["B3"].number_format, sheet["C3"].value) == (
        "Performance di ente",
        0.9667,
        "0.00%",
        "Eccellente",
    )
    labels = {cell.value: cell.column for cell in sheet[6] if cell.value}
    groups = [cell.value for cell in sheet[5] if cell.value]
    assert groups == [
        "Prospettiva BSC",
        "Obiettivo strategico",
        "Obiettivi operativi",
        "Azioni",
        "Percentuale raggiungimento",
        "Dettaglio KPI",
    ]
    # Labels repeat per group; the dict keeps the last: the action's cod., Risultato, ...
    row = next(r for r in sheet.iter_rows(min_row=7) if r[labels["cod."] - 1].value == "3.3.1")
    by_label = {label: row[column - 1] for label, column in labels.items()}
    assert by_label["Peso"].value == 0.4
    assert by_label["Peso"].number_format == "0%"
    assert by_label["Risultato"].value == 35.87
    assert by_label["Risultato"].number_format == '#,##0.00" giorni"'
    assert (
        by_label["calcolata"].value,
        by_label["override (sentito l'OIV)"].value,
        by_label["finale"].value,
    ) == (0, 0.6, 0.6)
    assert str(by_label["motivazione dell'override"].value).startswith("Relazione 2020")
    assert by_label["OIV sentito il"].value.date() == date(2021, 6, 7)
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert "A7:A26" in merged  # Tessuto economico locale over its twenty actions
    assert book["Ciclo"]["B2"].value == REFERENCE


def test_xlsx_needs_an_output_file_and_profile_is_for_csv_only(shared_reference: str) -> None:
    code, out = ledger(shared_reference, "export", "--format", "xlsx")
    assert (code, lines(out)) == (
        2,
        ["Error: --format xlsx writes a file: give --output cruscotto.xlsx"],
    )
    code, out = ledger(shared_reference, "export", "--format", "json", "--profile", "excel")
    assert (code, lines(out)) == (2, ["Error: --profile applies to --format csv only"])


@pytest.mark.usefixtures("italian")  # the Italian wording of the files
def test_the_trail_exports_every_event_with_its_hash_to_csv(shared_reference: str) -> None:
    data = run_bytes(shared_reference, "export-trail", "--format", "csv", "--profile", "opendata")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
    store = open_store(shared_reference)
    try:
        head = store.head()
        assert head is not None
        assert len(rows) == head.seq
        assert (rows[-1]["seq"], rows[-1]["hash"]) == (str(head.seq), head.hash)
    finally:
        store.close()
    excel = run_bytes(shared_reference, "export-trail", "--format", "csv")
    assert excel.startswith("\ufeffseq;registrato il (UTC);data dell'atto;".encode())


@pytest.mark.usefixtures("italian")  # the Italian wording of the files
def test_the_trail_exports_to_a_workbook(shared_reference: str, here: Path) -> None:
    code, out = ledger(
        shared_reference,
        "export-trail",
        "--format",
        "xlsx",
        "--output",
        "r.xlsx",
        "--cycle",
        REFERENCE,
    )
    assert code == 0, out
    sheet = openpyxl.load_workbook(here / "r.xlsx")["Registro"]
    assert [cell.value for cell in sheet[1]][:3] == ["seq", "registrato il (UTC)", "data dell'atto"]
    assert sheet.max_row - 1 == int(out.split("(")[1].split()[0])
    assert (sheet["A2"].value, sheet["D2"].value) == (1, REFERENCE)


@pytest.mark.parametrize("output_format", ["csv", "json", "html"])
def test_every_text_format_goes_to_standard_output_without_output(
    shared_reference: str, output_format: str
) -> None:
    assert run_bytes(shared_reference, "export", *AS_OF, "--format", output_format)


def test_an_output_that_cannot_be_written_is_one_usage_error(shared_reference: str) -> None:
    code, out = ledger(
        shared_reference, "export", "--format", "json", "--output", "no-such-folder/cruscotto.json"
    )
    assert (code, lines(out)) == (
        2,
        ["Error: no-such-folder/cruscotto.json: No such file or directory"],
    )


def test_the_audit_trail_goes_to_a_workbook_with_the_same_rows_as_its_csv(
    shared_reference: str, here: Path
) -> None:
    code, out = ledger(
        shared_reference,
        "trail",
        "--role",
        "direzione",
        "--format",
        "xlsx",
        "--output",
        "trail.xlsx",
    )
    assert (code, out) == (0, "written trail.xlsx (3 events)\n")
    sheet = openpyxl.load_workbook(here / "trail.xlsx")["Ledger"]  # in English, as run here
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    as_csv = list(
        csv.DictReader(
            io.StringIO(
                run_bytes(
                    shared_reference, "trail", "--role", "direzione", "--format", "csv"
                ).decode("utf-8")
            )
        )
    )
    assert [row[0] for row in rows] == [int(row["seq"]) for row in as_csv]
    assert [row[7] for row in rows] == ["3.3.1", "8.1.1", "3.4.1"]  # the three overrides
    code, out = ledger(shared_reference, "trail", "--format", "xlsx")
    assert (code, lines(out)) == (
        2,
        ["Error: --format xlsx writes a file: give --output trail.xlsx"],
    )
