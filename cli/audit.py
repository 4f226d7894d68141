"""`ledger audit`: the findings an OIV wants, with severity, node, events and a reason."""

from datetime import date
from typing import Annotated

import typer

from cli.context import settings, today
from cli.options import CycleOption, FormatOption, OutputFormat, _date
from cli.render import fold, to_table
from cli.replay import require_known_at
from cli.terminal import echo
from cli.trail import KnownAtOption, day, moment
from events.i18n import _, ngettext
from formats.serial import to_csv, to_json
from projections import acts
from projections.findings import (
    LATE_AFTER_DAYS,
    SEVERITIES,
    Finding,
    audit,
    finding_row,
    seq_ranges,
)
from projections.review import kind_label, severity_label

COLUMNS = ("severity", "kind", "node", "title", "seqs", "reason", "detail")


def register(app: typer.Typer) -> None:
    app.command("audit")(audit_command)


def audit_command(
    ctx: typer.Context,
    as_of: Annotated[
        date | None,
        typer.Option(
            "--as-of",
            parser=_date,
            metavar="DATE",
            help="Review the cycle as of this date; when omitted, today.",
        ),
    ] = None,
    known_at: KnownAtOption = None,
    late_after: Annotated[
        int,
        typer.Option(
            "--late-after",
            min=0,
            metavar="DAYS",
            help="An entry recorded more than DAYS after its effective date is back-dated.",
        ),
    ] = LATE_AFTER_DAYS,
    cycle: CycleOption = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Findings for the OIV: back-dating, overrides, scores no rule gives, deadlines, figures.

    Example: ledger audit --format json
    """
    when = as_of or today()
    store = settings(ctx).store()
    try:
        stream = acts.resolve_cycle(store, cycle)
        require_known_at(store, stream, known_at)
        found = audit(
            list(store.read_stream(stream, known_at=known_at)),
            stream,
            as_of=when,
            known_at=known_at,
            late_after_days=late_after,
        )
    finally:
        store.close()
    if output is OutputFormat.json:
        echo(
            to_json(
                {
                    "cycle": stream,
                    "as_of": when,
                    "known_at": known_at,
                    "late_after_days": late_after,
                    "findings": [finding_row(finding, listed=True) for finding in found],
                }
            )
        )
    elif output is OutputFormat.csv:
        echo(to_csv((finding_row(f) for f in found), COLUMNS), nl=False)
    else:
        echo(render(stream, when, known_at is not None and moment(known_at), found))


def render(stream: str, as_of: date, known: str | bool, found: list[Finding]) -> str:
    title = _("Audit of {cycle} as of {day}").format(cycle=stream, day=day(as_of))
    if known:
        title += _(", as known at {moment}").format(moment=known)
    counts = ", ".join(
        f"{sum(1 for f in found if f.severity == s)} {severity_label(s)}" for s in SEVERITIES
    )
    rows = [
        [
            severity_label(f.severity),
            kind_label(f.kind),
            f.node or "",
            _short(seq_ranges(f.seqs)),
            f.reason,
        ]
        for f in found
    ]
    headers = [_("severity"), _("kind"), _("node"), _("events (seq)"), _("reason")]
    table = to_table(rows, headers)
    total = ngettext("{count} finding: {counts}", "{count} findings: {counts}", len(found))
    return f"{fold(title)}\n\n{table}\n\n{total.format(count=len(found), counts=counts)}"


def _short(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
