"""`ledger record measurement|assessment|correction|measurements`: what the controller measures,
one figure at a time or a whole file, checked and appended all-or-nothing."""

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from cli.context import today
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
from cli.record.common import (
    EvidenceOption,
    PeriodOption,
    SourceOption,
    app,
    open_cycle,
    period_of,
    report,
)
from cli.terminal import echo
from events.i18n import _
from events.measurement import AssessmentKind
from formats.periods import parse_when
from formats.readers.measurements import import_measurements
from formats.values import parse_measured
from projections import acts, measuring


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
    with open_cycle(ctx, cycle) as (chosen, store, stream):
        report(
            measuring.record_measurement(
                store,
                stream,
                action,
                measured.value,
                unit or measured.unit,
                period_of(store, stream, period),
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
            _("give one of --level, --done, --met, not {given}").format(
                given=_(" and ").join(f"--{name}" for name in given)
            )
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
    with open_cycle(ctx, cycle) as (chosen, store, stream):
        year = acts.read_state(store, stream).opened
        completed, precision = (
            as_parameter(lambda t: parse_when(t, year.year if year else None))(done)
            if done is not None
            else (None, None)
        )
        report(
            measuring.record_assessment(
                store,
                stream,
                action,
                kind,
                period_of(store, stream, period),
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
    with open_cycle(ctx, cycle) as (chosen, store, stream):
        completed, precision = as_parameter(parse_when)(done) if done is not None else (None, None)
        report(
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
    with open_cycle(ctx, cycle) as (chosen, store, stream), refused_rows_reported():
        imported = import_measurements(
            store,
            file,
            stream,
            chosen.acting("controller"),
            sheet=sheet,
            default_date=on,
            track=progress_tracker(file),
            source=source,
        )
    already = (
        _(" ({count} already recorded)").format(count=imported.already) if imported.already else ""
    )
    echo(
        _("recorded {recorded} of {rows} rows of {file} in {stream}{already}").format(
            recorded=imported.recorded,
            rows=imported.rows,
            file=file,
            stream=stream,
            already=already,
        )
    )
