"""What the controller measured or assessed, and corrections of it."""

from datetime import date
from decimal import Decimal
from typing import Literal, cast, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator

from events.base import LedgerEvent
from events.errors import UsageError
from events.registry import register

AssessmentKind = Literal["qualitative", "deadline", "boolean", "achievement"]
Precision = Literal["day", "month"]


def as_assessment_kind(text: str) -> AssessmentKind:
    """The kind of assessment named, or a usage error listing the kinds."""
    for kind in get_args(AssessmentKind):
        if kind == text:
            return cast("AssessmentKind", kind)
    raise UsageError(f"{text!r} is not qualitative, deadline, boolean or achievement")


class Period(BaseModel):
    """The span a measurement covers (distinct from its effective date and recorded time)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: date
    end: date

    @model_validator(mode="after")
    def _ordered(self) -> "Period":
        if self.end < self.start:
            raise ValueError(f"period ends ({self.end}) before it starts ({self.start})")
        return self


@register
class MeasurementRecorded(LedgerEvent):
    """The controller measured an action's numeric KPI for a period."""

    type_name = "MeasurementRecorded"

    action: str
    value: Decimal
    unit: str | None = None
    period: Period
    evidence: str | None = None


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
            raise ValueError(f"a {self.kind} assessment needs its value")
        return self


@register
class MeasurementCorrected(LedgerEvent):
    """A recorded measurement or assessment was wrong; this gives the right value, and why.

    Exactly the fields of the corrected event's kind are given (`value` for a measurement,
    `level`, `completed_on`, `met` or `achievement` for an assessment).
    """

    type_name = "MeasurementCorrected"

    corrects: str
    value: Decimal | None = None
    unit: str | None = None
    level: str | None = None
    completed_on: date | None = None
    precision: Precision | None = None
    met: bool | None = None
    achievement: Decimal | None = Field(default=None, ge=0, le=100)
    reason: str
