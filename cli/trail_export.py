"""`ledger export-trail`: the events of the ledger as a CSV or an Excel sheet, for auditors."""

from pathlib import Path
from typing import Annotated

import typer

from cli.context import settings
from cli.errors import EXIT_USAGE, fail
from cli.options import ForceOption, choice_of, choices
from cli.terminal import echo
from formats.writers.cruscotto_csv import CsvProfile
from formats.writers.cruscotto_data import ledger_digest
from formats.writers.files import check_target, write_file
from formats.writers.trail import COLUMNS, TrailFormat, trail_row, write_rows
from ledger.store import Query
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
        raise fail("--profile applies to --format csv only", EXIT_USAGE)
    if output_format is TrailFormat.xlsx and output is None:
        raise fail("--format xlsx writes a file: give --output registro.xlsx", EXIT_USAGE)
    chosen = settings(ctx)
    protected = chosen.ledger_files()
    if output is not None:
        check_target(output, force=force, protected=protected)
    store = chosen.store()
    try:
        stream = acts.resolve_cycle(store, cycle) if cycle else None
        digest = ledger_digest(store)
        rows = [trail_row(entry) for entry in store.read(Query(stream=stream))]
    finally:
        store.close()
    data = write_rows(rows, COLUMNS, output_format, profile or CsvProfile.excel, digest.line())
    if output is None:
        echo(data, nl=False)
        return
    write_file(output, data, force=force, protected=protected)
    echo(f"written {output} ({len(rows)} events, {digest.line()})")
