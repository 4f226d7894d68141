"""`-o FILE` on every read: what the command prints goes to the file instead, whole or not at
all (a refused read leaves no file), never over the ledger, never over a file unless --force.

The reads are the commands of `READS`; the option is added to each as it is loaded (cli/lazy.py)
rather than written out in each, so that they cannot differ in what it means.
"""

import io
from collections.abc import Callable
from contextlib import redirect_stdout
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.main import get_command

from events.i18n import _

READS = {
    "replay": None,
    "log": None,
    "history": None,
    "audit": None,
    "diff": None,
    "verify": None,
    "digest": None,
    "plan": ("show",),
    "actors": ("list",),
    "keys": ("list",),
    "proof": ("inclusion", "consistency", "figure"),
}
"""Top-level reads (None), and the reads of a group by name."""


def _template() -> Any:
    """The option as typer builds it, taken from a command that only declares it."""
    holder = typer.Typer()

    @holder.command()
    def read(
        output_file: Annotated[
            Path | None,
            typer.Option(
                "--output",
                "-o",
                metavar="FILE",
                help="Write what the command prints to this file (whole or not at all).",
            ),
        ] = None,
    ) -> None:
        """A holder of the option."""

    return get_command(holder).params[0]


def with_output_file(name: str, command: Any, protected: Callable[[], list[Path]]) -> Any:
    """The command (or the group's reads) with `-o FILE`; others are returned as they are."""
    if name not in READS:
        return command
    subcommands = READS[name]
    targets = (
        [command]
        if subcommands is None
        else [command.commands[each] for each in subcommands if each in command.commands]
    )
    for target in targets:
        if any("--output" in getattr(p, "opts", ()) for p in target.params):
            continue
        target.params.append(_template())
        target.callback = _redirected(target.callback, protected)
    return command


def _redirected(callback: Callable[..., Any], protected: Callable[[], list[Path]]) -> Any:
    def run(*args: Any, output_file: Path | None = None, **kwargs: Any) -> Any:
        if output_file is None:
            return callback(*args, **kwargs)
        output = Path(output_file)
        from formats.writers.files import check_target, write_file

        check_target(output, force=False, protected=protected())
        printed = io.StringIO()
        with redirect_stdout(printed):
            result = callback(*args, **kwargs)
        write_file(output, printed.getvalue().encode("utf-8"), force=False, protected=protected())
        from cli.terminal import echo

        echo(_("written {file}").format(file=output), err=True)
        return result

    return run
