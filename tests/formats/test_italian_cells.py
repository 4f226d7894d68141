"""Italian numbers and dates survive every trip: written by the exporters, read by the importers.

Properties over many values (hypothesis), through the same functions and real files that
`ledger export` writes and `ledger record measurements` / `ledger plan import` read.
"""

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events.errors import UsageError
from formats.italian_dates import parse_date
from formats.readers.sheets import Cell, csv_rows, sheet_rows
from formats.writers.cruscotto_csv import excel_cell, excel_csv
from formats.writers.xlsx_sheets import number_format, percent

FILES = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

amounts = st.decimals(
    min_value=Decimal("-999999999.999999"),
    max_value=Decimal("999999999.999999"),
    places=6,
    allow_nan=False,
    allow_infinity=False,
)
measures = st.decimals(
    min_value=Decimal("-99999999.99"),
    max_value=Decimal("99999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)
percentages = st.decimals(min_value=Decimal(0), max_value=Decimal(1000), places=2)
days = st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2199, 12, 31))


@given(amounts)
def test_an_italian_number_written_for_excel_reads_back_as_the_same_value(value: Decimal) -> None:
    assert Cell(excel_cell(value), "x").decimal() == value


@given(amounts)
def test_a_number_typed_into_a_numeric_cell_reads_back_exactly(value: Decimal) -> None:
    assert Cell(float(value), "x").number() == value


@given(percentages)
def test_a_percentage_cell_reads_back_as_percentage_points(value: Decimal) -> None:
    stored = float(percent(value) or 0)
    assert Cell(stored, "x", "0.00%").number() == value
    assert Cell(float(value), "x", '#,##0.00" %"').number() == value  # % as a literal


@given(days)
def test_a_date_written_for_excel_reads_back_as_the_same_day(day: dt.date) -> None:
    assert parse_date(excel_cell(day)) == day


@given(st.lists(st.tuples(measures, days), min_size=1, max_size=20))
@FILES
def test_numbers_and_dates_survive_a_real_workbook(
    tmp_path_factory: pytest.TempPathFactory, rows: list[tuple[Decimal, dt.date]]
) -> None:
    path = tmp_path_factory.mktemp("book") / "misure.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Misure"
    for number, (value, day) in enumerate(rows, start=1):
        sheet.cell(number, 1, value).number_format = number_format(value, "giorni")
        sheet.cell(number, 2, percent(value)).number_format = "0.00%"
        sheet.cell(number, 3, day).number_format = "DD/MM/YYYY"
    book.save(path)
    read = openpyxl.load_workbook(path, read_only=True, data_only=True)
    found = [
        (cells[0].number(), cells[1].number(), cells[2].value.date())
        for _, cells in sheet_rows(read["Misure"], "misure.xlsx")
    ]
    read.close()
    assert found == [(value, value, day) for value, day in rows]


@given(st.lists(st.tuples(amounts, days), min_size=1, max_size=20))
@FILES
def test_numbers_and_dates_survive_an_italian_excel_csv(
    tmp_path_factory: pytest.TempPathFactory, rows: list[tuple[Decimal, dt.date]]
) -> None:
    path = tmp_path_factory.mktemp("csv") / "misure.csv"
    path.write_bytes(
        excel_csv(
            ({"valore": value, "data": day} for value, day in rows),
            ["valore", "data"],
            ["valore", "data"],
        )
    )
    found = list(csv_rows(path, "misure.csv"))[1:]
    assert [(c[0].decimal(), parse_date(c[1].text())) for _, c in found] == rows


@pytest.mark.parametrize(
    "text", ["1.10", "35.87", "1.5", "0.100", "1.23.456", "1,2,3", "12e3", "dodici"]
)
def test_a_value_that_stays_ambiguous_or_is_not_a_number_is_refused(text: str) -> None:
    with pytest.raises(UsageError, match=re.escape(repr(text))):
        Cell(text, "x").decimal()


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("35,87 gg", "35.87"),
        ("€ 165,80", "165.80"),
        ("27,78%", "27.78"),
        ("1.400", "1400"),
        ("1.234.567,5", "1234567.5"),
        ("−3,5", "-3.5"),
        (" 1.100 ", "1100"),
    ],
)
def test_italian_writing_of_numbers_is_read_as_written(text: str, value: str) -> None:
    assert Cell(text, "x").decimal() == Decimal(value)


def test_a_csv_in_the_windows_code_page_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_bytes("codice;unità;valore\r\n9.1.3;€;165,80\r\n".encode("cp1252"))
    assert [[c.value for c in cells] for _, cells in csv_rows(path, "m.csv")] == [
        ["codice", "unità", "valore"],
        ["9.1.3", "€", "165,80"],
    ]
