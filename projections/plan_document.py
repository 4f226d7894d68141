"""The plan file (YAML or JSON) as a validated document, and the plan events it gives.

The format is documented in the README ("The plan file"). One file describes the cycle (and
its scoring policy) and the whole tree; importing it records the tree as pending changes.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from events.base import LedgerEvent
from events.cycle import CycleOpened
from events.errors import UsageError
from events.plan import (
    Kpi,
    ManagerialItem,
    ManagerialObjectiveAssigned,
    ObjectiveDefined,
    PerspectiveDefined,
)
from events.policy import ScoringPolicy

PLAN_FORMAT = "performance-ledger/plan/1"


class FileModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class ActionSpec(FileModel):
    code: str
    title: str
    weight: Decimal | None = Field(default=None, ge=0, le=100)
    kpi: Kpi
    note: str | None = None


class OperationalSpec(FileModel):
    code: str
    title: str
    weight: Decimal | None = Field(default=None, ge=0, le=100)
    note: str | None = None
    actions: tuple[ActionSpec, ...] = ()


class StrategicSpec(FileModel):
    key: str
    code: str | None = None
    title: str
    target: Decimal | None = None
    weight: Decimal | None = Field(default=None, ge=0, le=100)
    note: str | None = None
    operational: tuple[OperationalSpec, ...] = ()


class PerspectiveSpec(FileModel):
    key: str
    title: str
    weight: Decimal | None = Field(default=None, ge=0, le=100)
    note: str | None = None
    strategic: tuple[StrategicSpec, ...] = ()


class ManagerSpec(FileModel):
    key: str
    manager: str
    items: tuple[ManagerialItem, ...]


class CycleSpec(FileModel):
    id: str
    entity: str
    entity_name: str
    year: int
    policy: ScoringPolicy = ScoringPolicy()


class PlanDocument(FileModel):
    """A whole plan file: the cycle it belongs to and the tree of the Piano."""

    format: str = PLAN_FORMAT
    cycle: CycleSpec
    source: str | None = None
    drafted_on: date | None = None
    perspectives: tuple[PerspectiveSpec, ...]
    managers: tuple[ManagerSpec, ...] = ()

    def cycle_event(self) -> CycleOpened:
        return CycleOpened(
            entity=self.cycle.entity,
            entity_name=self.cycle.entity_name,
            year=self.cycle.year,
            policy=self.cycle.policy,
            source=self.source,
        )

    def plan_events(self) -> list[LedgerEvent]:
        """The tree as plan events, parents before children, in the file's order."""
        found: list[LedgerEvent] = []
        source = self.source
        for perspective in self.perspectives:
            found.append(
                PerspectiveDefined(
                    key=perspective.key,
                    title=perspective.title,
                    weight=perspective.weight,
                    note=perspective.note,
                    source=source,
                )
            )
            for strategic in perspective.strategic:
                found.append(
                    ObjectiveDefined(
                        level="strategic",
                        key=strategic.key,
                        code=strategic.code,
                        parent=perspective.key,
                        title=strategic.title,
                        weight=strategic.weight,
                        target=strategic.target,
                        note=strategic.note,
                        source=source,
                    )
                )
                for operational in strategic.operational:
                    found.append(
                        ObjectiveDefined(
                            level="operational",
                            key=operational.code,
                            code=operational.code,
                            parent=strategic.key,
                            title=operational.title,
                            weight=operational.weight,
                            note=operational.note,
                            source=source,
                        )
                    )
                    for action in operational.actions:
                        found.append(
                            ObjectiveDefined(
                                level="action",
                                key=action.code,
                                code=action.code,
                                parent=operational.code,
                                title=action.title,
                                weight=action.weight,
                                kpi=action.kpi,
                                note=action.note,
                                source=source,
                            )
                        )
        for manager in self.managers:
            found.append(
                ManagerialObjectiveAssigned(
                    key=manager.key, manager=manager.manager, items=manager.items, source=source
                )
            )
        return found


def plan_document(data: Any, where: str) -> PlanDocument:
    """Validate a loaded plan file; the first problem is named by its path in the file."""
    if not isinstance(data, dict):
        raise UsageError(f"{where}: a plan file holds a mapping with `cycle` and `perspectives`")
    try:
        document = PlanDocument.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        path = _path(data, first["loc"])
        raise UsageError(f"{where}: {path}: {first['msg']}") from None
    if document.format != PLAN_FORMAT:
        raise UsageError(f"{where}: format {document.format!r} is not {PLAN_FORMAT!r}")
    return document


def _path(data: Any, loc: tuple[int | str, ...]) -> str:
    """`perspectives[0].strategic[1] (Competitività delle imprese).target` for a pydantic loc."""
    parts: list[str] = []
    node = data
    for step in loc:
        if isinstance(step, int):
            parts[-1] += f"[{step}]"
            node = node[step] if isinstance(node, list) and step < len(node) else None
            label = None
            if isinstance(node, dict):
                label = node.get("code") or node.get("key")
            if label:
                parts[-1] += f" ({label})"
        else:
            parts.append(str(step))
            node = node.get(step) if isinstance(node, dict) else None
    return ".".join(parts) or "plan"
