"""One boundary: a refusal exits 1, bad usage 2 in one line, the unexpected 70 with a log."""

import sqlite3
from pathlib import Path

import pytest

from cli.example import EXAMPLES
from tests.badinput.conftest import events_in, one_line, run, run_limited


def test_a_usage_error_is_one_line_not_three(ref_copy: Path) -> None:
    code, output = run("--db", "x.db", "replay", "--as-of")
    assert (code, one_line(output)) == (2, "Error: Option '--as-of' requires an argument.")
    code, output = run("--db", "x.db", "nosuch")
    assert (code, one_line(output)) == (2, "Error: No such command 'nosuch'.")


def test_a_text_file_as_the_ledger_is_one_line(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("not a database\n" * 50, encoding="utf-8")
    for command in (("replay",), ("verify",), ("init",)):
        code, output = run("--db", str(text), *command)
        assert code == 1, output
        assert one_line(output) == (
            f"Error: cannot use the database sqlite:///{text}: file is not a database"
        )
    assert text.read_text(encoding="utf-8") == "not a database\n" * 50


def test_init_on_dev_null_is_one_line() -> None:
    code, output = run("--db", "/dev/null", "init")
    assert code == 2, output
    assert one_line(output) == (
        "Error: 'sqlite:////dev/null': /dev/null is not a regular file (a SQLite ledger is one "
        "file)"
    )


def damage(path: Path) -> None:
    """Overwrite the cells of an index's root page, as a failing disk would: the chain's
    rows stay readable, so only the database's own check can see the damage."""
    with sqlite3.connect(path) as conn:
        (root,) = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'ux_events_stream_version'"
        ).fetchone()
        (page_size,) = conn.execute("PRAGMA page_size").fetchone()
    conn.close()
    with path.open("r+b") as file:
        file.seek((root - 1) * page_size)
        file.write(b"\x13" * 64)  # the page header and the first cell pointers


def test_verify_on_a_damaged_file_does_not_say_ok(ref_copy: Path) -> None:
    damage(ref_copy)
    code, output = run("--db", "x.db", "verify")
    assert code == 1, output
    line = one_line(output)
    assert line.startswith("Error: ")
    assert not line.startswith("ok")


def test_a_corrupt_sqlite_file_is_one_line_for_every_read(ref_copy: Path) -> None:
    with ref_copy.open("r+b") as file:
        file.seek(4096)
        file.write(b"\x13" * 60000)
    for command in (("replay", "--as-of", "30/06/2021"), ("verify",), ("log",)):
        code, output = run("--db", "x.db", *command)
        assert code in (1, 70), output
        one_line(output)


def test_a_full_disk_is_one_line_and_the_ledger_stays_intact(tmp_path: Path) -> None:
    db = tmp_path / "l.db"
    assert run("--db", str(db), "init")[0] == 0
    # A file-size limit makes every write past it fail as a full disk does (EFBIG / ENOSPC).
    code, output = run_limited(
        ["--db", str(db), "load", str(EXAMPLES / "sondrio-2020-acts.yaml")],
        memory_mib=2048,
        cwd=tmp_path,
        file_kib=64,
    )
    assert code == 1, output
    line = one_line(output)
    assert line.startswith(f"Error: cannot use the database sqlite:///{db}: "), line
    assert events_in(db) == 0  # all or nothing: the refused load left no event
    assert run("--db", str(db), "verify")[0] == 0


def test_an_unexpected_failure_is_exit_70_with_the_trace_in_a_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "errors.log"
    monkeypatch.setenv("LEDGER_LOG", str(log))
    monkeypatch.delenv("LEDGER_DEBUG", raising=False)
    db = tmp_path / "l.db"
    assert run("--db", str(db), "init")[0] == 0

    # A bug of ours, simulated: opening the store fails with an error nobody anticipated.
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("simulated bug in the store")

    monkeypatch.setattr("ledger.connect.open_store", broken)
    code, output = run("--db", str(db), "verify")
    assert code == 70, output
    assert one_line(output) == (
        "Error: internal error in `ledger verify` (RuntimeError: simulated bug in the store); "
        f"the trace is in {log} (or run again with --debug)"
    )
    assert "Traceback" not in output
    trace = log.read_text(encoding="utf-8")
    assert "Traceback" in trace and "simulated bug in the store" in trace
