"""The cruscotto as plain data: the stable JSON contract that scripts and auditors read.

Every percentage is a number on the 0 to 100 scale, rounded to two decimals; absent values
are null. The README documents each field; a change here is a change of contract.
"""

from typing import Any

from projections.cruscotto import Cruscotto, ManagerResult, NodeResult
from projections.numbers import rounded

CONTRACT_VERSION = 1


def cruscotto_contract(cruscotto: Cruscotto) -> dict[str, Any]:
    """The whole cruscotto as nested plain data."""
    return {
        "contract": CONTRACT_VERSION,
        "cycle": cruscotto.stream,
        "entity": cruscotto.entity_name,
        "year": cruscotto.year,
        "as_of": cruscotto.as_of.isoformat(),
        "known_at": cruscotto.known_at.isoformat() if cruscotto.known_at else None,
        "plan_in_force": cruscotto.plan_in_force,
        "pending_changes": cruscotto.pending_changes,
        "closed": cruscotto.closed,
        "ente": {
            "result": rounded(cruscotto.result),
            "band": cruscotto.band,
            "coverage": rounded(cruscotto.coverage),
            "perspectives": [node_contract(p) for p in cruscotto.perspectives],
        },
        "obiettivi_dirigenziali": [_manager(m) for m in cruscotto.managers],
    }


def node_contract(node: NodeResult) -> dict[str, Any]:
    """One node and, nested, its children."""
    data: dict[str, Any] = {
        "key": node.key,
        "level": node.level,
        "code": node.code,
        "title": node.title,
        "weight": rounded(node.weight),
        "computed": rounded(node.computed),
        "override": rounded(node.override.achievement) if node.override else None,
        "override_detail": _override(node),
        "result": rounded(node.result),
        "coverage": rounded(node.coverage),
    }
    if node.level == "strategic":
        data["target"] = rounded(node.target)
        data["achievement"] = rounded(node.achievement)
        data["band"] = node.band
    if node.level == "action":
        score = node.score
        data.update(
            kpi=node.kpi,
            unit=node.unit,
            target=node.target_label,
            measured=node.measured,
            rule_score=rounded(score.rule_score) if score else None,
            scored_by=score.scored_by if score else None,
        )
    else:
        child_key = {
            "perspective": "strategic",
            "strategic": "operational",
            "operational": "actions",
        }[node.level]
        data[child_key] = [node_contract(child) for child in node.children]
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
    return {
        "key": manager.key,
        "manager": manager.manager,
        "result": rounded(manager.result),
        "objectives": [
            {"code": code, "title": title, "weight": rounded(weight), "result": rounded(result)}
            for code, title, weight, result in manager.items
        ],
    }
