"""The one place that builds the command's dependencies (store, actor) from options and env."""

import getpass
import os
import stat
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import typer

from events.errors import UsageError
from events.i18n import _
from formats.writers.files import ledger_files

if TYPE_CHECKING:
    from ledger.store import SqlEventStore
    from projections.acts import Actor
    from projections.signatures import SigningKey

# The database layer, the projections and the cryptography are imported by the methods that
# use them, not here: every command, `ledger --help` too, imports this module (cli/lazy.py).
DEFAULT_DB = "sqlite:///ledger.db"

COMMAND_STARTED: ContextVar[datetime | None] = ContextVar("command_started", default=None)
"""When the running command began: an entry recorded before is one it did not write."""


def already_recorded(recorded_at: datetime) -> bool:
    """Whether an entry a command answers with was recorded before the command began (the
    same act again: its idempotency key found it, nothing was written)."""
    started = COMMAND_STARTED.get()
    return started is not None and recorded_at < started


@dataclass
class Settings:
    """What the global options chose: the ledger URL and the acting identity."""

    db: str = DEFAULT_DB
    actor: str | None = None
    role: str | None = None
    sign_key: str | None = None

    def __post_init__(self) -> None:
        COMMAND_STARTED.set(datetime.now(UTC))

    def store(self, *, create: bool = False, migrating: bool = False) -> "SqlEventStore":
        from ledger.connect import open_store

        return open_store(self.db, create=create, migrating=migrating)

    def ledger_files(self) -> list[Path]:
        """The files that hold the ledger (SQLite), which no command may write over."""
        from ledger.connect import sqlite_file

        return ledger_files(sqlite_file(self.db))

    def actor_name(self) -> str:
        if self.actor:
            return self.actor
        return os.environ.get("LEDGER_ACTOR") or getpass.getuser()

    def acting(self, default_role: str) -> "Actor":
        """The acting identity; the role defaults to the one the act is normally done in.

        In a cycle with registered actors the registered role is recorded instead of the
        default (a role given with --role must be the registered one); with --sign-key or
        LEDGER_SIGNING_KEY every act is signed.
        """
        from projections.acts import Actor

        return Actor(
            self.actor_name(),
            self.role or default_role,
            role_stated=self.role is not None,
            key=self.signing_key(),
        )

    def signing_key(self) -> "SigningKey | None":
        """The private key from --sign-key / LEDGER_SIGNING_KEY: a file path, or the PEM itself."""
        return load_signing_key(self.sign_key) if self.sign_key else None


def load_signing_key(given: str) -> "SigningKey":
    """Read a private key given as PEM text or as the path of a file only its owner can read."""
    from projections.signatures import SigningKey

    if given.lstrip().startswith("-----BEGIN"):
        return SigningKey.from_pem(given, "LEDGER_SIGNING_KEY")
    path = Path(given)
    if not path.is_file():
        raise UsageError(
            _("key file {file} does not exist (make one: ledger keys generate --out FILE)").format(
                file=given
            )
        )
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise UsageError(
            _("key file {file} can be read by others (mode {mode}): chmod 600 {file}").format(
                file=given, mode=f"{mode:04o}"
            )
        )
    text = path.read_text(encoding="utf-8", errors="replace")
    return SigningKey.from_pem(text, f"key file {given}")


def settings(ctx: typer.Context) -> Settings:
    """The settings of the root command, wherever in the tree `ctx` is."""
    root = ctx.find_root()
    if not isinstance(root.obj, Settings):
        root.obj = Settings()
    return root.obj


def today() -> date:
    """The default effective date: today, in Italy (where the acts happen)."""
    return datetime.now(ZoneInfo("Europe/Rome")).date()
