"""Times shown to people are Italian local time with the zone; stored and JSON times stay UTC.

Two events are recorded at known instants, one in winter (CET, UTC+1) and one in summer (CEST,
UTC+2): the trail shows them as a person in Sondrio reads a clock, the JSON keeps ISO 8601 with
its offset, and the workbook holds real date-times.
"""

import io
import json
from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl
import pytest

from cli.example import load_example
from formats.italian_dates import italian_moment
from ledger.connect import open_store
from projections.acts import Actor, reopen_cycle
from tests.cli.conftest import ledger

WINTER = datetime(2021, 1, 14, 9, 5, tzinfo=UTC)  # 10:05 in Rome, CET
SUMMER = datetime(2021, 6, 14, 8, 5, tzinfo=UTC)  # 10:05 in Rome, CEST


def test_a_winter_and_a_summer_time_in_italian_local_time() -> None:
    assert italian_moment(WINTER) == "14/01/2021 10:05 CET"
    assert italian_moment(SUMMER) == "14/06/2021 10:05 CEST"


def record_at_two_times(db_url: str) -> None:
    """The reference recorded in winter, then the cycle reopened in summer."""
    store = open_store(db_url, create=True)
    try:
        store.clock = lambda: WINTER
        load_example(store, "sondrio-2020")
        store.clock = lambda: SUMMER
        administrator = Actor("amministratore", "administrator")
        reopen_cycle(store, "cciaa-so/2020", "a correction", date(2021, 6, 14), administrator)
    finally:
        store.close()


def test_the_trail_shows_local_time_and_json_keeps_utc(db_url: str, tmp_path: Path) -> None:
    record_at_two_times(db_url)
    code, table = ledger(db_url, "trail")
    assert code == 0, table
    lines = table.splitlines()
    assert "14/01/2021 10:05 CET" in lines[2]
    assert "14/06/2021 10:05 CEST" in lines[-1]
    code, out = ledger(db_url, "trail", "--format", "json")
    rows = json.loads(out)
    assert datetime.fromisoformat(rows[0]["recorded_at"]) == WINTER
    assert datetime.fromisoformat(rows[-1]["recorded_at"]) == SUMMER
    assert rows[0]["recorded_at"].endswith(("Z", "+00:00"))


@pytest.mark.usefixtures("italian")  # the Italian wording of the files
def test_the_trail_workbook_holds_real_times_and_the_digest(db_url: str, tmp_path: Path) -> None:
    record_at_two_times(db_url)
    target = tmp_path / "trail.xlsx"
    code, out = ledger(db_url, "trail", "--format", "xlsx", "-o", str(target))
    assert code == 0, out
    workbook = openpyxl.load_workbook(io.BytesIO(target.read_bytes()))
    sheet = workbook["Registro"]
    header = [cell.value for cell in sheet[1]]
    column = header.index("registrato il (Europe/Rome)")
    first, last = sheet[2][column], sheet[sheet.max_row][column]
    # Excel holds wall-clock times: the header names the zone.
    assert first.value == datetime(2021, 1, 14, 10, 5)  # noqa: DTZ001
    assert last.value == datetime(2021, 6, 14, 10, 5)  # noqa: DTZ001
    assert first.is_date
    code, digest = ledger(db_url, "digest")
    assert workbook["Digest"]["A1"].value == digest.strip()
    assert workbook["Digest"]["A1"].value.startswith("ledger-digest/2 seq=181 ")
