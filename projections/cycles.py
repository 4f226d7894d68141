"""One administration's cycles side by side: an objective followed across the years, and last
year's results beside this year's.

A plan is triennial and most objectives come back year after year, under the same key or the
same printed code. The cycles of one administration are the streams whose `CycleOpened` names
the same entity; the cycle before another is the one it names as `previous`, or else the one
of the year before.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from events.cycle import CycleOpened
from ledger.query import Query
from ledger.store import EventStore
from projections.cruscotto import Cruscotto, NodeResult, replay
from projections.errors import UnknownNode


@dataclass(frozen=True)
class CycleRow:
    """A node's figures in one cycle."""

    stream: str
    year: int
    key: str
    code: str | None
    title: str
    level_name: str
    target: Decimal | None
    result: Decimal | None
    achievement: Decimal | None
    band: str | None
    coverage: Decimal
    closed: bool


def opened_cycles(store: EventStore) -> dict[str, CycleOpened]:
    """Every cycle of the ledger, with the event that opened it."""
    found: dict[str, CycleOpened] = {}
    for entry in store.read(Query(types=(CycleOpened.type_name,))):
        event = entry.event
        if isinstance(event, CycleOpened):
            found.setdefault(entry.stream, event)
    return found


def cycles_of_entity(store: EventStore, stream: str) -> list[tuple[str, CycleOpened]]:
    """The cycles of the administration `stream` belongs to, by year."""
    opened = opened_cycles(store)
    mine = opened.get(stream)
    if mine is None:
        return []
    same = [(s, o) for s, o in opened.items() if o.entity == mine.entity]
    return sorted(same, key=lambda pair: (pair[1].year, pair[0]))


def previous_of(store: EventStore, stream: str) -> str | None:
    """The cycle before `stream`: the one it names, else the same entity's of the year before."""
    cycles = dict(cycles_of_entity(store, stream))
    mine = cycles.get(stream)
    if mine is None:
        return None
    if mine.previous is not None:
        return mine.previous if store.stream_version(mine.previous) else None
    before = [s for s, o in cycles.items() if o.year == mine.year - 1]
    return before[0] if before else None


def node_across_cycles(store: EventStore, stream: str, node: str, *, as_of: date) -> list[CycleRow]:
    """The node (by key, else by printed code) in every cycle of the same administration."""
    rows: list[CycleRow] = []
    for other, opened in cycles_of_entity(store, stream):
        cruscotto = replay(store.read_stream(other), other, as_of=as_of)
        found = _find(cruscotto, node)
        if found is None:
            continue
        rows.append(
            CycleRow(
                other,
                opened.year,
                found.key,
                found.code,
                found.title,
                found.level_name,
                found.target,
                found.result,
                found.achievement,
                found.band,
                found.coverage,
                cruscotto.closed,
            )
        )
    if not rows:
        raise UnknownNode(node, stream)
    return rows


def _find(cruscotto: Cruscotto, text: str) -> NodeResult | None:
    for candidate in cruscotto.nodes():
        if candidate.key == text:
            return candidate
    return next((n for n in cruscotto.nodes() if n.code == text), None)
