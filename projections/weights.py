"""Weights, where the SMVP's rule uses them: siblings' weights sum to 100 % (or to 1, as shares).

Only a weighted sum reads weights: a level that rolls up by a plain mean takes none (planning
refuses a weight given there), and a weighted level whose nodes carry no weight at all weighs
them equally, so equal weights never need typing. Sums are exact: 1/3 three times is 1.
"""

from collections import defaultdict
from fractions import Fraction

from events.exact import fraction_text
from events.i18n import _
from projections.errors import WeightsDoNotSumTo100
from projections.plan_state import CycleState, Node

HUNDRED = Fraction(100)
ONE = Fraction(1)


def weighted_group(state: CycleState, parent: str | None) -> bool:
    """Whether the children of `parent` (None: the top level) are weighted by the rule above."""
    policy = state.policy
    if parent is None:
        return policy.ente.rollup == "weighted_sum"
    node = state.nodes.get(parent)
    if node is None:
        return False
    try:
        return policy.rule(node.level).weighted
    except KeyError:
        return False


def weight_problems(state: CycleState) -> list[tuple[str | None, Fraction, list[str]]]:
    """Each group of weighted siblings whose weights sum neither to 100 nor to 1."""
    groups: dict[str | None, list[Node]] = defaultdict(list)
    for node in state.nodes.values():
        groups[node.parent].append(node)
    problems = []
    for parent, siblings in groups.items():
        weights = [node.weight for node in siblings]
        if all(weight is None for weight in weights) or not weighted_group(state, parent):
            continue
        total = sum((weight or Fraction(0) for weight in weights), Fraction(0))
        if total not in (HUNDRED, ONE):
            problems.append((parent, total, [node.key for node in siblings]))
    return problems


def check_weights(state: CycleState, stream: str) -> None:
    """Refuse a plan whose weighted siblings do not sum to 100 %, naming the first group."""
    problems = weight_problems(state)
    if problems:
        parent, total, keys = problems[0]
        under = f"under {parent}" if parent else "at the top level"
        raise WeightsDoNotSumTo100(
            _(
                "weights {under} in {stream} sum to {total} %, not 100 % ({keys}); "
                "nothing was approved"
            ).format(under=under, stream=stream, total=fraction_text(total), keys=", ".join(keys))
        )
