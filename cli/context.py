"""The one place that builds the command's dependencies (store, actor) from options and env."""

import getpass
import os
from dataclasses import dataclass

import typer

from ledger.connect import DEFAULT_DB, open_store
from ledger.store import SqlEventStore


@dataclass
class Settings:
    """What the global options chose: the ledger URL and the acting identity."""

    db: str = DEFAULT_DB
    actor: str | None = None

    def store(self, *, create: bool = False) -> SqlEventStore:
        return open_store(self.db, create=create)

    def actor_name(self) -> str:
        if self.actor:
            return self.actor
        return os.environ.get("LEDGER_ACTOR") or getpass.getuser()


def settings(ctx: typer.Context) -> Settings:
    """The settings of the root command, wherever in the tree `ctx` is."""
    root = ctx.find_root()
    if not isinstance(root.obj, Settings):
        root.obj = Settings()
    return root.obj
