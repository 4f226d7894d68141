"""The guard of tests/conftest.py: no CLI invocation in any test may print a traceback or exit
with a code other than 0, 1, 2 or 70."""

import pytest
import typer
from typer.testing import CliRunner

from tests.conftest import ALLOWED_EXIT_CODES

toy = typer.Typer()


@toy.command()
def boom(code: int = 0, crash: bool = False) -> None:
    if crash:
        raise RuntimeError("a bug")
    if code == 99:
        typer.echo("Traceback (most recent call last):")
    raise typer.Exit(code)


@pytest.mark.parametrize("args", [["--crash"], ["--code", "3"], ["--code", "99"]])
def test_the_guard_fails_a_test_whose_command_breaks_the_promise(args: list[str]) -> None:
    with pytest.raises(pytest.fail.Exception):
        CliRunner().invoke(toy, args)


@pytest.mark.parametrize("code", ALLOWED_EXIT_CODES)
def test_the_guard_lets_the_promised_exit_codes_through(code: int) -> None:
    assert CliRunner().invoke(toy, ["--code", str(code)]).exit_code == code
