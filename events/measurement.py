"""What the controller measured or assessed, and corrections of it."""

from datetime import date
from decimal import Decimal
from typing import Any, Literal, cast, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator

from events.base import LedgerEvent
from events.errors import UsageError
from events.i18n import _
from events.registry import register, upcaster

AssessmentKind = Literal["qualitative", "deadline", "boolean", "achievement"]
Precision = Literal["day", "month"]
Bound = Literal["at_least", "at_most"]
"""A value known only as a bound: `≥95%` is at_least 95, `≤5 gg` at_most 5."""


def as_assessment_kind(text: str) -> AssessmentKind:
    """The kind of assessment named, or a usage error listing the kinds."""
    for kind in get_args(AssessmentKind):
        if kind == text:
            return cast("AssessmentKind", kind)
    raise UsageError(
        _("{text} is not qualitative, deadline, boolean or achievement").format(text=repr(text))
    )


class Period(BaseModel):
    """The span a measurement covers (distinct from its effective date and recorded time)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: date
    end: date

    @model_validator(mode="after")
    def _ordered(self) -> "Period":
        if self.end < self.start:
            raise ValueError(
                _("period ends ({end}) before it starts ({start})").format(
                    end=self.end, start=self.start
                )
            )
        return self


def check_value_form(
    value: Decimal | None, numerator: Decimal | None, denominator: Decimal | None, bound: str | None
) -> None:
    """A measured value is a number, or a numerator and a denominator; a bound is on a number."""
    if (numerator is None) != (denominator is None):
        raise ValueError(_("a ratio needs both its numerator and its denominator"))
    if value is not None and numerator is not None:
        raise ValueError(_("give the value or the numerator and denominator, not both"))
    if denominator is not None and denominator == 0:
        raise ValueError(_("the denominator of a ratio cannot be 0"))
    if bound is not None and value is None:
        raise ValueError(_("a bound (≥ or ≤) is a bound on a value: give the value"))


@register
class MeasurementRecorded(LedgerEvent):
    """The controller measured an indicator's numeric KPI for a period.

    The value is `value` (possibly only a `bound`: `≥95%` is value 95, bound at_least), or a
    ratio given as `numerator` and `denominator`, both kept as evidence and divided exactly.
    v2 added the ratio and the bound, and made `value` optional.
    """

    type_name = "MeasurementRecorded"
    schema_version = 2

    action: str
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    bound: Bound | None = None
    unit: str | None = None
    period: Period
    evidence: str | None = None

    @model_validator(mode="after")
    def _one_form(self) -> "MeasurementRecorded":
        if self.value is None and self.numerator is None:
            raise ValueError(_("a measurement needs its value, or a numerator and a denominator"))
        check_value_form(self.value, self.numerator, self.denominator, self.bound)
        return self


@upcaster("MeasurementRecorded", 1)
def _measurement_v1(payload: dict[str, Any]) -> dict[str, Any]:
    """v1 always had a plain value: it reads as it is."""
    return payload


@register
class AssessmentRecorded(LedgerEvent):
    """The controller assessed an action that is not a plain number.

    - qualitative: the `level` reached (e.g. `eccellente`);
    - deadline: when it was done (`completed_on`, to the day or only the month);
    - boolean: whether it was done (`met`);
    - achievement: the % raggiungimento stated directly, when no measured value exists; the
      review shows every such score, and whether the KPI's rule would give it.
    """

    type_name = "AssessmentRecorded"

    action: str
    kind: AssessmentKind
    level: str | None = None
    completed_on: date | None = None
    precision: Precision | None = None
    met: bool | None = None
    achievement: Decimal | None = Field(default=None, ge=0, le=100)
    period: Period
    evidence: str | None = None

    @model_validator(mode="after")
    def _fields_of_its_kind(self) -> "AssessmentRecorded":
        needed = {
            "qualitative": self.level,
            "deadline": self.completed_on,
            "boolean": self.met,
            "achievement": self.achievement,
        }[self.kind]
        if needed is None:
            raise ValueError(
                {
                    "qualitative": _("a qualitative assessment needs its value"),
                    "deadline": _("a deadline assessment needs its value"),
                    "boolean": _("a boolean assessment needs its value"),
                    "achievement": _("an achievement assessment needs its value"),
                }[self.kind]
            )
        return self


@register
class MeasurementCorrected(LedgerEvent):
    """A recorded measurement or assessment was wrong; this gives the right value, and why.

    Exactly the fields of the corrected event's kind are given (`value`, or `numerator` and
    `denominator`, for a measurement; `level`, `completed_on`, `met` or `achievement` for an
    assessment). A new value replaces the old one whole: a corrected bound is given again.
    v2 added the ratio and the bound.
    """

    type_name = "MeasurementCorrected"
    schema_version = 2

    corrects: str
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    bound: Bound | None = None
    unit: str | None = None
    level: str | None = None
    completed_on: date | None = None
    precision: Precision | None = None
    met: bool | None = None
    achievement: Decimal | None = Field(default=None, ge=0, le=100)
    reason: str

    @model_validator(mode="after")
    def _one_form(self) -> "MeasurementCorrected":
        check_value_form(self.value, self.numerator, self.denominator, self.bound)
        return self


@upcaster("MeasurementCorrected", 1)
def _correction_v1(payload: dict[str, Any]) -> dict[str, Any]:
    """v1 corrected plain values only: it reads as it is."""
    return payload
