"""How one indicator scores: its KPI's rule applied to what was observed, under the policy.

The rule's score is always computed when the facts allow it, even when the controller stated
an achievement directly: the review compares the two. Scores are exact (`Fraction`): a ratio
of 2 to 3 is two thirds, never 0,6667.
"""

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal, TypeVar

from events.i18n import N_, _
from events.measurement import Bound, Precision
from events.plan import NUMERIC_KINDS, Kpi, Ratio
from events.policy import ScoringPolicy
from projections.errors import ValueKindMismatch
from projections.numbers import italian_number
from projections.rollup import HUNDRED, ZERO, fraction_of, to_decimal

R = TypeVar("R")
_new_object = object.__new__


def made(cls: type[R], values: dict[str, Any]) -> R:
    """`cls(**values)` of a frozen dataclass, every one of its fields given, without its
    `__init__` (an `object.__setattr__` per field): the folds and the cruscotto make one
    observation, node and row per indicator of every cycle they replay, and this makes each in
    a third of the time. The same record: equal, copied and pickled as the one `__init__`
    makes (tests/projections/test_replay_fold.py)."""
    record = _new_object(cls)
    record.__dict__.update(values)
    return record


ObservationKind = Literal["measurement", "qualitative", "deadline", "boolean", "achievement"]
BOUND_SIGNS = {"at_least": "≥", "at_most": "≤"}


@dataclass(frozen=True)
class Observation:
    """The current (corrected) facts about an indicator, and an achievement stated directly.

    A measured value is `value` (perhaps only a `bound` on it), or `numerator` / `denominator`,
    or a figure of another node the ledger computed (`computed`).
    """

    kind: ObservationKind
    value: Decimal | None = None
    unit: str | None = None
    level: str | None = None
    completed_on: date | None = None
    precision: Precision | None = None
    met: bool | None = None
    achievement: Decimal | None = None
    event_id: str = ""
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    bound: Bound | None = None
    computed: Fraction | None = None

    def exact(self, ratio: Ratio | None = None) -> Fraction | None:
        """The measured value, exact: the ratio divided out, scaled (× 100 for a %) and offset,
        or the figure of another node the ledger computed (`computed`)."""
        if self.computed is not None:
            return self.computed
        if self.numerator is not None and self.denominator is not None:
            scale, offset = (ratio.scale, ratio.offset) if ratio else (Decimal(1), Decimal(0))
            divided = Fraction(self.numerator) / Fraction(self.denominator)
            return divided * Fraction(scale) + Fraction(offset)
        return None if self.value is None else fraction_of(self.value)

    def shown(self, ratio: Ratio | None = None) -> str:
        """The measured value as the cruscotto prints it (`35,87`, `≥ 95`, `90,00 (45/50)`)."""
        if self.computed is not None:
            return italian_number(to_decimal(self.computed) or Decimal(0), 2)
        if self.numerator is not None and self.denominator is not None:
            ratio_value = to_decimal(self.exact(ratio)) or Decimal(0)
            parts = (italian_number(self.numerator), italian_number(self.denominator))
            return f"{italian_number(ratio_value, 2)} ({parts[0]}/{parts[1]})"
        if self.value is not None:
            whole = self.value == self.value.to_integral_value()
            number = italian_number(self.value, None if whole else max(2, _decimals(self.value)))
            return f"{BOUND_SIGNS[self.bound]} {number}" if self.bound else number
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
    """An indicator's computed score, and what the KPI's rule alone gives from the facts.

    `exact` is the computed score as a Fraction, the figure the rollup uses.
    """

    computed: Decimal | None
    rule_score: Decimal | None
    scored_by: Literal["rule", "assessment"]
    explanation: str
    exact: Fraction | None = None


FITTING_KINDS: dict[str, tuple[ObservationKind, ...]] = {
    "threshold": ("measurement", "achievement"),
    "proportional": ("measurement", "achievement"),
    "linear": ("measurement", "achievement"),
    "deadline": ("deadline", "achievement"),
    "qualitative": ("qualitative", "achievement"),
    "boolean": ("boolean", "achievement"),
}

KPI_KIND_WORDS = {
    "threshold": N_("threshold (a KPI's kind)"),
    "proportional": N_("proportional (a KPI's kind)"),
    "linear": N_("linear (a KPI's kind)"),
    "deadline": N_("deadline (a KPI's kind)"),
    "qualitative": N_("qualitative (a KPI's kind)"),
    "boolean": N_("boolean (a KPI's kind)"),
}
OBSERVATION_WORDS = {
    "measurement": N_("measurement (what a KPI takes)"),
    "deadline": N_("deadline (what a KPI takes)"),
    "qualitative": N_("qualitative (what a KPI takes)"),
    "boolean": N_("boolean (what a KPI takes)"),
    "achievement": N_("achievement (what a KPI takes)"),
}
"""The kinds' words in a refusal: a translator's entry for each; in English, the identifier."""


def _worded(kind: str, words: dict[str, str]) -> str:
    """The kind in the reader's language; the identifier itself where the catalog has none."""
    label = words.get(kind)
    if label is None or _(label) == label:
        return kind
    return _(label)


def check_fits(action: str, kpi: Kpi, observation: Observation, policy: ScoringPolicy) -> None:
    """Refuse an observation of the wrong kind for the indicator's KPI, naming both."""
    if observation.kind not in FITTING_KINDS[kpi.kind]:
        expected = _(" or ").join(
            _worded(k, OBSERVATION_WORDS) for k in FITTING_KINDS[kpi.kind] if k != "achievement"
        )
        raise ValueKindMismatch(
            _(
                "action {action} has a {kind} KPI ({description}): it takes a {expected}, "
                "not a {given}"
            ).format(
                action=action,
                kind=_worded(kpi.kind, KPI_KIND_WORDS),
                description=kpi.description,
                expected=expected,
                given=_worded(observation.kind, OBSERVATION_WORDS),
            )
        )
    if kpi.derived_from is not None and observation.kind == "measurement":
        raise ValueKindMismatch(
            _(
                "{action} takes its value from {node} ({figure}): it is computed, not measured"
            ).format(action=action, node=kpi.derived_from.node, figure=kpi.derived_from.figure)
        )
    is_ratio = observation.numerator is not None
    if observation.kind == "measurement" and kpi.ratio is not None and not is_ratio:
        raise ValueKindMismatch(
            _(
                "{action} is a ratio ({numerator} / {denominator}): give the numerator and the "
                "denominator, not the value"
            ).format(
                action=action, numerator=kpi.ratio.numerator, denominator=kpi.ratio.denominator
            )
        )
    if is_ratio and kpi.ratio is None:
        raise ValueKindMismatch(
            _("{action} is not a ratio in the plan: give its value").format(action=action)
        )
    scale = kpi.scale(policy.qualitative_levels)
    if observation.level is not None and observation.level.lower() not in scale:
        levels = ", ".join(scale)
        message = (
            _("level {level!r} of action {action} is not a level of this cycle's policy ({levels})")
            if kpi.levels is None
            else _("level {level!r} of action {action} is not a level of its KPI ({levels})")
        )
        raise ValueKindMismatch(
            message.format(level=observation.level, action=action, levels=levels)
        )
    unit = observation.unit
    if (
        observation.kind == "measurement"
        and unit
        and kpi.unit
        and _unit_key(unit) != _unit_key(kpi.unit)
    ):
        raise ValueKindMismatch(
            _("action {action} is measured in {unit!r}, not {given!r}").format(
                action=action, unit=kpi.unit, given=unit
            )
        )


def _unit_key(unit: str) -> str:
    aliases = {"gg": "giorni", "gg.": "giorni", "giorno": "giorni", "eur": "€", "euro": "€"}
    key = unit.strip().lower()
    return aliases.get(key, key)


def score_action(
    kpi: Kpi, observation: Observation, policy: ScoringPolicy, year: int | None = None
) -> Score:
    """The indicator's score: the stated achievement if any, else the KPI's rule."""
    rule, explanation = rule_score(kpi, observation, policy, year)
    if observation.achievement is not None:
        note = f"stated by assessment: {observation.achievement} %"
        if rule is not None:
            note += f" (the rule gives {_pct(rule)} %: {explanation})"
        stated = fraction_of(observation.achievement)
        return Score(observation.achievement, to_decimal(rule), "assessment", note, stated)
    computed = to_decimal(rule)
    return Score(computed, computed, "rule", explanation, rule)


def _pct(value: Fraction) -> str:
    return str(to_decimal(value))


def rule_score(
    kpi: Kpi, observation: Observation, policy: ScoringPolicy, year: int | None = None
) -> tuple[Fraction | None, str]:
    """What the KPI's rule gives from the observed facts, with a one-line reason."""
    value, done = observation.exact(kpi.ratio), observation.completed_on
    if kpi.kind in NUMERIC_KINDS and value is not None:
        target = kpi.target_for(year)
        if target is None:
            return None, _("no target for {year} in the plan: the rule cannot score it").format(
                year=year
            )
        if observation.bound is not None:
            return _bounded(kpi, target, value, observation.bound, policy)
        return numeric_score(kpi, target, value, policy)
    if kpi.kind == "deadline" and done is not None and kpi.deadline is not None:
        return _deadline(kpi.deadline, done, observation.precision, policy)
    if kpi.kind == "qualitative" and observation.level is not None:
        score = kpi.scale(policy.qualitative_levels)[observation.level.lower()]
        return Fraction(score), f"level {observation.level} scores {score}"
    if kpi.kind == "boolean" and observation.met is not None:
        score = policy.boolean_yes if observation.met else policy.boolean_no
        return Fraction(score), f"{'done' if observation.met else 'not done'} scores {score}"
    return None, "no measured value: the rule cannot score it"


def numeric_score(
    kpi: Kpi, target: Fraction, value: Fraction, policy: ScoringPolicy
) -> tuple[Fraction, str]:
    """A numeric KPI's score for an exact value against an exact target."""
    if kpi.kind == "threshold":
        return _threshold(kpi, target, value, policy)
    if kpi.kind == "proportional":
        return _proportional(kpi, target, value)
    return _linear(kpi, target, value)


def _bounded(
    kpi: Kpi, target: Fraction, bound: Fraction, side: Bound, policy: ScoringPolicy
) -> tuple[Fraction | None, str]:
    """A value known only as a bound, scored the way the KPI (or else the policy) states."""
    how = kpi.bounds or policy.bounds
    sign = BOUND_SIGNS[side]
    shown = f"{sign} {_number(bound)}"
    if how == "unscored":
        return None, _(
            "known only as {shown}: not scored (bounds: unscored); an assessment must state it"
        ).format(shown=shown)
    at_bound, reason = numeric_score(kpi, target, bound, policy)
    favourable = (side == "at_least") == (kpi.direction == "higher")
    if how == "at_bound" or favourable:
        return at_bound, _("known only as {shown}, scored at the bound ({how}): {reason}").format(
            shown=shown, how=how, reason=reason
        )
    lowest = Fraction(policy.levels.below) if kpi.kind == "threshold" else ZERO
    return lowest, _(
        "known only as {shown}, on the bad side of the bound: scored at the lowest score the "
        "facts allow ({how})"
    ).format(shown=shown, how=how)


def _number(value: Fraction) -> str:
    decimal = to_decimal(value) or Decimal(0)
    return italian_number(
        decimal.normalize() if decimal == decimal.to_integral_value() else decimal
    )


def _threshold(
    kpi: Kpi, target: Fraction, value: Fraction, policy: ScoringPolicy
) -> tuple[Fraction, str]:
    higher = kpi.direction == "higher"
    steps = [("target", target, policy.levels.target)]
    for threshold in sorted(kpi.thresholds, key=lambda t: 0 if t.level == "medio" else 1):
        steps.append(
            (threshold.level, fraction_of(threshold.value), getattr(policy.levels, threshold.level))
        )
    for level, bound, score in steps:
        if value >= bound if higher else value <= bound:
            return fraction_of(score), f"{_dec(value)} reaches {level} {_dec(bound)}"
    last_level, last_bound, _score = steps[-1]
    return (
        fraction_of(policy.levels.below),
        f"{_dec(value)} is worse than {last_level} {_dec(last_bound)}",
    )


def _dec(value: Fraction) -> str:
    return str(to_decimal(value))


def _proportional(kpi: Kpi, target: Fraction, value: Fraction) -> tuple[Fraction, str]:
    cap = Fraction(kpi.cap) if kpi.cap is not None else HUNDRED
    if kpi.direction == "higher":
        ratio = HUNDRED if target == 0 else value / target * HUNDRED
    else:
        ratio = cap if value <= 0 else target / value * HUNDRED
    if kpi.floor is not None and ratio < Fraction(kpi.floor):
        return ZERO, _("{value} against target {target} is below the floor {floor} %").format(
            value=_dec(value), target=_dec(target), floor=kpi.floor
        )
    score = max(ZERO, min(cap, ratio))
    return score, f"{_dec(value)} against target {_dec(target)}, capped at {_dec(cap)}"


def _linear(kpi: Kpi, target: Fraction, value: Fraction) -> tuple[Fraction, str]:
    """0 (or `minimum_score`) at the minimum, 100 at the target, linear between."""
    minimum = Fraction(kpi.minimum if kpi.minimum is not None else 0)
    low = Fraction(kpi.minimum_score if kpi.minimum_score is not None else 0)
    sign = 1 if kpi.direction == "higher" else -1
    if sign * value >= sign * target:
        return HUNDRED, _("{value} reaches the target {target}").format(
            value=_dec(value), target=_dec(target)
        )
    if sign * value < sign * minimum:
        return ZERO, _("{value} is worse than the minimum {minimum}").format(
            value=_dec(value), minimum=_dec(minimum)
        )
    share = (value - minimum) / (target - minimum)
    score = low + (HUNDRED - low) * share
    return score, _("{value} between the minimum {minimum} and the target {target}").format(
        value=_dec(value), minimum=_dec(minimum), target=_dec(target)
    )


def _deadline(
    deadline: date, done: date, precision: Precision | None, policy: ScoringPolicy
) -> tuple[Fraction, str]:
    if precision == "month":
        # Known only to the month: on time only if the whole month is within the deadline.
        done = done.replace(day=calendar.monthrange(done.year, done.month)[1])
    late = (done - deadline).days
    if late <= 0:
        return Fraction(policy.levels.target), f"done {done} by the deadline {deadline}"
    for step in sorted(policy.deadline_steps, key=lambda s: s.days_late):
        if late <= step.days_late:
            return Fraction(step.score), f"done {late} days after the deadline {deadline}"
    return (
        Fraction(policy.levels.below),
        f"done {done}, {late} days after the deadline {deadline}",
    )


def month_end(year: int, month: int) -> date:
    """The last day of a month: a target month is met by the end of it."""
    return date(year, month, calendar.monthrange(year, month)[1])
