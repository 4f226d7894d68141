"""`ledger diff --from DATE --to DATE`: what changed in the cruscotto, node by node, and why."""

from datetime import date
from typing import Annotated, Any

import typer

from cli.context import settings
from cli.options import CycleOption, FormatOption, OutputFormat, _date
from cli.render import to_table
from cli.replay import require_known_at
from cli.terminal import echo
from cli.trail import KnownAtOption, day, moment
from events.i18n import _
from formats.serial import to_csv, to_json
from projections import acts
from projections.diff import CruscottoDiff, change_rows, diff, field_label
from projections.findings import seq_ranges
from projections.numbers import rounded

COLUMNS = ("key", "code", "level", "title", "field", "before", "after", "seqs")


def register(app: typer.Typer) -> None:
    app.command("diff")(diff_command)


def diff_command(
    ctx: typer.Context,
    date_from: Annotated[
        date, typer.Option("--from", parser=_date, metavar="DATE", help="The earlier date.")
    ],
    date_to: Annotated[
        date, typer.Option("--to", parser=_date, metavar="DATE", help="The later date.")
    ],
    known_at: KnownAtOption = None,
    cycle: CycleOption = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """What changed in the cruscotto between two dates, with the events that changed it.

    Example: ledger diff --from 30/04/2021 --to 30/06/2021
    """
    if date_to < date_from:
        raise typer.BadParameter(
            _("--to {to} is before --from {start}").format(
                to=date_to.isoformat(), start=date_from.isoformat()
            )
        )
    store = settings(ctx).store()
    try:
        stream = acts.resolve_cycle(store, cycle)
        require_known_at(store, stream, known_at)
        found = diff(
            list(store.read_stream(stream, known_at=known_at)),
            stream,
            date_from,
            date_to,
            known_at=known_at,
        )
    finally:
        store.close()
    if output is OutputFormat.json:
        echo(to_json(diff_contract(found)))
    elif output is OutputFormat.csv:
        echo(to_csv(change_rows(found), COLUMNS), nl=False)
    else:
        echo(render(found))


def diff_contract(found: CruscottoDiff) -> dict[str, Any]:
    return {
        "cycle": found.stream,
        "from": found.date_from,
        "to": found.date_to,
        "known_at": found.known_at,
        "nodes": [
            {
                "key": node.key,
                "code": node.code,
                "level": node.level,
                "title": node.title,
                "result_before": rounded(node.result_before),
                "result_after": rounded(node.result_after),
                "changes": [
                    {"field": c.name, "before": c.before, "after": c.after} for c in node.changes
                ],
                "seqs": list(node.seqs),
            }
            for node in found.nodes
        ],
    }


def render(found: CruscottoDiff) -> str:
    title = _("Cruscotto {cycle}: from {start} to {end}").format(
        cycle=found.stream, start=day(found.date_from), end=day(found.date_to)
    )
    if found.known_at is not None:
        title += _(", as known at {time}").format(time=moment(found.known_at))
    if not found.nodes:
        return title + "\n\n" + _("no changes")
    table = []
    for node in found.nodes:
        name = node.code or node.key or _("ente")
        for index, change in enumerate(node.changes):
            table.append(
                [
                    name if index == 0 else "",
                    node.title[:40] if index == 0 else "",
                    field_label(change.name),
                    change.before or "—",
                    change.after or "—",
                    seq_ranges(node.seqs) if index == 0 else "",
                ]
            )
    headers = [_("node"), _("title"), _("field"), _("before"), _("after"), _("events (seq)")]
    return f"{title}\n\n{to_table(table, headers)}"
