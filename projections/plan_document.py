"""The plan file (YAML or JSON) as a validated document, and the plan events it gives.

The format is documented in docs/plan.md, and its JSON Schema (docs/plan.schema.json) is
generated from these models (`ledger schema plan`). One file describes the cycle (with its
SMVP: the policy and the tree's levels) and the whole tree; importing it records the tree as
pending changes. Two shapes are read:

- `nodes`: any tree, each node with its `children`, a node's level given by its depth in the
  policy's `tree`;
- `perspectives`: the reference's four levels spelled out (`perspectives`, `strategic`,
  `operational`, `actions`), as plan files were written before trees were data.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from events.acts import BODIES, Body, Container
from events.base import LedgerEvent
from events.cycle import CycleOpened
from events.errors import UsageError
from events.i18n import _
from events.plan import (
    Kpi,
    ManagerialItem,
    ManagerialObjectiveAssigned,
    ObjectiveDefined,
    PerspectiveDefined,
    Weight,
)
from events.policy import ScoringPolicy, upgrade_policy
from projections.documents import published_schema, validated

PLAN_FORMAT = "performance-ledger/plan/2"
PLAN_FORMATS = ("performance-ledger/plan/1", PLAN_FORMAT)


class FileModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class NodeSpec(FileModel):
    """A node of any level: its level is its depth in the policy's `tree`.

    `key` defaults to `code`; `weight` only where the level above rolls up by `weighted_sum`;
    `target` (or `targets` by year) only where the node's level has an `achievement`; `kpi`
    exactly on the indicators of the last level.
    """

    key: str | None = None
    code: str | None = None
    title: str
    weight: Weight | None = None
    target: Decimal | None = None
    targets: dict[int, Decimal] | None = None
    kpi: Kpi | None = None
    note: str | None = None
    children: tuple["NodeSpec", ...] = ()

    @model_validator(mode="after")
    def _named(self) -> "NodeSpec":
        if self.key is None and self.code is None:
            raise ValueError(_("a node needs a key or a code"))
        return self

    @property
    def node_key(self) -> str:
        return self.key or self.code or ""


class ActionSpec(FileModel):
    code: str
    title: str
    weight: Weight | None = None
    kpi: Kpi
    note: str | None = None


class OperationalSpec(FileModel):
    code: str
    title: str
    weight: Weight | None = None
    note: str | None = None
    actions: tuple[ActionSpec, ...] = ()


class StrategicSpec(FileModel):
    key: str
    code: str | None = None
    title: str
    target: Decimal | None = None
    targets: dict[int, Decimal] | None = None
    weight: Weight | None = None
    note: str | None = None
    operational: tuple[OperationalSpec, ...] = ()


class PerspectiveSpec(FileModel):
    key: str
    title: str
    weight: Decimal | None = None
    note: str | None = None
    strategic: tuple[StrategicSpec, ...] = ()


class ManagerSpec(FileModel):
    """A manager's obiettivi dirigenziali: nodes of the plan (or `ente`) with their weights,
    and the `points` they are worth in the manager's evaluation, if the SMVP says."""

    key: str
    manager: str
    items: tuple[ManagerialItem, ...]
    points: Decimal | None = None


class CycleSpec(FileModel):
    """The cycle: who, which year, under which SMVP, in which container, with which bodies.

    `bodies` lists the bodies as the administration names them, or the keys of the catalogue
    (giunta, consiglio, cda, dg, sindaco, presidente, rettore, nucleo, oiv).
    """

    id: str
    entity: str
    entity_name: str
    year: int
    policy: ScoringPolicy = ScoringPolicy()
    container: Container = "piano"
    plan_deadline: date | None = None
    relazione_deadline: date | None = None
    bodies: tuple[Body | str, ...] = ()
    previous: str | None = None

    @field_validator("policy", mode="before")
    @classmethod
    def _v1_policy(cls, value: Any) -> Any:
        return upgrade_policy(value)

    @field_validator("bodies")
    @classmethod
    def _known_bodies(cls, value: tuple[Body | str, ...]) -> tuple[Body | str, ...]:
        for body in value:
            if isinstance(body, str) and body not in BODIES:
                raise ValueError(
                    _("{body!r} is not a body of the catalogue ({known}): describe it").format(
                        body=body, known=", ".join(BODIES)
                    )
                )
        return value

    def named_bodies(self) -> tuple[Body, ...]:
        return tuple(BODIES[body] if isinstance(body, str) else body for body in self.bodies)


class PlanDocument(FileModel):
    """A whole plan file: the cycle it belongs to and the tree of the Piano."""

    format: str = PLAN_FORMAT
    cycle: CycleSpec
    source: str | None = None
    drafted_on: date | None = None
    nodes: tuple[NodeSpec, ...] | None = None
    perspectives: tuple[PerspectiveSpec, ...] | None = None
    managers: tuple[ManagerSpec, ...] = ()

    @model_validator(mode="after")
    def _one_tree(self) -> "PlanDocument":
        if (self.nodes is None) == (self.perspectives is None):
            raise ValueError(
                _(
                    "a plan file holds its tree as `nodes` (or, for the reference's "
                    "four levels, `perspectives`), once"
                )
            )
        if self.perspectives is not None and not self.cycle.policy.is_reference_tree:
            raise ValueError(
                _(
                    "`perspectives` spell out the reference's four levels; this "
                    "policy's tree has others: write the tree as `nodes`"
                )
            )
        return self

    def cycle_event(self, source: str | None = None) -> CycleOpened:
        spec = self.cycle
        return CycleOpened(
            entity=spec.entity,
            entity_name=spec.entity_name,
            year=spec.year,
            policy=spec.policy,
            container=spec.container,
            plan_deadline=spec.plan_deadline,
            relazione_deadline=spec.relazione_deadline,
            bodies=spec.named_bodies(),
            previous=spec.previous,
            source=self.source or source,
        )

    def plan_events(self, source: str | None = None) -> list[LedgerEvent]:
        """The tree as plan events, parents before children, in the file's order."""
        found: list[LedgerEvent] = []
        source = self.source or source
        if self.nodes is not None:
            levels = [rule.key for rule in self.cycle.policy.tree]
            for node in self.nodes:
                found += _node_events(node, None, levels, 0, source)
        for perspective in self.perspectives or ():
            found += _perspective_events(perspective, source)
        for manager in self.managers:
            found.append(
                ManagerialObjectiveAssigned(
                    key=manager.key,
                    manager=manager.manager,
                    items=manager.items,
                    points=manager.points,
                    source=source,
                )
            )
        return found


def _node_events(
    node: NodeSpec, parent: str | None, levels: list[str], depth: int, source: str | None
) -> list[LedgerEvent]:
    event = ObjectiveDefined(
        level=levels[depth] if depth < len(levels) else f"(below {levels[-1]})",
        key=node.node_key,
        code=node.code,
        parent=parent,
        title=node.title,
        weight=node.weight,
        target=node.target,
        targets=node.targets,
        kpi=node.kpi,
        note=node.note,
        source=source,
    )
    found: list[LedgerEvent] = [event]
    for child in node.children:
        found += _node_events(child, node.node_key, levels, depth + 1, source)
    return found


def _perspective_events(perspective: PerspectiveSpec, source: str | None) -> list[LedgerEvent]:
    """The legacy `perspectives` form: a PerspectiveDefined, then its subtree as any node."""
    found: list[LedgerEvent] = [
        PerspectiveDefined(
            key=perspective.key,
            title=perspective.title,
            weight=perspective.weight,
            note=perspective.note,
            source=source,
        )
    ]
    for strategic in _legacy_nodes(perspective):
        found += _node_events(strategic, perspective.key, list(LEGACY_LEVELS), 0, source)
    return found


LEGACY_LEVELS = ("strategic", "operational", "action")


def _legacy_nodes(perspective: PerspectiveSpec) -> tuple[NodeSpec, ...]:
    return tuple(
        NodeSpec(
            key=strategic.key,
            code=strategic.code,
            title=strategic.title,
            weight=strategic.weight,
            target=strategic.target,
            targets=strategic.targets,
            note=strategic.note,
            children=tuple(
                NodeSpec(
                    code=operational.code,
                    title=operational.title,
                    weight=operational.weight,
                    note=operational.note,
                    children=tuple(
                        NodeSpec(
                            code=action.code,
                            title=action.title,
                            weight=action.weight,
                            kpi=action.kpi,
                            note=action.note,
                        )
                        for action in operational.actions
                    ),
                )
                for operational in strategic.operational
            ),
        )
        for strategic in perspective.strategic
    )


def plan_document(data: Any, where: str) -> PlanDocument:
    """Validate a loaded plan file; the first problem is named by its path in the file."""
    if not isinstance(data, dict):
        raise UsageError(
            _("{where}: a plan file holds a mapping with `cycle` and `nodes`").format(where=where)
        )
    document = validated(PlanDocument, data, where, labels=("code", "key"), empty="plan")
    if document.format not in PLAN_FORMATS:
        raise UsageError(
            _("{where}: format {given} is not {expected}").format(
                where=where, given=repr(document.format), expected=repr(PLAN_FORMAT)
            )
        )
    _check_depths(document, where)
    return document


def _check_depths(document: PlanDocument, where: str) -> None:
    """Every node sits at a level of the tree, and the indicators are the last level's."""
    tree = document.cycle.policy.tree

    def visit(node: NodeSpec, path: str, depth: int) -> None:
        here = f"{path} ({node.node_key})"
        if depth >= len(tree):
            raise UsageError(
                _(
                    "{where}: {path}: the tree has {count} levels ({levels}): this node is deeper"
                ).format(
                    where=where, path=here, count=len(tree), levels=", ".join(r.key for r in tree)
                )
            )
        last = depth == len(tree) - 1
        if last and node.children:
            raise UsageError(
                _("{where}: {path}: an indicator of level {level!r} has no children").format(
                    where=where, path=here, level=tree[depth].key
                )
            )
        if not last and not node.children:
            raise UsageError(
                _(
                    "{where}: {path}: a node of level {level!r} needs children down to the "
                    "indicators of level {leaf!r}"
                ).format(where=where, path=here, level=tree[depth].key, leaf=tree[-1].key)
            )
        for index, child in enumerate(node.children):
            visit(child, f"{here}.children[{index}]", depth + 1)

    for index, node in enumerate(document.nodes or ()):
        visit(node, f"nodes[{index}]", 0)


def plan_schema() -> dict[str, Any]:
    """The JSON Schema of the plan file, generated from the models (docs/plan.schema.json)."""
    return published_schema(
        PlanDocument, "plan.schema.json", "Piano della performance (performance-ledger/plan/2)"
    )
