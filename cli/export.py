"""`ledger export`: the cruscotto as of a date, in the formats people open and publish.

- `xlsx`: laid out like the cruscotto annexed to the Relazione, with real numbers in
  Italian formats; it is also a plan file (`ledger plan import`) and a measurements file
  (`ledger record measurements`), so a cycle can be carried into another;
- `csv`: `--profile excel` for Italian Excel (`;`, decimal comma, BOM), `--profile opendata`
  for publication (RFC 4180, UTF-8, plain numbers, with a CSVW metadata file beside it that
  documents the columns and states the licence);
- `json`: the replay contract, exactly as `ledger replay --format json` prints it;
- `html`: a self-contained page for Amministrazione Trasparente.

Every format carries the ledger digest its figures come from, so a reader can check the
published numbers against the ledger (`ledger verify --digest ...`).
"""

from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from cli import trail_export
from cli.context import settings, today
from cli.errors import EXIT_USAGE, fail
from cli.options import CycleOption, ForceOption, _date, _datetime, choice_of, choices
from cli.replay import require_known_at
from cli.terminal import echo
from events.i18n import _
from formats.serial import to_json
from formats.writers import cruscotto_csv, cruscotto_html, cruscotto_xlsx
from formats.writers.cruscotto_csv import CsvProfile
from formats.writers.cruscotto_data import CruscottoExport, gather
from formats.writers.files import check_target, write_files
from projections import acts
from projections.contract import cruscotto_contract


class ExportFormat(StrEnum):
    """The formats of `ledger export`."""

    xlsx = "xlsx"
    csv = "csv"
    json = "json"
    html = "html"


def register(app: typer.Typer) -> None:
    app.command("export")(export_command)
    app.command("export-trail")(trail_export.export_trail_command)


def export_command(
    ctx: typer.Context,
    output_format: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            parser=choice_of(ExportFormat),
            metavar=choices(ExportFormat),
            help="xlsx, csv, json or html.",
        ),
    ],
    as_of: Annotated[
        date | None,
        typer.Option(
            "--as-of",
            parser=_date,
            metavar="DATE",
            help="The date, 30/06/2021 or 2021-06-30; when omitted, today.",
        ),
    ] = None,
    known_at: Annotated[
        datetime | None,
        typer.Option(
            "--known-at",
            parser=_datetime,
            metavar="TIME",
            help="What the ledger held at that time (default now).",
        ),
    ] = None,
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
            help="The file to write; json, csv and html go to standard output without it, "
            "xlsx needs it.",
        ),
    ] = None,
    cycle: CycleOption = None,
    force: ForceOption = False,
) -> None:
    """Export the cruscotto as of a date: xlsx, csv, json or a publishable html page.

    Example: ledger export --as-of 30/06/2021 --format xlsx --output cruscotto-2020.xlsx
    """
    if profile is not None and output_format is not ExportFormat.csv:
        raise fail(_("--profile applies to --format csv only"), EXIT_USAGE)
    if output_format is ExportFormat.xlsx and output is None:
        raise fail(_("--format xlsx writes a file: give --output cruscotto.xlsx"), EXIT_USAGE)
    chosen = settings(ctx)
    protected = chosen.ledger_files()
    if output is not None:
        check_target(output, force=force, protected=protected)
    store = chosen.store()
    try:
        stream = acts.resolve_cycle(store, cycle)
        require_known_at(store, stream, known_at)
        exported = gather(store, stream, as_of or today(), known_at)
    finally:
        store.close()
    written = _render(exported, output_format, profile or CsvProfile.excel)
    if output is not None:
        files = {output: written}
        if output_format is ExportFormat.csv and profile is CsvProfile.opendata:
            metadata = cruscotto_csv.metadata_path(output)
            files[metadata] = cruscotto_csv.metadata_bytes(exported, output.name)
        write_files(files, force=force, protected=protected)
    if output is None:
        echo(written, nl=False)
        if output_format is ExportFormat.csv and profile is CsvProfile.opendata:
            echo(
                _(
                    "note: the CSVW metadata (columns, licence) is written beside a file only: "
                    "give --output cruscotto.csv to have cruscotto.csv-metadata.json too"
                ),
                err=True,
            )
        return
    echo(
        _("written {file} ({cycle} as of {day}, {digest})").format(
            file=output,
            cycle=stream,
            day=exported.cruscotto.as_of.strftime("%d/%m/%Y"),
            digest=exported.digest.line(),
        )
    )


def _render(exported: CruscottoExport, output_format: ExportFormat, profile: CsvProfile) -> bytes:
    """The bytes of the export."""
    if output_format is ExportFormat.xlsx:
        data = cruscotto_xlsx.workbook_bytes(exported)
    elif output_format is ExportFormat.json:
        data = (to_json(cruscotto_contract(exported.cruscotto)) + "\n").encode("utf-8")
    elif output_format is ExportFormat.html:
        data = cruscotto_html.page(exported).encode("utf-8")
    else:
        data = cruscotto_csv.cruscotto_csv(exported, profile.value)
    return data
