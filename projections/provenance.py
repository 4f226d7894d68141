"""Which events a published figure is computed from, so that it can be checked event by event.

A node's result as of a date comes from: the cycle's opening (it carries the scoring policy),
the plan events that define or change the node and every node below it (and those of the
nodes above it, which place it in the tree; an indicator that takes another node's figure,
`derived_from`, brings that node's events, and the ente's brings all), the approvals that put
them in force by that date, and the measurements, assessments, corrections and overrides of
those nodes effective by that date (each as known at `known_at`). The performance di ente
(`node` None) comes from every one of them in the cycle. Replaying exactly these events gives
the same figure: `tests/projections/test_provenance.py` holds the module to it.
"""

from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime

from events.cycle import CycleOpened
from ledger.records import Entry
from projections.cruscotto import Cruscotto, NodeResult, replay
from projections.errors import UnknownNode
from projections.history import put_in_force_by
from projections.plan_state import FACT_TYPES, PLAN_TYPES
from projections.plan_tree import PlanTree, Subjects, plan_tree


@dataclass(frozen=True)
class FigureSources:
    """A figure of the cruscotto and the events it is computed from, in seq order."""

    stream: str
    key: str | None
    code: str | None
    title: str
    level: str
    as_of: date
    known_at: datetime | None
    cruscotto: Cruscotto
    entries: tuple[Entry, ...]

    @property
    def node(self) -> NodeResult | None:
        """The node's row of the cruscotto (None for the ente or a node not in force)."""
        if self.key is None:
            return None
        return next((n for n in self.cruscotto.nodes() if n.key == self.key), None)


def figure_sources(
    entries: Sequence[Entry],
    stream: str,
    node: str | None,
    *,
    as_of: date,
    known_at: datetime | None = None,
    cruscotto: Cruscotto | None = None,
) -> FigureSources:
    """The events the figure of `node` (key or printed code; None: the ente) depends on.

    `cruscotto`, when given, is the replay of the same entries (the publication's one replay).
    """
    known = [
        e for e in entries if e.stream == stream and (known_at is None or e.recorded_at <= known_at)
    ]
    tree = plan_tree(known)
    key = tree.resolve(node, stream) if node is not None else None
    keys = _depended_on(tree, key) if key is not None else None
    placed = None if keys is None else keys.union(*(_ancestors(tree, k) for k in keys))
    subjects = Subjects(known)
    approvals = put_in_force_by(known)
    chosen: dict[int, Entry] = {}
    for entry in known:
        if entry.type == CycleOpened.type_name:
            chosen[entry.seq] = entry
        elif entry.type in PLAN_TYPES:
            approval = approvals.get(entry.seq)
            if approval is None or approval.effective_date > as_of:
                continue
            if _within(tree, subjects.about(entry), placed):
                chosen[entry.seq] = entry
                chosen[approval.seq] = approval
        elif (
            entry.type in FACT_TYPES
            and entry.effective_date <= as_of
            and _within(tree, subjects.about(entry), keys)
        ):
            chosen[entry.seq] = entry
    return FigureSources(
        stream,
        key,
        tree.codes.get(key) if key else None,
        tree.titles.get(key, key) if key else "Performance di ente",
        tree.levels.get(key, "ente") if key else "ente",
        as_of,
        known_at,
        cruscotto or replay(known, stream, as_of=as_of, known_at=known_at),
        tuple(chosen[seq] for seq in sorted(chosen)),
    )


def _depended_on(tree: PlanTree, key: str) -> set[str] | None:
    """The node, every node below it, and what their indicators take their value from (None:
    the ente's figure, that is every node)."""
    found: set[str] = set()
    waiting = [key]
    while waiting:
        for below in tree.subtree(waiting.pop()) - found:
            found.add(below)
            for reference in tree.references.get(below, ()):
                if reference == "ente":
                    return None
                with suppress(UnknownNode):  # the plan refuses it; nothing to bring
                    waiting.append(tree.resolve(reference, ""))
    return found


def _ancestors(tree: PlanTree, key: str) -> set[str]:
    found: set[str] = set()
    parent = tree.parents.get(key)
    while parent is not None and parent not in found:
        found.add(parent)
        parent = tree.parents.get(parent)
    return found


def _within(tree: PlanTree, about: str | None, keys: set[str] | None) -> bool:
    """Whether the node an event is about (key or code) is among `keys` (None: any node)."""
    if about is None:
        return False
    if keys is None:
        return True
    if about in tree.parents:
        return about in keys
    return any(tree.codes.get(key) == about for key in keys)
