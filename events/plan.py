"""The Piano as events: its tree, amendments and withdrawals.

Nodes are identified by a `key`, unique in the cycle: the printed code where the plan prints
one (`1.1`, `3.3.1`), a slug the plan file gives otherwise. A node belongs to one level of the
cycle's tree (policy `tree`): the reference's perspectives, strategic and operational
objectives and actions, or any other administration's levels. Plan events are *pending* until
an approval puts them in force.
"""

import itertools
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from events.base import LedgerEvent
from events.exact import Exact
from events.i18n import _
from events.policy import BoundScoring, Figure
from events.registry import register, upcaster

Level = str
KpiKind = Literal["threshold", "proportional", "linear", "deadline", "qualitative", "boolean"]
NUMERIC_KINDS = ("threshold", "proportional", "linear")
Direction = Literal["higher", "lower"]
Weight = Annotated[Exact, Field(ge=0, le=100)]
"""A weight among siblings: a percentage (siblings sum to 100) or a share (they sum to 1),
kept exact, so that `1/3` three times (or `100/3`) sums to exactly one (or one hundred)."""


class PlanModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Threshold(PlanModel):
    """A level of a threshold KPI: reaching `value` scores the policy's score for `level`.

    `inferred` marks a threshold that no document prints and that was deduced from results.
    """

    level: Literal["medio", "minimo"]
    value: Decimal
    inferred: bool = False


class Baseline(PlanModel):
    """A target relative to past values: `factor` × the `statistic` of `values`, plus `offset`.

    "At least 1 × the mean of the last three years" is `values: {2017: ..., 2018: ...,
    2019: ...}`, `statistic: mean`, `factor: 1`; the values stay recorded with the plan.
    """

    values: dict[int, Decimal] = Field(min_length=1)
    statistic: Literal["mean", "last", "min", "max"] = "mean"
    factor: Exact = Fraction(1)
    offset: Decimal = Decimal(0)

    def reference(self) -> Fraction:
        """The statistic of the baseline values, exact."""
        values = [Fraction(self.values[year]) for year in sorted(self.values)]
        match self.statistic:
            case "mean":
                return sum(values, Fraction(0)) / len(values)
            case "last":
                return values[-1]
            case "min":
                return min(values)
            case _:
                return max(values)

    def target(self) -> Fraction:
        return self.factor * self.reference() + Fraction(self.offset)


class Ratio(PlanModel):
    """A KPI measured as numerator / denominator × `scale` (100 for a percentage) + `offset`.

    Both terms are recorded with each measurement, as evidence; the ratio is computed exactly.
    A change against a baseline (`+10,64 % vs 2018`) is the value over the baseline, scale 100,
    offset -100.
    """

    numerator: str
    denominator: str
    scale: Decimal = Decimal(1)
    offset: Decimal = Decimal(0)


class NodeRef(PlanModel):
    """A figure of another node (or of the ente, `node: ente`) that a KPI takes as its value."""

    node: str
    figure: Figure = "result"


class Kpi(PlanModel):
    """How an indicator is measured and what it aims at.

    - threshold: numeric, `target` scores the policy's target level, `thresholds` (medio,
      minimo) lower levels;
    - proportional: measured / target (target / measured when lower is better), at most `cap`
      (default 100); a ratio below `floor` (% of the target) scores 0;
    - linear: 0 (or `minimum_score`) at `minimum`, 100 at the target, linear between
      ("intervalli di variazione"); worse than `minimum` scores 0;
    - deadline: done by `deadline` (a day; a month target is its last day);
    - qualitative: a level among the policy's qualitative levels, or among the KPI's own
      `levels` where its scale is not the policy's (a report that assesses the grado di
      raggiungimento with one set of words and the tempo di realizzazione with another);
    - boolean: done or not done.
    A numeric target is one of `target`, `targets` (one per year of a triennial plan: the
    cycle's year chooses) or `baseline`. `ratio` makes the value numerator / denominator;
    `derived_from` takes it from another node's figure; `bounds` says how a value known only
    as a bound (`≥95%`) scores, where this KPI does not follow the policy.
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
    floor: Decimal | None = None
    minimum: Decimal | None = None
    minimum_score: Decimal | None = None
    targets: dict[int, Decimal] | None = None
    baseline: Baseline | None = None
    ratio: Ratio | None = None
    derived_from: NodeRef | None = None
    bounds: BoundScoring | None = None
    levels: dict[str, Decimal] | None = None

    @field_validator("levels")
    @classmethod
    def _levels_named(cls, value: dict[str, Decimal] | None) -> dict[str, Decimal] | None:
        if value is None:
            return None
        if not value:
            raise ValueError(_("a qualitative scale needs at least one level"))
        return {word.strip().lower(): score for word, score in value.items()}

    def scale(self, policy_levels: dict[str, Decimal]) -> dict[str, Decimal]:
        """The words this KPI is assessed with and what each scores."""
        return policy_levels if self.levels is None else self.levels

    @model_validator(mode="after")
    def _complete_for_its_kind(self) -> "Kpi":
        numeric = self.kind in NUMERIC_KINDS
        given = [
            name for name in ("target", "targets", "baseline") if getattr(self, name) is not None
        ]
        if numeric and not given:
            raise ValueError(
                _("a {kind} KPI needs a numeric target (target, targets or baseline)").format(
                    kind=self.kind
                )
            )
        if len(given) > 1:
            raise ValueError(
                _("give one of target, targets and baseline, not {given}").format(
                    given=" and ".join(given)
                )
            )
        if self.kind == "deadline" and self.deadline is None:
            raise ValueError(_("a deadline KPI needs a deadline"))
        if self.kind != "threshold" and self.thresholds:
            raise ValueError(_("only a threshold KPI has thresholds"))
        if self.kind != "qualitative" and self.levels is not None:
            raise ValueError(_("only a qualitative KPI has levels"))
        for name, kind in (("floor", "proportional"), ("minimum", "linear")):
            if getattr(self, name) is not None and self.kind != kind:
                raise ValueError(_("only a {kind} KPI has a {name}").format(kind=kind, name=name))
        if self.minimum_score is not None and self.kind != "linear":
            raise ValueError(_("only a linear KPI has a minimum_score"))
        if self.kind == "linear" and self.minimum is None:
            raise ValueError(_("a linear KPI needs its minimum (the value that scores 0)"))
        for name in ("ratio", "derived_from"):
            if getattr(self, name) is not None and not numeric:
                raise ValueError(_("only a numeric KPI has a {name}").format(name=name))
        if self.ratio is not None and self.derived_from is not None:
            raise ValueError(_("a KPI is a ratio or derived from another node, not both"))
        for target in self.possible_targets():
            self._check_against(target)
        return self

    def _better(self, first: Fraction, second: Fraction) -> bool:
        return first > second if self.direction == "higher" else first < second

    def _check_against(self, target: Fraction) -> None:
        better = self._better
        if self.kind == "threshold":
            ordered = [target, *(Fraction(t.value) for t in sorted(self.thresholds, key=_rank))]
            for first, second in itertools.pairwise(ordered):
                if not better(first, second):
                    raise ValueError(
                        _(
                            "thresholds must get worse from target to minimo ({direction} is "
                            "better): {first} then {second}"
                        ).format(
                            direction=self.direction, first=_shown(first), second=_shown(second)
                        )
                    )
        if (
            self.kind == "linear"
            and self.minimum is not None
            and not better(target, Fraction(self.minimum))
        ):
            raise ValueError(
                _(
                    "the minimum {minimum} must be worse than the target {target} "
                    "({direction} is better)"
                ).format(minimum=self.minimum, target=_shown(target), direction=self.direction)
            )

    def possible_targets(self) -> list[Fraction]:
        """Every numeric target this KPI can have (one per year for a triennial one)."""
        if self.target is not None:
            return [Fraction(self.target)]
        if self.targets is not None:
            return [Fraction(value) for _, value in sorted(self.targets.items())]
        if self.baseline is not None:
            return [self.baseline.target()]
        return []

    def target_for(self, year: int | None) -> Fraction | None:
        """The numeric target in force for the cycle's year (None if the plan gives none)."""
        if self.target is not None:
            return Fraction(self.target)
        if self.targets is not None:
            value = self.targets.get(year) if year is not None else None
            return None if value is None else Fraction(value)
        if self.baseline is not None:
            return self.baseline.target()
        return None


def _shown(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{float(value):g}"


def _rank(threshold: Threshold) -> int:
    return 0 if threshold.level == "medio" else 1


@register
class PerspectiveDefined(LedgerEvent):
    """A perspective of the Balanced Scorecard was added to the plan (the reference's top level;
    other trees define their top level with ObjectiveDefined)."""

    type_name = "PerspectiveDefined"

    key: str
    title: str
    weight: Decimal | None = None


@register
class ObjectiveDefined(LedgerEvent):
    """A node of any level of the tree but the reference's perspectives was added to the plan.

    `parent` is None for a node of the top level. `targets` are a triennial plan's own targets
    per year (the cycle's year chooses); `kpi` belongs to the indicators of the last level.
    v2 let `level` be any level of the cycle's tree, `parent` be empty, weights be fractions,
    and added `targets` (and the KPI's new forms).
    """

    type_name = "ObjectiveDefined"
    schema_version = 2

    level: Level
    key: str
    code: str | None = None
    parent: str | None = None
    title: str
    weight: Weight | None = None
    target: Decimal | None = None
    targets: dict[int, Decimal] | None = None
    kpi: Kpi | None = None


@upcaster("ObjectiveDefined", 1)
def _objective_v1(payload: dict[str, Any]) -> dict[str, Any]:
    """v1 levels (strategic, operational, action) are levels of the reference tree as they are."""
    return payload


@register
class ObjectiveAmended(LedgerEvent):
    """A node of the plan was changed; the fields given replace the ones in force. v2: as for
    ObjectiveDefined (fraction weights, `targets`, the KPI's new forms)."""

    type_name = "ObjectiveAmended"
    schema_version = 2

    key: str
    title: str | None = None
    weight: Weight | None = None
    target: Decimal | None = None
    targets: dict[int, Decimal] | None = None
    kpi: Kpi | None = None
    reason: str


@upcaster("ObjectiveAmended", 1)
def _amended_v1(payload: dict[str, Any]) -> dict[str, Any]:
    """v1 amendments read as they are: a decimal weight is an exact one."""
    return payload


@register
class ObjectiveWithdrawn(LedgerEvent):
    """A node (and everything under it) was taken out of the plan."""

    type_name = "ObjectiveWithdrawn"

    key: str
    reason: str


class ManagerialItem(PlanModel):
    """One node assigned to a manager (an action, an objective, or `ente`), with its weight in
    the manager's objectives."""

    action: str
    weight: Decimal = Field(ge=0, le=100)
    title: str | None = None


@register
class ManagerialObjectiveAssigned(LedgerEvent):
    """A manager's obiettivi dirigenziali: chosen nodes of the cruscotto, weighted.

    The weights are relative (points, percentages: any positive values, normalised). `points`
    is what these objectives are worth in the manager's evaluation (ATER Potenza 2015: 10 for
    the Direttore, 40 for each dirigente); the coefficient of conversion is points / Σ weights.
    v2 added `points`.
    """

    type_name = "ManagerialObjectiveAssigned"
    schema_version = 2

    key: str
    manager: str
    items: tuple[ManagerialItem, ...]
    points: Decimal | None = Field(default=None, gt=0)


@upcaster("ManagerialObjectiveAssigned", 1)
def _managers_v1(payload: dict[str, Any]) -> dict[str, Any]:
    """v1 had no points: the manager's result is the weighted mean, as before."""
    return payload
