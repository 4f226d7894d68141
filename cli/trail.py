"""`ledger trail`: the audit trail in order, filterable, in every format."""

from collections.abc import Iterator
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from cli.context import settings
from cli.errors import EXIT_USAGE, fail
from cli.options import (
    ForceOption,
    FromOption,
    ToOption,
    TypesOption,
    _datetime,
    choice_of,
    choices,
)
from cli.progress import working
from cli.render import to_table
from cli.terminal import echo
from events.i18n import _, ngettext
from formats.italian_dates import italian_moment, rome_wall_time
from formats.serial import csv_chunks, json_list_chunks
from formats.writers.cruscotto_csv import CsvProfile
from formats.writers.cruscotto_data import ledger_digest
from formats.writers.files import check_target, write_file_chunks
from formats.writers.trail import TRAIL_FILE_COLUMNS, TrailFormat, row_chunks
from projections.trail import TrailFilter, TrailRow
from projections.trail_stream import trail_rows

KnownAtOption = Annotated[
    datetime | None,
    typer.Option(
        "--known-at",
        parser=_datetime,
        metavar="TIME",
        help="Only what the ledger held at that time (default now).",
    ),
]
COLUMNS = (
    "seq",
    "stream",
    "type",
    "effective_date",
    "recorded_at",
    "actor",
    "role",
    "node",
    "summary",
    "signed",
    "source",
)


FILE_COLUMNS = TRAIL_FILE_COLUMNS


class TrailOutput(StrEnum):
    """The formats of `ledger trail`: the three of every read, and an Excel workbook."""

    table = "table"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


def register(app: typer.Typer) -> None:
    app.command("trail")(trail_command)


def day(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def moment(value: datetime) -> str:
    """A recorded time in Italian local time with its zone (14/06/2021 10:05 CEST)."""
    return italian_moment(value)


def trail_command(
    ctx: typer.Context,
    cycle: Annotated[str | None, typer.Option("--cycle", help="Only this cycle.")] = None,
    actor: Annotated[str | None, typer.Option("--actor", help="Only acts by this actor.")] = None,
    role: Annotated[str | None, typer.Option("--role", help="Only acts in this role.")] = None,
    event_type: TypesOption = None,
    node: Annotated[
        str | None, typer.Option("--node", help="Only events about this node or one below it.")
    ] = None,
    date_from: FromOption = None,
    date_to: ToOption = None,
    recorded_from: Annotated[
        datetime | None,
        typer.Option(parser=_datetime, metavar="TIME", help="Recorded at or after."),
    ] = None,
    recorded_to: Annotated[
        datetime | None,
        typer.Option(parser=_datetime, metavar="TIME", help="Recorded at or before."),
    ] = None,
    known_at: KnownAtOption = None,
    output: Annotated[
        TrailOutput,
        typer.Option(
            "--format",
            "-f",
            parser=choice_of(TrailOutput),
            metavar=choices(TrailOutput),
            help="table, json, csv or xlsx.",
        ),
    ] = TrailOutput.table,
    profile: Annotated[
        CsvProfile,
        typer.Option(
            parser=choice_of(CsvProfile),
            metavar=choices(CsvProfile),
            help="csv only: excel (;, decimal comma, BOM; default) or opendata (RFC 4180).",
        ),
    ] = CsvProfile.excel,
    path: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file (xlsx needs one).")
    ] = None,
    force: ForceOption = False,
) -> None:
    """The audit trail: who recorded what, when, in which role, in seq order.

    Example: ledger trail --role direzione --from 01/06/2021 --format xlsx -o trail.xlsx
    """
    if output is TrailOutput.xlsx and path is None:
        raise fail(_("--format xlsx writes a file: give --output trail.xlsx"), EXIT_USAGE)
    wanted = TrailFilter(
        stream=cycle,
        actor=actor,
        role=role,
        types=tuple(event_type or ()),
        node=node,
        effective_from=date_from,
        effective_to=date_to,
        recorded_from=recorded_from,
        recorded_to=recorded_to,
        known_at=known_at,
    )
    chosen = settings(ctx)
    protected = chosen.ledger_files()
    if path is not None:
        check_target(path, force=force, protected=protected)
    store = chosen.store()
    try:
        # Every output but the table streams row by row from the store: memory stays flat
        # however large the ledger (projections/trail_stream.py).
        rows = trail_rows(store, wanted)
        digest = ledger_digest(store, known_at) if path is not None else None
        if path is not None:
            if output not in (TrailOutput.csv, TrailOutput.xlsx):
                raise fail(
                    _("--output writes csv or xlsx: add --format csv or --format xlsx"), EXIT_USAGE
                )
            kind = TrailFormat.xlsx if output is TrailOutput.xlsx else TrailFormat.csv
            count = [0]

            def cells() -> Iterator[dict[str, Any]]:
                # Excel holds no time zones: the recorded time goes as Italian wall-clock time,
                # a real date-time, its zone named by the header.
                for row in rows:
                    count[0] += 1
                    yield {**_as_dict(row), "recorded_at": rome_wall_time(row.recorded_at)}

            title = digest.line() if digest else ""
            chunks = row_chunks(cells(), FILE_COLUMNS, kind, profile, title)
            with working(_("writing {file}").format(file=path)):
                write_file_chunks(path, chunks, force=force, protected=protected)
            echo(
                ngettext(
                    "written {file} ({count} event)", "written {file} ({count} events)", count[0]
                ).format(file=path, count=count[0])
            )
        elif output is TrailOutput.json:
            for piece in json_list_chunks(_as_dict(row) for row in rows):
                echo(piece, nl=False)
            echo()
        elif output is TrailOutput.csv:
            for piece in csv_chunks((_as_dict(row) for row in rows), COLUMNS):
                echo(piece, nl=False)
        else:
            _table(list(rows))
    finally:
        store.close()


def _table(rows: list[TrailRow]) -> None:
    if not rows:
        echo(_("no events"))
        return
    table = [
        [
            row.seq,
            day(row.effective_date),
            moment(row.recorded_at),
            row.actor,
            row.role,
            row.node or "",
            row.summary[:90] + (" [" + _("signed") + "]" if row.signed else ""),
        ]
        for row in rows
    ]
    headers = ["seq", _("date"), _("recorded"), _("actor"), _("role"), _("node"), _("act")]
    echo(to_table(table, headers))


def _as_dict(row: TrailRow) -> dict[str, Any]:
    return {
        "seq": row.seq,
        "stream": row.stream,
        "type": row.type,
        "effective_date": row.effective_date,
        "recorded_at": row.recorded_at,
        "actor": row.actor,
        "role": row.role,
        "node": row.node,
        "summary": row.summary,
        "signed": row.signed,
        "source": row.source,
    }
