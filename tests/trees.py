"""Plans of any shape, built through the public use cases: the tree's levels are the policy's."""

from datetime import date
from decimal import Decimal
from typing import Any

from ledger.store import SqlEventStore
from projections import acts, measuring, planning
from projections.cruscotto import Cruscotto, replay
from projections.plan_document import plan_document
from tests.builders import APPROVAL_DAY, CONTROLLER, GIUNTA, PLAN_DAY, year_2020

STREAM = "ente-albero/2021"
YEAR = 2021
END = date(2022, 6, 30)


def level(key: str, rollup: str, **rule: Any) -> dict[str, Any]:
    """A level of the tree: its key (also its name, capitalised) and its rule."""
    return {"key": key, "name": key.capitalize(), "rollup": rollup, **rule}


def kpi(target: int | str = 100, kind: str = "proportional", **fields: Any) -> dict[str, Any]:
    """A numeric KPI: measured against `target` (proportional unless told)."""
    return {"description": "indicatore", "kind": kind, "target": target, **fields}


def leaf(code: str, **fields: Any) -> dict[str, Any]:
    """An indicator node with a proportional KPI of target 100 unless told."""
    return {"code": code, "title": f"Indicatore {code}", "kpi": fields.pop("kpi", kpi()), **fields}


def node(key: str, children: list[dict[str, Any]], **fields: Any) -> dict[str, Any]:
    return {"key": key, "title": f"Nodo {key}", "children": children, **fields}


def plan(
    tree: list[dict[str, Any]],
    nodes: list[dict[str, Any]],
    ente: dict[str, Any] | None = None,
    *,
    stream: str = STREAM,
    year: int = YEAR,
    **cycle: Any,
) -> dict[str, Any]:
    """A plan file (as loaded from YAML) of the given tree."""
    policy: dict[str, Any] = {"tree": tree, **cycle.pop("policy", {})}
    policy["ente"] = ente or {"rollup": "mean_of_children"}
    return {
        "format": "performance-ledger/plan/2",
        "cycle": {
            "id": stream,
            "entity": stream.split("/")[0],
            "entity_name": "Ente di prova",
            "year": year,
            "policy": policy,
            **cycle,
        },
        "nodes": nodes,
    }


def approved(store: SqlEventStore, data: dict[str, Any]) -> str:
    """Import a plan and approve it; returns its cycle."""
    document = plan_document(data, "test plan")
    planning.import_plan(store, document, PLAN_DAY, CONTROLLER, key_prefix=None)
    stream = document.cycle.id
    acts.record_approval(store, stream, "plan", "delibera n. 1", APPROVAL_DAY, GIUNTA)
    return stream


def measure(store: SqlEventStore, stream: str, code: str, value: str, **form: Any) -> None:
    """A measurement of an indicator (a value, or numerator= and denominator=, or bound=)."""
    number = Decimal(value) if value else None
    measuring.record_measurement(
        store, stream, code, number, None, year_2020(), date(2022, 4, 30), CONTROLLER, **form
    )


def view(store: SqlEventStore, stream: str = STREAM, as_of: date = END) -> Cruscotto:
    return replay(store.read_stream(stream), stream, as_of=as_of)
