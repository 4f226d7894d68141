"""`ledger users add NAME`: who may sign in to the console (`ledger serve --users FILE`)."""

import getpass
import sys
from pathlib import Path
from typing import Annotated

import typer

from cli.errors import EXIT_USAGE, fail
from cli.terminal import echo
from events.i18n import _
from formats.users import add_user

app = typer.Typer(help="The console's users file.", no_args_is_help=True)

UsersOption = Annotated[
    Path,
    typer.Option("--users", envvar="LEDGER_USERS", metavar="FILE", help="The users file."),
]


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="The user's name, e.g. oiv.rossi.")],
    users: UsersOption = Path("ledger-users.txt"),
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Add a user (or change a password); the password is asked without echo.

    Example: ledger users add oiv.rossi --users ledger-users.txt
    """
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif not sys.stdin.isatty():
        # getpass would fall back to echoing the password, or read it from a pipe unasked.
        raise fail(
            _("no terminal to ask the password on: give it with --password-stdin"), EXIT_USAGE
        )
    else:
        password = getpass.getpass(_("Password for {name}: ").format(name=name))
        if getpass.getpass(_("Again: ")) != password:
            raise fail(_("the two passwords differ: nothing was written"), EXIT_USAGE)
    new = add_user(users, name, password)
    message = _("user {name} added to {path}") if new else _("password of {name} changed in {path}")
    echo(message.format(name=name, path=users))
