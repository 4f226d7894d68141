"""`ledger replay`: the cruscotto as of a date, rebuilt from the events alone."""

from datetime import date, datetime
from typing import Annotated, Any

import typer

from cli.context import settings, today
from cli.options import CycleOption, FormatOption, OutputFormat, _date, _datetime
from cli.render import to_table
from formats.serial import to_csv, to_json
from formats.writers.cruscotto_rows import CSV_COLUMNS, flat_rows
from projections import acts
from projections.contract import cruscotto_contract
from projections.cruscotto import Cruscotto, NodeResult, replay
from projections.numbers import italian_percent


def register(app: typer.Typer) -> None:
    app.command("replay")(replay_command)


def replay_command(
    ctx: typer.Context,
    as_of: Annotated[
        date | None,
        typer.Option(
            "--as-of",
            parser=_date,
            metavar="DATE",
            help="2021-04-30 or 30/04/2021 (default today).",
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
    cycle: CycleOption = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Rebuild the cruscotto as of a date (and as known at a time).

    Example: ledger replay --as-of 30/04/2021 --format json
    """
    store = settings(ctx).store()
    try:
        stream = acts.resolve_cycle(store, cycle)
        cruscotto = replay(
            store.read_stream(stream, known_at=known_at),
            stream,
            as_of=as_of or today(),
            known_at=known_at,
        )
    finally:
        store.close()
    if output is OutputFormat.json:
        typer.echo(to_json(cruscotto_contract(cruscotto)))
    elif output is OutputFormat.csv:
        typer.echo(to_csv(flat_rows(cruscotto), CSV_COLUMNS), nl=False)
    else:
        typer.echo(render_table(cruscotto))


def render_table(cruscotto: Cruscotto) -> str:
    """The cruscotto as the Relazione prints it, in Italian, with the overrides beside."""
    when = f"al {cruscotto.as_of.strftime('%d/%m/%Y')}"
    if cruscotto.known_at is not None:
        when += f", come noto il {cruscotto.known_at.strftime('%d/%m/%Y %H:%M')} UTC"
    title = f"Cruscotto della performance {cruscotto.year or ''} - {cruscotto.entity_name} ({when})"
    if not cruscotto.plan_in_force:
        pending = cruscotto.pending_changes
        detail = f" ({pending} changes pending approval)" if pending else ""
        return f"{title}\n\nno plan in force on {cruscotto.as_of.isoformat()}{detail}"
    parts = [title, "", _tree(cruscotto), "", "Obiettivi strategici", _strategic(cruscotto)]
    parts += ["", "Prospettive", _perspectives(cruscotto)]
    if cruscotto.managers:
        parts += ["", "Obiettivi dirigenziali", _managers(cruscotto)]
    parts += ["", _ente(cruscotto)]
    if cruscotto.pending_changes:
        parts.append(f"{cruscotto.pending_changes} plan changes pending approval")
    if cruscotto.closed:
        parts.append("ciclo chiuso")
    return "\n".join(parts)


def _tree(cruscotto: Cruscotto) -> str:
    rows = []
    for node in cruscotto.nodes():
        if node.level == "perspective":
            continue
        indent = {"strategic": "", "operational": "  ", "action": "    "}[node.level]
        override = italian_percent(node.override.achievement) if node.override else ""
        rows.append(
            [
                indent + (node.code or ""),
                _short(node.title),
                _pct(node.weight),
                _short(node.kpi or ""),
                node.target_label if node.level == "action" else _pct(node.target),
                node.measured or "",
                italian_percent(node.computed),
                override,
                italian_percent(node.result),
            ]
        )
    return to_table(
        rows,
        [
            "cod.",
            "titolo / descrizione",
            "Peso",
            "kpi",
            "target",
            "Risultato",
            "calcolato",
            "override (sentito l'OIV)",
            "% raggiungimento",
        ],
    )


def _strategic(cruscotto: Cruscotto) -> str:
    return to_table(
        [
            [
                n.title,
                italian_percent(n.result),
                italian_percent(n.target),
                italian_percent(n.achievement),
                n.band or "",
                _coverage(n),
            ]
            for n in cruscotto.strategic()
        ],
        [
            "Obiettivo strategico",
            "Risultato misurato",
            "Target",
            "% Raggiungimento",
            "Valutazione sintetica",
            "Copertura",
        ],
    )


def _perspectives(cruscotto: Cruscotto) -> str:
    return to_table(
        [[p.title, italian_percent(p.result)] for p in cruscotto.perspectives],
        ["Prospettiva", "Performance"],
    )


def _managers(cruscotto: Cruscotto) -> str:
    rows = []
    for manager in cruscotto.managers:
        for code, title, weight, result in manager.items:
            rows.append([manager.manager, code, title, _pct(weight), italian_percent(result)])
        rows.append([manager.manager, "", "totale", "", italian_percent(manager.result)])
    return to_table(rows, ["Dirigente", "Cod.", "Obiettivo", "Peso", "Raggiungimento"])


def _ente(cruscotto: Cruscotto) -> str:
    line = f"Performance di ente: {italian_percent(cruscotto.result)}"
    if cruscotto.band:
        line += f" ({cruscotto.band})"
    if cruscotto.coverage < 100:
        line += f" - copertura delle misure {italian_percent(cruscotto.coverage)}"
    return line


def _short(text: str, width: int = 48) -> str:
    """Long KPI texts are cut in the table; JSON and CSV carry them whole."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _pct(value: Any) -> str:
    return (
        ""
        if value is None
        else italian_percent(value, 0)
        if value == int(value)
        else italian_percent(value)
    )


def _coverage(node: NodeResult) -> str:
    return "" if node.coverage == 100 else italian_percent(node.coverage)
