"""`ledger` starts without importing what the command does not use (bench/startup.py times it).

`ledger --help` lists the commands from cli/app.py's table, so the table's summaries must be
the commands' own; and starting imports neither the database layer, pydantic, rich, nor the
spreadsheet, PDF, cryptography or web libraries, nor any command module. A replay of a SQLite
ledger imports what it reads with, not what signs, nor the PostgreSQL backend.
"""

import json
import subprocess
import sys
from pathlib import Path

from typer.main import get_command

import ledger.connect
from cli import context
from cli.app import COMMANDS, DEFAULT_DB, app
from cli.language import summary

HEAVY = [
    "sqlalchemy",
    "pydantic",
    "rich",
    "importlib.resources",
    "openpyxl",
    "cryptography",
    "psycopg",
    "weasyprint",
    "rich.progress",
    "fastapi",
    "ledger.store",
    "projections.cruscotto",
    *sorted({module for module, _ in COMMANDS.values()}),
]


def test_the_table_of_commands_is_the_commands_own() -> None:
    root = get_command(app)
    loaded = root.commands  # every module imported
    assert list(loaded) == list(COMMANDS)
    for name, (_, said) in COMMANDS.items():
        assert said == summary(loaded[name].help or ""), name


def test_the_default_ledger_is_named_once() -> None:
    assert DEFAULT_DB == ledger.connect.DEFAULT_DB == context.DEFAULT_DB


def test_starting_imports_nothing_heavy() -> None:
    probe = (
        "import sys, json\n"
        "from typer.testing import CliRunner\n"
        "from cli.app import app\n"
        "result = CliRunner().invoke(app, ['--help'])\n"
        "assert result.exit_code == 0, result.output\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == []


def test_a_replay_imports_neither_signing_nor_the_other_backend(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'sondrio.db'}"
    ledger = str(Path(sys.executable).with_name("ledger"))
    subprocess.run([ledger, "--db", url, "example", "sondrio-2020", "--no-show"], check=True)
    probe = (
        "import sys, json\n"
        "from typer.testing import CliRunner\n"
        "from cli.app import app\n"
        f"result = CliRunner().invoke(app, ['--db', {url!r}, 'replay', '--as-of', '30/06/2021'])\n"
        "assert result.exit_code == 0, result.output\n"
        "unused = ['cryptography', 'ledger.postgresql', 'psycopg', 'openpyxl', 'yaml', 'rich']\n"
        "print(json.dumps([m for m in unused if m in sys.modules]))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == []
