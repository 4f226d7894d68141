"""The controller's acts: measurements, assessments and their corrections.

Each is checked against the KPI of an action in force on its date; single acts and batch
imports (projections/batch.py) build their events through `observation_event`.
"""

from datetime import date
from decimal import Decimal

from events.i18n import _
from events.measurement import (
    AssessmentKind,
    AssessmentRecorded,
    Bound,
    MeasurementCorrected,
    MeasurementRecorded,
    Period,
    Precision,
    check_value_form,
)
from ledger.records import Entry
from ledger.store import EventStore
from projections.acts import Actor, Draft, append_act
from projections.errors import ActRefused, UnknownNode, ValueKindMismatch
from projections.plan_state import CycleState, Node, action_kpi
from projections.scoring import Observation, check_fits


def _action_in_force(state: CycleState, action: str, stream: str, on: date) -> Node:
    node = state.nodes.get(action)
    if node is None or node.kpi is None:
        pending = any(getattr(e.event, "key", None) == action for e in state.pending)
        if pending:
            raise ActRefused(
                _(
                    "action {action} of {stream} is pending approval on {day} (record the "
                    "Giunta's approval first)"
                ).format(action=action, stream=stream, day=on.isoformat())
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
        if observation.value is None and observation.numerator is None:
            raise ValueKindMismatch(
                _("a measurement of {action} needs a value").format(action=action)
            )
        return MeasurementRecorded(
            action=action,
            value=observation.value,
            numerator=observation.numerator,
            denominator=observation.denominator,
            bound=observation.bound,
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
    value: Decimal | None,
    unit: str | None,
    period: Period,
    on: date,
    actor: Actor,
    *,
    numerator: Decimal | None = None,
    denominator: Decimal | None = None,
    bound: Bound | None = None,
    evidence: str | None = None,
    note: str | None = None,
    source: str | None = None,
    key: str | None = None,
) -> list[Entry]:
    """Record the measured value of an indicator's numeric KPI: a value (perhaps only a bound
    on it, `≥95`), or a ratio's numerator and denominator."""
    try:
        check_value_form(value, numerator, denominator, bound)
    except ValueError as error:
        raise ValueKindMismatch(f"{action}: {error}") from None
    observation = Observation(
        "measurement",
        value=value,
        unit=unit,
        numerator=numerator,
        denominator=denominator,
        bound=bound,
    )

    def build(state: CycleState) -> list[Draft]:
        event = observation_event(
            state, stream, action, observation, period, on,
            evidence=evidence, note=note, source=source,
        )  # fmt: skip
        return [Draft(event, on, key)]

    return append_act(store, stream, actor, build, as_of=on)


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

    return append_act(store, stream, actor, build, as_of=on)


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
    numerator: Decimal | None = None,
    denominator: Decimal | None = None,
    bound: Bound | None = None,
    source: str | None = None,
) -> list[Entry]:
    """Correct a recorded measurement or assessment, named by its event id or seq."""
    try:
        check_value_form(value, numerator, denominator, bound)
    except ValueError as error:
        raise ValueKindMismatch(f"{corrects}: {error}") from None

    def build(state: CycleState) -> list[Draft]:
        target = _corrected_entry(store, stream, corrects)
        event = MeasurementCorrected(
            corrects=target.event_id,
            value=value,
            numerator=numerator,
            denominator=denominator,
            bound=bound,
            source=source,
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

    return append_act(store, stream, actor, build)


def _corrected_entry(store: EventStore, stream: str, corrects: str) -> Entry:
    entry = store.entry(seq=int(corrects)) if corrects.isdigit() else store.entry(event_id=corrects)
    if entry is None or entry.stream != stream:
        raise ActRefused(
            _("there is no event {event} in {stream} to correct (see: ledger log)").format(
                event=corrects, stream=stream
            )
        )
    if entry.type not in (MeasurementRecorded.type_name, AssessmentRecorded.type_name):
        raise ActRefused(
            _("event {event} is a {type}: only a measurement or an assessment is corrected").format(
                event=corrects, type=entry.type
            )
        )
    return entry


def _check_correction_fits(
    state: CycleState, target: Entry, event: MeasurementCorrected, stream: str
) -> None:
    original = target.event
    if not isinstance(original, MeasurementRecorded | AssessmentRecorded):
        raise ActRefused(
            _("event {seq} is a {type}: it cannot be corrected").format(
                seq=target.seq, type=target.type
            )
        )
    if isinstance(original, MeasurementRecorded):
        if (event.value is None and event.numerator is None) or any(
            v is not None for v in (event.level, event.completed_on, event.met, event.achievement)
        ):
            raise ValueKindMismatch(
                _("a correction of measurement {seq} gives a new value only").format(seq=target.seq)
            )
        observation = Observation(
            "measurement",
            value=event.value,
            unit=event.unit,
            numerator=event.numerator,
            denominator=event.denominator,
            bound=event.bound,
        )
    else:
        given = {
            "qualitative": event.level,
            "deadline": event.completed_on,
            "boolean": event.met,
            "achievement": event.achievement,
        }
        if given[original.kind] is None and event.achievement is None:
            raise ValueKindMismatch(
                _("a correction of a {kind} assessment ({seq}) gives its new value").format(
                    kind=original.kind, seq=target.seq
                )
            )
        observation = Observation(original.kind, level=event.level, completed_on=event.completed_on)
    node = state.nodes.get(original.action)
    checkable = observation.kind == "measurement" or event.level is not None
    if node is not None and node.kpi is not None and checkable:
        check_fits(original.action, node.kpi, observation, state.policy)
