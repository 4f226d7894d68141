"""Where each cycle stands: plan in force, Relazione approved, closed, validated, published.

The console's first page lists the cycles of the ledger with their state. Each cycle's state
comes from its own few acts, read through the stream index with the types filtered in the
database: the cost grows with the cycles shown, not with the size of the ledger.
"""

from dataclasses import dataclass
from datetime import date

from events.acts import PLAN_SUBJECTS, ApprovalRecorded, PublicationRecorded, ValidationRecorded
from events.cycle import CycleClosed, CycleOpened, CycleReopened
from ledger.query import Query
from ledger.store import EventStore

STATE_TYPES = (
    CycleOpened.type_name,
    CycleClosed.type_name,
    CycleReopened.type_name,
    ApprovalRecorded.type_name,
    ValidationRecorded.type_name,
    PublicationRecorded.type_name,
)


@dataclass(frozen=True)
class CycleState:
    """One cycle's identity and the acts that mark its course."""

    stream: str
    entity_name: str
    year: int | None
    events: int
    plan_approved_on: date | None
    relazione_approved_on: date | None
    closed: bool
    validated_on: date | None
    published_on: date | None
    last_act_on: date | None

    @property
    def stage(self) -> str:
        """The furthest step reached: `published`, `validated`, `closed`, `relazione`,
        `plan` (a plan in force) or `opened`."""
        if self.published_on:
            return "published"
        if self.validated_on:
            return "validated"
        if self.closed:
            return "closed"
        if self.relazione_approved_on:
            return "relazione"
        if self.plan_approved_on:
            return "plan"
        return "opened"


def cycle_state(store: EventStore, stream: str) -> CycleState:
    """Where `stream` stands now."""
    opened: CycleOpened | None = None
    plan = relazione = validated = published = last = None
    closed = False
    for entry in store.read(Query(stream=stream, types=STATE_TYPES)):
        event = entry.event
        when = entry.effective_date
        last = max(last, when) if last else when
        if isinstance(event, CycleOpened):
            opened = opened or event
        elif isinstance(event, CycleClosed | CycleReopened):
            closed = isinstance(event, CycleClosed)
        elif isinstance(event, ApprovalRecorded):
            if event.subject in PLAN_SUBJECTS:
                plan = plan or when
            elif event.subject == "relazione":
                relazione = when
        elif isinstance(event, ValidationRecorded):
            validated = when
        elif isinstance(event, PublicationRecorded):
            published = when
    return CycleState(
        stream,
        opened.entity_name if opened else stream,
        opened.year if opened else None,
        store.stream_version(stream),
        plan,
        relazione,
        closed,
        validated,
        published,
        last,
    )


def cycle_states(store: EventStore, *, after: str = "", limit: int = 50) -> list[CycleState]:
    """The states of the cycles after `after` in name order, at most `limit` of them."""
    streams = [stream for stream in store.streams() if stream > after][:limit]
    return [cycle_state(store, stream) for stream in streams]
