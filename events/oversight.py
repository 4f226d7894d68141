"""Overrides decided after hearing the OIV, and their withdrawal."""

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from events.base import LedgerEvent
from events.i18n import _
from events.registry import register, upcaster


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
            raise ValueError(_("an override needs a written rationale"))
        return value


@register
class OverrideWithdrawn(LedgerEvent):
    """An override no longer stands; the node returns to its computed score."""

    type_name = "OverrideWithdrawn"

    node: str
    reason: str


ReportedMeasure = Literal[
    "result",
    "achievement",
    "strategic_at_100",
    "strategic_reached",
    "operational_reached",
    "measured",
    "count",
    "share",
]


@register
class ReportedFigureRecorded(LedgerEvent):
    """A figure as a published document (the Relazione) printed it, to compare with the evidence.

    - `result` / `achievement`: a node's result or % raggiungimento (no `node`: the ente's);
    - `measured`: an indicator's measured value (a ratio as the ledger divides it);
    - `strategic_at_100`: how many strategic objectives the text says reached 100 %;
    - `strategic_reached`: how many reached their target;
    - `operational_reached`: how many operational objectives reached their strategic target;
    - `count`: how many qualitative indicators (below `node`, or of the whole cycle) were
      assessed with the word `level` ("86 obiettivi in linea con le previsioni");
    - `share`: that count as a % of all the cycle's indicators whose scale has the word
      ("(60,6%)" of the 142 measured).
    `printed` keeps the text as printed; `decimals` is how many decimals it shows, so that the
    comparison rounds the evidence as the document did. v3 added `count`, `share` and `level`.
    """

    type_name = "ReportedFigureRecorded"
    schema_version = 3

    document: str
    where: str
    measure: ReportedMeasure
    node: str | None = None
    value: Decimal
    printed: str
    decimals: int = Field(default=0, ge=0, le=6)
    level: str | None = None

    @field_validator("level")
    @classmethod
    def _level_as_scales_hold_it(cls, value: str | None) -> str | None:
        return None if value is None else value.strip().lower()

    @model_validator(mode="after")
    def _level_where_counted(self) -> "ReportedFigureRecorded":
        check_counted_level(self.measure, self.level)
        return self


def check_counted_level(measure: str, level: str | None) -> None:
    """A `count` or `share` names the word it counts; no other figure names one."""
    counted = measure in ("count", "share")
    if counted and not level:
        raise ValueError(_("a {measure} figure needs the level it counts").format(measure=measure))
    if not counted and level is not None:
        raise ValueError(_("a {measure} figure counts no level").format(measure=measure))


@upcaster("ReportedFigureRecorded", 1)
def _reported_v1(payload: dict[str, Any]) -> dict[str, Any]:
    """v1 could not report a measured value; its measures read as they are."""
    return payload


@upcaster("ReportedFigureRecorded", 2)
def _reported_v2(payload: dict[str, Any]) -> dict[str, Any]:
    """v2 could not count the words of a scale; its measures read as they are."""
    return payload
