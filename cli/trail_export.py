"""`ledger export-trail`: the events of the ledger as a CSV or an Excel sheet, for auditors."""

from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from cli.context import settings
from cli.errors import EXIT_USAGE, fail
from cli.options import ForceOption, choice_of, choices
from cli.progress import working
from cli.terminal import echo
from events.i18n import _
from formats.writers.cruscotto_csv import CsvProfile
from formats.writers.cruscotto_data import ledger_digest
from formats.writers.files import check_target, write_file_chunks
from formats.writers.trail import COLUMNS, TrailFormat, row_chunks, trail_row
from ledger.query import Query
from projections import acts


def export_trail_command(
    ctx: typer.Context,
    output_format: Annotated[
        TrailFormat,
        typer.Option(
            "--format",
            "-f",
            parser=choice_of(TrailFormat),
            metavar=choices(TrailFormat),
            help="csv or xlsx.",
        ),
    ],
    profile: Annotated[
        CsvProfile | None,
        typer.Option(
            parser=choice_of(CsvProfile),
            metavar=choices(CsvProfile),
            help="csv only: excel (;, decimal comma, BOM; default) or opendata (RFC 4180).",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="The file to write; csv goes to standard output without it, xlsx needs it.",
        ),
    ] = None,
    cycle: Annotated[
        str | None, typer.Option("--cycle", help="Only this cycle (default: every cycle).")
    ] = None,
    force: ForceOption = False,
) -> None:
    """Export the events of the ledger, with their hashes, to csv or xlsx.

    Example: ledger export-trail --format xlsx --output registro.xlsx
    """
    if profile is not None and output_format is not TrailFormat.csv:
        raise fail(_("--profile applies to --format csv only"), EXIT_USAGE)
    if output_format is TrailFormat.xlsx and output is None:
        raise fail(_("--format xlsx writes a file: give --output registro.xlsx"), EXIT_USAGE)
    chosen = settings(ctx)
    protected = chosen.ledger_files()
    if output is not None:
        check_target(output, force=force, protected=protected)
    store = chosen.store()
    try:
        stream = acts.resolve_cycle(store, cycle) if cycle else None
        digest = ledger_digest(store)
        # Rows stream from the store to the output, one batch at a time: memory stays flat
        # however large the ledger. Only the rows up to the digest's seq go out, so the file
        # is the ledger the digest names even if an append lands meanwhile.
        count = [0]

        def rows() -> Iterator[dict[str, Any]]:
            for entry in store.read(Query(stream=stream, until_seq=digest.seq)):
                count[0] += 1
                yield trail_row(entry)

        chunks = row_chunks(
            rows(), COLUMNS, output_format, profile or CsvProfile.excel, digest.line()
        )
        if output is None:
            for chunk in chunks:
                echo(chunk, nl=False)
            return
        with working(_("writing {file}").format(file=output)):
            write_file_chunks(output, chunks, force=force, protected=protected)
    finally:
        store.close()
    echo(
        _("written {file} ({count} events, {digest})").format(
            file=output, count=count[0], digest=digest.line()
        )
    )
