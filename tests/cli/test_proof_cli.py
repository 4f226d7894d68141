"""`ledger proof ...` and `ledger digest` / `verify --digest` with version 2 lines, on the
reference ledger (SQLite and PostgreSQL): the exact lines printed, the refusals, and every JSON
proof checked by docs/verify_proofs.py in a process of its own, with none of our code."""

import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from events.cycle import CycleOpened
from ledger.connect import open_store
from ledger.records import NewEvent
from tests.conftest import BACKENDS
from tests.formats.conftest import reference_database
from tests.ledger.builders import run_ledger

SCRIPT = Path(__file__).resolve().parents[2] / "docs" / "verify_proofs.py"
REFERENCE_FIGURE = ("--as-of", "30/06/2021", "--cycle", "cciaa-so/2020")


@pytest.fixture(scope="module", params=BACKENDS)
def sondrio(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The reference cycle (180 events), then a seq 181 in another cycle: the later ledger."""
    with reference_database(request.param, tmp_path_factory.mktemp("proofs")) as url:
        yield url


@pytest.fixture(scope="module")
def published(sondrio: str) -> str:
    """The digest line published at the end of the reference cycle, before seq 181."""
    line = run_ledger(sondrio, "digest").stdout.strip()
    store = open_store(sondrio)
    try:
        store.append(
            "cciaa-so/2021",
            [
                NewEvent(
                    CycleOpened(
                        entity="cciaa-so", entity_name="Camera di commercio di Sondrio", year=2021
                    ),
                    date(2021, 1, 4),
                    "controllo-gestione",
                    "controller",
                )
            ],
            expected_version=0,
        )
    finally:
        store.close()
    return line


def proof(url: str, *args: str) -> dict[str, Any]:
    result = run_ledger(url, "proof", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def auditor(kind: str, document: dict[str, Any], folder: Path) -> subprocess.CompletedProcess[str]:
    path = folder / f"{kind}.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-I", str(SCRIPT), kind, str(path)],  # -I: none of our code on the path
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_the_published_digest_names_180_events_and_its_tree(published: str) -> None:
    assert published.startswith("ledger-digest/2 seq=180 sha256=")
    assert " tree_size=180 root=" in published


def test_an_inclusion_proof_against_the_published_digest_verifies_without_our_code(
    sondrio: str, published: str, tmp_path: Path
) -> None:
    document = proof(sondrio, "inclusion", "119", "--digest", published)

    assert (document["proof"], document["seq"], document["leaf_index"]) == ("inclusion", 119, 118)
    assert (document["tree_size"], document["digest"]) == (180, published)
    assert len(document["audit_path"]) == 8  # a tree of 180 leaves is 8 levels deep
    checked = auditor("inclusion", document, tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout == f"ok: seq 119 is in the tree of 180 events, root {document['root']}\n"


def test_the_readable_inclusion_proof_names_the_event_and_the_tree(
    sondrio: str, published: str
) -> None:
    result = run_ledger(sondrio, "proof", "inclusion", "119", "--digest", published)

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Inclusion proof of seq 119 in the tree of 180 events"
    assert lines[-2] == f"digest: {published}"
    assert lines[-1] == (
        "check it without our code: save it with --format json, then "
        "python docs/verify_proofs.py inclusion FILE"
    )


def test_a_flipped_hash_in_a_proof_is_refused_by_the_auditor(
    sondrio: str, published: str, tmp_path: Path
) -> None:
    document = proof(sondrio, "inclusion", "119", "--digest", published)
    first = document["audit_path"][0]
    document["audit_path"][0] = ("0" if first[0] != "0" else "1") + first[1:]

    checked = auditor("inclusion", document, tmp_path)

    assert checked.returncode == 1
    assert checked.stdout == "REFUSED: seq 119: the audit path does not lead to the digest's root\n"


def test_the_later_ledger_extends_the_published_digest(
    sondrio: str, published: str, tmp_path: Path
) -> None:
    document = proof(sondrio, "consistency", "--from", published)

    assert (document["old_size"], document["new_size"], document["old_digest"]) == (
        180,
        181,
        published,
    )
    checked = auditor("consistency", document, tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout == "ok: the tree of 181 events extends the tree of 180 events\n"


def test_verify_accepts_the_published_line_and_the_old_form_of_it(
    sondrio: str, published: str
) -> None:
    head = published.split()[2].removeprefix("sha256=")
    old_form = f"ledger-digest seq=180 sha256={head}"

    for line in (published, old_form):
        result = run_ledger(sondrio, "verify", "--digest", line)
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith("ok: 181 events checked, head seq 181 sha256 ")
        assert "; extends digest seq 180" in result.stdout


def test_a_digest_whose_root_is_not_the_ledgers_is_refused(sondrio: str, published: str) -> None:
    forged = published[:-64] + "0" * 64

    verified = run_ledger(sondrio, "verify", "--digest", forged)
    proved = run_ledger(sondrio, "proof", "inclusion", "5", "--digest", forged)

    assert verified.exit_code == 1
    assert verified.stderr == (
        "Error: chain broken at seq 180: the ledger no longer extends the digest: "
        "tree root differs\n"
    )
    assert proved.exit_code == 1
    root = published[-64:]
    assert proved.stderr == (
        f"Error: the ledger no longer extends {forged}: its tree of 180 events has root={root}\n"
    )


def test_a_proof_against_another_ledgers_digest_is_refused(published: str, tmp_path: Path) -> None:
    other = f"sqlite:///{tmp_path / 'other.db'}"
    store = open_store(other, create=True)
    try:
        entries = store.append(
            "cciaa-so/2020",
            [
                NewEvent(
                    CycleOpened(entity="x", entity_name="Altro ente", year=2020),
                    date(2020, 1, 1),
                    "a",
                    "controller",
                )
                for _ in range(200)
            ],
            expected_version=0,
        )
    finally:
        store.close()

    result = run_ledger(other, "proof", "consistency", "--from", published)

    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: the ledger no longer extends {published}: seq 180 has sha256={entries[179].hash}\n"
    )


def test_a_digest_line_whose_sizes_disagree_is_a_usage_error(sondrio: str, published: str) -> None:
    line = published.replace("tree_size=180", "tree_size=179")

    result = run_ledger(sondrio, "proof", "inclusion", "5", "--digest", line)

    assert result.exit_code == 2
    assert (
        result.stderr
        == f"Error: {line!r}: tree_size must equal seq (the tree has one leaf per event)\n"
    )


def test_an_event_outside_the_tree_is_refused(sondrio: str, published: str) -> None:
    result = run_ledger(sondrio, "proof", "inclusion", "181", "--digest", published)

    assert result.exit_code == 1
    assert result.stderr == f"Error: seq 181 is not in the tree of 180 events of {published}\n"


def test_the_figure_of_3_3_1_comes_from_its_plan_its_measure_and_its_override(
    sondrio: str, published: str, tmp_path: Path
) -> None:
    document = proof(sondrio, "figure", "3.3.1", *REFERENCE_FIGURE, "--digest", published)

    # The Relazione: 3.3.1 measured 35,87 days against a target of 28, set to 60 % sentito l'OIV.
    assert document["result"] == 60
    assert [e["type"] for e in document["events"]] == [
        "CycleOpened",
        "PerspectiveDefined",
        "ObjectiveDefined",
        "ObjectiveDefined",
        "ObjectiveDefined",
        "ApprovalRecorded",
        "MeasurementRecorded",
        "OverrideRecorded",
    ]
    measured = json.loads(document["events"][6]["stored"]["payload"])
    assert (measured["action"], measured["value"]) == ("3.3.1", "35.87")
    checked = auditor("figure", document, tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout == "ok: 3.3.1: 8 events, each in the tree of 180 events\n"


def test_the_figure_of_the_ente_is_96_67_and_every_event_checks(
    sondrio: str, published: str, tmp_path: Path
) -> None:
    document = proof(sondrio, "figure", "ente", *REFERENCE_FIGURE, "--digest", published)

    assert document["result"] == 96.67  # the Relazione's performance di ente
    checked = auditor("figure", document, tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr

    document["events"][3]["stored"]["payload"] = document["events"][3]["stored"]["payload"].replace(
        "a", "b", 1
    )
    tampered = auditor("figure", document, tmp_path)
    seq = document["events"][3]["seq"]
    assert tampered.stdout == f"REFUSED: seq {seq}: its stored fields do not give its event_hash\n"
