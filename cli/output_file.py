"""`-o FILE` on every read: what the command prints goes to the file instead, whole or not at
all (a refused read leaves no file), never over the ledger or its -wal/-shm (links included, even
with --force), never over an existing file unless --force, as export's `-o`.

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


def _template() -> list[Any]:
    """`-o FILE` and `--force` as typer builds them, taken from a command that only declares
    them: the same `--force` as export's (cli/options.py), with the same refusals."""
    from cli.options import ForceOption

    holder = typer.Typer(add_completion=False)

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
        output_force: ForceOption = False,
    ) -> None:
        """A holder of the options."""

    return [p for p in get_command(holder).params if p.name in ("output_file", "output_force")]


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
        target.params.extend(_template())
        target.callback = _redirected(target.callback, protected)
    return command


def _redirected(callback: Callable[..., Any], protected: Callable[[], list[Path]]) -> Any:
    def run(
        *args: Any, output_file: Path | None = None, output_force: bool = False, **kwargs: Any
    ) -> Any:
        if output_file is None:  # --force alone changes nothing, as with export
            return callback(*args, **kwargs)
        output = Path(output_file)
        from formats.writers.files import check_target, write_file

        check_target(output, force=output_force, protected=protected())
        printed = io.StringIO()
        with redirect_stdout(printed):
            result = callback(*args, **kwargs)
        data = printed.getvalue().encode("utf-8")
        write_file(output, data, force=output_force, protected=protected())
        from cli.terminal import echo

        echo(_("written {file}").format(file=output), err=True)
        return result

    return run
