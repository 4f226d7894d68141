"""The cruscotto della performance as of a date: computed, overridden and final results.

The rollup follows the cycle's policy: the levels its tree names, each with its rule (see
events/policy.py and projections/evaluation.py). Missing measurements are left out (weights
re-normalised) or count as zero, as the policy says, and every node carries the coverage they
leave. The cruscotto is plain, immutable data: every figure a Decimal on the 0-100 scale,
rounded as the SMVP rounds it, the unrounded figure beside.
"""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

from events.plan import Kpi
from events.policy import LevelRule, ScoringPolicy
from ledger.collector import collector_paused
from ledger.records import Entry
from projections.evaluation import (
    ENTE,
    Substitutes,
    TreeEvaluation,
    are_shares,
    weight_percent,
)
from projections.latest import shown_state
from projections.numbers import italian_number
from projections.plan_state import CycleState, Node, OverrideInfo, action_kpi
from projections.rollup import to_decimal
from projections.scoring import Score, made

ZERO = Decimal(0)


@dataclass(frozen=True)
class NodeResult:
    """One row of the cruscotto at any level, with the scores that made its result.

    `level` is the key of the node's level in the cycle's tree, `level_name` its name.
    """

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
    level_name: str = ""
    computed_unrounded: Decimal | None = None
    achievement_unrounded: Decimal | None = None
    previous_result: Decimal | None = None
    previous_achievement: Decimal | None = None
    measured_value: Decimal | None = None

    @property
    def result(self) -> Decimal | None:
        """The final result: the override where one stands, else the computed one."""
        return self.override.achievement if self.override else self.computed

    @property
    def is_indicator(self) -> bool:
        return self.kpi is not None

    def walk(self) -> Iterator["NodeResult"]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class ManagerResult:
    """A manager's obiettivi dirigenziali: the weighted results of the assigned nodes.

    `weight_total` is the sum of the weights; with `points` (what the objectives are worth in
    the manager's evaluation), `factor` = points / weight_total converts each weight to points
    and `score` = result × points / 100 is what the manager earned of them.
    """

    key: str
    manager: str
    result: Decimal | None
    items: tuple[tuple[str, str, Decimal, Decimal | None], ...]
    weight_total: Decimal = ZERO
    points: Decimal | None = None
    factor: Decimal | None = None
    score: Decimal | None = None


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
    roots: tuple[NodeResult, ...]
    result: Decimal | None
    band: str | None
    coverage: Decimal
    managers: tuple[ManagerResult, ...] = ()
    policy: ScoringPolicy = field(default_factory=ScoringPolicy)
    result_unrounded: Decimal | None = None
    container: str = "piano"
    previous_stream: str | None = None
    previous_result: Decimal | None = None

    @property
    def perspectives(self) -> tuple[NodeResult, ...]:
        """The nodes of the top level (the reference's perspectives)."""
        return self.roots

    @property
    def levels(self) -> tuple[LevelRule, ...]:
        return self.policy.tree

    def nodes(self) -> Iterator[NodeResult]:
        for root in self.roots:
            yield from root.walk()

    def node(self, key: str) -> NodeResult:
        for candidate in self.nodes():
            if candidate.key == key or candidate.code == key:
                return candidate
        raise KeyError(key)

    def of_level(self, level: str) -> list[NodeResult]:
        return [node for node in self.nodes() if node.level == level]

    def strategic(self) -> list[NodeResult]:
        """The nodes with an achievement against a target of their own: the reference's
        strategic objectives, or the first level of another tree that has a target rule."""
        rule = next((r for r in self.policy.tree if r.achievement is not None), None)
        return self.of_level(rule.key) if rule else []


def replay(
    entries: Iterable[Entry], stream: str, *, as_of: date, known_at: datetime | None = None
) -> Cruscotto:
    """Rebuild the cruscotto of `stream`: every act effective by `as_of`, known by `known_at`.

    It folds what the cruscotto reads (projections/latest.py): of the facts, each indicator's
    latest observation; the cyclic garbage collector waits until it is done."""
    with collector_paused():
        return build(shown_state(entries, stream, as_of=as_of, known_at=known_at), as_of, known_at)


def build(
    state: CycleState,
    as_of: date,
    known_at: datetime | None = None,
    *,
    substitutes: Substitutes | None = None,
) -> Cruscotto:
    """The cruscotto of a folded cycle state (with some figures replaced, if `substitutes`)."""
    policy = state.policy
    tree = TreeEvaluation(state, substitutes)
    shares = are_shares(tree.roots())
    roots = tuple(_node_result(tree, node, shares) for node in tree.roots())
    ente = tree.ente()
    opened = state.opened
    result = to_decimal(ente.result)
    return Cruscotto(
        stream=state.stream,
        entity_name=opened.entity_name if opened else state.stream,
        year=opened.year if opened else None,
        as_of=as_of,
        known_at=known_at,
        plan_in_force=state.plan_in_force,
        pending_changes=len(state.pending),
        closed=state.closed,
        roots=roots,
        result=result,
        band=policy.band(result),
        coverage=to_decimal(ente.coverage) or ZERO,
        managers=tuple(_managers(state, roots, result)),
        policy=policy,
        result_unrounded=to_decimal(ente.computed_unrounded),
        container=state.container,
        previous_stream=opened.previous if opened else None,
    )


def _node_result(tree: TreeEvaluation, node: Node, shares: bool) -> NodeResult:
    """A node's row, its children's below it; `shares`: its siblings' weights sum to 1."""
    rule = tree.rule(node)
    figures = tree.figures(node.key)
    children = tree.children[node.key]
    below = are_shares(children)
    computed = to_decimal(figures.computed)
    unrounded = figures.computed_unrounded
    computed_unrounded = computed if unrounded is figures.computed else to_decimal(unrounded)
    override = figures.override
    target = achieved = achieved_unrounded = band = None
    if rule.achievement is not None:
        target = node.target_for(tree.year)
        achieved = to_decimal(figures.achievement)
        exact = figures.achievement_unrounded
        achieved_unrounded = achieved if exact is figures.achievement else to_decimal(exact)
    if rule.has_band:
        result = override.achievement if override else computed
        band = tree.policy.band(achieved if rule.achievement is not None else result)
    kpi_text = unit = target_label = measured = measured_value = score = None
    if rule.rollup == "kpi":
        kpi = action_kpi(node)
        target = to_decimal(kpi.target_for(tree.year))
        observation = figures.observation
        kpi_text, unit, score = kpi.description, kpi.unit, figures.score
        target_label = kpi.target_label or target_text(kpi, target)
        if observation is not None:
            measured = observation.shown(kpi.ratio)
            measured_value = to_decimal(observation.exact(kpi.ratio))
    return made(
        NodeResult,
        {
            "key": node.key,
            "level": node.level,
            "title": node.title,
            "code": node.code,
            "weight": weight_percent(node, shares),
            "computed": computed,
            "override": override,
            "coverage": to_decimal(figures.coverage) or ZERO,
            "children": tuple(_node_result(tree, child, below) for child in children),
            "target": target,
            "achievement": achieved,
            "band": band,
            "kpi": kpi_text,
            "unit": unit,
            "target_label": target_label,
            "measured": measured,
            "score": score,
            "level_name": rule.name,
            "computed_unrounded": computed_unrounded,
            "achievement_unrounded": achieved_unrounded,
            "previous_result": None,
            "previous_achievement": None,
            "measured_value": measured_value,
        },
    )


def target_text(kpi: Kpi, target: Decimal | None) -> str | None:
    """The target as the cruscotto prints it when the plan gives no label."""
    if kpi.deadline is not None:
        return kpi.deadline.strftime("%d/%m/%Y")
    if target is not None:
        return italian_number(target)
    return None


def _managers(
    state: CycleState, roots: Sequence[NodeResult], ente: Decimal | None
) -> Iterable[ManagerResult]:
    if not state.managers:
        return
    nodes = {n.key: n for r in roots for n in r.walk()}
    codes = {n.code: n for r in roots for n in r.walk() if n.code}
    for assigned in state.managers.values():
        items = []
        weighted: list[tuple[Decimal, Decimal]] = []
        for item in assigned.items:
            node = nodes.get(item.action) or codes.get(item.action)
            result = ente if item.action == ENTE else (node.result if node else None)
            title = item.title or (node.title if node else item.action)
            items.append((item.action, title, item.weight, result))
            if result is not None:
                weighted.append((item.weight, result))
        total = sum((weight for weight, _ in weighted), ZERO)
        exact = sum((Fraction(w) * Fraction(r) for w, r in weighted), Fraction(0))
        value = to_decimal(exact / Fraction(total)) if total else None
        all_weights = sum((item.weight for item in assigned.items), ZERO)
        points = assigned.points
        factor = (
            to_decimal(Fraction(points) / Fraction(all_weights)) if points and all_weights else None
        )
        score = (
            to_decimal(exact / Fraction(total) * Fraction(points) / 100)
            if points and total
            else None
        )
        yield ManagerResult(
            assigned.key, assigned.manager, value, tuple(items), all_weights, points, factor, score
        )


def with_previous(current: Cruscotto, previous: Cruscotto) -> Cruscotto:
    """The cruscotto with last year's result (and achievement) beside each node that was in it,
    matched by key, else by printed code."""
    by_key = {node.key: node for node in previous.nodes()}
    by_code = {node.code: node for node in previous.nodes() if node.code}

    def beside(node: NodeResult) -> NodeResult:
        before = by_key.get(node.key) or (by_code.get(node.code) if node.code else None)
        return replace(
            node,
            children=tuple(beside(child) for child in node.children),
            previous_result=before.result if before else None,
            previous_achievement=before.achievement if before else None,
        )

    return replace(
        current,
        roots=tuple(beside(root) for root in current.roots),
        previous_stream=previous.stream,
        previous_result=previous.result,
    )
