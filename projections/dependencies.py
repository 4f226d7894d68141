"""What each figure is made of, and the refusal of a figure fed back into its own inputs.

A node's figure depends on its children's; an indicator that takes its value from another node
(`derived_from`) depends on that node; the performance di ente depends on the whole tree. A
chain that comes back to where it started (the ente's score as an indicator of one of its own
objectives) has no value: the plan that would make one is refused, naming the chain.
"""

from collections import defaultdict

from events.i18n import _
from projections.errors import ActRefused
from projections.plan_state import CycleState, find_node

ENTE = "ente"


class FigureCycle(ActRefused):
    """A figure would be computed from itself; nothing was written."""


def dependencies(state: CycleState) -> dict[str, list[str]]:
    """For every node (and `ente`), the figures it is computed from."""
    edges: dict[str, list[str]] = defaultdict(list)
    for node in state.nodes.values():
        edges[node.parent if node.parent is not None else ENTE].append(node.key)
        reference = node.kpi.derived_from if node.kpi is not None else None
        if reference is not None:
            if reference.node == ENTE:
                edges[node.key].append(ENTE)
            else:
                found = find_node(state, reference.node)
                edges[node.key].append(found.key if found is not None else reference.node)
    return edges


def check_no_cycle(state: CycleState, stream: str) -> None:
    """Refuse a plan in which a figure depends on itself, naming the chain that closes."""
    edges = dependencies(state)
    done: set[str] = set()
    for start in [*state.nodes, ENTE]:
        if start in done:
            continue
        path: list[str] = []
        on_path: set[str] = set()
        stack: list[tuple[str, int]] = [(start, 0)]
        while stack:
            key, index = stack.pop()
            if index == 0:
                path.append(key)
                on_path.add(key)
            following = edges.get(key, [])
            if index < len(following):
                stack.append((key, index + 1))
                nxt = following[index]
                if nxt in on_path:
                    raise FigureCycle(_cycle_message(state, path[path.index(nxt) :], stream))
                if nxt not in done:
                    stack.append((nxt, 0))
                continue
            done.add(key)
            on_path.discard(key)
            path.pop()


def _cycle_message(state: CycleState, chain: list[str], stream: str) -> str:
    """The chain read from the indicator that takes another figure, back to itself."""
    starts = [
        index
        for index, key in enumerate(chain)
        if key in state.nodes and state.nodes[key].kpi is not None
    ]
    first = starts[0] if starts else 0
    loop = chain[first:] + chain[:first]
    shown = " → ".join([*loop, loop[0]])
    return _(
        "a figure would feed its own inputs in {stream}: {chain} (an indicator cannot take the "
        "value of a node it is part of); nothing was written"
    ).format(stream=stream, chain=shown)
