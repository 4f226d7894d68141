"""`ledger load FILE`: a whole cycle from its documents, as a backfill, all or nothing."""

from pathlib import Path
from typing import Annotated

import typer

from cli.context import settings
from cli.progress import working
from cli.terminal import echo
from events.i18n import _
from formats.readers.acts_load import load_acts_file


def register(app: typer.Typer) -> None:
    app.command("load")(load)


def load(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The acts file (YAML or JSON), see docs/acts.md.")],
    source: Annotated[
        str | None,
        typer.Option(
            "--source",
            metavar="DOC",
            help="The document the acts are transcribed from (default: the file's `source`).",
        ),
    ] = None,
) -> None:
    """Record an acts file (plan, approvals, measurements, overrides, reported figures,
    validation, publication) as a backfill: every act checked, all or none written, and the
    acts already recorded skipped.

    Example: ledger load relazione-2021-acts.yaml --source "Relazione sulla Performance 2021"
    """
    chosen = settings(ctx)
    store = chosen.store(create=True)
    try:
        with working(_("checking and recording {file}").format(file=file)):
            report = load_acts_file(store, file, chosen.acting, source=source)
    finally:
        store.close()
    if report.events == 0:
        echo(
            _("{file}: already recorded in {cycle}; nothing to do").format(
                file=file, cycle=report.stream
            )
        )
        return
    already = (
        _(" ({count} acts already recorded)").format(count=report.already) if report.already else ""
    )
    echo(
        _("{file}: recorded {events} events of {acts} acts in {cycle}{already}").format(
            file=file, events=report.events, acts=report.acts, cycle=report.stream, already=already
        )
    )
