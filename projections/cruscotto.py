"""The cruscotto della performance as of a date: computed, overridden and final results.

Rollup follows the cycle's policy (DESIGN.md section 6): an operational objective is the
weighted sum of its actions, a strategic objective the weighted sum of its operational
objectives and its achievement that result against its target (capped at 100), a perspective
the mean of its strategic results, the ente the mean of the strategic achievements. Missing
measurements are left out (weights re-normalised) or count as zero, as the policy says, and
every node carries the coverage they leave.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from events.plan import Kpi
from events.policy import ScoringPolicy
from ledger.records import Entry
from projections.numbers import italian_number
from projections.plan_state import CycleState, Node, OverrideInfo, action_kpi, fold
from projections.scoring import HUNDRED, Score, score_action

ZERO = Decimal(0)


@dataclass(frozen=True)
class NodeResult:
    """One row of the cruscotto at any level, with the scores that made its result."""

    key: str
    level: str
    title: str
    code: str | None
    weight: Decimal | None
    computed: Decimal | None
    override: OverrideInfo | None
    coverage: Decimal
    children: tuple["NodeResult", ...] = ()
    target: Decimal | None = None
    achievement: Decimal | None = None
    band: str | None = None
    kpi: str | None = None
    unit: str | None = None
    target_label: str | None = None
    measured: str | None = None
    score: Score | None = None

    @property
    def result(self) -> Decimal | None:
        """The final result: the override where one stands, else the computed one."""
        return self.override.achievement if self.override else self.computed

    def walk(self) -> Iterable["NodeResult"]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class ManagerResult:
    """A manager's obiettivi dirigenziali: the weighted results of the assigned actions."""

    key: str
    manager: str
    result: Decimal | None
    items: tuple[tuple[str, str, Decimal, Decimal | None], ...]


@dataclass(frozen=True)
class Cruscotto:
    """The whole cruscotto of one cycle as of a date, as known at a time."""

    stream: str
    entity_name: str
    year: int | None
    as_of: date
    known_at: datetime | None
    plan_in_force: bool
    pending_changes: int
    closed: bool
    perspectives: tuple[NodeResult, ...]
    result: Decimal | None
    band: str | None
    coverage: Decimal
    managers: tuple[ManagerResult, ...] = ()
    policy: ScoringPolicy = field(default_factory=ScoringPolicy)

    def nodes(self) -> Iterable[NodeResult]:
        for perspective in self.perspectives:
            yield from perspective.walk()

    def node(self, key: str) -> NodeResult:
        for candidate in self.nodes():
            if candidate.key == key or candidate.code == key:
                return candidate
        raise KeyError(key)

    def strategic(self) -> list[NodeResult]:
        return [node for node in self.nodes() if node.level == "strategic"]


def replay(
    entries: Iterable[Entry], stream: str, *, as_of: date, known_at: datetime | None = None
) -> Cruscotto:
    """Rebuild the cruscotto of `stream`: every act effective by `as_of`, known by `known_at`."""
    return build(fold(entries, stream, as_of=as_of, known_at=known_at), as_of, known_at)


def build(state: CycleState, as_of: date, known_at: datetime | None = None) -> Cruscotto:
    """The cruscotto of a folded cycle state."""
    policy = state.policy
    perspectives = tuple(_perspective(state, node) for node in state.of_level("perspective"))
    strategic = [n for p in perspectives for n in p.children]
    if policy.ente_rollup == "mean_of_achievements":
        ente = _mean([node.achievement for node in strategic], policy)
    else:
        ente = _mean([node.result for node in strategic], policy)
    coverage = _mean_coverage([node.coverage for node in strategic])
    opened = state.opened
    return Cruscotto(
        stream=state.stream,
        entity_name=opened.entity_name if opened else state.stream,
        year=opened.year if opened else None,
        as_of=as_of,
        known_at=known_at,
        plan_in_force=state.plan_in_force,
        pending_changes=len(state.pending),
        closed=state.closed,
        perspectives=perspectives,
        result=ente,
        band=policy.band(ente),
        coverage=coverage,
        managers=tuple(_managers(state, perspectives)),
        policy=policy,
    )


def _perspective(state: CycleState, node: Node) -> NodeResult:
    policy = state.policy
    children = tuple(_strategic(state, child) for child in state.children(node.key))
    if policy.perspective_rollup == "weighted_mean_of_results":
        computed = _weighted(children, policy)
    else:
        computed = _mean([child.result for child in children], policy)
    return NodeResult(
        key=node.key,
        level="perspective",
        title=node.title,
        code=node.code,
        weight=node.weight,
        computed=computed,
        override=state.overrides.get(node.key),
        coverage=_mean_coverage([child.coverage for child in children]),
        children=children,
    )


def _strategic(state: CycleState, node: Node) -> NodeResult:
    children = tuple(_operational(state, child) for child in state.children(node.key))
    override = state.overrides.get(node.key)
    computed = _weighted(children, state.policy)
    final = override.achievement if override else computed
    achievement = _achievement(final, node.target)
    return NodeResult(
        key=node.key,
        level="strategic",
        title=node.title,
        code=node.code,
        weight=node.weight,
        computed=computed,
        override=override,
        coverage=_coverage(children),
        children=children,
        target=node.target,
        achievement=achievement,
        band=state.policy.band(achievement),
    )


def _operational(state: CycleState, node: Node) -> NodeResult:
    children = tuple(_action(state, child) for child in state.children(node.key))
    return NodeResult(
        key=node.key,
        level="operational",
        title=node.title,
        code=node.code,
        weight=node.weight,
        computed=_weighted(children, state.policy),
        override=state.overrides.get(node.key),
        coverage=_coverage(children),
        children=children,
    )


def _action(state: CycleState, node: Node) -> NodeResult:
    kpi = action_kpi(node)
    observation = state.observation(node.key)
    score = score_action(kpi, observation, state.policy) if observation else None
    return NodeResult(
        key=node.key,
        level="action",
        title=node.title,
        code=node.code,
        weight=node.weight,
        computed=score.computed if score else None,
        override=state.overrides.get(node.key),
        coverage=HUNDRED if observation else ZERO,
        kpi=kpi.description,
        unit=kpi.unit,
        target=kpi.target,
        target_label=kpi.target_label or _target_text(kpi),
        measured=observation.shown() if observation else None,
        score=score,
    )


def _target_text(kpi: Kpi) -> str | None:
    if kpi.deadline is not None:
        return kpi.deadline.strftime("%d/%m/%Y")
    if kpi.target is not None:
        return italian_number(kpi.target)
    return None


def _achievement(result: Decimal | None, target: Decimal | None) -> Decimal | None:
    """The result against the strategic target, capped at 100 (`ratio_capped`)."""
    if result is None:
        return None
    if target is None or target == 0:
        return min(HUNDRED, result)
    return min(HUNDRED, result / target * HUNDRED)


def _weights(children: Sequence[NodeResult]) -> list[Decimal]:
    if all(child.weight is None for child in children):
        return [Decimal(1)] * len(children)
    return [child.weight or ZERO for child in children]


def _weighted(children: Sequence[NodeResult], policy: ScoringPolicy) -> Decimal | None:
    """Weighted mean of the children's results, missing ones left out or counted as zero."""
    pairs = list(zip(_weights(children), (child.result for child in children), strict=True))
    if policy.missing == "zero":
        pairs = [(weight, result if result is not None else ZERO) for weight, result in pairs]
        if all(child.coverage == 0 for child in children):
            return None
    counted = [(weight, result) for weight, result in pairs if result is not None]
    total = sum((weight for weight, _ in counted), ZERO)
    if not counted or total == 0:
        return None
    return sum((weight * result for weight, result in counted), ZERO) / total


def _mean(values: Sequence[Decimal | None], policy: ScoringPolicy) -> Decimal | None:
    if policy.missing == "zero" and any(value is not None for value in values):
        values = [value if value is not None else ZERO for value in values]
    present = [value for value in values if value is not None]
    if not present:
        return None
    return sum(present, ZERO) / len(present)


def _coverage(children: Sequence[NodeResult]) -> Decimal:
    weights = _weights(children)
    total = sum(weights, ZERO)
    if total == 0:
        return ZERO
    return sum((w * c.coverage for w, c in zip(weights, children, strict=True)), ZERO) / total


def _mean_coverage(values: Sequence[Decimal]) -> Decimal:
    return sum(values, ZERO) / len(values) if values else ZERO


def _managers(state: CycleState, perspectives: Sequence[NodeResult]) -> Iterable[ManagerResult]:
    actions = {n.key: n for p in perspectives for n in p.walk() if n.level == "action"}
    for assigned in state.managers.values():
        items = []
        weighted: list[tuple[Decimal, Decimal]] = []
        for item in assigned.items:
            node = actions.get(item.action)
            result = node.result if node else None
            title = item.title or (node.title if node else item.action)
            items.append((item.action, title, item.weight, result))
            if result is not None:
                weighted.append((item.weight, result))
        total = sum((weight for weight, _ in weighted), ZERO)
        value = sum((w * r for w, r in weighted), ZERO) / total if total else None
        yield ManagerResult(assigned.key, assigned.manager, value, tuple(items))
