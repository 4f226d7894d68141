"""Sibling weights must sum to 100 % wherever the plan weighs them."""

from collections import defaultdict
from decimal import Decimal

from projections.errors import WeightsDoNotSumTo100
from projections.plan_state import CycleState

HUNDRED = Decimal(100)


def weight_problems(state: CycleState) -> list[tuple[str | None, Decimal, list[str]]]:
    """Each group of weighted siblings whose weights do not sum to 100: (parent, sum, keys)."""
    groups: dict[str | None, list[tuple[str, Decimal | None]]] = defaultdict(list)
    for node in state.nodes.values():
        groups[node.parent].append((node.key, node.weight))
    problems = []
    for parent, siblings in groups.items():
        weights = [weight for _, weight in siblings]
        if all(weight is None for weight in weights):
            continue
        total = sum((weight or Decimal(0) for weight in weights), Decimal(0))
        if total != HUNDRED:
            problems.append((parent, total, [key for key, _ in siblings]))
    return problems


def check_weights(state: CycleState, stream: str) -> None:
    """Refuse a plan whose weighted siblings do not sum to 100 %, naming the first group."""
    problems = weight_problems(state)
    if problems:
        parent, total, keys = problems[0]
        under = f"under {parent}" if parent else "at the top level"
        raise WeightsDoNotSumTo100(
            f"weights {under} in {stream} sum to {total} %, not 100 % ({', '.join(keys)}); "
            "nothing was approved"
        )
