"""Opening and closing a performance cycle."""

from datetime import date
from typing import Any

from events.acts import Body, Container
from events.base import LedgerEvent
from events.policy import ScoringPolicy, upgrade_policy
from events.registry import register, upcaster


@register
class CycleOpened(LedgerEvent):
    """A performance cycle began for an administration and a year, under a scoring policy.

    - `container`: the plan is a Piano della performance (`piano`) or the sottosezione 2.2
      "Performance" of a PIAO (`piao`, from 2022 for administrations of more than 50 employees);
    - `plan_deadline` / `relazione_deadline`: the legal deadlines, where they are not the usual
      ones (31 January of the year; 30 June of the next), e.g. the first PIAO's 30 June 2022
      (art. 7 DL 36/2022) or a comune's thirty days after its bilancio di previsione;
    - `bodies`: who approves and validates, named as the administration does (default: the
      Giunta and the OIV);
    - `previous`: the cycle of the year before, whose results a cruscotto can show beside.
    v2 added all of these, and the policy's tree of levels.
    """

    type_name = "CycleOpened"
    schema_version = 2

    entity: str
    entity_name: str
    year: int
    policy: ScoringPolicy = ScoringPolicy()
    container: Container = "piano"
    plan_deadline: date | None = None
    relazione_deadline: date | None = None
    bodies: tuple[Body, ...] = ()
    previous: str | None = None


@upcaster("CycleOpened", 1)
def _cycle_v1(payload: dict[str, Any]) -> dict[str, Any]:
    """v1 named the reference's rules by three keys; v2 names the tree of levels."""
    if "policy" in payload:
        payload["policy"] = upgrade_policy(payload["policy"])
    return payload


@register
class CycleClosed(LedgerEvent):
    """The cycle ended: no further act may be recorded until it is reopened."""

    type_name = "CycleClosed"


@register
class CycleReopened(LedgerEvent):
    """A closed cycle was reopened, for a stated reason."""

    type_name = "CycleReopened"

    reason: str
