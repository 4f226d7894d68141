"""The reference plan exported to .xlsx and imported into another cycle is the same plan.

With the same measurements (read back from the same workbook's `Misure` sheet) and the same
overrides, the new cycle's cruscotto is the reference's, figure by figure.
"""

from collections.abc import Iterator
from contextlib import chdir
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from ledger.connect import open_store
from projections.contract import cruscotto_contract
from projections.cruscotto import build
from projections.plan_state import CycleState, fold
from tests.conftest import BACKENDS
from tests.formats.conftest import REFERENCE, import_back, ledger, reference_database

COPY = "cciaa-so/2020-bis"
END = date(2021, 6, 30)


def state_of(db: str, stream: str) -> CycleState:
    store = open_store(db)
    try:
        return fold(store.read_stream(stream), stream, as_of=END)
    finally:
        store.close()


def without_seqs(data: Any) -> Any:
    """The contract without the override's seq, which is the one thing a copy cannot share."""
    if isinstance(data, dict):
        return {k: without_seqs(v) for k, v in data.items() if k != "seq"}
    if isinstance(data, list):
        return [without_seqs(item) for item in data]
    return data


class Copied(NamedTuple):
    db: str
    folder: Path


@pytest.fixture(scope="module", params=BACKENDS)
def copied(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Copied]:
    """The reference exported, its plan imported into COPY and approved, its measurements
    recorded from the same workbook, and its three overrides decided again."""
    folder = tmp_path_factory.mktemp("round-trip")
    with reference_database(request.param, folder) as db, chdir(folder):
        code, out = ledger(
            db,
            "export",
            "--as-of",
            "30/06/2021",
            "--format",
            "xlsx",
            "--output",
            "cruscotto.xlsx",
            "--cycle",
            REFERENCE,
        )
        assert code == 0, out
        import_back(db, "cruscotto.xlsx", COPY)
        for node, achievement in (("3.3.1", "60"), ("8.1.1", "60"), ("3.4.1", "100")):
            code, out = ledger(
                db,
                "record",
                "override",
                node,
                achievement,
                "--cycle",
                COPY,
                "--oiv-heard",
                "07/06/2021",
                "--date",
                "07/06/2021",
                "--rationale",
                f"as in {REFERENCE}",
            )
            assert code == 0, out
        yield Copied(db, folder)


def test_the_exported_plan_imported_into_another_cycle_is_the_same_plan(copied: Copied) -> None:
    original, copy = state_of(copied.db, REFERENCE), state_of(copied.db, COPY)
    assert list(copy.nodes) == list(original.nodes)
    for key, node in original.nodes.items():
        assert replace(copy.nodes[key], in_force_from=None) == replace(node, in_force_from=None)
    assert copy.managers == original.managers
    assert copy.opened is not None
    assert original.opened is not None
    assert copy.opened.model_dump() == original.opened.model_dump()


def test_with_the_same_measurements_and_overrides_the_cruscotto_is_the_same(
    copied: Copied,
) -> None:
    original = cruscotto_contract(build(state_of(copied.db, REFERENCE), END))
    copy = cruscotto_contract(build(state_of(copied.db, COPY), END))
    assert copy["ente"]["result"] == original["ente"]["result"] == Decimal("96.67")
    rationale = f"as in {REFERENCE}"

    def same_rationale(data: Any) -> Any:
        if isinstance(data, dict):
            return {
                k: rationale if k == "rationale" else same_rationale(v) for k, v in data.items()
            }
        if isinstance(data, list):
            return [same_rationale(item) for item in data]
        return data

    assert without_seqs(copy["ente"]) == same_rationale(without_seqs(original["ente"]))
    assert copy["obiettivi_dirigenziali"] == original["obiettivi_dirigenziali"]


def test_importing_the_same_workbook_again_records_nothing(copied: Copied) -> None:
    with chdir(copied.folder):
        code, out = ledger(
            copied.db, "plan", "import", "cruscotto.xlsx", "--cycle", COPY, "--date", "27/01/2020"
        )
        assert (code, out) == (0, f"cruscotto.xlsx: already recorded in {COPY}; nothing to do\n")
        code, out = ledger(copied.db, "record", "measurements", "cruscotto.xlsx", "--cycle", COPY)
    assert (code, out) == (
        0,
        f"recorded 0 of 49 rows of cruscotto.xlsx in {COPY} (49 already recorded)\n",
    )
