"""Many measurements and assessments at once (an import): all checked, then all or nothing.

Every row is checked against the plan in force on its date; every problem is collected, so
the user sees all of them in one pass; if there is any, nothing is written. Rows carry an
idempotency key, so a file imported again records nothing twice.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from events.base import LedgerEvent
from events.errors import LedgerError
from events.i18n import _, ngettext
from events.measurement import Period
from ledger.errors import ConcurrencyConflict
from ledger.records import Entry, NewEvent
from ledger.store import EventStore, serialized
from projections.acts import RETRIES, Actor, authorised_role
from projections.errors import ActRefused
from projections.errors import CycleClosed as CycleIsClosed
from projections.measuring import observation_event
from projections.plan_state import CycleState, fold
from projections.scoring import Observation


@dataclass(frozen=True)
class ObservationItem:
    """One row of an import: where it comes from, and what it says."""

    ref: str
    action: str
    observation: Observation
    period: Period
    on: date
    evidence: str | None = None
    note: str | None = None
    key: str | None = None
    source: str | None = None


class BatchRefused(LedgerError):
    """Some rows of a batch were refused; nothing was written. `problems` lists all of them."""

    def __init__(self, problems: Sequence[tuple[str, str]]) -> None:
        self.problems = list(problems)
        first_ref, first_reason = self.problems[0]
        more = (
            ngettext(" (and {count} more)", " (and {count} more)", len(self.problems) - 1).format(
                count=len(self.problems) - 1
            )
            if len(self.problems) > 1
            else ""
        )
        super().__init__(
            _("{ref}: {reason}{more}; nothing was written").format(
                ref=first_ref, reason=first_reason, more=more
            )
        )


Accepted = list[tuple[LedgerEvent, ObservationItem]]


def check_observations(
    store: EventStore, stream: str, items: Sequence[ObservationItem]
) -> list[tuple[str, str]]:
    """Every row the plan refuses, as (ref, reason), without writing anything (a dry run)."""
    recorded = list(store.read_stream(stream))
    return _prepare(recorded, fold(recorded, stream), stream, items)[1]


def _prepare(
    recorded: list[Entry], state: CycleState, stream: str, items: Sequence[ObservationItem]
) -> tuple[Accepted, list[tuple[str, str]]]:
    """The events of the rows not yet recorded, and the problems of the others."""
    if state.opened is None:
        raise ActRefused(_("cycle {stream} does not exist").format(stream=stream))
    if state.closed_now:
        raise CycleIsClosed(stream)
    by_day: dict[date, CycleState] = {}
    problems: list[tuple[str, str]] = []
    accepted: Accepted = []
    for item in items:
        if item.key is not None and item.key in state.keys:
            continue
        on_day = by_day.get(item.on)
        if on_day is None:
            on_day = by_day[item.on] = fold(recorded, stream, as_of=item.on)
        try:
            accepted.append((_event(on_day, item, stream), item))
        except LedgerError as refusal:
            problems.append((item.ref, str(refusal)))
    return accepted, problems


def record_observations(
    store: EventStore, stream: str, items: Sequence[ObservationItem], actor: Actor
) -> list[Entry]:
    """Check every row, then append them all in one transaction; refuse all if any is wrong."""
    for attempt in range(RETRIES):
        with serialized(store):  # writers queue: the checks and the append are one section
            recorded = list(store.read_stream(stream))
            state = fold(recorded, stream)
            accepted, problems = _prepare(recorded, state, stream, items)
            if problems:
                raise BatchRefused(problems)
            if not accepted:
                return []
            role = authorised_role(
                store, stream, actor, [event for event, _ in accepted], state.identity
            )
            signer = actor.key.sign if actor.key else None
            new = [
                NewEvent(event, item.on, actor.name, role, item.key, signer=signer)
                for event, item in accepted
            ]
            try:
                return store.append(stream, new, expected_version=state.version)
            except ConcurrencyConflict:
                if attempt == RETRIES - 1:
                    raise
    raise AssertionError("unreachable")  # pragma: no cover


def _event(state: CycleState, item: ObservationItem, stream: str) -> LedgerEvent:
    return observation_event(
        state, stream, item.action, item.observation, item.period, item.on,
        evidence=item.evidence, note=item.note, source=item.source,
    )  # fmt: skip
