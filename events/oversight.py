"""Overrides decided after hearing the OIV, and their withdrawal."""

from datetime import date
from decimal import Decimal

from pydantic import Field, field_validator

from events.base import LedgerEvent
from events.registry import register


@register
class OverrideRecorded(LedgerEvent):
    """The administration, sentito l'OIV, set a node's achievement by a written rationale.

    The computed score stays visible beside it; `oiv_heard_on` is when the OIV was heard.
    """

    type_name = "OverrideRecorded"

    node: str
    achievement: Decimal = Field(ge=0, le=100)
    rationale: str
    oiv_heard_on: date

    @field_validator("rationale")
    @classmethod
    def _rationale_written(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("an override needs a written rationale")
        return value


@register
class OverrideWithdrawn(LedgerEvent):
    """An override no longer stands; the node returns to its computed score."""

    type_name = "OverrideWithdrawn"

    node: str
    reason: str
