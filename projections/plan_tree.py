"""The plan's tree as the reviews read it, and which node each event is about.

The trail, the history, the diff, the findings and the provenance of a figure all need every
node ever defined in a cycle (withdrawn ones included, so that a node's past stays findable),
its level as the SMVP names it, and the node an event concerns (a correction concerns the
measurement it corrects). They read it here, once.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from events.cycle import CycleOpened
from events.i18n import language
from events.measurement import AssessmentRecorded, MeasurementCorrected, MeasurementRecorded
from events.oversight import OverrideRecorded, OverrideWithdrawn, ReportedFigureRecorded
from events.plan import (
    ObjectiveAmended,
    ObjectiveDefined,
    ObjectiveWithdrawn,
    PerspectiveDefined,
)
from ledger.records import Entry
from projections.errors import UnknownNode

LEVEL_LABELS = {
    "perspective": "prospettiva",
    "strategic": "obiettivo strategico",
    "operational": "obiettivo operativo",
    "action": "azione",
}
_FEMININE = (
    "area",
    "azione",
    "prospettiva",
    "linea",
    "missione",
    "attività",
    "dimensione",
    "politica",
)
"""First words of level names that are feminine in Italian (the rest is masculine)."""


def level_label(level: str, names: Mapping[str, str] | None = None) -> str:
    """How a level is called in a sentence: `azione`, `area strategica`."""
    if names and level in names:
        return names[level].lower()
    return LEVEL_LABELS.get(level, level)


def defined_word(label: str) -> str:
    """`definita` for a feminine level name, `definito` otherwise, in Italian (the agreement
    gettext cannot make); `defined` in English."""
    if language() != "it":
        return "defined"
    first = label.split(" ")[0].lower() if label else ""
    return "definita" if first in _FEMININE else "definito"


@dataclass
class PlanTree:
    """Every node ever defined in a cycle: its parent, code, title and level, and the figure
    (a node's key or code, or `ente`) an indicator ever took its value from (`references`)."""

    parents: dict[str, str | None] = field(default_factory=dict)
    codes: dict[str, str] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    levels: dict[str, str] = field(default_factory=dict)
    level_names: dict[str, str] = field(default_factory=dict)
    container: str = "piano"
    references: dict[str, set[str]] = field(default_factory=dict)

    def resolve(self, text: str, stream: str) -> str:
        """The key of the node named by its key or its printed code."""
        if text in self.parents:
            return text
        for key, code in self.codes.items():
            if code == text:
                return key
        raise UnknownNode(text, stream)

    def subtree(self, key: str) -> set[str]:
        """The node and every node below it."""
        found = {key}
        changed = True
        while changed:
            below = {child for child, parent in self.parents.items() if parent in found}
            changed = not below <= found
            found |= below
        return found

    def label(self, key: str | None) -> str:
        if key is None:
            return "ente"
        return self.codes.get(key, key)


def plan_tree(entries: Iterable[Entry]) -> PlanTree:
    """The tree of every node defined in the entries, whether in force, pending or withdrawn."""
    tree = PlanTree()
    for entry in entries:
        event = entry.event if entry.type in _TREE_TYPES else None
        if isinstance(event, CycleOpened):
            tree.level_names = {rule.key: rule.name for rule in event.policy.tree}
            tree.container = event.container
        elif isinstance(event, PerspectiveDefined):
            tree.parents[event.key] = None
            tree.titles[event.key] = event.title
            tree.levels[event.key] = "perspective"
        elif isinstance(event, ObjectiveDefined):
            tree.parents[event.key] = event.parent
            tree.titles[event.key] = event.title
            tree.levels[event.key] = event.level
            if event.code:
                tree.codes[event.key] = event.code
        if isinstance(event, (ObjectiveDefined, ObjectiveAmended)) and event.kpi is not None:
            reference = event.kpi.derived_from
            if reference is not None:
                tree.references.setdefault(event.key, set()).add(reference.node)
    return tree


_TREE_TYPES = (
    CycleOpened.type_name,
    PerspectiveDefined.type_name,
    ObjectiveDefined.type_name,
    ObjectiveAmended.type_name,
)
_OBSERVED = (MeasurementRecorded.type_name, AssessmentRecorded.type_name)


class Subjects:
    """Which node each event is about; a correction is about its corrected measurement's action."""

    def __init__(self, entries: Iterable[Entry] = ()) -> None:
        self.actions: dict[str, str] = {}
        self.seqs: dict[str, int] = {}
        for entry in entries:
            self.note(entry)

    def note(self, entry: Entry) -> None:
        if entry.type in _OBSERVED:
            self.seqs[entry.event_id] = entry.seq
            event = entry.event
            if isinstance(event, MeasurementRecorded | AssessmentRecorded):
                self.actions[entry.event_id] = event.action

    def about(self, entry: Entry) -> str | None:
        """The node key (or code, as recorded) the event is about, or None."""
        event = entry.event
        match event:
            case MeasurementRecorded() | AssessmentRecorded():
                return event.action
            case MeasurementCorrected():
                return self.actions.get(event.corrects)
            case OverrideRecorded() | OverrideWithdrawn():
                return event.node
            case (
                PerspectiveDefined()
                | ObjectiveDefined()
                | ObjectiveAmended()
                | ObjectiveWithdrawn()
            ):
                return event.key
            case ReportedFigureRecorded():
                return event.node
            case _:
                return None
