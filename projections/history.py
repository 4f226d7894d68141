"""The history of one node (or of the performance di ente): its trajectory through the cycle.

Every event that touched the node or a node below it (plan changes, the approvals that put
them in force, measurements, assessments, corrections, overrides) is listed in effective-date
order, with what it changed and the node's result before and after it. The result after a row
is the cruscotto as of that row's date with every earlier row of the history applied and no
later one, so that reading down the rows is reading the node's trajectory, back-dated entries
included at the place where they take effect.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from events.acts import ApprovalRecorded
from events.base import LedgerEvent
from events.measurement import AssessmentRecorded, MeasurementCorrected, MeasurementRecorded
from events.oversight import OverrideRecorded, OverrideWithdrawn
from events.plan import ObjectiveAmended, ObjectiveDefined, ObjectiveWithdrawn, PerspectiveDefined
from ledger.records import Entry
from projections.cruscotto import Cruscotto, NodeResult, replay
from projections.numbers import italian_number, italian_percent
from projections.plan_state import FACT_TYPES, PLAN_APPROVALS, PLAN_TYPES
from projections.plan_tree import PlanTree, Subjects, plan_tree
from projections.trail import change_text, summary

_FACTS = FACT_TYPES
_ENTE_TYPES = frozenset(
    (
        *_FACTS,
        ObjectiveAmended.type_name,
        ObjectiveWithdrawn.type_name,
        "CycleOpened",
        "CycleClosed",
        "CycleReopened",
        "ValidationRecorded",
        "PublicationRecorded",
    )
)
"""What the ente's history lists besides approvals: the plan's own definitions are summed up
by the approval that put them in force, not listed one by one."""


@dataclass(frozen=True)
class HistoryRow:
    """One event in a node's trajectory."""

    seq: int
    type: str
    effective_date: date
    recorded_at: datetime
    actor: str
    role: str
    about: str | None
    summary: str
    before: str
    after: str
    in_force_by: str | None
    result_before: Decimal | None
    result_after: Decimal | None


@dataclass(frozen=True)
class NodeHistory:
    """A node's (or the ente's, `key` None) trajectory through one cycle."""

    stream: str
    key: str | None
    code: str | None
    title: str
    level: str
    known_at: datetime | None
    rows: tuple[HistoryRow, ...]


def put_in_force_by(entries: Sequence[Entry]) -> dict[int, Entry]:
    """For each plan change, the approval that put it in force (as the fold does: in seq order)."""
    pending: list[int] = []
    found: dict[int, Entry] = {}
    for entry in entries:
        if entry.type in PLAN_TYPES:
            pending.append(entry.seq)
        elif entry.type == ApprovalRecorded.type_name:
            event = entry.event
            if isinstance(event, ApprovalRecorded) and event.subject in PLAN_APPROVALS:
                found.update(dict.fromkeys(pending, entry))
                pending.clear()
    return found


def act_label(entry: Entry) -> str:
    """`delibera n. 5/GC del 27/01/2020 (seq 87)`: how an approval is named in a review."""
    event = entry.event
    act = event.act if isinstance(event, ApprovalRecorded) and event.act else "approvazione"
    return f"{act} del {entry.effective_date.strftime('%d/%m/%Y')} (seq {entry.seq})"


def node_history(
    entries: Sequence[Entry], stream: str, node: str | None, *, known_at: datetime | None = None
) -> NodeHistory:
    """The trajectory of `node` (a key or a printed code; None for the ente) in `stream`."""
    known = [
        e for e in entries if e.stream == stream and (known_at is None or e.recorded_at <= known_at)
    ]
    tree = plan_tree(known)
    key = tree.resolve(node, stream) if node is not None else None
    keys = tree.subtree(key) if key is not None else None
    subjects = Subjects(known)
    approvals = put_in_force_by(known)
    put: dict[int, list[Entry]] = {}
    for entry in known:
        if entry.seq in approvals:
            put.setdefault(approvals[entry.seq].seq, []).append(entry)
    relevant = [e for e in known if _relevant(e, keys, tree, subjects, put)]
    relevant.sort(key=lambda e: (e.effective_date, e.seq))
    later = {e.seq for e in relevant}
    rows = []
    for entry in relevant:
        later.discard(entry.seq)
        after_entries = [e for e in known if e.seq not in later]
        before_entries = [e for e in after_entries if e.seq != entry.seq]
        before = replay(before_entries, stream, as_of=entry.effective_date)
        after = replay(after_entries, stream, as_of=entry.effective_date)
        about = _key(tree, subjects.about(entry))
        said = summary(entry.event, tree, subjects.seqs)
        if entry.seq in put:
            said += f"; mette in vigore {len(put[entry.seq])} modifiche del Piano"
        rows.append(
            HistoryRow(
                entry.seq,
                entry.type,
                entry.effective_date,
                entry.recorded_at,
                entry.actor,
                entry.role,
                tree.label(about) if about else None,
                said,
                _value(before, about or key, entry.event, before=True),
                _value(after, about or key, entry.event, before=False),
                act_label(approvals[entry.seq]) if entry.seq in approvals else None,
                _result(before, key),
                _result(after, key),
            )
        )
    return NodeHistory(
        stream,
        key,
        tree.codes.get(key) if key else None,
        tree.titles.get(key, key) if key else "Performance di ente",
        tree.levels.get(key, "ente") if key else "ente",
        known_at,
        tuple(rows),
    )


def _relevant(
    entry: Entry,
    keys: set[str] | None,
    tree: PlanTree,
    subjects: Subjects,
    put: dict[int, list[Entry]],
) -> bool:
    """Whether the entry belongs in the history of `keys` (None: the ente's)."""
    if entry.type == ApprovalRecorded.type_name:
        event = entry.event
        plan_approval = isinstance(event, ApprovalRecorded) and event.subject in PLAN_APPROVALS
        if keys is None:
            return True
        changes = put.get(entry.seq, []) if plan_approval else []
        return any(_key(tree, subjects.about(change)) in keys for change in changes)
    if keys is None:
        return entry.type in _ENTE_TYPES
    if entry.type not in _FACTS and entry.type not in PLAN_TYPES:
        return False
    return _key(tree, subjects.about(entry)) in keys


def _key(tree: PlanTree, about: str | None) -> str | None:
    if about is None or about in tree.parents:
        return about
    return next((key for key, code in tree.codes.items() if code == about), about)


def _find(cruscotto: Cruscotto, key: str | None) -> NodeResult | None:
    if key is None:
        return None
    return next((node for node in cruscotto.nodes() if node.key == key), None)


def _result(cruscotto: Cruscotto, key: str | None) -> Decimal | None:
    if key is None:
        return cruscotto.result
    node = _find(cruscotto, key)
    return node.result if node else None


def _value(cruscotto: Cruscotto, about: str | None, event: LedgerEvent, *, before: bool) -> str:
    """What the event changed, as it stood before or after it, on the node it is about."""
    node = _find(cruscotto, about)
    match event:
        case MeasurementRecorded() | AssessmentRecorded() | MeasurementCorrected():
            if node is None or node.measured is None:
                return "—"
            stated = node.score.scored_by == "assessment" if node.score else False
            shown = node.measured or italian_percent(node.computed)
            return f"{shown} (dichiarato {italian_percent(node.computed)})" if stated else shown
        case OverrideRecorded() | OverrideWithdrawn():
            if node is None or node.override is None:
                return "—"
            return italian_percent(node.override.achievement)
        case ObjectiveAmended() if not before:
            return change_text(event) + " (in attesa di approvazione)"
        case ObjectiveDefined() | PerspectiveDefined() if not before:
            return "definito (in attesa di approvazione)"
        case ObjectiveWithdrawn() if not before:
            return "ritirato (in attesa di approvazione)"
        case ObjectiveAmended() | ObjectiveDefined() | PerspectiveDefined() | ObjectiveWithdrawn():
            return _plan_text(node)
        case ApprovalRecorded():
            if about is not None:
                return _plan_text(node)
            return "Piano in vigore" if cruscotto.plan_in_force else "nessun Piano in vigore"
        case _:
            return "—"


def _plan_text(node: NodeResult | None) -> str:
    if node is None:
        return "non in vigore"
    parts = [node.title]
    if node.weight is not None:
        parts.append(f"peso {italian_percent(node.weight, 0)}")
    if not node.is_indicator and node.target is not None:
        parts.append(f"target {italian_number(node.target)}")
    return ", ".join(parts)
