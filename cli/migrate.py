"""`ledger migrate`: bring an older ledger's tables to this version's schema, on request only.

Opening a ledger never migrates it (ledger/schema.py says why); this command is the one way,
and it says what it did, step by step, so that the change can be written in the register of
the ledger's custody.
"""

import typer

from cli.context import settings
from cli.terminal import echo
from events.i18n import _
from ledger.tables import SCHEMA_VERSION


def register(app: typer.Typer) -> None:
    app.command("migrate")(migrate)


def migrate(ctx: typer.Context) -> None:
    """Bring the ledger's tables to this version's schema (events are never rewritten).

    Take a copy of the ledger first. Example: ledger --db sqlite:///ledger.db migrate
    """
    store = settings(ctx).store(migrating=True)
    try:
        found, steps = store.migrate()
    finally:
        store.close()
    if not steps:
        echo(
            _("the ledger is at schema version {version}: nothing to migrate").format(version=found)
        )
        return
    for step in steps:
        echo(_("schema {version}: {summary}").format(version=step.to_version, summary=step.summary))
    echo(_("migrated from schema {found} to {current}").format(found=found, current=SCHEMA_VERSION))
