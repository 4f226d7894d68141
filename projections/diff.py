"""What changed in the cruscotto between two dates, node by node, and which events changed it.

Both sides are replays of the same ledger (as known at one time), as of two effective dates:
the difference is therefore made only by acts effective between them, and each changed node
names those acts that are about it or about a node below it (and the approvals that put plan
changes in force), so that every change can be traced to the act that made it.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from events.i18n import N_, _
from events.oversight import ReportedFigureRecorded
from ledger.records import Entry
from projections.cruscotto import Cruscotto, NodeResult, replay
from projections.history import put_in_force_by
from projections.numbers import italian_percent, rounded
from projections.plan_tree import PlanTree, Subjects, plan_tree
from projections.roles import IDENTITY_TYPES

_NOT_IN_CRUSCOTTO = frozenset((*IDENTITY_TYPES, ReportedFigureRecorded.type_name))
"""Events that never change the cruscotto, so never cause a difference."""

FIELDS = (
    "title",
    "weight",
    "target",
    "measured",
    "computed",
    "override",
    "result",
    "achievement",
    "band",
    "coverage",
)

FIELD_LABELS = {
    "title": N_("title"),
    "weight": N_("peso"),
    "target": N_("target"),
    "measured": N_("measured value"),
    "computed": N_("computed score"),
    "override": N_("override"),
    "result": N_("result"),
    "achievement": N_("% achievement"),
    "band": N_("overall rating"),
    "coverage": N_("coverage"),
    "plan_in_force": N_("plan in force"),
    "closed": N_("closed"),
}
"""A changed field as tables and pages name it; JSON and CSV keep the identifier (`field`)."""


def field_label(name: str) -> str:
    """The label of a changed field in the chosen language (the identifier if it has none)."""
    label = FIELD_LABELS.get(name)
    return _(label) if label is not None else name


@dataclass(frozen=True)
class FieldChange:
    name: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class NodeChange:
    """One node whose row in the cruscotto differs between the two dates."""

    key: str | None
    code: str | None
    title: str
    level: str
    changes: tuple[FieldChange, ...]
    result_before: Decimal | None
    result_after: Decimal | None
    seqs: tuple[int, ...]


@dataclass(frozen=True)
class CruscottoDiff:
    stream: str
    date_from: date
    date_to: date
    known_at: datetime | None
    nodes: tuple[NodeChange, ...]


def diff(
    entries: Sequence[Entry],
    stream: str,
    date_from: date,
    date_to: date,
    *,
    known_at: datetime | None = None,
) -> CruscottoDiff:
    """The changes from the cruscotto as of `date_from` to the one as of `date_to`."""
    known = [
        e for e in entries if e.stream == stream and (known_at is None or e.recorded_at <= known_at)
    ]
    before = replay(known, stream, as_of=date_from, known_at=known_at)
    after = replay(known, stream, as_of=date_to, known_at=known_at)
    tree = plan_tree(known)
    subjects = Subjects(known)
    window = [
        e
        for e in known
        if date_from < e.effective_date <= date_to and e.type not in _NOT_IN_CRUSCOTTO
    ]
    approvals = put_in_force_by(known)
    causes: dict[str | None, set[int]] = {}
    for entry in window:
        about = _key(tree, subjects.about(entry))
        for key in _ancestors(tree, about):
            causes.setdefault(key, set()).add(entry.seq)
        causes.setdefault(None, set()).add(entry.seq)
    for seq, approval in approvals.items():
        if approval in window:
            plan_entry = next(e for e in known if e.seq == seq)
            for key in _ancestors(tree, _key(tree, subjects.about(plan_entry))):
                causes.setdefault(key, set()).add(approval.seq)
    rows: list[NodeChange] = []
    ente = _ente_changes(before, after)
    if ente:
        rows.append(
            NodeChange(
                None,
                None,
                _("Performance di ente"),
                "ente",
                ente,
                before.result,
                after.result,
                tuple(sorted(causes.get(None, set()))),
            )
        )
    old = {node.key: node for node in before.nodes()}
    new = {node.key: node for node in after.nodes()}
    for key in [*new, *(k for k in old if k not in new)]:
        changes = _changes(old.get(key), new.get(key))
        if not changes:
            continue
        node = new.get(key) or old[key]
        rows.append(
            NodeChange(
                key,
                node.code,
                node.title,
                node.level,
                changes,
                old[key].result if key in old else None,
                new[key].result if key in new else None,
                tuple(sorted(causes.get(key, set()))),
            )
        )
    return CruscottoDiff(stream, date_from, date_to, known_at, tuple(rows))


def _key(tree: PlanTree, about: str | None) -> str | None:
    if about is None or about in tree.parents:
        return about
    return next((key for key, code in tree.codes.items() if code == about), about)


def _ancestors(tree: PlanTree, key: str | None) -> list[str]:
    found: list[str] = []
    while key is not None and key not in found:
        found.append(key)
        key = tree.parents.get(key)
    return found


def _shown(node: NodeResult | None, name: str) -> str | None:
    if node is None:
        return None
    match name:
        case "title" | "measured" | "band":
            value = getattr(node, name)
            return None if value is None else str(value)
        case "target":
            return node.target_label if node.is_indicator else _pct(node.target)
        case "override":
            return _pct(node.override.achievement) if node.override else None
        case _:
            return _pct(getattr(node, name))


def _pct(value: Decimal | None) -> str | None:
    return None if value is None else italian_percent(rounded(value))


def _changes(old: NodeResult | None, new: NodeResult | None) -> tuple[FieldChange, ...]:
    found = []
    for name in FIELDS:
        before, after = _shown(old, name), _shown(new, name)
        if before != after:
            found.append(FieldChange(name, before, after))
    return tuple(found)


def _ente_changes(before: Cruscotto, after: Cruscotto) -> tuple[FieldChange, ...]:
    pairs = (
        ("plan_in_force", _yes(before.plan_in_force), _yes(after.plan_in_force)),
        ("result", _pct(before.result), _pct(after.result)),
        ("band", before.band, after.band),
        ("coverage", _pct(before.coverage), _pct(after.coverage)),
        ("closed", _yes(before.closed), _yes(after.closed)),
    )
    return tuple(FieldChange(name, b, a) for name, b, a in pairs if b != a)


def _yes(flag: bool) -> str:
    return _("yes") if flag else _("no")


def change_rows(found: CruscottoDiff) -> list[dict[str, Any]]:
    """One row per changed field of a node: what the CSV export and the console's table hold."""
    return [
        {
            "key": node.key,
            "code": node.code,
            "level": node.level,
            "title": node.title,
            "field": change.name,
            "before": change.before,
            "after": change.after,
            "seqs": " ".join(str(seq) for seq in node.seqs),
        }
        for node in found.nodes
        for change in node.changes
    ]
