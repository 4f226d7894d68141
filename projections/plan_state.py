"""The state of one cycle as of a date (and as known at a time): a pure fold over its entries.

Plan changes are pending until an approval puts them in force, from the approval's date.
Facts (measurements, assessments, corrections, overrides, acts) count from their effective date.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from events.acts import (
    DEFAULT_BODIES,
    PLAN_SUBJECTS,
    ApprovalRecorded,
    Body,
    PublicationRecorded,
    ValidationRecorded,
)
from events.cycle import CycleClosed, CycleOpened, CycleReopened
from events.measurement import AssessmentRecorded, MeasurementCorrected, MeasurementRecorded
from events.oversight import OverrideRecorded, OverrideWithdrawn
from events.plan import (
    Kpi,
    ManagerialObjectiveAssigned,
    ObjectiveAmended,
    ObjectiveDefined,
    ObjectiveWithdrawn,
    PerspectiveDefined,
)
from events.policy import ScoringPolicy
from ledger.records import Entry
from projections.scoring import Observation

PLAN_TYPES = frozenset(
    cls.type_name
    for cls in (
        PerspectiveDefined,
        ObjectiveDefined,
        ObjectiveAmended,
        ObjectiveWithdrawn,
        ManagerialObjectiveAssigned,
    )
)
FACT_TYPES = frozenset(
    cls.type_name
    for cls in (
        MeasurementRecorded,
        AssessmentRecorded,
        MeasurementCorrected,
        OverrideRecorded,
        OverrideWithdrawn,
    )
)
"""The facts about a node (as opposed to the plan): what its figure is measured and set by."""
PLAN_APPROVALS = PLAN_SUBJECTS
_CLOSING = frozenset((CycleClosed.type_name, CycleReopened.type_name))


@dataclass(frozen=True)
class Node:
    """A node of the plan in force, of one level of the cycle's tree (`level` is its key).

    `weight` is exact (a weight of 1/3 is one third); `targets` are a triennial plan's own
    targets by year.
    """

    key: str
    level: str
    title: str
    parent: str | None = None
    code: str | None = None
    weight: Fraction | None = None
    target: Decimal | None = None
    kpi: Kpi | None = None
    in_force_from: date | None = None
    targets: dict[int, Decimal] | None = None

    def target_for(self, year: int | None) -> Decimal | None:
        """The node's own target for the cycle's year (a single target serves every year)."""
        if self.targets is not None:
            return self.targets.get(year) if year is not None else None
        return self.target


@dataclass(frozen=True)
class OverrideInfo:
    """An override standing on a node, with the entry that recorded it."""

    achievement: Decimal
    rationale: str
    oiv_heard_on: date
    entry: Entry


@dataclass
class CycleState:
    """Everything the cruscotto and the checks of acts need to know about one cycle."""

    stream: str
    opened: CycleOpened | None = None
    closed: bool = False
    closed_now: bool = False
    nodes: dict[str, Node] = field(default_factory=dict)
    pending: list[Entry] = field(default_factory=list)
    approvals: list[Entry] = field(default_factory=list)
    observations: dict[str, list[Observation]] = field(default_factory=dict)
    observed_by_id: dict[str, str] = field(default_factory=dict)
    overrides: dict[str, OverrideInfo] = field(default_factory=dict)
    managers: dict[str, ManagerialObjectiveAssigned] = field(default_factory=dict)
    relazione_approval: Entry | None = None
    validation: Entry | None = None
    publication: Entry | None = None
    keys: set[str] = field(default_factory=set)
    last_seq: int = 0
    version: int = 0

    @property
    def policy(self) -> ScoringPolicy:
        return self.opened.policy if self.opened else ScoringPolicy()

    @property
    def year(self) -> int | None:
        return self.opened.year if self.opened else None

    @property
    def container(self) -> str:
        return self.opened.container if self.opened else "piano"

    @property
    def bodies(self) -> tuple[Body, ...]:
        """The bodies that act in the cycle, as the administration names them."""
        return (self.opened.bodies if self.opened else ()) or DEFAULT_BODIES

    @property
    def plan_in_force(self) -> bool:
        return bool(self.nodes)

    def children(self, key: str | None) -> list[Node]:
        return [node for node in self.nodes.values() if node.parent == key]

    def of_level(self, level: str) -> list[Node]:
        return [node for node in self.nodes.values() if node.level == level]

    def observation(self, action: str) -> Observation | None:
        history = self.observations.get(action)
        return history[-1] if history else None


def fold(
    entries: Iterable[Entry],
    stream: str,
    *,
    as_of: date | None = None,
    known_at: datetime | None = None,
) -> CycleState:
    """Replay a cycle's entries into its state as of `as_of` and as known at `known_at`."""
    state = CycleState(stream)
    for entry in entries:
        if entry.stream != stream or (known_at is not None and entry.recorded_at > known_at):
            continue
        state.last_seq, state.version = entry.seq, entry.version
        if entry.idempotency_key:
            state.keys.add(entry.idempotency_key)
        if entry.type in _CLOSING:
            # Whatever day an act claims, a cycle closed in the ledger refuses it.
            state.closed_now = entry.type == CycleClosed.type_name
        if entry.type in PLAN_TYPES:
            state.pending.append(entry)
        elif as_of is None or entry.effective_date <= as_of:
            apply(state, entry)
    return state


def apply(state: CycleState, entry: Entry) -> None:
    """Apply one effective, known entry to the state."""
    event = entry.event
    match event:
        case CycleOpened():
            state.opened = event
        case CycleClosed():
            state.closed = True
        case CycleReopened():
            state.closed = False
        case ApprovalRecorded(subject=subject) if subject in PLAN_APPROVALS:
            state.approvals.append(entry)
            put_in_force(state, entry.effective_date)
        case ApprovalRecorded(subject="relazione"):
            state.approvals.append(entry)
            state.relazione_approval = entry
        case ApprovalRecorded():
            state.approvals.append(entry)
        case ValidationRecorded():
            state.validation = entry
        case PublicationRecorded():
            state.publication = entry
        case MeasurementRecorded():
            _observe(
                state,
                event.action,
                entry.event_id,
                Observation(
                    kind="measurement",
                    value=event.value,
                    unit=event.unit,
                    event_id=entry.event_id,
                    numerator=event.numerator,
                    denominator=event.denominator,
                    bound=event.bound,
                ),
            )
        case AssessmentRecorded():
            _observe(
                state,
                event.action,
                entry.event_id,
                Observation(
                    kind=event.kind,
                    level=event.level,
                    completed_on=event.completed_on,
                    precision=event.precision,
                    met=event.met,
                    achievement=event.achievement,
                    event_id=entry.event_id,
                ),
            )
        case MeasurementCorrected():
            _correct(state, event)
        case OverrideRecorded():
            state.overrides[event.node] = OverrideInfo(
                event.achievement, event.rationale, event.oiv_heard_on, entry
            )
        case OverrideWithdrawn():
            state.overrides.pop(event.node, None)
        case _:
            pass


def _observe(state: CycleState, action: str, event_id: str, observation: Observation) -> None:
    state.observations.setdefault(action, []).append(observation)
    state.observed_by_id[event_id] = action


def _correct(state: CycleState, event: MeasurementCorrected) -> None:
    action = state.observed_by_id.get(event.corrects)
    if action is None:
        return
    history = state.observations[action]
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


def put_in_force(state: CycleState, on: date) -> None:
    """Apply every pending plan change, in the order recorded, from the approval's date."""
    for entry in state.pending:
        apply_plan_change(state, entry.event, on)
    state.pending.clear()


def apply_plan_change(state: CycleState, event: object, on: date) -> None:
    """Change the plan tree by one plan event (already checked when it was recorded)."""
    match event:
        case PerspectiveDefined():
            state.nodes[event.key] = Node(
                key=event.key,
                level="perspective",
                title=event.title,
                weight=None if event.weight is None else Fraction(event.weight),
                in_force_from=on,
            )
        case ObjectiveDefined():
            state.nodes[event.key] = Node(
                key=event.key,
                level=event.level,
                title=event.title,
                parent=event.parent,
                code=event.code,
                weight=event.weight,
                target=event.target,
                kpi=event.kpi,
                in_force_from=on,
                targets=event.targets,
            )
        case ObjectiveAmended():
            node = state.nodes.get(event.key)
            if node is not None:
                changes = {
                    name: getattr(event, name)
                    for name in ("title", "weight", "target", "kpi", "targets")
                    if getattr(event, name) is not None
                }
                state.nodes[event.key] = replace(node, **changes)
        case ObjectiveWithdrawn():
            for key in [event.key, *descendants(state.nodes, event.key)]:
                state.nodes.pop(key, None)
        case ManagerialObjectiveAssigned():
            state.managers[event.key] = event
        case _:
            pass


def action_kpi(node: Node) -> Kpi:
    """The KPI of an indicator (every one has one: the plan refuses an indicator without)."""
    if node.kpi is None:
        raise ValueError(f"{node.level} {node.key} has no KPI")
    return node.kpi


def find_node(state: "CycleState", text: str) -> Node | None:
    """The node named by its key or by its printed code."""
    found = state.nodes.get(text)
    if found is not None:
        return found
    return next((node for node in state.nodes.values() if node.code == text), None)


def descendants(nodes: dict[str, Node], key: str) -> list[str]:
    """Every key below `key` in the tree."""
    found: list[str] = []
    frontier = [key]
    while frontier:
        parent = frontier.pop()
        for node in nodes.values():
            if node.parent == parent:
                found.append(node.key)
                frontier.append(node.key)
    return found


def projected(state: CycleState, on: date) -> CycleState:
    """The state as it would be if the pending plan changes were approved on `on`."""
    copy = replace(state, nodes=dict(state.nodes), managers=dict(state.managers), pending=[])
    for entry in state.pending:
        apply_plan_change(copy, entry.event, on)
    return copy
