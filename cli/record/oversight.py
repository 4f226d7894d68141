"""`ledger record override|override-withdrawal|reported`: the direzione's decisions sentito
l'OIV, and the figures a published Relazione printed, for `ledger audit` to compare."""

from datetime import date
from typing import Annotated, get_args

import typer

from cli.context import today
from cli.options import (
    CycleOption,
    EffectiveOption,
    NoteOption,
    _date,
    _number,
)
from cli.record.common import (
    SourceOption,
    app,
    open_cycle,
    report,
)
from events.i18n import _
from events.oversight import ReportedFigureRecorded, ReportedMeasure, check_counted_level
from formats.values import printed_decimals
from projections import oversight


@app.command("override")
def override(
    ctx: typer.Context,
    node: Annotated[str, typer.Argument(help="Node code or key, e.g. 3.3.1.")],
    achievement: Annotated[str, typer.Argument(help="The % raggiungimento decided, e.g. 60.")],
    rationale: Annotated[str, typer.Option(help="The written reasons (required).")] = "",
    oiv_heard: Annotated[
        date | None,
        typer.Option("--oiv-heard", parser=_date, metavar="DATE", help="When the OIV was heard."),
    ] = None,
    on: EffectiveOption = None,
    note: NoteOption = None,
    source: SourceOption = None,
    cycle: CycleOption = None,
) -> None:
    """Override a node's achievement, sentito l'OIV; the computed score stays visible.

    Example: ledger record override 3.3.1 60 --oiv-heard 07/06/2021 --rationale "..."
    """
    value = _number(achievement)
    with open_cycle(ctx, cycle) as (chosen, store, stream):
        report(
            oversight.record_override(
                store,
                stream,
                node,
                value,
                rationale,
                oiv_heard,
                on or today(),
                chosen.acting("direzione"),
                note=note,
                source=source,
            )
        )


@app.command("override-withdrawal")
def override_withdrawal(
    ctx: typer.Context,
    node: Annotated[str, typer.Argument(help="Node whose override is withdrawn.")],
    reason: Annotated[str, typer.Option(help="Why.")],
    on: EffectiveOption = None,
    source: SourceOption = None,
    cycle: CycleOption = None,
) -> None:
    """Withdraw an override; the node returns to its computed score.

    Example: ledger record override-withdrawal 3.3.1 --reason "decided in error"
    """
    with open_cycle(ctx, cycle) as (chosen, store, stream):
        report(
            oversight.withdraw_override(
                store,
                stream,
                node,
                reason,
                on or today(),
                chosen.acting("direzione"),
                source=source,
            )
        )


MEASURES = get_args(ReportedMeasure)


@app.command("reported")
def reported(
    ctx: typer.Context,
    measure: Annotated[str, typer.Argument(help=f"What it is: {', '.join(MEASURES)}.")],
    value: Annotated[str, typer.Argument(help="The figure as printed: '90,00 %', 96,67, 5.")],
    document: Annotated[
        str, typer.Option(help="The document, e.g. 'Relazione sulla Performance 2020'.")
    ],
    where: Annotated[str, typer.Option(help="Where in it, e.g. 'tabella 3.1' or 'sezione 3.1'.")],
    node: Annotated[
        str | None, typer.Option(help="The node (code or key); none for the ente or a count.")
    ] = None,
    level: Annotated[
        str | None,
        typer.Option(help="The word a count or share counts, e.g. 'in linea con le previsioni'."),
    ] = None,
    on: EffectiveOption = None,
    note: NoteOption = None,
    source: SourceOption = None,
    cycle: CycleOption = None,
) -> None:
    """Record a figure a published Relazione printed; `ledger audit` compares it with the evidence.

    Example: ledger record reported result "90,00 %" --node competitivita-delle-imprese
    --document "Relazione sulla Performance 2020" --where "tabella 3.1" --date 14/06/2021
    """
    if measure not in MEASURES:
        raise typer.BadParameter(
            _("{value!r} is not one of {choices}").format(
                value=measure, choices=", ".join(MEASURES)
            ),
            param_hint="MEASURE",
        )
    try:
        check_counted_level(measure, level)
    except ValueError as refused:
        raise typer.BadParameter(str(refused), param_hint="--level") from None
    figure = ReportedFigureRecorded.model_validate(
        {
            "document": document,
            "where": where,
            "measure": measure,
            "node": node,
            "level": level,
            "value": _number(value),
            "printed": value,
            "decimals": printed_decimals(value),
            "note": note,
            "source": source,
        }
    )
    with open_cycle(ctx, cycle) as (chosen, store, stream):
        report(
            oversight.record_reported(store, stream, figure, on or today(), chosen.acting("oiv"))
        )
