"""`ledger record ...`: every act of the cycle, checked and appended all-or-nothing."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, get_args

import typer

from cli.context import Settings, already_recorded, settings, today
from cli.errors import refused_rows_reported
from cli.options import (
    CycleOption,
    EffectiveOption,
    NoteOption,
    _date,
    _number,
    as_parameter,
)
from cli.progress import progress_tracker
from cli.terminal import echo
from events.acts import as_subject
from events.errors import UsageError
from events.i18n import _
from events.measurement import AssessmentKind, Period
from events.oversight import ReportedFigureRecorded, ReportedMeasure
from events.plan import ObjectiveAmended, ObjectiveWithdrawn
from formats.periods import parse_period, parse_when
from formats.readers.measurements import import_measurements
from formats.values import parse_measured, parse_weight, printed_decimals
from ledger.records import Entry
from ledger.store import SqlEventStore
from projections import acts, measuring, oversight, planning

app = typer.Typer(help="Record an act or a fact in the ledger.", no_args_is_help=True)

PeriodOption = Annotated[
    str | None,
    typer.Option(help="Period measured: 2020, 2020-01..2020-06 (default: the cycle's year)."),
]
EvidenceOption = Annotated[
    str | None, typer.Option(help="Where the figure comes from (document, file, cell).")
]
ActOption = Annotated[
    str | None, typer.Option("--act", help="The act as printed, e.g. 'delibera n. 5/GC'.")
]
SourceOption = Annotated[
    str | None,
    typer.Option(
        "--source",
        metavar="DOC",
        help="The document this act is transcribed from (a backfill), e.g. 'Relazione 2020'.",
    ),
]


def _report(entries: list[Entry]) -> None:
    for entry in entries:
        if already_recorded(entry.recorded_at):
            echo(
                _(
                    "already recorded seq {seq} {type} in {stream} (the same act, with the same "
                    "content): nothing written"
                ).format(seq=entry.seq, type=entry.type, stream=entry.stream)
            )
            continue
        echo(
            _("recorded seq {seq} {type} in {stream}  hash {hash}").format(
                seq=entry.seq, type=entry.type, stream=entry.stream, hash=entry.hash[:12]
            )
        )


@contextmanager
def _cycle(ctx: typer.Context, cycle: str | None) -> Iterator[tuple[Settings, SqlEventStore, str]]:
    """The settings, the open store and the cycle the act is for; the store closes after."""
    chosen = settings(ctx)
    store = chosen.store()
    try:
        yield chosen, store, acts.resolve_cycle(store, cycle)
    finally:
        store.close()


def _period(store: SqlEventStore, stream: str, text: str | None) -> Period:
    state = acts.read_state(store, stream)
    year = state.opened.year if state.opened else None
    if text is None:
        if year is None:
            raise UsageError(_("give --period (the cycle has no year)"))
        return parse_period(str(year))
    return parse_period(text, year)


@app.command("measurement")
def measurement(
    ctx: typer.Context,
    action: Annotated[str, typer.Argument(help="Action code as printed in the Piano, e.g. 1.1.2.")],
    value: Annotated[
        str,
        typer.Argument(
            help="35,87 or 1.100 or 97,20% or '€ 165,80'; a bound '≥ 95%'; a ratio 45/50."
        ),
    ],
    unit: Annotated[str | None, typer.Option(help="Unit, if not written with the value.")] = None,
    period: PeriodOption = None,
    on: EffectiveOption = None,
    evidence: EvidenceOption = None,
    note: NoteOption = None,
    source: SourceOption = None,
    cycle: CycleOption = None,
) -> None:
    """Record the measured value of an indicator's KPI (a value, a bound, or a ratio).

    Example: ledger record measurement 3.3.1 "35,87 gg" --period 2020 --date 30/04/2021
    """
    measured = as_parameter(parse_measured)(value)
    with _cycle(ctx, cycle) as (chosen, store, stream):
        _report(
            measuring.record_measurement(
                store,
                stream,
                action,
                measured.value,
                unit or measured.unit,
                _period(store, stream, period),
                on or today(),
                chosen.acting("controller"),
                numerator=measured.numerator,
                denominator=measured.denominator,
                bound=measured.bound,
                evidence=evidence,
                note=note,
                source=source,
            )
        )


@app.command("assessment")
def assessment(
    ctx: typer.Context,
    action: Annotated[str, typer.Argument(help="Action code, e.g. 1.3.2.")],
    level: Annotated[str | None, typer.Option(help="Qualitative level, e.g. eccellente.")] = None,
    done: Annotated[
        str | None,
        typer.Option(help="When a deadline action was done: 14/12/2020 or 'ottobre 2020'."),
    ] = None,
    met: Annotated[bool | None, typer.Option("--met/--not-met", help="A yes/no KPI.")] = None,
    achievement: Annotated[
        str | None,
        typer.Option(help="A % raggiungimento stated directly (no measured value); 100 or 80%."),
    ] = None,
    period: PeriodOption = None,
    on: EffectiveOption = None,
    evidence: EvidenceOption = None,
    note: NoteOption = None,
    source: SourceOption = None,
    cycle: CycleOption = None,
) -> None:
    """Record a qualitative, deadline or yes/no assessment (or a stated % raggiungimento).

    Example: ledger record assessment 3.3.5 --done 14/12/2020 --date 30/04/2021
    """
    given = [name for name, v in (("level", level), ("done", done), ("met", met)) if v is not None]
    if len(given) > 1:
        raise typer.BadParameter(
            _("give one of --level, --done, --met, not {given}").format(given=" and ".join(given))
        )
    if not given and achievement is None:
        raise typer.BadParameter(_("give --level, --done, --met or --achievement"))
    kinds: dict[str, AssessmentKind] = {
        "level": "qualitative",
        "done": "deadline",
        "met": "boolean",
    }
    kind = kinds.get(given[0], "achievement") if given else "achievement"
    stated = _number(achievement) if achievement is not None else None
    with _cycle(ctx, cycle) as (chosen, store, stream):
        year = acts.read_state(store, stream).opened
        completed, precision = (
            as_parameter(lambda t: parse_when(t, year.year if year else None))(done)
            if done is not None
            else (None, None)
        )
        _report(
            measuring.record_assessment(
                store,
                stream,
                action,
                kind,
                _period(store, stream, period),
                on or today(),
                chosen.acting("controller"),
                level=level,
                completed_on=completed,
                precision=precision,
                met=met,
                achievement=stated,
                evidence=evidence,
                note=note,
                source=source,
            )
        )


@app.command("correction")
def correction(
    ctx: typer.Context,
    corrects: Annotated[str, typer.Argument(help="The seq or event id of the wrong measurement.")],
    reason: Annotated[str, typer.Option(help="Why the recorded value was wrong.")],
    value: Annotated[str | None, typer.Option(help="The right value (a measurement).")] = None,
    level: Annotated[str | None, typer.Option(help="The right level (qualitative).")] = None,
    done: Annotated[str | None, typer.Option(help="The right completion date (deadline).")] = None,
    met: Annotated[bool | None, typer.Option("--met/--not-met")] = None,
    achievement: Annotated[str | None, typer.Option(help="The right stated %.")] = None,
    on: EffectiveOption = None,
    source: SourceOption = None,
    cycle: CycleOption = None,
) -> None:
    """Correct a measurement or assessment; the wrong one stays in the ledger.

    Example: ledger record correction 57 --value "36,10" --reason "recount of the files"
    """
    measured = as_parameter(parse_measured)(value) if value is not None else None
    stated = _number(achievement) if achievement is not None else None
    with _cycle(ctx, cycle) as (chosen, store, stream):
        completed, precision = as_parameter(parse_when)(done) if done is not None else (None, None)
        _report(
            measuring.record_correction(
                store,
                stream,
                corrects,
                reason,
                on or today(),
                chosen.acting("controller"),
                value=measured.value if measured else None,
                numerator=measured.numerator if measured else None,
                denominator=measured.denominator if measured else None,
                bound=measured.bound if measured else None,
                level=level,
                completed_on=completed,
                precision=precision,
                met=met,
                achievement=stated,
                source=source,
            )
        )


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
    with _cycle(ctx, cycle) as (chosen, store, stream):
        _report(
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
    with _cycle(ctx, cycle) as (chosen, store, stream):
        _report(
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
    with _cycle(ctx, cycle) as (chosen, store, stream):
        _report(
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
    with _cycle(ctx, cycle) as (chosen, store, stream):
        _report(
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
    with _cycle(ctx, cycle) as (chosen, store, stream):
        _report(
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
    with _cycle(ctx, cycle) as (chosen, store, stream):
        _report(
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
    with _cycle(ctx, cycle) as (chosen, store, stream):
        _report(
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
    with _cycle(ctx, cycle) as (chosen, store, stream):
        _report(
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
    with _cycle(ctx, cycle) as (chosen, store, stream):
        _report(
            acts.reopen_cycle(
                store, stream, reason, on or today(), chosen.acting("administrator"), source=source
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
            _("{measure!r} is not one of {measures}").format(
                measure=measure, measures=", ".join(MEASURES)
            ),
            param_hint="MEASURE",
        )
    figure = ReportedFigureRecorded.model_validate(
        {
            "document": document,
            "where": where,
            "measure": measure,
            "node": node,
            "value": _number(value),
            "printed": value,
            "decimals": printed_decimals(value),
            "note": note,
            "source": source,
        }
    )
    with _cycle(ctx, cycle) as (chosen, store, stream):
        _report(
            oversight.record_reported(store, stream, figure, on or today(), chosen.acting("oiv"))
        )


@app.command("measurements")
def measurements(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="An .xlsx or .csv with codice, valore, data ...")],
    sheet: Annotated[
        str | None, typer.Option(help="The sheet to read (default: Misure, or the only one).")
    ] = None,
    on: Annotated[
        date | None,
        typer.Option(
            "--date",
            parser=_date,
            metavar="DATE",
            help="Effective date for rows whose data cell is empty.",
        ),
    ] = None,
    source: SourceOption = None,
    cycle: CycleOption = None,
) -> None:
    """Record every measurement of a file, all or none; the same rows again record nothing.

    A value may be a bound (`≥ 95 %`) or a ratio (`45/50`), as for one measurement.

    Example: ledger record measurements misure-2020.xlsx --cycle cciaa-so/2020
    """
    with _cycle(ctx, cycle) as (chosen, store, stream), refused_rows_reported():
        report = import_measurements(
            store,
            file,
            stream,
            chosen.acting("controller"),
            sheet=sheet,
            default_date=on,
            track=progress_tracker(file),
            source=source,
        )
    already = f" ({report.already} already recorded)" if report.already else ""
    echo(
        _("recorded {recorded} of {rows} rows of {file} in {stream}{already}").format(
            recorded=report.recorded, rows=report.rows, file=file, stream=stream, already=already
        )
    )
