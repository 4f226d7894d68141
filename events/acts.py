"""The formal acts of the cycle: approvals, the OIV's validation, publication."""

from typing import Literal, cast, get_args

from events.base import LedgerEvent
from events.errors import UsageError
from events.registry import register

Subject = Literal["smvp", "plan", "plan_update", "relazione"]


def as_subject(text: str) -> Subject:
    """The subject an approval names, or a usage error listing the subjects."""
    for subject in get_args(Subject):
        if subject == text:
            return cast("Subject", subject)
    raise UsageError(f"{text!r} is not smvp, plan, plan_update or relazione")


SUBJECT_LABELS = {
    "smvp": "SMVP",
    "plan": "Piano della Performance",
    "plan_update": "aggiornamento del Piano",
    "relazione": "Relazione sulla Performance",
}


@register
class ApprovalRecorded(LedgerEvent):
    """A body (the Giunta) approved an act; a plan approval puts pending plan changes in force.

    The act's date is the event's effective date.
    """

    type_name = "ApprovalRecorded"

    subject: Subject
    body: str = "Giunta"
    act: str | None = None


@register
class ValidationRecorded(LedgerEvent):
    """The OIV validated the Relazione (D.Lgs. 150/2009 art. 14 c. 4 lett. c)."""

    type_name = "ValidationRecorded"

    subject: Literal["relazione"] = "relazione"
    act: str | None = None
    opinion: str | None = None


@register
class PublicationRecorded(LedgerEvent):
    """The Relazione was published (Amministrazione Trasparente)."""

    type_name = "PublicationRecorded"

    subject: Literal["relazione"] = "relazione"
    where: str
