"""The cruscotto workbook as a controller expects it (issue 13): numbers a formula can use,
columns wide enough, a page that prints, a header that stays, filters, the file's properties,
and the SMVP's rules in words beside the JSON the import reads back."""

import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from tests.formats.conftest import ledger

AS_OF = ("--as-of", "30/06/2021")


@pytest.mark.usefixtures("italian")  # the Italian wording of the documents
def test_the_workbook_prints_filters_and_says_whose_it_is(
    shared_reference: str, here: Path
) -> None:
    code, out = ledger(shared_reference, "export", *AS_OF, "-f", "xlsx", "-o", "c.xlsx")
    assert code == 0, out
    workbook = openpyxl.load_workbook(io.BytesIO((here / "c.xlsx").read_bytes()))
    properties = workbook.properties
    assert properties.title == "Cruscotto della performance 2020 - Camera di commercio di Sondrio"
    assert "Camera di commercio di Sondrio" in properties.creator
    assert "performance ledger" in properties.creator
    assert properties.description.startswith("dati del registro: ledger-digest/2 seq=180 ")
    for sheet in workbook.worksheets:
        setup = sheet.page_setup
        assert (str(setup.paperSize), setup.orientation) == ("9", "landscape"), sheet.title
        assert (setup.fitToWidth, sheet.sheet_properties.pageSetUpPr.fitToPage) == (1, True)
        assert sheet.freeze_panes is not None, sheet.title
    cruscotto = workbook["Cruscotto"]
    assert cruscotto.auto_filter.ref is not None and cruscotto.auto_filter.ref.startswith("A6:")
    assert workbook["Misure"].auto_filter.ref.startswith("A1:")


@pytest.mark.usefixtures("italian")  # the Italian wording of the documents
def test_targets_are_numbers_and_the_rules_are_words(shared_reference: str, here: Path) -> None:
    assert ledger(shared_reference, "export", *AS_OF, "-f", "xlsx", "-o", "c.xlsx")[0] == 0
    workbook = openpyxl.load_workbook(io.BytesIO((here / "c.xlsx").read_bytes()))
    sheet = workbook["Cruscotto"]
    labels = [cell.value for cell in sheet[6]]
    target = labels.index("valore target") + 1
    column = [sheet.cell(row, target).value for row in range(7, sheet.max_row + 1)]
    numeric = [value for value in column if isinstance(value, int | float | Decimal)]
    assert 28 in numeric and 1400 in numeric  # 3.3.1's 28 gg, 2.4.2's 1.400: numbers, not text
    assert not [value for value in column if isinstance(value, str)]
    rules = workbook["Regole"]
    rows = [[cell.value for cell in row] for row in rules.iter_rows(min_row=2)]
    assert rows[4][:2] == [
        "Performance di ente",
        "Media semplice del raggiungimento degli obiettivi strategici",
    ]
    assert rows[6][:2] == ["Valutazione sintetica", "Eccellente: da 90 %"]
    assert not any("{" in str(value) for row in rows for value in row)
