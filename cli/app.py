"""The `ledger` command: global options, and the groups that follow the users' acts."""

import sys
from typing import Annotated

import typer

from cli import (
    actors,
    audit,
    diff,
    example,
    export,
    history,
    integrity,
    keys,
    load,
    log,
    migrate,
    plan,
    proof,
    publish,
    record,
    replay,
    schema,
    serve,
    trail,
    users,
)
from cli.context import Settings
from cli.language import LocalizedGroup, check_language, choose_language, language_asked
from ledger.connect import DEFAULT_DB

app = typer.Typer(
    cls=LocalizedGroup,
    help="The performance ledger: an append-only, hash-chained record of the ciclo della "
    "performance (D.Lgs. 150/2009).",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
    add_completion=False,
)


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        str,
        typer.Option(
            "--db",
            envvar="LEDGER_DB",
            help="SQLAlchemy URL (or SQLite file path) of the ledger.",
            show_default=True,
        ),
    ] = DEFAULT_DB,
    actor: Annotated[
        str | None,
        typer.Option("--actor", envvar="LEDGER_ACTOR", help="Who is acting (default: OS user)."),
    ] = None,
    role: Annotated[
        str | None,
        typer.Option(
            "--role", envvar="LEDGER_ROLE", help="The role acted in (default: the act's own)."
        ),
    ] = None,
    sign_key: Annotated[
        str | None,
        typer.Option(
            "--sign-key",
            envvar="LEDGER_SIGNING_KEY",
            metavar="FILE",
            help="Sign every act with this Ed25519 private key (a file of mode 0600, or the "
            "PEM text itself in the variable).",
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            metavar="it|en",
            callback=check_language,
            help="The language of messages and help (default: LEDGER_LANG or LANG, else it).",
        ),
    ] = None,
) -> None:
    """Choose the ledger and the acting identity for every command."""
    if lang is not None:
        choose_language(lang)
    ctx.obj = Settings(db=db, actor=actor, role=role, sign_key=sign_key)


integrity.register(app)
migrate.register(app)
app.add_typer(plan.app, name="plan")
app.add_typer(record.app, name="record")
replay.register(app)
log.register(app)
example.register(app)
load.register(app)
history.register(app)
trail.register(app)
export.register(app)
diff.register(app)
audit.register(app)
schema.register(app)
publish.register(app)
app.add_typer(actors.app, name="actors")
app.add_typer(keys.app, name="keys")
app.add_typer(proof.app, name="proof")
serve.register(app)
app.add_typer(users.app, name="users")


def main() -> None:
    """Console-script entry point: the language first, so that the help is worded in it."""
    choose_language(language_asked(sys.argv[1:]))
    app(prog_name="ledger")
