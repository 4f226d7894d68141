"""Every command has help for its user and is named in the README (as sqlite-utils does)."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer

from cli.app import app

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def commands(group: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    for name, command in sorted(group.commands.items()):
        yield (*path, name), command
        if hasattr(command, "commands"):
            yield from commands(command, (*path, name))


ALL = list(commands(typer.main.get_command(app)))


@pytest.mark.parametrize(("path", "command"), ALL, ids=[" ".join(p) for p, _ in ALL])
def test_every_command_has_help_and_is_in_the_readme(path: tuple[str, ...], command: Any) -> None:
    assert (command.help or "").strip(), f"ledger {' '.join(path)} has no help text"
    spelled = f"ledger {' '.join(path)}"
    grouped = f"ledger {' '.join(path[:-1])} " if len(path) > 1 else None
    in_group = grouped is not None and grouped in README and path[-1] in README
    mentioned = spelled in README or in_group
    assert mentioned, f"{spelled} is not in README.md"
