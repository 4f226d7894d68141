"""Opening and closing a performance cycle."""

from events.base import LedgerEvent
from events.policy import ScoringPolicy
from events.registry import register


@register
class CycleOpened(LedgerEvent):
    """A performance cycle began for an administration and a year, under a scoring policy."""

    type_name = "CycleOpened"

    entity: str
    entity_name: str
    year: int
    policy: ScoringPolicy = ScoringPolicy()


@register
class CycleClosed(LedgerEvent):
    """The cycle ended: no further act may be recorded until it is reopened."""

    type_name = "CycleClosed"


@register
class CycleReopened(LedgerEvent):
    """A closed cycle was reopened, for a stated reason."""

    type_name = "CycleReopened"

    reason: str
