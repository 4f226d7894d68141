"""Fixtures of the bad-input catalogue (docs/bad-input.md): the reference ledger, copied per test.

Each test of this package is named in the catalogue's table, and the table's test names are
checked against this package (test_catalogue.py).
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.app import app
from cli.example import EXAMPLES, load_example
from ledger.connect import open_store

runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    """Run `ledger ARGS...`; the exit code and everything printed (stdout and stderr)."""
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def one_line(output: str) -> str:
    """The one line a refusal prints (the test fails if there are more)."""
    printed = [line for line in output.splitlines() if line.strip()]
    assert len(printed) == 1, output
    return printed[0]


@pytest.fixture(scope="session")
def reference_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Sondrio 2020 cycle in a SQLite file, recorded once (`ledger example sondrio-2020`)."""
    path = tmp_path_factory.mktemp("reference") / "ref.db"
    store = open_store(f"sqlite:///{path}", create=True)
    try:
        load_example(store, "sondrio-2020")
    finally:
        store.close()
    return path


@pytest.fixture
def ref_copy(reference_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """`cp ref.db x.db` in the test's own folder, which is the working directory."""
    monkeypatch.chdir(tmp_path)
    copy = tmp_path / "x.db"
    shutil.copyfile(reference_file, copy)
    return copy


def events_in(path: Path) -> int:
    store = open_store(f"sqlite:///{path}")
    try:
        return store.count()
    finally:
        store.close()


@pytest.fixture
def planned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A SQLite ledger whose cycle has the reference plan approved and no measurement yet."""
    monkeypatch.chdir(tmp_path)
    db = f"sqlite:///{tmp_path / 'ledger.db'}"
    assert run("--db", db, "init")[0] == 0
    plan = str(EXAMPLES / "sondrio-2020-plan.yaml")
    code, output = run("--db", db, "plan", "import", plan, "--date", "27/01/2020")
    assert code == 0, output
    code, output = run(
        "--db", db, "record", "approval", "plan", "--act", "delibera n. 5/GC",
        "--date", "27/01/2020",
    )  # fmt: skip
    assert code == 0, output
    return db


def run_limited(args: list[str], *, memory_mib: int, cwd: Path) -> tuple[int, str]:
    """`ledger ARGS...` in a child process whose address space is capped at `memory_mib`
    (resource.setrlimit): a reader that inflates its input dies there, not on the machine."""
    program = (
        "import resource, sys\n"
        f"limit = {memory_mib} * 1024 * 1024\n"
        "resource.setrlimit(resource.RLIMIT_AS, (limit, limit))\n"
        "from cli.app import app\n"
        "app(args=sys.argv[1:], prog_name='ledger')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "LEDGER_LANG": "en"},
        check=False,
    )
    return done.returncode, done.stdout + done.stderr
