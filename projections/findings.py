"""The audit findings an OIV wants, each with a severity, a node, the events involved and a reason.

Severity: `alta` is what the OIV must settle before validating (a score no rule gives, a
figure the evidence does not give, a legal deadline missed, an act after the Relazione); `media`
is what it must look into (a late entry, an approval that approved nothing); `nota` is what it
reads to know the cycle (every override with its rationale, corrections, a backfill, deadlines
met). A backfill (events whose `source` names the document they were transcribed from) is
one finding per document, never one per event (DESIGN.md section 4).

This module gathers and orders the findings; each kind is computed from one `Review` of the
cycle in projections/findings_results.py, findings_calendar.py and findings_conduct.py.
"""

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from ledger.records import Entry
from projections import findings_calendar, findings_conduct, findings_results
from projections.findings_calendar import legal_plan_deadline
from projections.review import KINDS, SEVERITIES, Finding, Review, Severity, seq_ranges
from projections.verification import refused_rows

__all__ = [
    "KINDS",
    "LATE_AFTER_DAYS",
    "SEVERITIES",
    "Finding",
    "Severity",
    "audit",
    "finding_row",
    "legal_plan_deadline",
    "seq_ranges",
]

LATE_AFTER_DAYS = 30
"""An entry recorded more than this many days after its effective date is back-dated."""


def audit(
    entries: Sequence[Entry],
    stream: str,
    *,
    as_of: date,
    known_at: datetime | None = None,
    late_after_days: int = LATE_AFTER_DAYS,
) -> list[Finding]:
    """Every finding on `stream`, as of `as_of` and as the ledger knew it at `known_at`."""
    known = [
        e for e in entries if e.stream == stream and (known_at is None or e.recorded_at <= known_at)
    ]
    review = Review(known, stream, as_of, late_after_days)
    found = [
        *(
            Finding("unsound", "alta", None, (seq,), problem)
            for seq, problem in refused_rows(e.row for e in entries if e.stream == stream)
        ),
        *findings_results.scores(review),
        *findings_results.reported(review),
        *findings_calendar.deadlines(review),
        *findings_calendar.after_relazione(review),
        *findings_conduct.weights(review),
        *findings_calendar.plan_changes(review),
        *findings_conduct.unmeasured(review),
        *findings_conduct.roles(review),
        *findings_conduct.late(review),
        *findings_conduct.overrides(review),
        *findings_conduct.corrections(review),
    ]
    return sorted(found, key=_order)


def _order(finding: Finding) -> tuple[int, int, int]:
    return (
        SEVERITIES.index(finding.severity),
        KINDS.index(finding.kind),
        finding.seqs[0] if finding.seqs else 0,
    )


def finding_row(finding: Finding, *, listed: bool = False) -> dict[str, Any]:
    """A finding as a row of the CSV, JSON and console tables (`listed`: seqs as a list)."""
    return {
        "severity": finding.severity,
        "kind": finding.kind,
        "node": finding.node,
        "title": finding.title,
        "seqs": list(finding.seqs) if listed else " ".join(str(s) for s in finding.seqs),
        "reason": finding.reason,
        "detail": finding.detail,
    }
