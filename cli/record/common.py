"""What every `ledger record` command shares: the group, its options, the cycle it acts on, and
the line it prints for each event appended (or found already recorded)."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer

from cli.context import Settings, already_recorded, settings
from cli.terminal import echo
from events.errors import UsageError
from events.i18n import _
from events.measurement import Period
from formats.periods import parse_period
from ledger.records import Entry
from ledger.store import SqlEventStore
from projections import acts

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


def report(entries: list[Entry]) -> None:
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
def open_cycle(
    ctx: typer.Context, cycle: str | None
) -> Iterator[tuple[Settings, SqlEventStore, str]]:
    """The settings, the open store and the cycle the act is for; the store closes after."""
    chosen = settings(ctx)
    store = chosen.store()
    try:
        yield chosen, store, acts.resolve_cycle(store, cycle)
    finally:
        store.close()


def period_of(store: SqlEventStore, stream: str, text: str | None) -> Period:
    state = acts.read_state(store, stream)
    year = state.opened.year if state.opened else None
    if text is None:
        if year is None:
            raise UsageError(_("give --period (the cycle has no year)"))
        return parse_period(str(year))
    return parse_period(text, year)
