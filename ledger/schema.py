"""The stored schema version: checked whenever a ledger is opened, changed only by `migrate`.

The database records the version of its tables in `ledger_info` (key `schema_version`). This
code reads ledgers of exactly `SCHEMA_VERSION`: a newer one was written by a newer version of
the ledger and is refused (reading it could misread or, worse, append rows an older chain
rule would hash differently); an older one is refused until `ledger migrate` brings it up to
date, never silently, because a migration changes a file an auditor may hold a digest of.

Migrations are a small ordered list rather than Alembic: each is one function run in the
write transaction that also records the new version, so a migration lands whole or not at
all, and the list reads as the history of the tables. A migration never touches the rows of
`events` (they are append-only, and their hashes cover the stored bytes): it may add tables,
indexes or nullable columns. To add one, append a `Migration(to_version=N, ...)` and raise
`SCHEMA_VERSION` to N; `tests/ledger/test_schema_version.py` holds the contract.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, inspect, select

from events.i18n import _
from ledger.errors import SchemaTooNew, SchemaTooOld, UnreadableSchema
from ledger.tables import SCHEMA_VERSION, ledger_info

SCHEMA_KEY = "schema_version"


@dataclass(frozen=True)
class Migration:
    """One step from `to_version - 1` to `to_version`; `apply` runs inside the write lock."""

    to_version: int
    summary: str
    apply: Callable[[Connection, str], None]
    """Called with the connection and the backend name ("sqlite" or "postgresql")."""


MIGRATIONS: tuple[Migration, ...] = ()
"""Every migration, in order. Version 1 is the first released schema (events, ledger_info)."""


def stored_version(conn: Connection) -> int | None:
    """The schema version the database records, or None for a database without a ledger."""
    if not inspect(conn).has_table("ledger_info"):
        return None
    value = conn.execute(
        select(ledger_info.c.value).where(ledger_info.c.key == SCHEMA_KEY)
    ).scalar()
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        raise UnreadableSchema(
            _("the ledger records schema version {value!r}, which is not a number").format(
                value=str(value)[:40]
            )
        ) from None


def check_version(found: int | None, where: str, *, current: int = SCHEMA_VERSION) -> None:
    """Refuse a ledger whose tables are not those of this version of the code."""
    if found is None:
        raise UnreadableSchema(
            _("{where} has a ledger table but no schema version (not a ledger of ours?)").format(
                where=where
            )
        )
    if found > current:
        raise SchemaTooNew(
            _(
                "this ledger was written by a newer version (schema {found}; this version "
                "reads schema {current}): upgrade the ledger software"
            ).format(found=found, current=current)
        )
    if found < current:
        raise SchemaTooOld(
            _(
                "this ledger has schema {found}, this version needs {current}: run "
                "`ledger migrate` (take a copy first)"
            ).format(found=found, current=current)
        )


def pending(found: int, migrations: Sequence[Migration] = MIGRATIONS) -> list[Migration]:
    """The migrations that bring a ledger at `found` to the newest version, in order."""
    return [step for step in migrations if step.to_version > found]


def migrate_connection(
    conn: Connection,
    backend: str,
    where: str,
    *,
    migrations: Sequence[Migration] = MIGRATIONS,
    current: int = SCHEMA_VERSION,
) -> tuple[int, list[Migration]]:
    """Run every pending migration in this (locked) transaction; return (from, steps run)."""
    found = stored_version(conn)
    if found is None:
        check_version(found, where, current=current)
        raise AssertionError("unreachable")  # pragma: no cover - check_version raised
    if found > current:
        check_version(found, where, current=current)
    steps = pending(found, migrations)
    expected = found
    for step in steps:
        expected += 1
        if step.to_version != expected:  # pragma: no cover - guards an edit of MIGRATIONS
            raise RuntimeError(f"migration to {step.to_version} follows version {expected - 1}")
        step.apply(conn, backend)
        conn.execute(
            ledger_info.update()
            .where(ledger_info.c.key == SCHEMA_KEY)
            .values(value=str(step.to_version))
        )
    return found, steps
