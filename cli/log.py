"""`ledger log`: the events in order, as stored, filterable, in every format."""

import json
from datetime import datetime
from typing import Annotated, Any

import typer

from cli.context import settings
from cli.options import (
    FormatOption,
    FromOption,
    OutputFormat,
    ToOption,
    TypesOption,
    _datetime,
)
from cli.render import to_table
from cli.terminal import echo
from cli.trail import day, moment
from events.i18n import N_, _
from events.labels import event_label
from formats.serial import csv_chunks, json_list_chunks
from ledger.query import Query
from ledger.records import Entry

COLUMNS = (
    "seq",
    "recorded_at",
    "effective_date",
    "stream",
    "version",
    "type",
    "actor",
    "role",
    "hash",
)


def register(app: typer.Typer) -> None:
    app.command("log")(log)


def log(
    ctx: typer.Context,
    stream: Annotated[str | None, typer.Option(help="Only this cycle, e.g. cciaa-so/2020.")] = None,
    event_type: TypesOption = None,
    date_from: FromOption = None,
    date_to: ToOption = None,
    known_at: Annotated[
        datetime | None,
        typer.Option(parser=_datetime, metavar="TIME", help="Only what was recorded by then."),
    ] = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """List events in seq order with their envelope; json and csv include the payload.

    Example: ledger log --stream cciaa-so/2020 --type MeasurementRecorded --format csv
    """
    query = Query(
        stream=stream,
        types=tuple(event_type or ()),
        effective_from=date_from,
        as_of=date_to,
        known_at=known_at,
    )
    store = settings(ctx).store()
    try:
        entries = store.read(query)
        # JSON and CSV stream entry by entry from the store: memory stays flat in the ledger.
        if output is OutputFormat.json:
            items = ({**_as_dict(entry), "payload": json.loads(entry.payload)} for entry in entries)
            for piece in json_list_chunks(items):
                echo(piece, nl=False)
            echo()
        elif output is OutputFormat.csv:
            for piece in csv_chunks((_as_dict(entry) for entry in entries), [*COLUMNS, "payload"]):
                echo(piece, nl=False)
        else:
            rows = [_shown(entry) for entry in entries]
            echo(
                to_table(rows, [_(HEADERS[column]) for column in COLUMNS])
                if rows
                else _("no events")
            )
    finally:
        store.close()


HEADERS = {
    "seq": N_("seq"),
    "recorded_at": N_("recorded"),
    "effective_date": N_("date"),
    "stream": N_("cycle"),
    "version": N_("version"),
    "type": N_("event"),
    "actor": N_("actor"),
    "role": N_("role"),
    "hash": N_("hash"),
}
"""The table's column titles; JSON and CSV keep the identifiers of COLUMNS."""


def _shown(entry: Entry) -> list[Any]:
    """One row of the table: times as people read them, the type's label, the hash's start."""
    return [
        entry.seq,
        moment(entry.recorded_at),
        day(entry.effective_date),
        entry.stream,
        entry.version,
        event_label(entry.type),
        entry.actor,
        entry.role,
        entry.hash[:12],
    ]


def _as_dict(entry: Entry) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "recorded_at": entry.row.recorded_at,
        "effective_date": entry.row.effective_date,
        "stream": entry.stream,
        "version": entry.version,
        "type": entry.type,
        "schema_version": entry.schema_version,
        "actor": entry.actor,
        "role": entry.role,
        "event_id": entry.event_id,
        "idempotency_key": entry.idempotency_key,
        "payload": entry.payload,
        "prev_hash": entry.prev_hash,
        "hash": entry.hash,
    }
