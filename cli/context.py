"""The one place that builds the command's dependencies (store, actor) from options and env."""

import getpass
import os
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import typer

from ledger.connect import DEFAULT_DB, open_store
from ledger.store import SqlEventStore
from projections.acts import Actor


@dataclass
class Settings:
    """What the global options chose: the ledger URL and the acting identity."""

    db: str = DEFAULT_DB
    actor: str | None = None
    role: str | None = None

    def store(self, *, create: bool = False) -> SqlEventStore:
        return open_store(self.db, create=create)

    def actor_name(self) -> str:
        if self.actor:
            return self.actor
        return os.environ.get("LEDGER_ACTOR") or getpass.getuser()

    def acting(self, default_role: str) -> Actor:
        """The acting identity; the role defaults to the one the act is normally done in."""
        return Actor(self.actor_name(), self.role or default_role)


def settings(ctx: typer.Context) -> Settings:
    """The settings of the root command, wherever in the tree `ctx` is."""
    root = ctx.find_root()
    if not isinstance(root.obj, Settings):
        root.obj = Settings()
    return root.obj


def today() -> date:
    """The default effective date: today, in Italy (where the acts happen)."""
    return datetime.now(ZoneInfo("Europe/Rome")).date()
