"""`ledger example sondrio-2020`: the reference cycle, recorded through the users' own paths.

The example is two files shipped with the package: the plan file (as `ledger plan import`
reads it) and the acts file, which `ledger load` reads. The command is `ledger load` of that
file, followed by the cruscotto as of the cycle's end; loading it again records nothing.
"""

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from cli.context import settings
from cli.progress import working
from cli.render import show as page
from cli.replay import render_table
from cli.terminal import echo
from events.errors import UsageError
from events.i18n import _, ngettext
from formats.readers.acts_load import load_acts_file
from ledger.store import EventStore
from projections import acts
from projections.cruscotto import replay

EXAMPLES = Path(__file__).parent / "examples"
KNOWN = {"sondrio-2020": ("sondrio-2020-acts.yaml", "cciaa-so/2020", date(2021, 6, 30))}
"""Each example: its acts file (which names its plan file), its cycle, and the day it shows."""


def load_example(store: EventStore, name: str, actor_override: acts.Actor | None = None) -> int:
    """Record the example `name` into `store`; returns how many events were recorded."""
    if name not in KNOWN:
        raise UsageError(
            _("unknown example {name!r} (known: {known})").format(name=name, known=", ".join(KNOWN))
        )
    acts_name, _stream, _day = KNOWN[name]
    report = load_acts_file(
        store,
        EXAMPLES / acts_name,
        lambda role: acts.Actor("example", role, role_stated=False),
        actor_override=actor_override,
    )
    return report.events


def register(app: typer.Typer) -> None:
    app.command("example")(example)


def example(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The example: sondrio-2020.")],
    show: Annotated[
        bool, typer.Option("--show/--no-show", help="Print the cruscotto as of the cycle's end.")
    ] = True,
) -> None:
    """Record a reference cycle into the ledger (creating it if needed) and show its cruscotto.

    Example: ledger --db sqlite:///sondrio.db example sondrio-2020
    """
    store = settings(ctx).store(create=True)
    try:
        with working(_("recording {name}").format(name=name)):
            count = load_example(store, name)
        _acts, stream, day = KNOWN[name]
        echo(
            ngettext(
                "{name}: recorded {count} event", "{name}: recorded {count} events", count
            ).format(name=name, count=count)
            if count
            else _("{name}: already recorded").format(name=name)
        )
        if show:
            cruscotto = replay(store.read_stream(stream), stream, as_of=day)
            page(render_table(cruscotto))
    finally:
        store.close()
