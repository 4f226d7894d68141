"""The commands that read a whole ledger write it in pieces: the pieces make the same text.

`ledger log` and `ledger export-trail` stream their rows (memory flat in the ledger's size);
what a user gets must be exactly what the whole-text writers give.
"""

from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from formats.serial import csv_chunks, json_list_chunks, to_csv, to_json
from formats.writers.cruscotto_csv import CsvProfile, excel_csv
from formats.writers.trail import COLUMNS, TrailFormat, row_chunks, write_rows

CELLS = (
    st.none()
    | st.integers(-10, 10**6)
    | st.text(max_size=12)
    | st.decimals(allow_nan=False, allow_infinity=False, places=2)
)
ROWS = st.lists(st.fixed_dictionaries(dict.fromkeys(("seq", "payload", "actor"), CELLS)))


@settings(max_examples=60, deadline=None)
@given(rows=ROWS, every=st.integers(1, 4))
def test_csv_in_pieces_is_the_whole_csv(rows: list[dict[str, Any]], every: int) -> None:
    columns = ["seq", "payload", "actor"]
    assert "".join(csv_chunks(rows, columns, every=every)) == to_csv(rows, columns)


@settings(max_examples=60, deadline=None)
@given(items=st.lists(st.dictionaries(st.text(max_size=5), CELLS | st.lists(CELLS, max_size=3))))
def test_a_json_list_in_pieces_is_the_whole_list(items: list[dict[str, Any]]) -> None:
    assert "".join(json_list_chunks(items)) == to_json(items)


def test_the_export_in_pieces_is_the_whole_export_in_both_profiles() -> None:
    rows = [
        {name: f"=cell {index} {name}" for name in COLUMNS} | {"seq": index}
        for index in range(2500)
    ]
    rows[3]["payload"] = Decimal("97.20")
    for profile in CsvProfile:
        whole = write_rows(rows, COLUMNS, TrailFormat.csv, profile, "digest")
        assert b"".join(row_chunks(iter(rows), COLUMNS, TrailFormat.csv, profile, "d")) == whole
    headers = [label for label, _ in COLUMNS.values()]
    assert excel_csv(rows, list(COLUMNS), headers).startswith("\ufeff".encode())
