"""Fixtures of the command-line tests: a ledger driven through `ledger` itself."""

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from cli.app import app
from ledger.connect import open_store
from tests.builders import small_plan

runner = CliRunner()


def ledger(db: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["--db", db, *args])
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.output


def count(db: str) -> int:
    store = open_store(db)
    try:
        return store.count()
    finally:
        store.close()


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "piano.yaml"
    path.write_text(yaml.safe_dump(small_plan(), allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def approved(db_url: str, plan_file: Path) -> str:
    assert ledger(db_url, "init")[0] == 0
    assert ledger(db_url, "plan", "import", str(plan_file), "--date", "20/01/2020")[0] == 0
    code, out = ledger(
        db_url, "record", "approval", "plan", "--act", "delibera n. 5/GC", "--date", "27/01/2020"
    )
    assert code == 0, out
    return db_url
