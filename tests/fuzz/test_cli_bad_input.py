"""Hypothesis on the `ledger` command: bad input gets one line and exit 1 or 2, never a traceback.

Every command and subcommand of the app (found by walking the click tree, so new commands
are fuzzed without editing this file) is invoked with hypothesis-made arguments: its own
option names given junk values, junk positional arguments, stray options. The ledger exists
and holds one cycle, so commands reach their parsers and their reads. Whatever the input,
the command must end with exit code 0 (the junk happened to be valid), 1 (a refusal) or 2
(bad usage), raise nothing but SystemExit, and print no traceback. The Italian number and
date parsers have their own hypothesis tests (tests/formats/test_italian_numbers.py and
test_italian_dates.py); they are only reached here through the commands.
"""

import contextlib
from datetime import date
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cli.app import app
from events.cycle import CycleOpened
from ledger.connect import open_store
from ledger.records import NewEvent
from tests.fuzz import examples


def _commands() -> list[tuple[tuple[str, ...], list[str]]]:
    """Every leaf command as (path, its option names)."""
    found: list[tuple[tuple[str, ...], list[str]]] = []

    # Typer vendors its own click, so the tree is walked by duck typing.
    def walk(command: Any, path: tuple[str, ...]) -> None:
        if hasattr(command, "commands"):
            for name, sub in command.commands.items():
                walk(sub, (*path, name))
            return
        options = [
            name
            for param in command.params
            if param.param_type_name == "option"
            for name in param.opts
            if name.startswith("--") and name != "--help"
        ]
        found.append((path, options))

    walk(typer.main.get_command(app), ())
    return found


COMMANDS = _commands()
junk = st.one_of(
    st.text(max_size=25),
    st.sampled_from(
        [
            "",
            " ",
            "-",
            "--",
            "31/02/2021",
            "2021-13-01",
            "1.10",
            "35.87",
            "NaN",
            "1e5",
            "€ -0,0",
            "∞",
            "\x00",
            "ü" * 3,
            "../../etc/passwd",
            "sqlite:///",
            "postgresql://x@/y",
            "cciaa-so/2020",
            "9.9.9",
            "--as-of",
            "--format",
            "xml",
            "99999999999999999999",
        ]
    ),
)


def _arguments(options: list[str]) -> st.SearchStrategy[list[str]]:
    option_pairs = (
        st.lists(st.tuples(st.sampled_from(options), junk), max_size=3) if options else st.just([])
    )
    return st.builds(
        lambda pairs, positional, stray: [
            *[token for pair in pairs for token in pair],
            *positional,
            *stray,
        ],
        option_pairs,
        st.lists(junk, max_size=3),
        st.lists(st.sampled_from(["--nope", "-x", "--format=xml"]), max_size=1),
    )


@pytest.fixture(scope="module")
def ledger_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite ledger with one opened cycle, made through the public API."""
    path: Path = tmp_path_factory.mktemp("fuzz") / "ledger.db"
    url = f"sqlite:///{path}"
    store = open_store(url, create=True)
    store.append(
        "cciaa-so/2020",
        [
            NewEvent(
                CycleOpened(entity="cciaa-so", entity_name="CCIAA di Sondrio", year=2020),
                date(2020, 1, 2),
                "controller@cciaa-so",
                "controller",
            )
        ],
        expected_version=0,
    )
    store.close()
    return url


@pytest.mark.parametrize(("path", "options"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_has_been_found(path: tuple[str, ...], options: list[str]) -> None:
    assert path


@pytest.mark.parametrize(("path", "options"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
@settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_bad_arguments_never_show_a_traceback(
    ledger_url: str,
    tmp_path_factory: pytest.TempPathFactory,
    path: tuple[str, ...],
    options: list[str],
    data: st.DataObject,
) -> None:
    arguments = data.draw(_arguments(options), label="arguments")
    runner = CliRunner()
    # Junk may name files (a plan to import, a new SQLite ledger): keep them out of the repo.
    # `ledger serve` would start the console and wait for Ctrl-C: its arguments are fuzzed,
    # the server it would launch is not (the console's own tests start it).
    with (
        contextlib.chdir(tmp_path_factory.getbasetemp()),
        mock.patch("cli.serve.subprocess.call", return_value=0),
    ):
        result = runner.invoke(app, ["--db", ledger_url, *path, *arguments])

    shown = f"ledger {' '.join(path)} {arguments!r} -> exit {result.exit_code}\n{result.output}"
    assert result.exit_code in (0, 1, 2), shown
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{shown}\n{result.exception!r}"
    )
    assert "Traceback" not in result.output, shown
