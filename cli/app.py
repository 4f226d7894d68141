"""The `ledger` command: global options, and the groups that follow the users' acts."""

import os
import sys
from typing import Annotated

import typer

from cli.context import Settings
from cli.errors import DEBUG_KEY, reader_gone
from cli.language import check_language, choose_language, language_asked
from cli.lazy import LazyGroup

DEFAULT_DB = "sqlite:///ledger.db"
"""As ledger.connect names it (tests/test_docs.py holds the two together): the SQLite file
`ledger.db` in the current folder. Written here so that `ledger --help` need not import the
database layer."""

COMMANDS: dict[str, tuple[str, str]] = {
    "init": (
        "cli.integrity",
        "Create the ledger (table, indexes, append-only triggers); safe to run twice.",
    ),
    "verify": (
        "cli.integrity",
        "Recompute the hash chain and check every signature; exit 1 naming the first bad seq.",
    ),
    "digest": (
        "cli.integrity",
        "Print the head seq and hash and the Merkle tree's size and root: the line to publish.",
    ),
    "migrate": (
        "cli.migrate",
        "Bring the ledger's tables to this version's schema (events are never rewritten).",
    ),
    "plan": ("cli.plan", "Import and show the Piano della Performance."),
    "record": ("cli.record", "Record an act or a fact in the ledger."),
    "replay": ("cli.replay", "Rebuild the cruscotto as of a date (and as known at a time)."),
    "log": (
        "cli.log",
        "List events in seq order with their envelope; json and csv include the payload.",
    ),
    "example": (
        "cli.example",
        "Record a reference cycle into the ledger (creating it if needed) and show its cruscotto.",
    ),
    "load": (
        "cli.load",
        "Record an acts file (plan, approvals, measurements, overrides, reported figures, "
        "validation, publication) as a backfill: every act checked, all or none written, and "
        "the acts already recorded skipped.",
    ),
    "history": (
        "cli.history",
        "Every event that touched a node, with the value before and after and the node's "
        "result; with --cycles, the node's result in every cycle of the administration.",
    ),
    "trail": (
        "cli.trail",
        "The audit trail: who recorded what, when, in which role, in seq order.",
    ),
    "export": (
        "cli.export",
        "Export the cruscotto as of a date: xlsx, csv, json or a publishable html page.",
    ),
    "export-trail": (
        "cli.export",
        "Export the events of the ledger, with their hashes, to csv or xlsx.",
    ),
    "diff": (
        "cli.diff",
        "What changed in the cruscotto between two dates, with the events that changed it.",
    ),
    "audit": (
        "cli.audit",
        "Findings for the OIV: back-dating, overrides, scores no rule gives, deadlines, figures.",
    ),
    "schema": ("cli.schema", "Print the JSON Schema of the plan file or of the acts file."),
    "publish": (
        "cli.publish",
        "Write the transparency bundle: page, CSV + CSVW, JSON, XLSX, PDF/A, signed digest, "
        "signed tree head, proofs of every figure and a manifest of SHA-256, signed with "
        "--sign-key.",
    ),
    "actors": ("cli.actors", "Register the actors of a cycle and their roles."),
    "keys": ("cli.keys", "Make, register and revoke the keys that sign acts."),
    "proof": (
        "cli.proof",
        "Proofs against a published digest: inclusion, consistency, a figure's events.",
    ),
    "serve": (
        "cli.serve",
        "Serve the console: cycles, cruscotto as of a date, nodes, audit, trail, diff, integrity.",
    ),
    "users": ("cli.users", "The console's users file."),
}
"""Every command: the module that defines it, and its summary (the first paragraph of its
help, as `ledger --help` lists it without importing the module; a test holds them equal)."""


class Ledger(LazyGroup):
    lazy = COMMANDS


app = typer.Typer(
    cls=Ledger,
    help="The performance ledger: an append-only, hash-chained record of the ciclo della "
    "performance (D.Lgs. 150/2009).",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
    add_completion=True,
)


def show_version(asked: bool) -> None:
    """`--version`: the installed package's version, read from its metadata."""
    if asked:
        from importlib.metadata import version

        from cli.terminal import echo

        echo(f"ledger {version('performance-ledger')}")
        raise typer.Exit


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
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            is_eager=True,
            expose_value=True,
            callback=show_version,
            help="Print the version of the ledger and exit.",
        ),
    ] = False,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            metavar="it|en",
            callback=check_language,
            help="The language of messages and help (default: LEDGER_LANG or LANG, else it).",
        ),
    ] = None,
    debug: Annotated[
        bool,
        typer.Option(
            "--debug",
            help="Show the trace of an internal error (also LEDGER_DEBUG=1); it is otherwise "
            "written to the log named in the error line.",
        ),
    ] = False,
) -> None:
    """Choose the ledger and the acting identity for every command."""
    if lang is not None:
        choose_language(lang)
    ctx.meta[DEBUG_KEY] = debug
    ctx.obj = Settings(db=db, actor=actor, role=role, sign_key=sign_key)


def main() -> None:
    """Console-script entry point: the language first, so that the help is worded in it.

    Pydantic plugins are off unless the environment says otherwise: the events' models decide
    what enters a hash-chained record, and a plugin that some other package registers is no
    part of them (looking for plugins also scanned every installed distribution at start).
    """
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    choose_language(language_asked(sys.argv[1:]))
    try:
        app(prog_name="ledger")
    except SystemExit:
        # Output still buffered when the command ended goes out now: its reader may be gone.
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            raise SystemExit(reader_gone().exit_code) from None
        raise
