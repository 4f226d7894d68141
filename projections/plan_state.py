"""The state of one cycle as of a date (and as known at a time): a pure fold over its entries.

Plan changes are pending until an approval puts them in force, from the approval's date.
Facts (measurements, assessments, corrections, overrides, acts) count from their effective date.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

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
from projections.facts import FACT_KINDS, Facts, apply_fact
from projections.roles import IDENTITY_TYPES
from projections.scoring import Observation, made

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

UNDOING_TYPES = frozenset(
    {"CycleClosed", "CycleReopened", "OverrideWithdrawn", "ObjectiveWithdrawn"}
)
"""Acts after which the same act again is a new act (an override after its withdrawal)."""


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


FactsSource = Callable[["CycleState"], Facts]
"""Computes a state's facts from the log when they were not loaded (see projections/snapshots)."""


@dataclass
class CycleState:
    """Everything the cruscotto and the checks of acts need to know about one cycle.

    `facts` may be absent (None) in a state restored from a snapshot: the checks of most acts
    never read them, so restoring a cycle costs the size of its plan, not of its history. The
    first read of `observations`, `observed_by_id` or `keys` computes them from the log through
    `facts_source`, up to `last_seq` and with the state's own `as_of`.
    """

    stream: str
    opened: CycleOpened | None = None
    closed: bool = False
    closed_now: bool = False
    nodes: dict[str, Node] = field(default_factory=dict)
    pending: list[Entry] = field(default_factory=list)
    approvals: list[Entry] = field(default_factory=list)
    overrides: dict[str, OverrideInfo] = field(default_factory=dict)
    managers: dict[str, ManagerialObjectiveAssigned] = field(default_factory=dict)
    relazione_approval: Entry | None = None
    validation: Entry | None = None
    publication: Entry | None = None
    last_seq: int = 0
    version: int = 0
    identity: list[Entry] = field(default_factory=list)
    """The cycle's identity entries (actors, keys), whatever their date: who may act."""
    last_undo: int = 0
    """The seq of the cycle's last act that can undo an earlier one (UNDOING_TYPES), whatever
    its date; 0 when none: part of a single act's idempotency key (projections/acts.py)."""
    latest_effective: date | None = None
    """The latest effective date of a fact or act folded (plan changes aside)."""
    facts: Facts | None = field(default_factory=Facts, repr=False, compare=False)
    facts_source: FactsSource | None = field(default=None, repr=False, compare=False)

    def loaded_facts(self) -> Facts:
        if self.facts is None:
            if self.facts_source is None:  # pragma: no cover - a snapshot always sets one
                raise RuntimeError(f"the facts of {self.stream} were not loaded")
            self.facts = self.facts_source(self)
        return self.facts

    @property
    def observations(self) -> dict[str, list[Observation]]:
        return self.loaded_facts().observations

    @property
    def observed_by_id(self) -> dict[str, str]:
        return self.loaded_facts().observed_by_id

    @property
    def keys(self) -> set[str]:
        return self.loaded_facts().keys

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
    return fold_into(CycleState(stream), entries, as_of=as_of, known_at=known_at)


def fold_into(
    state: CycleState,
    entries: Iterable[Entry],
    *,
    as_of: date | None = None,
    known_at: datetime | None = None,
) -> CycleState:
    """Go on folding `entries` (those after `state.last_seq`) into `state`; returns it.

    Folding a log in two parts gives the state of folding it at once: what a snapshot and
    the tail after it rely on (tests/projections/test_snapshots.py). A state without its
    facts (restored from a snapshot) leaves them to be computed from the log when read.
    """
    stream = state.stream
    facts = state.facts
    for entry in entries:
        if entry.stream != stream or (known_at is not None and entry.recorded_at > known_at):
            continue
        state.last_seq, state.version = entry.seq, entry.version
        kind = entry.type
        if facts is not None and entry.idempotency_key:
            facts.keys.add(entry.idempotency_key)
        if kind in IDENTITY_TYPES:
            state.identity.append(entry)
        if kind in UNDOING_TYPES:
            state.last_undo = entry.seq
        if kind in _CLOSING:
            # Whatever day an act claims, a cycle closed in the ledger refuses it.
            state.closed_now = kind == CycleClosed.type_name
        if kind in PLAN_TYPES:
            state.pending.append(entry)
            continue
        effective = entry.effective_date
        if as_of is not None and effective > as_of:
            continue
        if state.latest_effective is None or effective > state.latest_effective:
            state.latest_effective = effective
        if kind in FACT_KINDS:
            if facts is not None:
                apply_fact(facts, entry)
        else:
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
        case OverrideRecorded():
            state.overrides[event.node] = OverrideInfo(
                event.achievement, event.rationale, event.oiv_heard_on, entry
            )
        case OverrideWithdrawn():
            state.overrides.pop(event.node, None)
        case MeasurementRecorded() | AssessmentRecorded() | MeasurementCorrected():
            apply_fact(state.loaded_facts(), entry)
        case _:
            pass


def put_in_force(state: CycleState, on: date) -> None:
    """Apply every pending plan change, in the order recorded, from the approval's date."""
    for entry in state.pending:
        apply_plan_change(state, entry.event, on)
    state.pending.clear()


def apply_plan_change(state: CycleState, event: object, on: date) -> None:
    """Change the plan tree by one plan event (already checked when it was recorded)."""
    match event:
        case PerspectiveDefined():
            state.nodes[event.key] = made(
                Node,
                {
                    "key": event.key,
                    "level": "perspective",
                    "title": event.title,
                    "parent": None,
                    "code": None,
                    "weight": None if event.weight is None else Fraction(event.weight),
                    "target": None,
                    "kpi": None,
                    "in_force_from": on,
                    "targets": None,
                },
            )
        case ObjectiveDefined():
            state.nodes[event.key] = made(
                Node,
                {
                    "key": event.key,
                    "level": event.level,
                    "title": event.title,
                    "parent": event.parent,
                    "code": event.code,
                    "weight": event.weight,
                    "target": event.target,
                    "kpi": event.kpi,
                    "in_force_from": on,
                    "targets": event.targets,
                },
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
