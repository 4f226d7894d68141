"""How many indicators a document says were assessed with one word of a qualitative scale.

Many reports do not score their objectives: they count them ("86 obiettivi amministrativi
risultano in linea con le previsioni (60,6%)"). Such a count is checked against the plan and
the assessments in force: the qualitative indicators whose scale (the KPI's own `levels`, or
the policy's `qualitative_levels`) has the word, below a node or in the whole cycle, and those
of them assessed with it. The share is the count against every such indicator of the cycle,
since the report divides by all the results it measured, not by one group's.
"""

from dataclasses import dataclass

from events.i18n import _
from projections.cruscotto import Cruscotto
from projections.errors import ActRefused
from projections.plan_state import CycleState, Node, descendants, find_node


@dataclass(frozen=True)
class WordCount:
    """The indicators of a word's scale below a node, those assessed with it, and the cycle's."""

    assessed: int
    below: int
    in_cycle: int


def scale_indicators(state: CycleState, word: str, below: str | None = None) -> list[Node]:
    """The qualitative indicators (below the node keyed `below`, or all) whose scale has `word`."""
    keys = set(descendants(state.nodes, below)) if below is not None else set(state.nodes)
    levels = state.policy.qualitative_levels
    return [
        node
        for key, node in state.nodes.items()
        if key in keys
        and node.kpi is not None
        and node.kpi.kind == "qualitative"
        and word in node.kpi.scale(levels)
    ]


def check_countable(state: CycleState, word: str, node: Node | None) -> None:
    """Refuse a count of a word that no qualitative indicator there is assessed with."""
    if scale_indicators(state, word, node.key if node is not None else None):
        return
    if node is None:
        raise ActRefused(
            _("no qualitative KPI of {stream} has the level {level!r}").format(
                stream=state.stream, level=word
            )
        )
    raise ActRefused(
        _("no qualitative KPI below {node} has the level {level!r}").format(
            node=node.code or node.key, level=word
        )
    )


def count_word(state: CycleState, view: Cruscotto, word: str, below: str | None) -> WordCount:
    """How many indicators below `below` (or of the cycle) the replay holds assessed `word`."""
    top = find_node(state, below) if below is not None else None
    candidates = scale_indicators(state, word, top.key if top is not None else None)
    shown = {node.key: node.measured for node in view.nodes() if node.is_indicator}
    assessed = [node for node in candidates if (shown.get(node.key) or "").strip().lower() == word]
    return WordCount(len(assessed), len(candidates), len(scale_indicators(state, word)))
