"""How one action scores: its KPI's rule applied to what was observed, under the cycle's policy.

The rule's score is always computed when the facts allow it, even when the controller stated
an achievement directly: the review compares the two.
"""

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from events.measurement import Precision
from events.plan import Kpi
from events.policy import ScoringPolicy
from projections.errors import ValueKindMismatch
from projections.numbers import italian_number

HUNDRED = Decimal(100)
ObservationKind = Literal["measurement", "qualitative", "deadline", "boolean", "achievement"]


@dataclass(frozen=True)
class Observation:
    """The current (corrected) facts about an action, and an achievement stated directly."""

    kind: ObservationKind
    value: Decimal | None = None
    unit: str | None = None
    level: str | None = None
    completed_on: date | None = None
    precision: Precision | None = None
    met: bool | None = None
    achievement: Decimal | None = None
    event_id: str = ""

    def shown(self) -> str:
        """The measured value as the cruscotto prints it (`35,87`, `eccellente`, `10/2020`)."""
        if self.value is not None:
            whole = self.value == self.value.to_integral_value()
            return italian_number(self.value, None if whole else max(2, _decimals(self.value)))
        if self.level is not None:
            return self.level
        if self.completed_on is not None:
            if self.precision == "month":
                return self.completed_on.strftime("%m/%Y")
            return self.completed_on.strftime("%d/%m/%Y")
        if self.met is not None:
            return "sì" if self.met else "no"
        return ""


def _decimals(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


@dataclass(frozen=True)
class Score:
    """An action's computed score, and what the KPI's rule alone gives from the facts."""

    computed: Decimal | None
    rule_score: Decimal | None
    scored_by: Literal["rule", "assessment"]
    explanation: str


FITTING_KINDS: dict[str, tuple[ObservationKind, ...]] = {
    "threshold": ("measurement", "achievement"),
    "proportional": ("measurement", "achievement"),
    "deadline": ("deadline", "achievement"),
    "qualitative": ("qualitative", "achievement"),
    "boolean": ("boolean", "achievement"),
}


def check_fits(action: str, kpi: Kpi, observation: Observation, policy: ScoringPolicy) -> None:
    """Refuse an observation of the wrong kind for the action's KPI, naming both."""
    if observation.kind not in FITTING_KINDS[kpi.kind]:
        expected = " or ".join(k for k in FITTING_KINDS[kpi.kind] if k != "achievement")
        raise ValueKindMismatch(
            f"action {action} has a {kpi.kind} KPI ({kpi.description}): it takes a {expected}, "
            f"not a {observation.kind}"
        )
    if observation.level is not None and observation.level.lower() not in policy.qualitative_levels:
        levels = ", ".join(policy.qualitative_levels)
        raise ValueKindMismatch(
            f"level {observation.level!r} of action {action} is not a level of this cycle's "
            f"policy ({levels})"
        )
    unit = observation.unit
    if (
        observation.kind == "measurement"
        and unit
        and kpi.unit
        and _unit_key(unit) != _unit_key(kpi.unit)
    ):
        raise ValueKindMismatch(f"action {action} is measured in {kpi.unit!r}, not {unit!r}")


def _unit_key(unit: str) -> str:
    aliases = {"gg": "giorni", "gg.": "giorni", "giorno": "giorni", "eur": "€", "euro": "€"}
    key = unit.strip().lower()
    return aliases.get(key, key)


def score_action(kpi: Kpi, observation: Observation, policy: ScoringPolicy) -> Score:
    """The action's score: the stated achievement if any, else the KPI's rule."""
    rule, explanation = rule_score(kpi, observation, policy)
    if observation.achievement is not None:
        note = f"stated by assessment: {observation.achievement} %"
        if rule is not None:
            note += f" (the rule gives {rule} %: {explanation})"
        return Score(observation.achievement, rule, "assessment", note)
    return Score(rule, rule, "rule", explanation)


def rule_score(
    kpi: Kpi, observation: Observation, policy: ScoringPolicy
) -> tuple[Decimal | None, str]:
    """What the KPI's rule gives from the observed facts, with a one-line reason."""
    value, target, done = observation.value, kpi.target, observation.completed_on
    if kpi.kind == "threshold" and value is not None and target is not None:
        return _threshold(kpi, target, value, policy)
    if kpi.kind == "proportional" and value is not None and target is not None:
        return _proportional(kpi, target, value)
    if kpi.kind == "deadline" and done is not None and kpi.deadline is not None:
        return _deadline(kpi.deadline, done, observation.precision, policy)
    if kpi.kind == "qualitative" and observation.level is not None:
        score = policy.qualitative_levels[observation.level.lower()]
        return score, f"level {observation.level} scores {score}"
    if kpi.kind == "boolean" and observation.met is not None:
        score = policy.boolean_yes if observation.met else policy.boolean_no
        return score, f"{'done' if observation.met else 'not done'} scores {score}"
    return None, "no measured value: the rule cannot score it"


def _threshold(
    kpi: Kpi, target: Decimal, value: Decimal, policy: ScoringPolicy
) -> tuple[Decimal, str]:
    higher = kpi.direction == "higher"

    def reaches(bound: Decimal) -> bool:
        return value >= bound if higher else value <= bound

    steps = [("target", target, policy.levels.target)]
    for threshold in sorted(kpi.thresholds, key=lambda t: 0 if t.level == "medio" else 1):
        steps.append((threshold.level, threshold.value, getattr(policy.levels, threshold.level)))
    for level, bound, score in steps:
        if reaches(bound):
            return score, f"{value} reaches {level} {bound}"
    last_level, last_bound, _ = steps[-1]
    return policy.levels.below, f"{value} is worse than {last_level} {last_bound}"


def _proportional(kpi: Kpi, target: Decimal, value: Decimal) -> tuple[Decimal, str]:
    cap = kpi.cap if kpi.cap is not None else HUNDRED
    if kpi.direction == "higher":
        ratio = HUNDRED if target == 0 else value / target * HUNDRED
    else:
        ratio = cap if value <= 0 else target / value * HUNDRED
    score = max(Decimal(0), min(cap, ratio))
    return score, f"{value} against target {target}, capped at {cap}"


def _deadline(
    deadline: date, done: date, precision: Precision | None, policy: ScoringPolicy
) -> tuple[Decimal, str]:
    if precision == "month":
        # Known only to the month: on time only if the whole month is within the deadline.
        done = done.replace(day=calendar.monthrange(done.year, done.month)[1])
    late = (done - deadline).days
    if late <= 0:
        return policy.levels.target, f"done {done} by the deadline {deadline}"
    for step in sorted(policy.deadline_steps, key=lambda s: s.days_late):
        if late <= step.days_late:
            return step.score, f"done {late} days after the deadline {deadline}"
    return policy.levels.below, f"done {done}, {late} days after the deadline {deadline}"


def month_end(year: int, month: int) -> date:
    """The last day of a month: a target month is met by the end of it."""
    return date(year, month, calendar.monthrange(year, month)[1])
