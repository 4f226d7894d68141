"""The SMVP's rules in words, for the pages a citizen reads: how each figure is made.

"Media semplice del raggiungimento degli obiettivi strategici" is the reference's ente; other
administrations' rules are described the same way from their policy. The wording is the
reader's language (English msgids, Italian from the catalog); the levels' names are the policy's.
"""

from events.i18n import _, language
from events.policy import EnteRule, LevelRule, ScoringPolicy

_FEMININE = ("area", "azione", "prospettiva", "linea", "missione", "attività", "dimensione")
_VOWELS = "aeiouàèéìòù"


def of_plural(plural: str, name: str) -> str:
    """`degli obiettivi strategici`, `delle aree strategiche`, `dei progetti`; in English
    `of the obiettivi strategici` (the articles of Italian follow the name, not the catalog)."""
    lowered = plural.lower()
    if language() != "it":
        return f"of the {lowered}"
    if name.split(" ")[0].lower() in _FEMININE:
        return f"delle {lowered}"
    first = lowered[:2]
    if (
        lowered[:1] in _VOWELS
        or lowered[:1] in "zxy"
        or first in ("gn", "ps", "pn")
        or (lowered[:1] == "s" and lowered[1:2] not in _VOWELS)
    ):
        return f"degli {lowered}"
    return f"dei {lowered}"


def describe_rollup(rule: LevelRule | EnteRule, policy: ScoringPolicy, depth: int) -> str:
    """How the figure of a level (or of the ente, depth -1) is made from the tree below it."""
    tree = policy.tree
    if rule.rollup == "kpi":
        return _("The KPI's score against its target")
    if rule.rollup in ("weighted_sum", "mean_of_children"):
        below = tree[depth + 1]
    elif rule.rollup == "mean_of_indicators":
        below = tree[-1]
    else:
        below = policy.rule(rule.level or tree[-1].key)
    of_below = of_plural(below.shown_plural, below.name)
    weighted = rule.rollup == "weighted_sum"
    if rule.uses == "achievement":
        if weighted:
            return _("Weighted mean of the achievement {of_below}").format(of_below=of_below)
        return _("Simple mean of the achievement {of_below}").format(of_below=of_below)
    if weighted:
        return _("Weighted mean of the results {of_below}").format(of_below=of_below)
    return _("Simple mean of the results {of_below}").format(of_below=of_below)


def describe_ente(policy: ScoringPolicy) -> str:
    return describe_rollup(policy.ente, policy, -1)
