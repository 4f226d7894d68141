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


def summary_rows(cruscotto: Cruscotto) -> list[dict[str, Any]]:
    """The rows after the tree in an exported CSV: the obiettivi dirigenziali, then the ente.

    Each manager has a row (level `manager`, key `manager:<key>`) with the total, and one per
    objective assigned (level `manager_objective`, key `manager:<key>:<code>`, parent the
    manager's row); the performance di ente is the last row (level `ente`, key `ente`), with
    its band and coverage. Keys stay unique beside the nodes'.
    """
    empty = dict.fromkeys(CSV_COLUMNS)
    rows: list[dict[str, Any]] = []
    for manager in cruscotto.managers:
        own = f"manager:{manager.key}"
        rows.append(
            {
                **empty,
                "level": "manager",
                "key": own,
                "title": manager.manager,
                "weight": rounded(manager.weight_total),
                "result": rounded(manager.result),
                "level_name": "Obiettivi dirigenziali",
            }
        )
        for code, title, weight, result in manager.items:
            rows.append(
                {
                    **empty,
                    "level": "manager_objective",
                    "key": f"{own}:{code or title}",
                    "code": code,
                    "parent": own,
                    "title": title,
                    "weight": rounded(weight),
                    "result": rounded(result),
                    "level_name": "Obiettivo dirigenziale",
                }
            )
    rows.append(
        {
            **empty,
            "level": "ente",
            "key": "ente",
            "title": cruscotto.policy.ente.name,
            "computed": rounded(cruscotto.result),
            "result": rounded(cruscotto.result),
            "band": cruscotto.band,
            "coverage": rounded(cruscotto.coverage),
            "level_name": cruscotto.policy.ente.name,
        }
    )
    return rows
