"""`ledger history [CODE]`: a node's trajectory through the cycle, event by event."""

from typing import Annotated, Any

import typer

from cli.context import settings
from cli.options import CycleOption, FormatOption, OutputFormat
from cli.render import to_table
from cli.trail import KnownAtOption, day, moment
from formats.serial import to_csv, to_json
from projections import acts
from projections.history import HistoryRow, NodeHistory, node_history
from projections.numbers import italian_percent, rounded

COLUMNS = (
    "seq",
    "type",
    "effective_date",
    "recorded_at",
    "actor",
    "role",
    "about",
    "summary",
    "before",
    "after",
    "in_force_by",
    "result_before",
    "result_after",
)


def register(app: typer.Typer) -> None:
    app.command("history")(history)


def history(
    ctx: typer.Context,
    code: Annotated[
        str | None,
        typer.Argument(help="Node code or key, e.g. 3.3.1 (none: the performance di ente)."),
    ] = None,
    known_at: KnownAtOption = None,
    cycle: CycleOption = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Every event that touched a node, with the value before and after and the node's result.

    Example: ledger history 3.3.1 --known-at 2021-06-01
    """
    store = settings(ctx).store()
    try:
        stream = acts.resolve_cycle(store, cycle)
        found = node_history(
            list(store.read_stream(stream, known_at=known_at)), stream, code, known_at=known_at
        )
    finally:
        store.close()
    if output is OutputFormat.json:
        typer.echo(to_json(history_contract(found)))
    elif output is OutputFormat.csv:
        typer.echo(to_csv((_row(row) for row in found.rows), COLUMNS), nl=False)
    else:
        typer.echo(render(found))


def history_contract(found: NodeHistory) -> dict[str, Any]:
    return {
        "cycle": found.stream,
        "node": {"key": found.key, "code": found.code, "title": found.title, "level": found.level},
        "known_at": found.known_at,
        "events": [_row(row) for row in found.rows],
    }


def _row(row: HistoryRow) -> dict[str, Any]:
    return {
        "seq": row.seq,
        "type": row.type,
        "effective_date": row.effective_date,
        "recorded_at": row.recorded_at,
        "actor": row.actor,
        "role": row.role,
        "about": row.about,
        "summary": row.summary,
        "before": row.before,
        "after": row.after,
        "in_force_by": row.in_force_by,
        "result_before": rounded(row.result_before),
        "result_after": rounded(row.result_after),
    }


def render(found: NodeHistory) -> str:
    name = f"{found.code or found.key} {found.title}" if found.key else found.title
    title = f"Storia di {name} ({found.stream})"
    if found.known_at is not None:
        title += f", come noto il {moment(found.known_at)}"
    if not found.rows:
        return f"{title}\n\nno events"
    table = [
        [
            row.seq,
            day(row.effective_date),
            moment(row.recorded_at),
            f"{row.actor} ({row.role})",
            row.summary[:70],
            f"{row.before} → {row.after}",
            row.in_force_by or "",
            italian_percent(row.result_after),
        ]
        for row in found.rows
    ]
    headers = [
        "seq",
        "data",
        "registrato",
        "attore (ruolo)",
        "atto",
        "prima → dopo",
        "in vigore per",
        "risultato",
    ]
    return f"{title}\n\n{to_table(table, headers)}"
