"""`ledger trail`: the audit trail in order, filterable, in every format."""

from datetime import date, datetime
from typing import Annotated, Any

import typer

from cli.context import settings
from cli.options import FormatOption, OutputFormat, _date, _datetime
from cli.render import to_csv, to_json, to_table
from ledger.store import Query
from projections.trail import TrailFilter, TrailRow, trail

KnownAtOption = Annotated[
    datetime | None,
    typer.Option(
        "--known-at", parser=_datetime, metavar="TIME",
        help="Only what the ledger held at that time (default now).",
    ),
]
COLUMNS = (
    "seq", "stream", "type", "effective_date", "recorded_at", "actor", "role", "node", "summary",
    "signed", "source",
)


def register(app: typer.Typer) -> None:
    app.command("trail")(trail_command)


def day(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def moment(value: datetime) -> str:
    return value.strftime("%d/%m/%Y %H:%M UTC")


def trail_command(
    ctx: typer.Context,
    cycle: Annotated[str | None, typer.Option("--cycle", help="Only this cycle.")] = None,
    actor: Annotated[str | None, typer.Option("--actor", help="Only acts by this actor.")] = None,
    role: Annotated[str | None, typer.Option("--role", help="Only acts in this role.")] = None,
    event_type: Annotated[
        list[str] | None, typer.Option("--type", help="Only this event type (repeatable).")
    ] = None,
    node: Annotated[
        str | None, typer.Option("--node", help="Only events about this node or one below it.")
    ] = None,
    date_from: Annotated[
        date | None,
        typer.Option("--from", parser=_date, metavar="DATE", help="Effective on or after."),
    ] = None,
    date_to: Annotated[
        date | None,
        typer.Option("--to", parser=_date, metavar="DATE", help="Effective on or before."),
    ] = None,
    recorded_from: Annotated[
        datetime | None,
        typer.Option(parser=_datetime, metavar="TIME", help="Recorded at or after."),
    ] = None,
    recorded_to: Annotated[
        datetime | None,
        typer.Option(parser=_datetime, metavar="TIME", help="Recorded at or before."),
    ] = None,
    known_at: KnownAtOption = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """The audit trail: who recorded what, when, in which role, in seq order.

    Example: ledger trail --role direzione --from 01/06/2021 --format csv
    """
    wanted = TrailFilter(
        stream=cycle, actor=actor, role=role, types=tuple(event_type or ()), node=node,
        effective_from=date_from, effective_to=date_to, recorded_from=recorded_from,
        recorded_to=recorded_to, known_at=known_at,
    )
    store = settings(ctx).store()
    try:
        rows = trail(list(store.read(Query(stream=cycle, known_at=known_at))), wanted)
    finally:
        store.close()
    if output is OutputFormat.json:
        typer.echo(to_json([_as_dict(row) for row in rows]))
    elif output is OutputFormat.csv:
        typer.echo(to_csv((_as_dict(row) for row in rows), COLUMNS), nl=False)
    elif not rows:
        typer.echo("no events")
    else:
        table = [
            [row.seq, day(row.effective_date), moment(row.recorded_at), row.actor, row.role,
             row.node or "", row.summary[:90] + (" [firmato]" if row.signed else "")]
            for row in rows
        ]
        typer.echo(to_table(
            table, ["seq", "data", "registrato", "attore", "ruolo", "nodo", "atto"]
        ))


def _as_dict(row: TrailRow) -> dict[str, Any]:
    return {
        "seq": row.seq, "stream": row.stream, "type": row.type,
        "effective_date": row.effective_date, "recorded_at": row.recorded_at,
        "actor": row.actor, "role": row.role, "node": row.node, "summary": row.summary,
        "signed": row.signed, "source": row.source,
    }
