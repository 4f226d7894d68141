"""`ledger record approval|validation|publication|amendment|withdrawal|closing|reopening`: the
acts that move the cycle and its plan, checked and appended all-or-nothing."""

from typing import Annotated

import typer

from cli.context import today
from cli.options import (
    CycleOption,
    EffectiveOption,
    NoteOption,
    _number,
    as_parameter,
)
from cli.record.common import (
    ActOption,
    SourceOption,
    app,
    open_cycle,
    report,
)
from events.acts import as_subject
from events.plan import ObjectiveAmended, ObjectiveWithdrawn
from formats.values import parse_weight
from projections import acts, planning


@app.command("approval")
def approval(
    ctx: typer.Context,
    subject: Annotated[
        str,
        typer.Argument(help="smvp, plan, plan_update, operational_plan or relazione."),
    ],
    act: ActOption = None,
    body: Annotated[
        str | None,
        typer.Option(help="Who approved: giunta, cda, dg, ... (default: the cycle's own body)."),
    ] = None,
    kind: Annotated[
        str | None, typer.Option(help="The act's kind, e.g. Decreto (default: the body's).")
    ] = None,
    number: Annotated[
        str | None, typer.Option(help="The act's number; the act is written as the body does.")
    ] = None,
    on: EffectiveOption = None,
    note: NoteOption = None,
    source: SourceOption = None,
    cycle: CycleOption = None,
) -> None:
    """Record an approval (Giunta, CdA, DG, ...); a plan approval puts pending changes in force.

    Example: ledger record approval plan --body cda --number 7 --date 27/01/2022
    """
    checked = as_parameter(as_subject)(subject)
    with open_cycle(ctx, cycle) as (chosen, store, stream):
        report(
            acts.record_approval(
                store,
                stream,
                checked,
                act,
                on or today(),
                chosen.acting("giunta-secretariat"),
                body=body,
                kind=kind,
                number=number,
                note=note,
                source=source,
            )
        )


@app.command("validation")
def validation(
    ctx: typer.Context,
    act: ActOption = None,
    opinion: Annotated[str | None, typer.Option(help="The OIV's opinion, in brief.")] = None,
    on: EffectiveOption = None,
    source: SourceOption = None,
    cycle: CycleOption = None,
) -> None:
    """Record the OIV's validation of the Relazione (art. 14 c. 4 lett. c).

    Example: ledger record validation --date 21/06/2021
    """
    with open_cycle(ctx, cycle) as (chosen, store, stream):
        report(
            acts.record_validation(
                store,
                stream,
                on or today(),
                chosen.acting("oiv"),
                act=act,
                opinion=opinion,
                source=source,
            )
        )


@app.command("publication")
def publication(
    ctx: typer.Context,
    where: Annotated[str, typer.Option(help="Where it was published (URL or section).")],
    on: EffectiveOption = None,
    source: SourceOption = None,
    cycle: CycleOption = None,
) -> None:
    """Record the publication of the Relazione in Amministrazione Trasparente.

    Example: ledger record publication --where https://www.example.it/at/performance
    """
    with open_cycle(ctx, cycle) as (chosen, store, stream):
        report(
            acts.record_publication(
                store, stream, where, on or today(), chosen.acting("publisher"), source=source
            )
        )


@app.command("amendment")
def amendment(
    ctx: typer.Context,
    node: Annotated[str, typer.Argument(help="Node to amend, e.g. 2.4.2.")],
    reason: Annotated[str, typer.Option(help="Why the plan changes.")],
    title: Annotated[str | None, typer.Option(help="New title.")] = None,
    weight: Annotated[str | None, typer.Option(help="New weight, e.g. 40.")] = None,
    target: Annotated[str | None, typer.Option(help="New target of a strategic objective.")] = None,
    on: EffectiveOption = None,
    source: SourceOption = None,
    cycle: CycleOption = None,
) -> None:
    """Amend a node of the plan; pending until an approval (plan_update) puts it in force.

    Example: ledger record amendment 2.4.2 --weight 70 --reason "delibera 54/GC"
    """
    change = ObjectiveAmended(
        key=node,
        title=title,
        reason=reason,
        weight=as_parameter(parse_weight)(weight) if weight is not None else None,
        target=_number(target) if target is not None else None,
    )
    with open_cycle(ctx, cycle) as (chosen, store, stream):
        report(
            planning.change_plan(
                store, stream, [change], on or today(), chosen.acting("controller"), source=source
            )
        )


@app.command("withdrawal")
def withdrawal(
    ctx: typer.Context,
    node: Annotated[str, typer.Argument(help="Node to take out of the plan.")],
    reason: Annotated[str, typer.Option(help="Why.")],
    on: EffectiveOption = None,
    source: SourceOption = None,
    cycle: CycleOption = None,
) -> None:
    """Withdraw a node (and what is under it); pending until an approval.

    Example: ledger record withdrawal 1.3.1 --reason "Covid: meetings cancelled"
    """
    change = ObjectiveWithdrawn(key=node, reason=reason)
    with open_cycle(ctx, cycle) as (chosen, store, stream):
        report(
            planning.change_plan(
                store, stream, [change], on or today(), chosen.acting("controller"), source=source
            )
        )


@app.command("closing")
def closing(
    ctx: typer.Context,
    on: EffectiveOption = None,
    note: NoteOption = None,
    source: SourceOption = None,
    cycle: CycleOption = None,
) -> None:
    """Close the cycle: later acts are refused until it is reopened.

    Example: ledger record closing --date 30/06/2021
    """
    with open_cycle(ctx, cycle) as (chosen, store, stream):
        report(
            acts.close_cycle(
                store,
                stream,
                on or today(),
                chosen.acting("administrator"),
                note=note,
                source=source,
            )
        )


@app.command("reopening")
def reopening(
    ctx: typer.Context,
    reason: Annotated[str, typer.Option(help="Why the closed cycle is reopened.")],
    on: EffectiveOption = None,
    source: SourceOption = None,
    cycle: CycleOption = None,
) -> None:
    """Reopen a closed cycle, for a stated reason.

    Example: ledger record reopening --reason "OIV asked for a correction of 3.3.1"
    """
    with open_cycle(ctx, cycle) as (chosen, store, stream):
        report(
            acts.reopen_cycle(
                store, stream, reason, on or today(), chosen.acting("administrator"), source=source
            )
        )
