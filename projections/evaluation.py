"""The tree evaluated under the cycle's SMVP: every node's figures, exact, in one pass.

Each level of the policy's tree states its rule (projections/rollup.py does the arithmetic):
a node's figures are made from its children's (or from the indicators or nodes of a level
below it), its override replaces its result, its own target gives its achievement, and its
level's rounding rounds both where the SMVP rounds them. An indicator whose KPI takes its value
from another node (`derived_from`) is evaluated after that node; the plan refuses a figure fed
back into its own inputs, and the evaluation, should it meet one anyway, leaves it unmeasured.

`substitutes` replaces chosen figures by other values (the audit asks what a parent would be
had a child been the figure a document printed).
"""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction

from events.policy import EnteRule, Figure, LevelRule
from projections.plan_state import CycleState, Node, OverrideInfo, action_kpi, find_node
from projections.rollup import (
    HUNDRED,
    ZERO,
    achievement,
    fraction_of,
    mean,
    mean_coverage,
    rounded_by,
    sums_to_one,
    to_decimal,
    weighted,
    weighted_coverage,
)
from projections.scoring import Observation, Score, made, score_action

ENTE = "ente"
Substitutes = Mapping[str | None, tuple[Figure, Fraction]]
"""Figures to use instead of the computed ones: node key (None: the ente) -> (figure, value)."""


@dataclass(frozen=True)
class Figures:
    """A node's exact figures: computed (rounded as its level says, and not), final, against
    its own target, and the share of its weight that is measured."""

    computed: Fraction | None
    computed_unrounded: Fraction | None
    result: Fraction | None
    achievement: Fraction | None
    achievement_unrounded: Fraction | None
    coverage: Fraction
    override: OverrideInfo | None = None
    score: Score | None = None
    observation: Observation | None = None

    def figure(self, name: Figure) -> Fraction | None:
        return self.achievement if name == "achievement" else self.result


class TreeEvaluation:
    """The figures of every node of a folded cycle, computed on demand and remembered."""

    def __init__(self, state: CycleState, substitutes: Substitutes | None = None) -> None:
        self.state = state
        self.policy = state.policy
        self.year = state.year
        self.substitutes = substitutes or {}
        self.children: dict[str | None, list[Node]] = defaultdict(list)
        for node in state.nodes.values():
            self.children[node.parent].append(node)
        self._memo: dict[str, Figures] = {}
        self._busy: set[str] = set()
        self._ente: Figures | None = None
        self._rules = {rule.key: rule for rule in self.policy.tree}

    def rule(self, node: Node) -> LevelRule:
        """The rule of the node's level (KeyError for a level the tree does not name)."""
        return self._rules[node.level]

    def roots(self) -> list[Node]:
        return self.children[None]

    def figures(self, key: str) -> Figures:
        found = self._memo.get(key)
        if found is not None:
            return found
        node = self.state.nodes[key]
        self._busy.add(key)
        try:
            figures = self._evaluate(node)
        finally:
            self._busy.discard(key)
        self._memo[key] = figures
        return figures

    def ente(self) -> Figures:
        if self._ente is None:
            self._busy.add(ENTE)
            try:
                rule = self.policy.ente
                value, coverage = self._rolled(rule, None)
                rounded = rounded_by(value, rule.rounding)
                figures = Figures(rounded, value, rounded, None, None, coverage)
                self._ente = self._substituted(None, figures, None)
            finally:
                self._busy.discard(ENTE)
        return self._ente

    # -- one node ----------------------------------------------------------------------------

    def _evaluate(self, node: Node) -> Figures:
        rule = self.rule(node)
        override = self.state.overrides.get(node.key)
        score = observation = None
        if rule.rollup == "kpi":
            computed, coverage, score, observation = self._indicator(node)
        else:
            computed, coverage = self._rolled(rule, node)
        rounded = rounded_by(computed, rule.rounding)
        result = fraction_of(override.achievement) if override else rounded
        achieved, exact = self._achieved(node, rule, result)
        figures = made(
            Figures,
            {
                "computed": rounded,
                "computed_unrounded": computed,
                "result": result,
                "achievement": achieved,
                "achievement_unrounded": exact,
                "coverage": coverage,
                "override": override,
                "score": score,
                "observation": observation,
            },
        )
        return self._substituted(node.key, figures, rule)

    def _achieved(
        self, node: Node | None, rule: LevelRule | None, result: Fraction | None
    ) -> tuple[Fraction | None, Fraction | None]:
        """The achievement against the node's own target, rounded and not, if its level has
        one (else None and None)."""
        if rule is None or rule.achievement is None or node is None:
            return None, None
        target = node.target_for(self.year)
        exact = achievement(
            result, None if target is None else fraction_of(target), rule.achievement
        )
        return rounded_by(exact, rule.rounding), exact

    def _with_achievement(self, node: Node | None, rule: LevelRule | None, f: Figures) -> Figures:
        """The figures with the achievement against the node's own target, if its level has one."""
        achieved, exact = self._achieved(node, rule, f.result)
        return replace(f, achievement=achieved, achievement_unrounded=exact)

    def _substituted(self, key: str | None, f: Figures, rule: LevelRule | None) -> Figures:
        if key not in self.substitutes:
            return f
        figure, value = self.substitutes[key]
        if figure == "achievement":
            return replace(f, achievement=value, achievement_unrounded=value)
        node = self.state.nodes.get(key) if key is not None else None
        return self._with_achievement(node, rule, replace(f, result=value))

    def _indicator(
        self, node: Node
    ) -> tuple[Fraction | None, Fraction, Score | None, Observation | None]:
        kpi = action_kpi(node)
        observation: Observation | None
        coverage = ZERO
        if kpi.derived_from is not None:
            value, coverage = self._referenced(kpi.derived_from.node, kpi.derived_from.figure)
            observation = None if value is None else Observation("measurement", computed=value)
        else:
            observation = self.state.observation(node.key)
            coverage = HUNDRED if observation else ZERO
        if observation is None:
            return None, coverage, None, None
        score = score_action(kpi, observation, self.policy, self.year)
        return score.exact, coverage, score, observation

    def _referenced(self, text: str, figure: Figure) -> tuple[Fraction | None, Fraction]:
        """Another node's figure (or the ente's), or nothing if it would feed its own inputs."""
        if text == ENTE:
            if ENTE in self._busy:
                return None, ZERO
            ente = self.ente()
            return ente.result, ente.coverage
        target = find_node(self.state, text)
        if target is None or target.key in self._busy:
            return None, ZERO
        found = self.figures(target.key)
        return found.figure(figure), found.coverage

    # -- rollups -----------------------------------------------------------------------------

    def _rolled(
        self, rule: LevelRule | EnteRule, node: Node | None
    ) -> tuple[Fraction | None, Fraction]:
        key = node.key if node is not None else None
        missing = self.policy.missing
        if rule.rollup == "weighted_sum":
            children = [self.figures(child.key) for child in self.children[key]]
            weights = weights_of(self.children[key])
            coverages = [child.coverage for child in children]
            values = [child.figure(rule.uses) for child in children]
            pairs = list(zip(weights, values, strict=True))
            return weighted(pairs, missing, coverages), weighted_coverage(weights, coverages)
        if rule.rollup == "mean_of_children":
            averaged = [self.figures(child.key) for child in self.children[key]]
        else:
            level = rule.level if rule.rollup == "mean_of_level" else self.policy.leaf.key
            averaged = [self.figures(found.key) for found in self.below(key, level)]
        value = mean([one.figure(rule.uses) for one in averaged], missing)
        return value, mean_coverage([one.coverage for one in averaged])

    def below(self, key: str | None, level: str | None) -> list[Node]:
        """Every node of `level` under `key` (None: the whole tree), in the plan's order."""
        found: list[Node] = []
        for child in self.children[key]:
            if child.level == level:
                found.append(child)
            else:
                found.extend(self.below(child.key, level))
        return found


def weights_of(siblings: list[Node]) -> list[Fraction]:
    """The weights of siblings; none given at all counts as equal weights."""
    if all(node.weight is None for node in siblings):
        return [Fraction(1)] * len(siblings)
    return [node.weight or ZERO for node in siblings]


def are_shares(siblings: list[Node]) -> bool:
    """Whether the weights given to siblings sum to 1 (shares: 1/3, 1/3, 1/3), not to 100."""
    return sums_to_one(sibling.weight or ZERO for sibling in siblings)


def weight_percent(node: Node, shares: bool) -> Decimal | None:
    """A weight as the percentage it is: shares (the siblings' weights summing to 1) are shown
    × 100."""
    if node.weight is None:
        return None
    return to_decimal(node.weight * 100 if shares else node.weight)
