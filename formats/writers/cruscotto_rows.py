"""The cruscotto as flat rows, one per node, parents first: the CSV form of every front end."""

from typing import Any

from projections.cruscotto import Cruscotto, NodeResult
from projections.numbers import rounded

CSV_COLUMNS = (
    "level",
    "key",
    "code",
    "parent",
    "title",
    "weight",
    "kpi",
    "unit",
    "target",
    "measured",
    "computed",
    "rule_score",
    "override",
    "override_rationale",
    "oiv_heard_on",
    "result",
    "achievement",
    "band",
    "coverage",
    "level_name",
)


def flat_rows(cruscotto: Cruscotto) -> list[dict[str, Any]]:
    """One row per node, parents before children: the CSV form."""
    rows: list[dict[str, Any]] = []

    def visit(node: NodeResult, parent: str | None) -> None:
        override = node.override
        rows.append(
            {
                "level": node.level,
                "key": node.key,
                "code": node.code,
                "parent": parent,
                "title": node.title,
                "weight": rounded(node.weight),
                "kpi": node.kpi,
                "unit": node.unit,
                "target": node.target_label if node.is_indicator else rounded(node.target),
                "measured": node.measured,
                "computed": rounded(node.computed),
                "rule_score": rounded(node.score.rule_score) if node.score else None,
                "override": rounded(override.achievement) if override else None,
                "override_rationale": override.rationale if override else None,
                "oiv_heard_on": override.oiv_heard_on if override else None,
                "result": rounded(node.result),
                "achievement": rounded(node.achievement),
                "band": node.band,
                "coverage": rounded(node.coverage),
                "level_name": node.level_name,
            }
        )
        for child in node.children:
            visit(child, node.key)

    for root in cruscotto.roots:
        visit(root, None)
    return rows
