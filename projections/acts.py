"""The use cases: each act reads the cycle, checks it against the rules, and appends.

Called identically by the CLI, the example loader and the tests. A refusal raises before
anything is written; a concurrent append to the same cycle is detected by the expected
version and the act is checked again on the new state.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import TypeVar

from events.acts import ApprovalRecorded, PublicationRecorded, Subject, ValidationRecorded
from events.base import LedgerEvent
from events.cycle import CycleClosed, CycleOpened, CycleReopened
from events.identity import ActorRegistered, KeyRegistered, KeyRevoked, SignaturesRequired
from events.measurement import (
    AssessmentKind,
    AssessmentRecorded,
    MeasurementCorrected,
    MeasurementRecorded,
    Period,
    Precision,
)
from events.oversight import OverrideRecorded, OverrideWithdrawn, ReportedFigureRecorded
from events.plan import (
    ManagerialObjectiveAssigned,
    ObjectiveAmended,
    ObjectiveDefined,
    ObjectiveWithdrawn,
    PerspectiveDefined,
)
from ledger.errors import ConcurrencyConflict
from ledger.records import Entry, NewEvent
from ledger.store import EventStore, Query
from projections.errors import ActRefused, UnknownCycle, UnknownNode, ValueKindMismatch
from projections.errors import CycleClosed as CycleIsClosed
from projections.plan_document import PlanDocument
from projections.plan_state import LEVEL_ORDER, CycleState, Node, action_kpi, fold, projected
from projections.roles import IDENTITY_TYPES, authorise, check_role_name, identity_of
from projections.scoring import Observation, check_fits
from projections.signatures import SigningKey, check_signing
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
    """The cycle as everything the ledger holds now makes it, as of `as_of`."""
    return fold(store.read_stream(stream), stream, as_of=as_of)


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
        raise UnknownCycle("(none)", known)
    raise ActRefused(
        f"the ledger holds several cycles ({', '.join(known)}): choose one with --cycle"
    )


def _append(
    store: EventStore,
    stream: str,
    actor: Actor,
    build: Callable[[CycleState], Sequence[Draft]],
    *,
    as_of: date | None = None,
    must_exist: bool = True,
    allow_closed: bool = False,
) -> list[Entry]:
    """Read, check (inside `build`), append; on a concurrent append, check again."""
    for attempt in range(RETRIES):
        state = read_state(store, stream, as_of=as_of)
        if must_exist and state.opened is None:
            raise UnknownCycle(stream, store.streams())
        if state.opened is not None and not allow_closed and _closed_now(store, stream, state):
            raise CycleIsClosed(stream)
        drafts = build(state)
        if not drafts:
            return []
        role = authorised_role(store, stream, actor, [d.event for d in drafts])
        signer = actor.key.sign if actor.key else None
        new = [
            NewEvent(d.event, d.effective_date, actor.name, role, d.idempotency_key, signer=signer)
            for d in drafts
        ]
        try:
            return store.append(stream, new, expected_version=state.version)
        except ConcurrencyConflict:
            if attempt == RETRIES - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def authorised_role(
    store: EventStore, stream: str, actor: Actor, events: Sequence[LedgerEvent]
) -> str:
    """Check the actor's role and signature against the cycle's registry; the role to record."""
    identity = identity_of(store.read(Query(stream=stream, types=IDENTITY_TYPES)))
    role = authorise(identity, stream, actor.name, actor.role, actor.role_stated, events)
    check_signing(identity, stream, actor.name, actor.key, events)
    return role


def _closed_now(store: EventStore, stream: str, state: CycleState) -> bool:
    """Closed by what the ledger holds now, whatever date the act claims."""
    return (
        fold(store.read_stream(stream, known_at=None), stream).closed if not state.closed else True
    )


# -- the cycle and its plan ------------------------------------------------------------------


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
            raise ActRefused(f"cycle {stream} is already open")
        return [Draft(opened, on, key)]

    return _append(store, stream, actor, build, must_exist=False)


def import_plan(
    store: EventStore, document: PlanDocument, on: date, actor: Actor, *, key_prefix: str | None
) -> list[Entry]:
    """Record a plan file: open its cycle if needed, then its tree as pending changes.

    With `key_prefix`, every event carries an idempotency key, so importing the same file
    again records nothing.
    """
    stream = document.cycle.id

    def build(state: CycleState) -> list[Draft]:
        drafts: list[Draft] = []
        events = document.plan_events()
        if key_prefix and key_prefix in state.keys:
            return []  # the same file again: nothing to record
        if state.opened is None:
            drafts.append(Draft(document.cycle_event(), on, _key(key_prefix, "cycle")))
        elif state.opened.policy != document.cycle.policy:
            raise ActRefused(f"cycle {stream} is open with another scoring policy than the file's")
        check_plan_changes(state, events, stream)
        drafts += [Draft(e, on, _key(key_prefix, _plan_key(e))) for e in events]
        if drafts and key_prefix:
            # The last event carries the bare prefix: its presence says the whole file is in.
            drafts[-1] = replace(drafts[-1], idempotency_key=key_prefix)
        return drafts

    return _append(store, stream, actor, build, must_exist=False)


def _key(prefix: str | None, suffix: str) -> str | None:
    return f"{prefix}:{suffix}" if prefix else None


def _plan_key(event: LedgerEvent) -> str:
    key = getattr(event, "key", "")
    return f"{event.type_name}:{key}"


def check_plan_changes(state: CycleState, events: Sequence[LedgerEvent], stream: str) -> None:
    """Refuse plan changes whose keys clash or whose parents are missing or of the wrong level."""
    known: dict[str, str] = {
        key: node.level for key, node in projected(state, date.max).nodes.items()
    }
    for event in events:
        match event:
            case PerspectiveDefined():
                _new_key(known, event.key, stream)
                known[event.key] = "perspective"
            case ObjectiveDefined():
                _new_key(known, event.key, stream)
                parent_level = LEVEL_ORDER[LEVEL_ORDER.index(event.level) - 1]
                if event.parent not in known:
                    raise UnknownNode(event.parent, stream)
                if known[event.parent] != parent_level:
                    raise ActRefused(
                        f"{event.level} {event.key} must sit under {_a(parent_level)}, "
                        f"but {event.parent} is {_a(known[event.parent])}"
                    )
                known[event.key] = event.level
            case ObjectiveAmended() | ObjectiveWithdrawn():
                if event.key not in known:
                    raise UnknownNode(event.key, stream)
            case ManagerialObjectiveAssigned():
                for item in event.items:
                    if known.get(item.action) != "action":
                        raise UnknownNode(item.action, stream)
            case _:
                raise ActRefused(f"{event.type_name} is not a plan change")


def _a(level: str) -> str:
    return f"an {level}" if level[0] in "aeiou" else f"a {level}"


def _new_key(known: dict[str, str], key: str, stream: str) -> None:
    if key in known:
        raise ActRefused(f"{key} is already in the plan of {stream} (amend it instead)")


def change_plan(
    store: EventStore, stream: str, events: Sequence[LedgerEvent], on: date, actor: Actor
) -> list[Entry]:
    """Record amendments or withdrawals; pending until an approval puts them in force."""

    def build(state: CycleState) -> list[Draft]:
        check_plan_changes(state, events, stream)
        return [Draft(event, on) for event in events]

    return _append(store, stream, actor, build)


def record_approval(
    store: EventStore,
    stream: str,
    subject: Subject,
    act: str | None,
    on: date,
    actor: Actor,
    *,
    note: str | None = None,
    source: str | None = None,
    key: str | None = None,
) -> list[Entry]:
    """Record an approval; a plan approval puts the pending changes in force from `on`."""

    def build(state: CycleState) -> list[Draft]:
        if subject == "plan" and not state.pending and not state.nodes:
            raise ActRefused(
                f"no plan to approve in {stream} (import one: ledger plan import FILE)"
            )
        if subject in ("plan", "plan_update"):
            check_weights(projected(state, on), stream)
        event = ApprovalRecorded(subject=subject, act=act, note=note, source=source)
        return [Draft(event, on, key)]

    return _append(store, stream, actor, build, as_of=on)


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
                f"the Relazione of {stream} has no approval by {on.isoformat()}: "
                "record the Giunta's approval first"
            )
        event = ValidationRecorded(act=act, opinion=opinion, note=note, source=source)
        return [Draft(event, on, key)]

    return _append(store, stream, actor, build, as_of=on)


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
                f"the Relazione of {stream} has no OIV validation by {on.isoformat()}: "
                "record the validation first"
            )
        return [Draft(PublicationRecorded(where=where, note=note, source=source), on, key)]

    return _append(store, stream, actor, build, as_of=on)


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
    return _append(store, stream, actor, lambda _: [Draft(closed, on, key)])


def reopen_cycle(
    store: EventStore, stream: str, reason: str, on: date, actor: Actor
) -> list[Entry]:
    """Reopen a closed cycle, for a stated reason."""

    def build(state: CycleState) -> list[Draft]:
        if not fold(store.read_stream(stream), stream).closed:
            raise ActRefused(f"cycle {stream} is not closed")
        return [Draft(CycleReopened(reason=reason), on)]

    return _append(store, stream, actor, build, allow_closed=True)


# -- measurements ----------------------------------------------------------------------------


def _action_in_force(state: CycleState, action: str, stream: str, on: date) -> Node:
    node = state.nodes.get(action)
    if node is None or node.level != "action":
        pending = any(getattr(e.event, "key", None) == action for e in state.pending)
        if pending:
            raise ActRefused(
                f"action {action} of {stream} is pending approval on {on.isoformat()} "
                "(record the Giunta's approval first)"
            )
        raise UnknownNode(action, stream, on)
    return node


def observation_event(
    state: CycleState,
    stream: str,
    action: str,
    observation: Observation,
    period: Period,
    on: date,
    *,
    evidence: str | None = None,
    note: str | None = None,
    source: str | None = None,
) -> MeasurementRecorded | AssessmentRecorded:
    """The event that records an observation of an action in force on `on`, checked by its KPI.

    Single acts and batch imports both go through here, so they refuse alike.
    """
    kpi = action_kpi(_action_in_force(state, action, stream, on))
    check_fits(action, kpi, observation, state.policy)
    if observation.kind == "measurement":
        if observation.value is None:
            raise ValueKindMismatch(f"a measurement of {action} needs a value")
        return MeasurementRecorded(
            action=action,
            value=observation.value,
            unit=observation.unit or kpi.unit,
            period=period,
            evidence=evidence,
            note=note,
            source=source,
        )
    return AssessmentRecorded(
        action=action,
        kind=observation.kind,
        level=observation.level,
        completed_on=observation.completed_on,
        precision=observation.precision if observation.completed_on else None,
        met=observation.met,
        achievement=observation.achievement,
        period=period,
        evidence=evidence,
        note=note,
        source=source,
    )


def record_measurement(
    store: EventStore,
    stream: str,
    action: str,
    value: Decimal,
    unit: str | None,
    period: Period,
    on: date,
    actor: Actor,
    *,
    evidence: str | None = None,
    note: str | None = None,
    source: str | None = None,
    key: str | None = None,
) -> list[Entry]:
    """Record the measured value of an action's numeric KPI."""
    observation = Observation("measurement", value=value, unit=unit)

    def build(state: CycleState) -> list[Draft]:
        event = observation_event(
            state, stream, action, observation, period, on,
            evidence=evidence, note=note, source=source,
        )  # fmt: skip
        return [Draft(event, on, key)]

    return _append(store, stream, actor, build, as_of=on)


def record_assessment(
    store: EventStore,
    stream: str,
    action: str,
    kind: AssessmentKind,
    period: Period,
    on: date,
    actor: Actor,
    *,
    level: str | None = None,
    completed_on: date | None = None,
    precision: Precision | None = None,
    met: bool | None = None,
    achievement: Decimal | None = None,
    evidence: str | None = None,
    note: str | None = None,
    source: str | None = None,
    key: str | None = None,
) -> list[Entry]:
    """Record a qualitative, deadline, yes/no or stated-achievement assessment of an action."""
    observation = Observation(
        kind,
        level=level,
        completed_on=completed_on,
        precision=precision,
        met=met,
        achievement=achievement,
    )

    def build(state: CycleState) -> list[Draft]:
        event = observation_event(
            state, stream, action, observation, period, on,
            evidence=evidence, note=note, source=source,
        )  # fmt: skip
        return [Draft(event, on, key)]

    return _append(store, stream, actor, build, as_of=on)


def record_correction(
    store: EventStore,
    stream: str,
    corrects: str,
    reason: str,
    on: date,
    actor: Actor,
    *,
    value: Decimal | None = None,
    unit: str | None = None,
    level: str | None = None,
    completed_on: date | None = None,
    precision: Precision | None = None,
    met: bool | None = None,
    achievement: Decimal | None = None,
) -> list[Entry]:
    """Correct a recorded measurement or assessment, named by its event id or seq."""

    def build(state: CycleState) -> list[Draft]:
        target = _corrected_entry(store, stream, corrects)
        event = MeasurementCorrected(
            corrects=target.event_id,
            value=value,
            unit=unit,
            level=level,
            completed_on=completed_on,
            precision=precision,
            met=met,
            achievement=achievement,
            reason=reason,
        )
        _check_correction_fits(state, target, event, stream)
        return [Draft(event, on)]

    return _append(store, stream, actor, build)


def _corrected_entry(store: EventStore, stream: str, corrects: str) -> Entry:
    entry = store.entry(seq=int(corrects)) if corrects.isdigit() else store.entry(event_id=corrects)
    if entry is None or entry.stream != stream:
        raise ActRefused(f"there is no event {corrects} in {stream} to correct (see: ledger log)")
    if entry.type not in (MeasurementRecorded.type_name, AssessmentRecorded.type_name):
        raise ActRefused(
            f"event {corrects} is a {entry.type}: only a measurement or an assessment is corrected"
        )
    return entry


def _check_correction_fits(
    state: CycleState, target: Entry, event: MeasurementCorrected, stream: str
) -> None:
    original = target.event
    if not isinstance(original, MeasurementRecorded | AssessmentRecorded):
        raise ActRefused(f"event {target.seq} is a {target.type}: it cannot be corrected")
    if isinstance(original, MeasurementRecorded):
        if event.value is None or any(
            v is not None for v in (event.level, event.completed_on, event.met, event.achievement)
        ):
            raise ValueKindMismatch(
                f"a correction of measurement {target.seq} gives a new value only"
            )
        observation = Observation("measurement", value=event.value, unit=event.unit)
    else:
        given = {
            "qualitative": event.level,
            "deadline": event.completed_on,
            "boolean": event.met,
            "achievement": event.achievement,
        }
        if given[original.kind] is None and event.achievement is None:
            raise ValueKindMismatch(
                f"a correction of a {original.kind} assessment ({target.seq}) gives its new value"
            )
        observation = Observation(original.kind, level=event.level, completed_on=event.completed_on)
    node = state.nodes.get(original.action)
    checkable = observation.kind == "measurement" or event.level is not None
    if node is not None and node.kpi is not None and checkable:
        check_fits(original.action, node.kpi, observation, state.policy)


# -- oversight -------------------------------------------------------------------------------


def record_override(
    store: EventStore,
    stream: str,
    node: str,
    achievement: Decimal,
    rationale: str,
    oiv_heard_on: date | None,
    on: date,
    actor: Actor,
    *,
    note: str | None = None,
    source: str | None = None,
    key: str | None = None,
) -> list[Entry]:
    """Override a node's achievement, sentito l'OIV, with a written rationale."""

    def build(state: CycleState) -> list[Draft]:
        if node not in state.nodes:
            raise UnknownNode(node, stream, on)
        if not rationale.strip():
            raise ActRefused(f"the override of {node} needs a written rationale")
        if oiv_heard_on is None:
            raise ActRefused(f"the override of {node} needs the date the OIV was heard")
        if oiv_heard_on > on:
            raise ActRefused(
                f"the OIV was heard on {oiv_heard_on.isoformat()}, after the override's date "
                f"{on.isoformat()}"
            )
        event = OverrideRecorded(
            node=node,
            achievement=achievement,
            rationale=rationale,
            oiv_heard_on=oiv_heard_on,
            note=note,
            source=source,
        )
        return [Draft(event, on, key)]

    return _append(store, stream, actor, build, as_of=on)


def withdraw_override(
    store: EventStore, stream: str, node: str, reason: str, on: date, actor: Actor
) -> list[Entry]:
    """Withdraw the override standing on a node."""

    def build(state: CycleState) -> list[Draft]:
        if node not in state.overrides:
            raise ActRefused(f"no override stands on {node} in {stream} on {on.isoformat()}")
        return [Draft(OverrideWithdrawn(node=node, reason=reason), on)]

    return _append(store, stream, actor, build, as_of=on)


# -- who acts, with which key ------------------------------------------------------------------


def register_actor(
    store: EventStore,
    stream: str,
    name: str,
    role: str,
    on: date,
    actor: Actor,
    *,
    display_name: str | None = None,
    note: str | None = None,
    source: str | None = None,
    key: str | None = None,
) -> list[Entry]:
    """Register an actor of the cycle in a role (the first one: an administrator, themselves)."""
    check_role_name(role)

    def build(state: CycleState) -> list[Draft]:
        known = identity_of(store.read(Query(stream=stream, types=IDENTITY_TYPES))).actors.get(name)
        if known is not None and known.role == role:
            raise ActRefused(f"{name!r} is already registered in {stream} as {role}")
        event = ActorRegistered(
            actor=name, role=role, display_name=display_name, note=note, source=source
        )
        return [Draft(event, on, key)]

    return _append(store, stream, actor, build, must_exist=False)


def register_key(
    store: EventStore, stream: str, on: date, actor: Actor, *, note: str | None = None
) -> list[Entry]:
    """Register the public half of the acting actor's key; it replaces the key they held."""
    signing = actor.key
    if signing is None:
        raise ActRefused("give the private key to register (--sign-key FILE or LEDGER_SIGNING_KEY)")

    def build(state: CycleState) -> list[Draft]:
        identity = identity_of(store.read(Query(stream=stream, types=IDENTITY_TYPES)))
        if signing.key_id in identity.keys:
            raise ActRefused(f"key {signing.key_id} is already registered in {stream}")
        held = identity.key_in_force(actor.name)
        event = KeyRegistered(
            actor=actor.name,
            key_id=signing.key_id,
            public_key=signing.public_key,
            replaces=held.key_id if held else None,
            note=note,
        )
        return [Draft(event, on)]

    return _append(store, stream, actor, build, must_exist=False)


def revoke_key(
    store: EventStore, stream: str, key_id: str, reason: str, on: date, actor: Actor
) -> list[Entry]:
    """Revoke a key (its holder's, or any key by an administrator); earlier signatures stand."""

    def build(state: CycleState) -> list[Draft]:
        identity = identity_of(store.read(Query(stream=stream, types=IDENTITY_TYPES)))
        known = identity.keys.get(key_id)
        if known is None:
            raise ActRefused(f"there is no key {key_id} in {stream} (see: ledger keys list)")
        if known.ended is not None:
            raise ActRefused(
                f"key {key_id} is no longer in force ({known.ended_by}, seq {known.ended})"
            )
        return [Draft(KeyRevoked(actor=known.actor, key_id=key_id, reason=reason), on)]

    return _append(store, stream, actor, build, must_exist=False)


def require_signatures(
    store: EventStore, stream: str, on: date, actor: Actor, *, note: str | None = None
) -> list[Entry]:
    """From now on every act of the cycle must be signed by its actor's key."""

    def build(state: CycleState) -> list[Draft]:
        identity = identity_of(store.read(Query(stream=stream, types=IDENTITY_TYPES)))
        if identity.signatures_required_since is not None:
            raise ActRefused(
                f"cycle {stream} already requires signed acts (since seq "
                f"{identity.signatures_required_since})"
            )
        return [Draft(SignaturesRequired(note=note), on)]

    return _append(store, stream, actor, build, must_exist=False)


# -- what the Relazione printed --------------------------------------------------------------

COUNT_MEASURES = ("strategic_at_100", "strategic_reached", "operational_reached")


def record_reported(
    store: EventStore,
    stream: str,
    figure: ReportedFigureRecorded,
    on: date,
    actor: Actor,
    *,
    key: str | None = None,
) -> list[Entry]:
    """Record a figure a published document printed; the audit compares it with the replay."""

    def build(state: CycleState) -> list[Draft]:
        counted = figure.measure in COUNT_MEASURES
        if counted and figure.node is not None:
            raise ActRefused(f"a {figure.measure} figure counts objectives: it names no node")
        if figure.node is not None:
            node = _node_by_key_or_code(state, figure.node)
            if node is None:
                raise UnknownNode(figure.node, stream, on)
            if figure.measure == "achievement" and node.level != "strategic":
                raise ActRefused(
                    f"{figure.node} is not a strategic objective: only those have a "
                    "% raggiungimento (name no node for the ente's)"
                )
        return [Draft(figure, on, key)]

    return _append(store, stream, actor, build, as_of=on, allow_closed=False)


def _node_by_key_or_code(state: CycleState, text: str) -> Node | None:
    found = state.nodes.get(text)
    if found is not None:
        return found
    return next((node for node in state.nodes.values() if node.code == text), None)
