"""Refusals become one line on stderr and an exit code; anything else is a bug and propagates."""

from typing import Any

import typer
from typer.core import TyperGroup

from events.errors import LedgerError, UsageError

EXIT_REFUSED = 1
EXIT_USAGE = 2


def fail(message: str, code: int = EXIT_REFUSED) -> typer.Exit:
    """Print `Error: message` on stderr and return the Exit to raise."""
    typer.echo(f"Error: {message}", err=True)
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
