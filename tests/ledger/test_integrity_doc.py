"""docs/integrity.md's worked example is true: the auditor's script prints its vectors exactly.

The tiny ledger of the example is built here through the public API (fixed clock, fixed event
ids), on each backend; docs/verify_chain.py is run on it as a separate process, with the
standard library only, and its output must equal the blocks printed in the document.
"""

import re
import sqlite3
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from events.cycle import CycleClosed, CycleReopened
from ledger.connect import open_store
from ledger.records import NewEvent
from tests.ledger.builders import SettableClock, run_ledger

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "integrity.md"
SCRIPT = ROOT / "docs" / "verify_chain.py"


def documented_block(marker: str) -> str:
    """The fenced block that follows `<!-- vector: marker -->` in docs/integrity.md."""
    text = DOC.read_text(encoding="utf-8")
    found = re.search(
        rf"<!-- vector: {re.escape(marker)} -->\s*```[a-z]*\n(.*?)```", text, flags=re.DOTALL
    )
    assert found, f"docs/integrity.md has no block marked 'vector: {marker}'"
    return found.group(1)


def build_example(url: str) -> None:
    """The worked example of docs/integrity.md, section 'A worked example'."""
    clock = SettableClock(datetime(2021, 7, 1, 8, 0, tzinfo=UTC))
    store = open_store(url, create=True, clock=clock)
    try:
        store.append(
            "cciaa-so/2020",
            [
                NewEvent(
                    CycleClosed(note="Relazione 2020 validata dall'OIV"),
                    date(2021, 6, 30),
                    "controllo.gestione@so.camcom.it",
                    "controller",
                    event_id="00000000-0000-4000-8000-000000000001",
                )
            ],
            expected_version=0,
        )
        clock.now = datetime(2021, 7, 16, 9, 30, 0, 250000, tzinfo=UTC)
        store.append(
            "cciaa-so/2020",
            [
                NewEvent(
                    CycleReopened(reason="correzione: è un refuso nella misura 1.1.2"),
                    date(2021, 7, 15),
                    "controllo.gestione@so.camcom.it",
                    "controller",
                    idempotency_key="riapertura-2020-1",
                    event_id="00000000-0000-4000-8000-000000000002",
                )
            ],
            expected_version=1,
        )
    finally:
        store.close()


def auditor_script(url: str, *options: str) -> str:
    completed = subprocess.run(
        [sys.executable, "-I", str(SCRIPT), url, *options],  # -I: none of our code on the path
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert completed.stderr == ""
    return completed.stdout


@pytest.fixture
def example(db_url: str) -> str:
    build_example(db_url)
    return db_url


def test_verify_chain_script_prints_the_documented_vector(example: str) -> None:
    assert auditor_script(example) == documented_block("verify_chain")


def test_verify_chain_script_explains_every_hashed_byte_as_documented(example: str) -> None:
    assert auditor_script(example, "--explain") == documented_block("verify_chain --explain")


def test_the_documented_head_is_what_ledger_digest_prints(example: str) -> None:
    digest = run_ledger(example, "digest")

    assert digest.exit_code == 0, digest.output
    assert digest.stdout == documented_block("ledger digest")
    assert documented_block("verify_chain").splitlines()[-1] == digest.stdout.strip()


def test_the_script_checks_a_published_digest(example: str) -> None:
    line = documented_block("ledger digest").strip()

    output = auditor_script(example, "--digest", line)

    assert output.splitlines()[-1] == f"extends {line}"


def test_the_script_names_an_edited_row(example: str, tmp_path: Path, backend: str) -> None:
    if backend != "sqlite":
        pytest.skip("one backend is enough to show the script's refusal")
    edited = tmp_path / "edited.db"
    source = sqlite3.connect(example.removeprefix("sqlite:///"))
    copy = sqlite3.connect(edited)
    source.backup(copy)
    source.close()
    with copy:
        copy.execute("DROP TRIGGER events_refuse_update")
        copy.execute("UPDATE events SET actor = 'someone else' WHERE seq = 2")
    copy.close()

    completed = subprocess.run(
        [sys.executable, "-I", str(SCRIPT), str(edited)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )

    assert completed.returncode == 1
    assert completed.stdout.splitlines()[-1].startswith("seq 2 BROKEN: stored hash ")


def test_the_documented_inclusion_proof_is_what_ledger_proof_prints(example: str) -> None:
    proved = run_ledger(example, "proof", "inclusion", "1", "--format", "json")

    assert proved.exit_code == 0, proved.output
    assert proved.stdout == documented_block("proof inclusion")
