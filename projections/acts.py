"""The use cases: each act reads the cycle, checks it against the rules, and appends.

Called identically by the CLI, the example loader and the tests. A refusal raises before
anything is written; a concurrent append to the same cycle is detected by the expected
version and the act is checked again on the new state. This module holds that mechanism
(`append_act`) and the acts of the cycle itself (opening, approvals, validation,
publication, closing); the others are in planning, measuring, oversight and registration.
"""

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from events.acts import (
    BODIES,
    PLAN_SUBJECTS,
    ApprovalRecorded,
    Body,
    PublicationRecorded,
    Subject,
    ValidationRecorded,
)
from events.base import LedgerEvent
from events.cycle import CycleClosed, CycleOpened, CycleReopened
from events.encoding import encode_event
from events.i18n import _
from ledger.errors import ConcurrencyConflict
from ledger.query import Query
from ledger.records import Entry, NewEvent
from ledger.store import EventStore, serialized
from projections.authority import Act, authority_of, first_refusal
from projections.dependencies import check_no_cycle
from projections.errors import ActRefused, CycleNotYetOpen, UnknownCycle
from projections.errors import CycleClosed as CycleIsClosed
from projections.plan_state import CycleState, projected
from projections.roles import IDENTITY_TYPES, RoleRefused, identity_of, recorded_role
from projections.signatures import SigningKey
from projections.snapshots import cycle_state
from projections.weights import check_weights

T = TypeVar("T")
RETRIES = 5


@dataclass(frozen=True)
class Actor:
    """Who records an act, and in which role; with the key that signs it, if they hold one.

    `role_stated` is False when the role is only the act's usual one (no `--role` given): in a
    cycle with registered actors the registered role is then recorded instead of being refused.
    """

    name: str
    role: str
    role_stated: bool = True
    key: SigningKey | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Draft:
    """An event ready to append, with its envelope facts."""

    event: LedgerEvent
    effective_date: date
    idempotency_key: str | None = None


def read_state(store: EventStore, stream: str, *, as_of: date | None = None) -> CycleState:
    """The cycle as everything the ledger holds now makes it, as of `as_of` (for reading).

    From the cycle's snapshot and the events after it: the cost of an act does not grow with
    its cycle (projections/snapshots.py).
    """
    return cycle_state(store, stream, as_of=as_of)


def resolve_cycle(store: EventStore, stream: str | None) -> str:
    """The cycle the user means: the one named, or the only one in the ledger."""
    if stream is not None:
        if store.stream_version(stream) == 0:  # one index probe, however large the ledger
            raise UnknownCycle(stream, store.streams())
        return stream
    known = store.streams()
    if len(known) == 1:
        return known[0]
    if not known:
        raise UnknownCycle(_("(none)"), known)
    raise ActRefused(
        _("the ledger holds several cycles ({cycles}): choose one with --cycle").format(
            cycles=", ".join(known)
        )
    )


def _not_open(store: EventStore, stream: str, as_of: date | None) -> ActRefused:
    """Why an act finds no open cycle: the cycle is unknown, or the act is dated before it.

    Read only on the way to a refusal: the cycle's opening act is its first, so the read stops
    at the first batch."""
    if as_of is None or store.stream_version(stream) == 0:
        return UnknownCycle(stream, store.streams())
    entries = store.read_stream(stream)
    opening = next((e for e in entries if e.type == CycleOpened.type_name), None)
    return CycleNotYetOpen(stream, as_of, opening.effective_date if opening else None)


def append_act(
    store: EventStore,
    stream: str,
    actor: Actor,
    build: Callable[[CycleState], Sequence[Draft]],
    *,
    as_of: date | None = None,
    must_exist: bool = True,
    allow_closed: bool = False,
) -> list[Entry]:
    """Read, check (inside `build`) and append under the store's append lock.

    The check and the append are one critical section (`serialized`), so concurrent writers
    queue instead of failing; the retry only serves a writer that appends without the lock.
    A draft without an idempotency key gets one from its content (`act_key`): the same act
    recorded twice (a retry, a double click) is recorded once, and the second run answers
    with the entry already recorded.
    """
    for attempt in range(RETRIES):
        with serialized(store):
            state = read_state(store, stream, as_of=as_of)
            if must_exist and state.opened is None:
                raise _not_open(store, stream, as_of)
            if state.opened is not None and not allow_closed and state.closed_now:
                raise CycleIsClosed(stream)
            drafts = build(state)
            if not drafts:
                return []
            role = authorised_role(store, stream, actor, [d.event for d in drafts], state.identity)
            signer = actor.key.sign if actor.key else None
            # Every state folds the whole cycle (an act's date only hides later facts), so
            # its last undoing act is the ledger's: no query of its own.
            undone = state.last_undo
            new = [
                NewEvent(
                    d.event,
                    d.effective_date,
                    actor.name,
                    role,
                    d.idempotency_key or act_key(stream, d, undone),
                    signer=signer,
                )
                for d in drafts
            ]
            try:
                return store.append(stream, new, expected_version=state.version)
            except ConcurrencyConflict:
                if attempt == RETRIES - 1:
                    raise
    raise AssertionError("unreachable")  # pragma: no cover


def act_key(stream: str, draft: Draft, undone: int) -> str:
    """The idempotency key of a single act, from its content: the stream, the event's type and
    canonical payload, its effective date, and the last undoing act before it
    (`CycleState.last_undo`), so that an act repeated after, say, its withdrawal is recorded
    again."""
    digest = hashlib.sha256()
    for part in (
        stream,
        draft.event.type_name,
        encode_event(draft.event).decode("utf-8"),
        draft.effective_date.isoformat(),
        str(undone),
    ):
        digest.update(len(part.encode("utf-8")).to_bytes(8, "big"))
        digest.update(part.encode("utf-8"))
    return f"act:{digest.hexdigest()}"


def authorised_role(
    store: EventStore,
    stream: str,
    actor: Actor,
    events: Sequence[LedgerEvent],
    registry: Iterable[Entry] | None = None,
) -> str:
    """Check the acts against the cycle's registry by the rules `verify` applies too
    (projections/authority.py); the role to record them in.

    `registry` is the cycle's identity entries when the caller holds them (a `CycleState`'s),
    else they are read.
    """
    if registry is None:
        registry = store.read(Query(stream=stream, types=IDENTITY_TYPES))
    identity = identity_of(registry)
    role = recorded_role(identity, actor.name, actor.role, actor.role_stated)
    key_id = actor.key.key_id if actor.key else None
    problem = first_refusal(
        authority_of(stream, identity),
        (Act(stream, actor.name, role, event, key_id) for event in events),
    )
    if problem is not None:
        raise RoleRefused(problem)
    return role


def open_cycle(
    store: EventStore,
    stream: str,
    opened: CycleOpened,
    on: date,
    actor: Actor,
    key: str | None = None,
) -> list[Entry]:
    """Open a cycle; refused if it exists already."""

    def build(state: CycleState) -> list[Draft]:
        if state.opened is not None:
            raise ActRefused(_("cycle {stream} is already open").format(stream=stream))
        return [Draft(opened, on, key)]

    return append_act(store, stream, actor, build, must_exist=False)


def record_approval(
    store: EventStore,
    stream: str,
    subject: Subject,
    act: str | None,
    on: date,
    actor: Actor,
    *,
    body: str | None = None,
    kind: str | None = None,
    number: str | None = None,
    note: str | None = None,
    source: str | None = None,
    key: str | None = None,
) -> list[Entry]:
    """Record an approval; a plan approval puts the pending changes in force from `on`.

    `body` names who approved (a key, name or short name of the cycle's bodies; default: the
    one that approves this subject); `act` is the act as printed, or it is written from
    `number` (and `kind`) as the body writes its acts (`Deliberazione del CdA n. 7`).
    """

    def build(state: CycleState) -> list[Draft]:
        if subject == "plan" and not state.pending and not state.nodes:
            raise ActRefused(
                _("no plan to approve in {stream} (import one: ledger plan import FILE)").format(
                    stream=stream
                )
            )
        if subject in PLAN_SUBJECTS:
            check_weights(projected(state, on), stream)
            check_no_cycle(projected(state, on), stream)
        approving = approving_body(state, subject, body, stream)
        label = act or (approving.act_label(number, kind) if number is not None else None)
        event = ApprovalRecorded(
            subject=subject,
            body=approving.name,
            act=label,
            kind=kind or (approving.kind if number is not None else None),
            number=number,
            note=note,
            source=source,
        )
        return [Draft(event, on, key)]

    return append_act(store, stream, actor, build, as_of=on)


def find_body(state: CycleState, text: str) -> Body | None:
    """The cycle's body named by its key, name or short name (any case)."""
    wanted = text.strip().lower()
    pool = state.bodies if state.opened is not None and state.opened.bodies else BODIES.values()
    for body in pool:
        if wanted in (body.key, body.name.lower(), (body.short or "").lower()):
            return body
    return None


def approving_body(state: CycleState, subject: str, text: str | None, stream: str) -> Body:
    """Who approves: the body named, or the first of the cycle's that approves the subject."""
    if text is not None:
        found = find_body(state, text)
        if found is None:
            names = ", ".join(f"{b.key} ({b.name})" for b in state.bodies)
            raise ActRefused(
                _("{body!r} is not a body of {stream} (its bodies: {names})").format(
                    body=text, stream=stream, names=names
                )
            )
        return found
    approvers = [body for body in state.bodies if not body.validates]
    for body in approvers:
        if subject in body.approves:
            return body
    return approvers[0] if approvers else BODIES["giunta"]


def evaluating_body(state: CycleState) -> Body:
    """Who validates the Relazione: the cycle's OIV or Nucleo di valutazione."""
    return next((body for body in state.bodies if body.validates), BODIES["oiv"])


def record_validation(
    store: EventStore,
    stream: str,
    on: date,
    actor: Actor,
    *,
    act: str | None = None,
    opinion: str | None = None,
    note: str | None = None,
    source: str | None = None,
    key: str | None = None,
) -> list[Entry]:
    """The OIV validates the Relazione; refused before the Giunta approved it."""

    def build(state: CycleState) -> list[Draft]:
        if state.relazione_approval is None:
            raise ActRefused(
                _(
                    "the Relazione of {stream} has no approval by {day}: "
                    "record the Giunta's approval first"
                ).format(stream=stream, day=on.isoformat())
            )
        evaluator = evaluating_body(state)
        named = None if evaluator.key == "oiv" else evaluator.name
        event = ValidationRecorded(body=named, act=act, opinion=opinion, note=note, source=source)
        return [Draft(event, on, key)]

    return append_act(store, stream, actor, build, as_of=on)


def record_publication(
    store: EventStore,
    stream: str,
    where: str,
    on: date,
    actor: Actor,
    *,
    note: str | None = None,
    source: str | None = None,
    key: str | None = None,
) -> list[Entry]:
    """The Relazione is published; refused before the OIV validated it."""

    def build(state: CycleState) -> list[Draft]:
        if state.validation is None:
            raise ActRefused(
                _(
                    "the Relazione of {stream} has no OIV validation by {day}: "
                    "record the validation first"
                ).format(stream=stream, day=on.isoformat())
            )
        return [Draft(PublicationRecorded(where=where, note=note, source=source), on, key)]

    return append_act(store, stream, actor, build, as_of=on)


def close_cycle(
    store: EventStore,
    stream: str,
    on: date,
    actor: Actor,
    *,
    note: str | None = None,
    key: str | None = None,
    source: str | None = None,
) -> list[Entry]:
    """Close the cycle: every later act is refused until it is reopened."""
    closed = CycleClosed(note=note, source=source)
    return append_act(store, stream, actor, lambda _: [Draft(closed, on, key)])


def reopen_cycle(
    store: EventStore,
    stream: str,
    reason: str,
    on: date,
    actor: Actor,
    *,
    source: str | None = None,
) -> list[Entry]:
    """Reopen a closed cycle, for a stated reason."""

    def build(state: CycleState) -> list[Draft]:
        if not state.closed_now:
            raise ActRefused(_("cycle {stream} is not closed").format(stream=stream))
        return [Draft(CycleReopened(reason=reason, source=source), on)]

    return append_act(store, stream, actor, build, allow_closed=True)


# -- measurements ----------------------------------------------------------------------------
