"""No stored value can make a later read fail: what an older version let in is still shown."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from events.cycle import CycleOpened
from events.measurement import MeasurementRecorded, Period
from events.oversight import OverrideRecorded
from ledger.connect import open_store
from tests.badinput.conftest import run
from tests.badinput.poison import append_unchecked

REFERENCE = "--cycle", "cciaa-so/2020"
ZERO = "--cycle", "zero/0"
YEAR_2020 = Period(start=date(2020, 1, 1), end=date(2020, 12, 31))


@pytest.fixture
def poisoned(ref_copy: Path) -> Path:
    """The reference ledger plus the values the issue found accepted and then fatal."""
    store = open_store(f"sqlite:///{ref_copy}")
    try:
        for action, value in (("3.3.1", "12345678901234567890123456789.5"), ("6.1.1", "1.0e+400")):
            append_unchecked(
                store,
                "cciaa-so/2020",
                MeasurementRecorded(action=action, value=Decimal(value), period=YEAR_2020),
                date(2021, 4, 30),
            )
        append_unchecked(
            store,
            "cciaa-so/2020",
            OverrideRecorded(
                node="3.3.2",
                achievement=Decimal(50),
                rationale="bell\x07 in the rationale",
                oiv_heard_on=date(2021, 6, 1),
            ),
            date(2021, 6, 1),
        )
        append_unchecked(
            store, "zero/0", CycleOpened(entity="zero", entity_name="Zero\x01", year=0),
            date(2020, 1, 1),
        )  # fmt: skip
    finally:
        store.close()
    return ref_copy


READS = [
    ("replay", "--as-of", "30/06/2021", *REFERENCE),
    ("replay", "--as-of", "30/06/2021", "--format", "json", *REFERENCE),
    ("audit", *REFERENCE),
    ("history", "3.3.1", *REFERENCE),
    ("history", "6.1.1", *REFERENCE),
    ("diff", "--from", "01/01/2021", "--to", "30/06/2021", *REFERENCE),
    ("export", "--as-of", "30/06/2021", "--format", "xlsx", "-o", "c.xlsx", *REFERENCE),
    ("export", "--as-of", "30/06/2021", "--format", "csv", *REFERENCE),
    ("export", "--as-of", "30/06/2021", "--format", "html", *REFERENCE),
    ("plan", "show", *REFERENCE),
    ("trail", "--format", "xlsx", "-o", "t.xlsx"),
    ("export-trail", "--format", "xlsx", "-o", "r.xlsx"),
    ("log",),
    ("audit", *ZERO),
    ("replay", *ZERO),
    ("export", "--format", "xlsx", "-o", "z.xlsx", *ZERO),
    ("history", *ZERO),
]


@pytest.mark.parametrize("command", READS, ids=[" ".join(c[:2]) for c in READS])
def test_no_stored_value_makes_a_read_fail(poisoned: Path, command: tuple[str, ...]) -> None:
    code, output = run("--db", str(poisoned), *command)
    assert code == 0, output


def test_a_control_character_stored_earlier_is_shown_as_unreadable_in_xlsx(
    poisoned: Path,
) -> None:
    code, output = run(
        "--db", str(poisoned), "export", "--as-of", "30/06/2021", "--format", "xlsx", "-o",
        "c.xlsx", *REFERENCE,
    )  # fmt: skip
    assert code == 0, output
    book = openpyxl.load_workbook("c.xlsx", read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    book.close()
    texts = [str(cell) for row in rows for cell in row if cell]
    assert any("bell\\x07 in the rationale" in text for text in texts)


def test_a_cycle_year_stored_as_0_is_an_audit_finding(poisoned: Path) -> None:
    code, output = run("--db", str(poisoned), "audit", *ZERO)
    assert code == 0, output
    assert "the cycle's year 0 is outside 1900-2199: its deadlines cannot be checked" in output
