"""Refusals become one line on stderr and an exit code; anything else is a bug and propagates."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer
from typer.core import TyperGroup

from cli.terminal import echo
from events.errors import LedgerError, UsageError
from events.i18n import _

EXIT_REFUSED = 1
EXIT_USAGE = 2


def fail(message: str, code: int = EXIT_REFUSED) -> typer.Exit:
    """Print `Error: message` on stderr and return the Exit to raise."""
    echo(_("Error: {message}").format(message=message), err=True)
    return typer.Exit(code=code)


class LedgerGroup(TyperGroup):
    """The root command group: translates every `LedgerError` exactly once, at the boundary."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except UsageError as error:
            raise fail(str(error), EXIT_USAGE) from None
        except LedgerError as error:
            raise fail(str(error), EXIT_REFUSED) from None


@contextmanager
def refused_rows_reported() -> Iterator[None]:
    """Print every refused row on its own line, then the summary; exit 1 (nothing written)."""
    from formats.readers.sheets import RowsRefused  # openpyxl: only for the commands that read

    try:
        yield
    except RowsRefused as refused:
        for problem in refused.problems:
            echo(_("Error: {message}").format(message=problem.line()), err=True)
        raise fail(str(refused)) from None
