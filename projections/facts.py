"""The facts of a cycle: what each indicator observed (measurements, assessments, their
corrections) and every idempotency key.

They are the part of a cycle's state that grows with every event, and nothing else in the
state is computed from them: a snapshot can therefore leave them out and compute them from the
log only for the acts that read them (projections/plan_state.py, projections/snapshots.py).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from events.measurement import AssessmentRecorded, MeasurementCorrected, MeasurementRecorded
from ledger.records import Entry
from projections.scoring import Observation, made

FACT_KINDS = frozenset(
    cls.type_name for cls in (MeasurementRecorded, AssessmentRecorded, MeasurementCorrected)
)


@dataclass
class Facts:
    """The part of a cycle's state that grows with every event: what each indicator observed,
    and every idempotency key. Nothing else in the state is computed from it."""

    observations: dict[str, list[Observation]] = field(default_factory=dict)
    observed_by_id: dict[str, str] = field(default_factory=dict)
    keys: set[str] = field(default_factory=set)


def facts_of(entries: Iterable[Entry], stream: str, *, as_of: date | None = None) -> Facts:
    """Only the facts of a cycle's entries (as `fold` would compute them)."""
    facts = Facts()
    for entry in entries:
        if entry.stream != stream:
            continue
        if entry.idempotency_key:
            facts.keys.add(entry.idempotency_key)
        kind = entry.type
        if kind in FACT_KINDS and (as_of is None or entry.effective_date <= as_of):
            apply_fact(facts, entry)
    return facts


def apply_fact(facts: Facts, entry: Entry) -> None:
    """Apply one effective, known measurement, assessment or correction to the facts."""
    event = entry.event
    match event:
        case MeasurementRecorded() | AssessmentRecorded():
            _observe(facts, event.action, entry.event_id, observed(entry, event))
        case MeasurementCorrected():
            _correct(facts, event)
        case _:
            pass


def observed(entry: Entry, event: MeasurementRecorded | AssessmentRecorded) -> Observation:
    """What a measurement or an assessment observed, before any correction of it."""
    if isinstance(event, MeasurementRecorded):
        kind, value, unit, numerator, denominator, bound = (
            "measurement", event.value, event.unit, event.numerator, event.denominator, event.bound
        )  # fmt: skip
        level = completed_on = precision = met = achievement = None
    else:
        kind, level, completed_on = event.kind, event.level, event.completed_on
        precision, met, achievement = event.precision, event.met, event.achievement
        value = unit = numerator = denominator = bound = None
    return made(
        Observation,
        {
            "kind": kind,
            "value": value,
            "unit": unit,
            "level": level,
            "completed_on": completed_on,
            "precision": precision,
            "met": met,
            "achievement": achievement,
            "event_id": entry.event_id,
            "numerator": numerator,
            "denominator": denominator,
            "bound": bound,
            "computed": None,
        },
    )


def _observe(facts: Facts, action: str, event_id: str, observation: Observation) -> None:
    facts.observations.setdefault(action, []).append(observation)
    facts.observed_by_id[event_id] = action


def _correct(facts: Facts, event: MeasurementCorrected) -> None:
    action = facts.observed_by_id.get(event.corrects)
    if action is None:
        return
    history = facts.observations[action]
    for index, observation in enumerate(history):
        if observation.event_id == event.corrects:
            history[index] = corrected(observation, event)


def corrected(observation: Observation, event: MeasurementCorrected) -> Observation:
    """The observation with the correction's values in place of the wrong ones."""
    changes: dict[str, Any] = {
        name: getattr(event, name)
        for name in ("value", "unit", "level", "completed_on", "precision", "met", "achievement")
        if getattr(event, name) is not None
    }
    if event.value is not None:
        changes.update(numerator=None, denominator=None, bound=event.bound)
    elif event.numerator is not None:
        changes.update(
            value=None, numerator=event.numerator, denominator=event.denominator, bound=None
        )
    return replace(observation, **changes)
