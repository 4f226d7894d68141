"""Small builders for the ledger tests: events to append, a settable clock, raw-SQL helpers.

Everything here goes through the public API (`NewEvent`, `open_store`), except the helpers
that play the part of an intruder with direct access to the database (`remove_protection`,
`execute_as_intruder`): those use raw SQL on purpose, because that is what they simulate.
"""

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import text
from typer.testing import CliRunner, Result

from events.base import LedgerEvent
from events.cycle import CycleClosed, CycleOpened, CycleReopened
from ledger.records import NewEvent
from ledger.store import SqlEventStore

STREAM = "cciaa-so/2020"
OTHER_STREAM = "cciaa-mi/2020"
ACTOR = "controller@cciaa-so"
ROLE = "controller"
T0 = datetime(2021, 4, 30, 9, 15, 2, 123456, tzinfo=UTC)


def reopened(
    reason: str,
    *,
    effective: date = date(2021, 4, 30),
    key: str | None = None,
    event_id: str | None = None,
    actor: str = ACTOR,
) -> NewEvent:
    """A CycleReopened whose reason doubles as a unique marker of the event."""
    return recorded(
        CycleReopened(reason=reason), effective=effective, key=key, event_id=event_id, actor=actor
    )


def recorded(
    event: LedgerEvent,
    *,
    effective: date = date(2021, 4, 30),
    key: str | None = None,
    event_id: str | None = None,
    actor: str = ACTOR,
) -> NewEvent:
    """Any event with the envelope facts the caller supplies."""
    if event_id is None:
        return NewEvent(event, effective, actor, ROLE, idempotency_key=key)
    return NewEvent(event, effective, actor, ROLE, idempotency_key=key, event_id=event_id)


def fixed_id(number: int) -> str:
    """A valid, readable, deterministic event id: 00000000-0000-4000-8000-00000000000N."""
    return f"00000000-0000-4000-8000-{number:012d}"


def sondrio_opened() -> CycleOpened:
    return CycleOpened(
        entity="cciaa-so",
        entity_name="Camera di commercio di Sondrio",
        year=2020,
        note="ciclo aperto con il Piano 2020-2022",
    )


def sondrio_closed() -> CycleClosed:
    return CycleClosed(note="Relazione validata dall'OIV: è pubblicata")


class SettableClock:
    """A clock the test sets by hand; the store calls it when it stamps recorded_at."""

    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now = self.now + timedelta(**delta)
        return self.now


def remove_protection(store: SqlEventStore) -> None:
    """What an intruder with the database's keys does first: switch off the append-only guard."""
    with store.engine.begin() as conn:
        if store.engine.dialect.name == "sqlite":
            # events_refuse_update and events_refuse_delete, and any guard added later.
            triggers = conn.execute(
                text(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'events'"
                )
            ).scalars()
            for name in list(triggers):
                conn.execute(text(f'DROP TRIGGER "{name}"'))
        else:
            conn.execute(text("ALTER TABLE events DISABLE TRIGGER USER"))


def execute_as_intruder(
    store: SqlEventStore, statement: str, parameters: Mapping[str, Any] | None = None
) -> None:
    """Run raw SQL on the ledger's database, bypassing the store, in its own transaction."""
    with store.engine.begin() as conn:
        conn.execute(text(statement), dict(parameters or {}))


def run_ledger(url: str, *args: str) -> Result:
    """Run the real `ledger` command on the ledger at `url`, as a user would type it."""
    from cli.app import app  # imported here so that the store's tests never depend on the CLI

    # A bug must surface as the test's own traceback, never pass as exit code 1.
    return CliRunner().invoke(app, ["--db", url, *args], catch_exceptions=False)
