"""The Piano della Performance as events: its tree, amendments and withdrawals.

Nodes are identified by a `key`, unique in the cycle: the printed code for operational
objectives and actions (`1.1`, `3.3.1`), a slug the plan file gives for perspectives and
strategic objectives, which the seed prints without codes. Plan events are *pending* until
an approval puts them in force.
"""

import itertools
from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from events.base import LedgerEvent
from events.registry import register

Level = Literal["strategic", "operational", "action"]
KpiKind = Literal["threshold", "proportional", "deadline", "qualitative", "boolean"]
Direction = Literal["higher", "lower"]


class PlanModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Threshold(PlanModel):
    """A level of a threshold KPI: reaching `value` scores the policy's score for `level`.

    `inferred` marks a threshold that no document prints and that was deduced from results.
    """

    level: Literal["medio", "minimo"]
    value: Decimal
    inferred: bool = False


class Kpi(PlanModel):
    """How an action is measured and what it aims at.

    - threshold: numeric, `target` scores 100, `thresholds` (medio, minimo) lower levels;
    - proportional: numeric, measured/target (or target/measured when lower is better), capped;
    - deadline: done by `deadline` (a day; a month target is its last day);
    - qualitative: a level among the policy's qualitative levels;
    - boolean: done or not done.
    `target_label` keeps the target as printed (`28 gg.`, `dicembre`, `qualitativo`).
    """

    description: str
    kind: KpiKind
    unit: str | None = None
    direction: Direction = "higher"
    target: Decimal | None = None
    target_label: str | None = None
    thresholds: tuple[Threshold, ...] = ()
    cap: Decimal | None = None
    deadline: date | None = None

    @model_validator(mode="after")
    def _complete_for_its_kind(self) -> "Kpi":
        if self.kind in ("threshold", "proportional") and self.target is None:
            raise ValueError(f"a {self.kind} KPI needs a numeric target")
        if self.kind == "deadline" and self.deadline is None:
            raise ValueError("a deadline KPI needs a deadline")
        if self.kind != "threshold" and self.thresholds:
            raise ValueError("only a threshold KPI has thresholds")
        if self.kind == "threshold" and self.target is not None:
            ordered = [self.target, *(t.value for t in sorted(self.thresholds, key=_level_rank))]
            for better, lower in itertools.pairwise(ordered):
                if not (better > lower if self.direction == "higher" else better < lower):
                    raise ValueError(
                        f"thresholds must get worse from target to minimo ({self.direction} is "
                        f"better): {better} then {lower}"
                    )
        return self


def _level_rank(threshold: Threshold) -> int:
    return 0 if threshold.level == "medio" else 1


@register
class PerspectiveDefined(LedgerEvent):
    """A perspective of the Balanced Scorecard was added to the plan."""

    type_name = "PerspectiveDefined"

    key: str
    title: str
    weight: Decimal | None = None


@register
class ObjectiveDefined(LedgerEvent):
    """A strategic or operational objective, or an action, was added to the plan."""

    type_name = "ObjectiveDefined"

    level: Level
    key: str
    code: str | None = None
    parent: str
    title: str
    weight: Decimal | None = Field(default=None, ge=0, le=100)
    target: Decimal | None = None
    kpi: Kpi | None = None

    @model_validator(mode="after")
    def _kpi_only_on_actions(self) -> "ObjectiveDefined":
        if self.level == "action" and self.kpi is None:
            raise ValueError(f"action {self.key} needs a KPI")
        if self.level != "action" and self.kpi is not None:
            raise ValueError(f"{self.level} objective {self.key} cannot have a KPI")
        return self


@register
class ObjectiveAmended(LedgerEvent):
    """A node of the plan was changed; the fields given replace the ones in force."""

    type_name = "ObjectiveAmended"

    key: str
    title: str | None = None
    weight: Decimal | None = Field(default=None, ge=0, le=100)
    target: Decimal | None = None
    kpi: Kpi | None = None
    reason: str


@register
class ObjectiveWithdrawn(LedgerEvent):
    """A node (and everything under it) was taken out of the plan."""

    type_name = "ObjectiveWithdrawn"

    key: str
    reason: str


class ManagerialItem(PlanModel):
    """One action assigned to a manager, with its weight in the manager's objectives."""

    action: str
    weight: Decimal = Field(ge=0, le=100)
    title: str | None = None


@register
class ManagerialObjectiveAssigned(LedgerEvent):
    """A manager's obiettivi dirigenziali: chosen actions of the cruscotto, weighted."""

    type_name = "ManagerialObjectiveAssigned"

    key: str
    manager: str
    items: tuple[ManagerialItem, ...]
