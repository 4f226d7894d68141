"""What every kind of finding starts from: the cycle read once, and what a finding is.

`Review` folds the cycle as of the date asked, builds its cruscotto and its plan tree once,
and names nodes and acts the way every finding does; the kinds of finding are functions of
a `Review` in projections/findings_results.py, findings_calendar.py and findings_conduct.py,
gathered and ordered by `projections.findings.audit`.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from events.acts import ApprovalRecorded
from events.i18n import N_, _
from events.measurement import AssessmentRecorded, MeasurementCorrected, MeasurementRecorded
from events.oversight import OverrideRecorded, OverrideWithdrawn
from ledger.records import Entry
from projections.cruscotto import NodeResult, build
from projections.plan_state import PLAN_TYPES, fold
from projections.plan_tree import PlanTree, Subjects, plan_tree
from projections.trail import summary

Severity = Literal["alta", "media", "nota"]
SEVERITIES: tuple[Severity, ...] = ("alta", "media", "nota")
KINDS = (
    "unsound",
    "unruled_score",
    "stated_without_measure",
    "reported_mismatch",
    "deadline",
    "after_relazione",
    "weights",
    "pending_plan_change",
    "unmeasured",
    "role",
    "backdated",
    "empty_approval",
    "override",
    "correction",
    "backfill",
    "reported_consequence",
    "reported_rounding",
    "reported_match",
)
"""Every kind of finding, in the order a review reads them (after severity)."""

SEVERITY_LABELS: dict[str, str] = {"alta": N_("high"), "media": N_("medium"), "nota": N_("note")}
KIND_LABELS: dict[str, str] = {
    "unsound": N_("row the ledger refuses"),
    "unruled_score": N_("score no rule gives"),
    "stated_without_measure": N_("score without a measure"),
    "reported_mismatch": N_("printed figure differs"),
    "deadline": N_("legal deadline"),
    "after_relazione": N_("act after the Relazione"),
    "weights": N_("weights not summing to 100 %"),
    "pending_plan_change": N_("plan change not in force"),
    "unmeasured": N_("not measured"),
    "role": N_("act in the wrong role"),
    "backdated": N_("back-dated entry"),
    "empty_approval": N_("approval of nothing"),
    "override": N_("override (sentito l'OIV)"),
    "correction": N_("corrected measurement"),
    "backfill": N_("backfill"),
    "reported_consequence": N_("printed figure following a mismatch"),
    "reported_rounding": N_("printed figure rounded"),
    "reported_match": N_("printed figures in agreement"),
}
"""What a person reads for a severity and a kind; the identifiers stay in JSON and CSV."""


def severity_label(severity: str) -> str:
    """`alta` as `alta` in Italian and `high` in English (an unknown one as it is)."""
    return _(SEVERITY_LABELS[severity]) if severity in SEVERITY_LABELS else severity


def kind_label(kind: str) -> str:
    """A kind of finding in words, in the reader's language (an unknown one as it is)."""
    return _(KIND_LABELS[kind]) if kind in KIND_LABELS else kind


RESULT_CHANGING = frozenset(
    (
        *PLAN_TYPES,
        MeasurementRecorded.type_name,
        AssessmentRecorded.type_name,
        MeasurementCorrected.type_name,
        OverrideRecorded.type_name,
        OverrideWithdrawn.type_name,
    )
)


@dataclass(frozen=True)
class Finding:
    """One thing the OIV should see: `reason` is one line, `detail` the full text when longer."""

    kind: str
    severity: Severity
    node: str | None
    seqs: tuple[int, ...]
    reason: str
    detail: str | None = None
    title: str | None = None


class Review:
    """The cycle read once: its state, cruscotto and tree as of `as_of`, and the names of things."""

    def __init__(self, known: list[Entry], stream: str, as_of: date, late_after_days: int) -> None:
        self.known = [e for e in known if e.effective_date <= as_of]
        self.stream = stream
        self.as_of = as_of
        self.late_after_days = late_after_days
        self.state = fold(known, stream, as_of=as_of)
        self.cruscotto = build(self.state, as_of)
        self.tree: PlanTree = plan_tree(known)
        self.subjects = Subjects(known)
        self.by_id = {e.event_id: e for e in known}
        self.year = self.state.opened.year if self.state.opened else as_of.year

    def label(self, about: str | None) -> str | None:
        if about is None:
            return None
        if about in self.tree.parents:
            return self.tree.label(about)
        return about

    def title(self, about: str | None) -> str | None:
        if about is None:
            return None
        key = (
            about
            if about in self.tree.parents
            else next((k for k, code in self.tree.codes.items() if code == about), about)
        )
        return self.tree.titles.get(key)

    def finding(
        self,
        kind: str,
        severity: Severity,
        about: str | None,
        seqs: Iterable[int],
        reason: str,
        detail: str | None = None,
    ) -> Finding:
        return Finding(
            kind,
            severity,
            self.label(about),
            tuple(sorted(set(seqs))),
            reason,
            detail,
            self.title(about),
        )

    def said(self, entry: Entry) -> str:
        return summary(entry.event, self.tree, self.subjects.seqs)

    def first(self, subject: str) -> Entry | None:
        for entry in self.known:
            if entry.type == ApprovalRecorded.type_name:
                event = entry.event
                if isinstance(event, ApprovalRecorded) and event.subject == subject:
                    return entry
        return None

    def seqs_of(self, node: NodeResult) -> list[int]:
        seqs = []
        for entry in self.known:
            if entry.type in RESULT_CHANGING and entry.type not in PLAN_TYPES:
                about = self.subjects.about(entry)
                if about in (node.key, node.code):
                    seqs.append(entry.seq)
        return seqs


def seq_ranges(seqs: Iterable[int]) -> str:
    """`1-87, 89, 91-146`: many seqs in a few characters."""
    ordered = sorted(set(seqs))
    parts: list[str] = []
    start = previous = None
    for seq in [*ordered, None]:
        if seq is not None and previous is not None and seq == previous + 1:
            previous = seq
            continue
        if start is not None:
            parts.append(str(start) if start == previous else f"{start}-{previous}")
        start = previous = seq
    return ", ".join(parts)


def day(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def one_line(text: str, limit: int = 110) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
