"""`ledger history [CODE]`: a node's trajectory through the cycle, event by event."""

from typing import Annotated, Any

import typer

from cli.context import settings, today
from cli.options import CycleOption, FormatOption, OutputFormat
from cli.render import fold, to_table
from cli.replay import require_known_at
from cli.terminal import echo
from cli.trail import KnownAtOption, day, moment
from events.i18n import _
from formats.serial import to_csv, to_json
from projections import acts
from projections.cycles import CycleRow, node_across_cycles
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
    cycles: Annotated[
        bool,
        typer.Option(
            "--cycles",
            help="Follow the node across the administration's cycles, one row per year.",
        ),
    ] = False,
    cycle: CycleOption = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Every event that touched a node, with the value before and after and the node's result;
    with --cycles, the node's result in every cycle of the administration.

    Example: ledger history 3.3.1 --known-at 2021-06-01
    """
    store = settings(ctx).store()
    try:
        stream = acts.resolve_cycle(store, cycle)
        require_known_at(store, stream, known_at)
        if cycles:
            if code is None:
                raise typer.BadParameter(_("--cycles follows one node: name it (e.g. 3.3.1)"))
            rows = node_across_cycles(store, stream, code, as_of=today())
            _show_cycles(code, rows, output)
            return
        found = node_history(
            list(store.read_stream(stream, known_at=known_at)), stream, code, known_at=known_at
        )
    finally:
        store.close()
    if output is OutputFormat.json:
        echo(to_json(history_contract(found)))
    elif output is OutputFormat.csv:
        echo(to_csv((_row(row) for row in found.rows), COLUMNS), nl=False)
    else:
        echo(render(found))


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
    title = _("History of {name} ({cycle})").format(name=name, cycle=found.stream)
    if found.known_at is not None:
        title += _(", as known at {time}").format(time=moment(found.known_at))
    if not found.rows:
        return title + "\n\n" + _("no events")
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
        _("date"),
        _("recorded"),
        _("actor (role)"),
        _("act"),
        _("before → after"),
        _("in force by"),
        _("result"),
    ]
    return f"{fold(title)}\n\n{to_table(table, headers)}"


CYCLE_COLUMNS = (
    "cycle",
    "year",
    "key",
    "code",
    "title",
    "level_name",
    "target",
    "result",
    "achievement",
    "band",
    "coverage",
    "closed",
)


def _cycle_row(row: CycleRow) -> dict[str, Any]:
    return {
        "cycle": row.stream,
        "year": row.year,
        "key": row.key,
        "code": row.code,
        "title": row.title,
        "level_name": row.level_name,
        "target": rounded(row.target),
        "result": rounded(row.result),
        "achievement": rounded(row.achievement),
        "band": row.band,
        "coverage": rounded(row.coverage),
        "closed": row.closed,
    }


def _show_cycles(code: str, rows: list[CycleRow], output: OutputFormat) -> None:
    if output is OutputFormat.json:
        echo(to_json({"node": code, "cycles": [_cycle_row(row) for row in rows]}))
        return
    if output is OutputFormat.csv:
        echo(to_csv((_cycle_row(row) for row in rows), CYCLE_COLUMNS), nl=False)
        return
    table = [
        [
            row.stream,
            row.year,
            row.title,
            italian_percent(row.target) if row.target is not None else "",
            italian_percent(row.result),
            italian_percent(row.achievement) if row.achievement is not None else "",
            row.band or "",
        ]
        for row in rows
    ]
    headers = [
        _("cycle"),
        _("year"),
        _("title"),
        _("target"),
        _("result"),
        _("% achievement"),
        _("rating"),
    ]
    echo(_("History of {code} across the cycles").format(code=code) + "\n")
    echo(to_table(table, headers))
