"""`ledger init --reader-role NAME`: the role the console reads through, made idempotently."""

import os
import subprocess
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import pg_server_url


def _ledger(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["ledger", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "LEDGER_LANG": "en"},
        timeout=120,
    )


@pytest.mark.postgres
def test_init_makes_a_select_only_role_and_can_be_run_twice(pg_schema_url: str) -> None:
    role = f"ledger_reader_{uuid.uuid4().hex[:10]}"
    try:
        for _ in range(2):
            made = _ledger("--db", pg_schema_url, "init", "--reader-role", role)
            assert made.returncode == 0, made.stderr
            assert made.stdout.splitlines()[-1] == f"reader role {role}: SELECT only"
        admin = create_engine(pg_schema_url)
        with admin.connect() as conn:
            rights = conn.execute(
                text(
                    "SELECT has_table_privilege(:r, 'events', 'SELECT'), "
                    "has_table_privilege(:r, 'events', 'INSERT'), "
                    "has_table_privilege(:r, 'events', 'UPDATE'), "
                    "has_table_privilege(:r, 'events', 'DELETE')"
                ),
                {"r": role},
            ).one()
        admin.dispose()
        assert tuple(rights) == (True, False, False, False)
    finally:
        admin = create_engine(pg_server_url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role})
            if exists.scalar():
                conn.execute(text(f"DROP OWNED BY {role}"))
                conn.execute(text(f"DROP ROLE {role}"))
        admin.dispose()


def test_a_reader_role_on_sqlite_is_a_usage_error(tmp_path: Path) -> None:
    refused = _ledger("--db", str(tmp_path / "ledger.db"), "init", "--reader-role", "lettore")
    assert refused.returncode == 2
    assert refused.stderr.strip() == (
        "Error: --reader-role is for PostgreSQL; ledger serve opens a SQLite file read-only by "
        "itself"
    )


def test_a_reader_role_name_must_be_a_plain_identifier(tmp_path: Path) -> None:
    refused = _ledger(
        "--db", "postgresql+psycopg://nobody@127.0.0.1:1/none", "init", "--reader-role", "x; DROP"
    )
    assert refused.returncode != 0
