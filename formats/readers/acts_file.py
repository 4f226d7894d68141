"""The acts file: a whole cycle as its documents tell it, one act after another.

`ledger load FILE` (and `ledger example`) read it. Each act is carried out by the same use case
as `ledger record ...`, with values parsed by the same Italian parsers; its `id` becomes its
idempotency key, so loading the file again records nothing. The file is a backfill: every
event names the document it was transcribed from (the file's `source`, or `--source`). The
format is documented in docs/acts.md; its JSON Schema (docs/acts.schema.json) is generated
from these models.

acts/1 files (the format before bodies were data) are read as they are: an approval's or a
validation's `number` was the act as printed, which acts/2 calls `label`.
"""

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from events.acts import Subject
from events.errors import UsageError
from events.i18n import _
from events.measurement import AssessmentKind
from events.oversight import ReportedMeasure, check_counted_level
from projections.documents import published_schema, validated

ACTS_FORMAT = "performance-ledger/acts/2"
ACTS_FORMATS = ("performance-ledger/acts/1", ACTS_FORMAT)
Number = Annotated[
    str | int | Decimal, Field(description="a number as written: 35,87 or 1.100 or '≥ 95 %'")
]
Day = Annotated[date | str, Field(description="a day: 27/01/2020 or 2020-01-27")]


class ActModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    id: str = Field(description="unique in the file: it becomes the act's idempotency key")
    date: Day = Field(description="the act's effective date")
    actor: str | None = Field(default=None, description="who did it (default: --actor)")
    role: str | None = Field(default=None, description="in which role (default: the act's own)")
    note: str | None = None
    source: str | None = Field(default=None, description="this act's document, if not the file's")


class PlanAct(ActModel):
    """Import a plan file (relative to the acts file's folder); pending until approved."""

    act: Literal["plan"]
    file: str


class ActorAct(ActModel):
    """Register an actor of the cycle in a role."""

    model_config = ConfigDict(populate_by_name=True)

    act: Literal["actor"]
    name: str
    as_: str = Field(alias="as")
    display_name: str | None = None


class ApprovalAct(ActModel):
    """An approval: `label` as printed, or `number` (and `kind`) written as `body` writes them."""

    act: Literal["approval"]
    subject: Subject
    label: str | None = None
    body: str | None = None
    kind: str | None = None
    number: str | None = None


class MeasurementAct(ActModel):
    """A measured value (`35,87`, `≥ 95 %`), or a ratio's `numerator` and `denominator`."""

    act: Literal["measurement"]
    action: str
    value: Number | None = None
    numerator: Number | None = None
    denominator: Number | None = None
    unit: str | None = None
    period: str | None = None
    evidence: str | None = None


class AssessmentAct(ActModel):
    """A qualitative level, a completion day or month, a yes/no, or a stated achievement."""

    act: Literal["assessment"]
    action: str
    kind: AssessmentKind
    level: str | None = None
    completed_on: str | date | None = None
    met: bool | None = None
    achievement: Number | None = None
    period: str | None = None
    evidence: str | None = None


class CorrectionAct(ActModel):
    """The right value of an earlier measurement or assessment (`corrects`: its act id)."""

    act: Literal["correction"]
    corrects: str
    reason: str
    value: Number | None = None
    numerator: Number | None = None
    denominator: Number | None = None
    unit: str | None = None
    level: str | None = None
    completed_on: str | date | None = None
    met: bool | None = None
    achievement: Number | None = None


class OverrideAct(ActModel):
    """An override decided sentito l'OIV."""

    act: Literal["override"]
    node: str
    achievement: Number
    rationale: str
    oiv_heard_on: Day


class OverrideWithdrawalAct(ActModel):
    act: Literal["override_withdrawal"]
    node: str
    reason: str


class AmendmentAct(ActModel):
    """A change of a node of the plan; pending until a plan_update approves it."""

    act: Literal["amendment"]
    node: str
    reason: str
    title: str | None = None
    weight: Number | None = None
    target: Number | None = None


class WithdrawalAct(ActModel):
    act: Literal["withdrawal"]
    node: str
    reason: str


class ValidationAct(ActModel):
    """The OIV's (or Nucleo di valutazione's) validation of the Relazione."""

    act: Literal["validation"]
    label: str | None = None
    opinion: str | None = None


class PublicationAct(ActModel):
    act: Literal["publication"]
    where: str


class ClosingAct(ActModel):
    act: Literal["closing", "close"]


class ReopeningAct(ActModel):
    act: Literal["reopening"]
    reason: str


class ReportedAct(ActModel):
    """A figure as a published document printed it (`value` as printed: `90,00 %`); `level` is
    the word a `count` or `share` counts."""

    act: Literal["reported"]
    document: str
    where: str
    measure: ReportedMeasure
    node: str | None = None
    level: str | None = None
    value: Number

    @model_validator(mode="after")
    def _level_where_counted(self) -> "ReportedAct":
        check_counted_level(self.measure, self.level)
        return self


Act = Annotated[
    PlanAct
    | ActorAct
    | ApprovalAct
    | MeasurementAct
    | AssessmentAct
    | CorrectionAct
    | OverrideAct
    | OverrideWithdrawalAct
    | AmendmentAct
    | WithdrawalAct
    | ValidationAct
    | PublicationAct
    | ClosingAct
    | ReopeningAct
    | ReportedAct,
    Field(discriminator="act"),
]


class ActsDocument(BaseModel):
    """A cycle's acts, in the order they happened."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    format: Literal["performance-ledger/acts/1", "performance-ledger/acts/2"] = (
        "performance-ledger/acts/2"
    )
    id: str | None = Field(
        default=None, description="the file's key prefix (default: acts:CYCLE); keep it stable"
    )
    cycle: str
    source: str | None = Field(default=None, description="the document the acts come from")
    acts: tuple[Act, ...]

    @model_validator(mode="before")
    @classmethod
    def _acts_v1(cls, data: Any) -> Any:
        if not isinstance(data, dict) or data.get("format") != ACTS_FORMATS[0]:
            return data
        acts = []
        for raw in data.get("acts") or []:
            if isinstance(raw, dict) and raw.get("act") in ("approval", "validation"):
                raw = dict(raw)
                if "number" in raw and "label" not in raw:
                    raw["label"] = raw.pop("number")
            acts.append(raw)
        return {**data, "acts": acts}

    @model_validator(mode="after")
    def _ids_unique(self) -> "ActsDocument":
        seen: set[str] = set()
        for act in self.acts:
            if act.id in seen:
                raise ValueError(_("act id {id} appears twice").format(id=repr(act.id)))
            seen.add(act.id)
        return self

    @property
    def key_prefix(self) -> str:
        return self.id or f"acts:{self.cycle}"


def acts_document(data: Any, where: str) -> ActsDocument:
    """Validate a loaded acts file; the first problem is named by its path in the file."""
    if not isinstance(data, dict) or "acts" not in data:
        raise UsageError(
            _("{where}: not an acts file (format: {expected}, with cycle and acts)").format(
                where=where, expected=ACTS_FORMAT
            )
        )
    return validated(ActsDocument, data, where, labels=("id",), tags=("act",), empty="acts")


def acts_schema() -> dict[str, Any]:
    """The JSON Schema of the acts file, generated from the models (docs/acts.schema.json)."""
    title = "Atti del ciclo della performance (performance-ledger/acts/2)"
    return published_schema(ActsDocument, "acts.schema.json", title)
