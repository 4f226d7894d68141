"""The formal acts of the cycle: approvals, the evaluator's validation, publication.

Who acts differs between administrations: a Giunta approves a comune's Piano, a Consiglio di
amministrazione a university's, a Direttore generale an azienda sanitaria's by decree; a
Nucleo di valutazione validates where an OIV does elsewhere. The bodies and the way their acts
are named are data: a cycle names its own (`Body`), or uses the catalogue below.
"""

from typing import Any, Literal, cast, get_args

from pydantic import BaseModel, ConfigDict, Field

from events.base import LedgerEvent
from events.errors import UsageError
from events.i18n import _
from events.registry import register, upcaster

Subject = Literal["smvp", "plan", "plan_update", "operational_plan", "relazione"]
Container = Literal["piano", "piao"]
PLAN_SUBJECTS: tuple[Subject, ...] = ("plan", "plan_update", "operational_plan")
"""The approvals that put pending plan changes in force."""


def as_subject(text: str) -> Subject:
    """The subject an approval names, or a usage error listing the subjects."""
    for subject in get_args(Subject):
        if subject == text:
            return cast("Subject", subject)
    raise UsageError(
        _("{text!r} is not one of {subjects}").format(
            text=text, subjects=", ".join(get_args(Subject))
        )
    )


SUBJECT_LABELS: dict[str, str] = {
    "smvp": "SMVP",
    "plan": "Piano della Performance",
    "plan_update": "aggiornamento del Piano",
    "operational_plan": "Piano operativo",
    "relazione": "Relazione sulla Performance",
}
PIAO_LABELS: dict[str, str] = {
    **SUBJECT_LABELS,
    "plan": "PIAO, sottosezione 2.2 Performance",
    "plan_update": "aggiornamento del PIAO",
}
"""From 2022 the Piano della performance of an administration with more than 50 employees is
the sottosezione 2.2 "Performance" of its PIAO (art. 6 DL 80/2021, DPR 81/2022)."""


def subject_label(subject: str, container: str = "piano") -> str:
    """How the act approved is called, in the cycle's own container (Piano or PIAO)."""
    labels = PIAO_LABELS if container == "piao" else SUBJECT_LABELS
    return labels.get(subject, subject)


class Body(BaseModel):
    """A body that approves or validates the cycle's acts, named as the administration does.

    `label` is how one of its acts is written: `{kind}`, `{number}`, `{name}` and `{short}` are
    filled in (`Deliberazione del CdA n. 7`, `Decreto DG n. 131`).
    """

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    key: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: str
    short: str | None = None
    kind: str = "Deliberazione"
    label: str = "{kind} {short} n. {number}"
    approves: tuple[Subject, ...] = ()
    validates: bool = False

    def act_label(self, number: str, kind: str | None = None) -> str:
        """The act as the administration writes it, from its number (and kind, if not its own)."""
        return self.label.format(
            kind=kind or self.kind, number=number, name=self.name, short=self.short or self.name
        )


_ALL: tuple[Subject, ...] = get_args(Subject)
BODIES: dict[str, Body] = {
    body.key: body
    for body in (
        Body(key="giunta", name="Giunta", label="{kind} della Giunta n. {number}", approves=_ALL),
        Body(key="consiglio", name="Consiglio", label="{kind} del Consiglio n. {number}"),
        Body(
            key="cda",
            name="Consiglio di amministrazione",
            short="CdA",
            label="{kind} del CdA n. {number}",
        ),
        Body(
            key="dg",
            name="Direttore generale",
            short="DG",
            kind="Decreto",
            label="{kind} DG n. {number}",
        ),
        Body(key="sindaco", name="Sindaco", kind="Decreto", label="{kind} del Sindaco n. {number}"),
        Body(key="presidente", name="Presidente", kind="Determinazione"),
        Body(key="rettore", name="Rettore", kind="Decreto", label="{kind} rettorale n. {number}"),
        Body(
            key="nucleo",
            name="Nucleo di valutazione",
            short="NdV",
            kind="Verbale",
            label="{kind} del Nucleo di valutazione n. {number}",
            validates=True,
        ),
        Body(
            key="oiv",
            name="OIV",
            kind="Verbale",
            label="{kind} dell'OIV n. {number}",
            validates=True,
        ),
    )
}
"""The bodies most cycles need; a cycle's own `bodies` replace them."""
DEFAULT_BODIES = (BODIES["giunta"], BODIES["oiv"])
"""Who acts when a cycle names no bodies: the Giunta approves, the OIV validates."""


@register
class ApprovalRecorded(LedgerEvent):
    """A body approved an act; a plan approval puts pending plan changes in force.

    `body` is the body's name as the administration uses it; `act` the act as printed
    (`Deliberazione del CdA n. 7`); `kind` and `number` its parts, where known. The act's date
    is the event's effective date. v2 added `operational_plan`, `kind` and `number`.
    """

    type_name = "ApprovalRecorded"
    schema_version = 2

    subject: Subject
    body: str = "Giunta"
    act: str | None = None
    kind: str | None = None
    number: str | None = None


@upcaster("ApprovalRecorded", 1)
def _approval_v1(payload: dict[str, Any]) -> dict[str, Any]:
    """v1 had no kind or number: the act text as printed is all it kept."""
    return payload


@register
class ValidationRecorded(LedgerEvent):
    """The evaluator validated the Relazione (D.Lgs. 150/2009 art. 14 c. 4 lett. c).

    `body` names it where it is not the OIV (a university's Nucleo di valutazione). v2 added it.
    """

    type_name = "ValidationRecorded"
    schema_version = 2

    subject: Literal["relazione"] = "relazione"
    body: str | None = None
    act: str | None = None
    opinion: str | None = None


@upcaster("ValidationRecorded", 1)
def _validation_v1(payload: dict[str, Any]) -> dict[str, Any]:
    """v1 was always the OIV's: no body was named."""
    return payload


@register
class PublicationRecorded(LedgerEvent):
    """The Relazione was published (Amministrazione Trasparente)."""

    type_name = "PublicationRecorded"

    subject: Literal["relazione"] = "relazione"
    where: str
