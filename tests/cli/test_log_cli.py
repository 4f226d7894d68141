"""`ledger log`: the events as stored, in order, filtered, in every format."""

import csv
import io
import json

import pytest

from tests.cli.conftest import ledger

pytestmark = pytest.mark.usefixtures("approved")


def test_the_log_lists_every_event_in_seq_order_with_its_envelope(approved: str) -> None:
    ledger(approved, "record", "measurement", "1.1.1", "95", "--date", "30/04/2021")
    events = json.loads(ledger(approved, "log", "--format", "json")[1])
    assert [event["seq"] for event in events] == list(range(1, len(events) + 1))
    last = events[-1]
    assert (last["type"], last["effective_date"], last["role"]) == (
        "MeasurementRecorded",
        "2021-04-30",
        "controller",
    )
    assert last["payload"]["action"] == "1.1.1" and last["payload"]["value"] == "95"
    assert last["prev_hash"] == events[-2]["hash"]


def test_the_log_filters_by_type_and_effective_dates(approved: str) -> None:
    ledger(approved, "record", "measurement", "1.1.1", "95", "--date", "30/04/2021")
    ledger(approved, "record", "measurement", "1.1.1", "97", "--date", "31/05/2021")
    measured = json.loads(
        ledger(approved, "log", "--type", "MeasurementRecorded", "--format", "json")[1]
    )
    assert [event["payload"]["value"] for event in measured] == ["95", "97"]
    may = json.loads(
        ledger(approved, "log", "--from", "01/05/2021", "--to", "2021-05-31", "--format", "json")[1]
    )
    assert [event["effective_date"] for event in may] == ["2021-05-31"]
    assert ledger(approved, "log", "--stream", "nope/2020")[1] == "no events\n"


def test_the_log_as_csv_and_as_a_table(approved: str) -> None:
    rows = list(csv.DictReader(io.StringIO(ledger(approved, "log", "--format", "csv")[1])))
    assert rows[0]["type"] == "CycleOpened" and rows[-1]["type"] == "ApprovalRecorded"
    assert json.loads(rows[-1]["payload"])["act"] == "delibera n. 5/GC"
    table = ledger(approved, "log", "--type", "ApprovalRecorded")[1].splitlines()
    assert table[0].split()[:4] == ["seq", "recorded", "date", "cycle"]
    assert "27/01/2020" in table[2] and "approval recorded" in table[2]


@pytest.mark.usefixtures("italian")
def test_the_log_table_names_the_event_type_in_italian(approved: str) -> None:
    """A table shows the type's label; the stored identifier stays in JSON and CSV."""
    table = ledger(approved, "log", "--type", "ApprovalRecorded")[1].splitlines()
    assert table[0].split()[:4] == ["seq", "registrato", "data", "ciclo"]
    assert "approvazione registrata" in table[2] and "ApprovalRecorded" not in table[2]
    rows = list(csv.DictReader(io.StringIO(ledger(approved, "log", "--format", "csv")[1])))
    assert rows[-1]["type"] == "ApprovalRecorded"
