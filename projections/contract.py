"""The cruscotto as plain data: the stable JSON contract that scripts and auditors read.

Every percentage is a number on the 0 to 100 scale, rounded to two decimals; absent values
are null. docs/contract.md documents each field; a change here is a change of contract.

A plan of the reference's four levels keeps the shape contract 1 has always had
(`ente.perspectives`, then `strategic`, `operational`, `actions`); any other tree nests its
nodes under `ente.nodes` and each node's under `children`. `levels` names the tree in both.
"""

from decimal import Decimal
from typing import Any

from projections.cruscotto import Cruscotto, ManagerResult, NodeResult
from projections.numbers import rounded

CONTRACT_VERSION = 1
REFERENCE_CHILDREN = {
    "perspective": "strategic",
    "strategic": "operational",
    "operational": "actions",
}


def cruscotto_contract(cruscotto: Cruscotto) -> dict[str, Any]:
    """The whole cruscotto as nested plain data."""
    reference = cruscotto.policy.is_reference_tree
    ente: dict[str, Any] = {
        "result": rounded(cruscotto.result),
        "band": cruscotto.band,
        "coverage": rounded(cruscotto.coverage),
    }
    if cruscotto.policy.ente.rounding is not None:
        ente["result_unrounded"] = rounded(cruscotto.result_unrounded)
    if cruscotto.previous_stream is not None:
        ente["previous_result"] = rounded(cruscotto.previous_result)
    ente["perspectives" if reference else "nodes"] = [
        node_contract(root, cruscotto) for root in cruscotto.roots
    ]
    data: dict[str, Any] = {
        "contract": CONTRACT_VERSION,
        "cycle": cruscotto.stream,
        "entity": cruscotto.entity_name,
        "year": cruscotto.year,
        "as_of": cruscotto.as_of.isoformat(),
        "known_at": cruscotto.known_at.isoformat() if cruscotto.known_at else None,
        "plan_in_force": cruscotto.plan_in_force,
        "pending_changes": cruscotto.pending_changes,
        "closed": cruscotto.closed,
        "container": cruscotto.container,
        "levels": [
            rule.model_dump(mode="json", exclude_none=True) for rule in cruscotto.policy.tree
        ],
        "ente": ente,
        "obiettivi_dirigenziali": [_manager(m) for m in cruscotto.managers],
    }
    if cruscotto.previous_stream is not None:
        data["previous_cycle"] = cruscotto.previous_stream
    return data


def node_contract(node: NodeResult, cruscotto: Cruscotto) -> dict[str, Any]:
    """One node and, nested, its children."""
    rule = cruscotto.policy.rule(node.level)
    data: dict[str, Any] = {
        "key": node.key,
        "level": node.level,
        "level_name": node.level_name,
        "code": node.code,
        "title": node.title,
        "weight": rounded(node.weight),
        "computed": rounded(node.computed),
        "override": rounded(node.override.achievement) if node.override else None,
        "override_detail": _override(node),
        "result": rounded(node.result),
        "coverage": rounded(node.coverage),
    }
    if rule.rounding is not None:
        data["computed_unrounded"] = rounded(node.computed_unrounded)
    if rule.achievement is not None:
        data["target"] = rounded(node.target)
        data["achievement"] = rounded(node.achievement)
        if rule.rounding is not None:
            data["achievement_unrounded"] = rounded(node.achievement_unrounded)
    if rule.has_band:
        data["band"] = node.band
    if cruscotto.previous_stream is not None:
        data["previous_result"] = rounded(node.previous_result)
        if rule.achievement is not None:
            data["previous_achievement"] = rounded(node.previous_achievement)
    if node.is_indicator:
        score = node.score
        data.update(
            kpi=node.kpi,
            unit=node.unit,
            target=node.target_label,
            measured=node.measured,
            rule_score=rounded(score.rule_score) if score else None,
            scored_by=score.scored_by if score else None,
        )
        return data
    reference = cruscotto.policy.is_reference_tree
    child_key = REFERENCE_CHILDREN[node.level] if reference else "children"
    data[child_key] = [node_contract(child, cruscotto) for child in node.children]
    return data


def _override(node: NodeResult) -> dict[str, Any] | None:
    if node.override is None:
        return None
    return {
        "achievement": rounded(node.override.achievement),
        "rationale": node.override.rationale,
        "oiv_heard_on": node.override.oiv_heard_on.isoformat(),
        "seq": node.override.entry.seq,
    }


def _manager(manager: ManagerResult) -> dict[str, Any]:
    points: dict[str, Any] = {}
    if manager.points is not None:
        points = {
            "weight_total": rounded(manager.weight_total),
            "points": rounded(manager.points),
            "factor": rounded(manager.factor, Decimal("0.0001")),
            "score": rounded(manager.score),
        }
    return {
        "key": manager.key,
        "manager": manager.manager,
        "result": rounded(manager.result),
        **points,
        "objectives": [
            {"code": code, "title": title, "weight": rounded(weight), "result": rounded(result)}
            for code, title, weight, result in manager.items
        ],
    }
