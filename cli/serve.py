"""`ledger serve`: the OIV's console, a read-only web view of the ledger, in its own process.

The console is the `web` package, run as `python -m web`: the command line does not import
the web front end (DESIGN.md, the arrows), it starts it with the same options.
"""

import os
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

from cli.context import settings
from events.i18n import language


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(
    ctx: typer.Context,
    host: Annotated[
        str, typer.Option(help="Address to listen on; any but loopback needs --users.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    users: Annotated[
        Path | None,
        typer.Option(
            "--users",
            envvar="LEDGER_USERS",
            metavar="FILE",
            help="Users file (ledger users add NAME): sign-in required.",
        ),
    ] = None,
) -> None:
    """Serve the console: cycles, cruscotto as of a date, nodes, audit, trail, diff, integrity.

    Example: ledger --db sqlite:///sondrio.db serve   (then open http://127.0.0.1:8000/)
    """
    command = [sys.executable, "-m", "web", "--db", settings(ctx).db, "--host", host]
    command += ["--port", str(port)]
    if users is not None:
        command += ["--users", str(users)]
    try:
        # The console speaks the language this command was asked for (--lang or LEDGER_LANG).
        env = {**os.environ, "LEDGER_LANG": language()}
        code = subprocess.call(command, env=env)  # noqa: S603 - our own interpreter and module
    except KeyboardInterrupt:
        code = 0
    raise typer.Exit(code if code >= 0 else 128 - code)  # killed by a signal: 128 + its number
