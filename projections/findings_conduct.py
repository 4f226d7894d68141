"""Findings about how the cycle was kept: weights, coverage, roles, timing, overrides and
corrections.
"""

from collections.abc import Iterable

from events.i18n import _
from events.measurement import MeasurementCorrected
from events.oversight import OverrideRecorded, OverrideWithdrawn
from ledger.records import Entry
from projections.numbers import italian_percent
from projections.reported import node_of
from projections.review import Finding, Review, day, one_line, seq_ranges
from projections.roles import ROLES, roles_for
from projections.trail import correction_text, weight_text
from projections.weights import weight_problems


def weights(review: Review) -> Iterable[Finding]:
    for parent, total, keys in weight_problems(review.state):
        names = ", ".join(review.label(key) or key for key in keys)
        yield review.finding(
            "weights",
            "alta",
            parent,
            [],
            _("the weights under {parent} sum to {total}, not 100 % ({names})").format(
                parent=review.label(parent) or _("the top level"),
                total=weight_text(total),
                names=names,
            ),
        )


def unmeasured(review: Review) -> Iterable[Finding]:
    closing = (
        _("when the cycle closed")
        if review.cruscotto.closed
        else _("by {day}").format(day=day(review.as_of))
    )
    for node in review.cruscotto.nodes():
        if node.is_indicator and node.coverage == 0:
            stands = _(", an override stands on it") if node.override else ""
            yield review.finding(
                "unmeasured",
                "alta" if review.cruscotto.closed else "media",
                node.key,
                review.seqs_of(node),
                _("{code} ({title}) has no measurement {closing}{stands}").format(
                    code=node.code or node.key, title=node.title, closing=closing, stands=stands
                ),
            )


def roles(review: Review) -> Iterable[Finding]:
    """Acts recorded in a role that may not do them (possible in an open cycle)."""
    for entry in review.known:
        allowed = roles_for(entry.type)
        if entry.role in allowed:
            continue
        unknown = "" if entry.role in ROLES else _(" (not a role of the ledger)")
        yield review.finding(
            "role",
            "media",
            review.subjects.about(entry),
            [entry.seq],
            _("{type} recorded by {actor} as {role!r}{unknown}; it needs {allowed}").format(
                type=entry.type,
                actor=entry.actor,
                role=entry.role,
                unknown=unknown,
                allowed=_(" or ").join(allowed),
            ),
        )


def late(review: Review) -> Iterable[Finding]:
    """Back-dated entries one by one; a backfill as one finding per source document."""
    backfill: dict[str, list[Entry]] = {}
    for entry in review.known:
        days = (entry.recorded_at.date() - entry.effective_date).days
        if days <= review.late_after_days:
            continue
        source = entry.event.source
        if source:
            backfill.setdefault(source, []).append(entry)
            continue
        yield review.finding(
            "backdated",
            "media",
            review.subjects.about(entry),
            [entry.seq],
            _("{act}: effective {effective}, recorded {recorded}, {days} days later").format(
                act=review.said(entry),
                effective=day(entry.effective_date),
                recorded=day(entry.recorded_at.date()),
                days=days,
            ),
        )
    if backfill:
        batch = [entry for entries in backfill.values() for entry in entries]
        delays = [(e.recorded_at.date() - e.effective_date).days for e in batch]
        sources = "; ".join(f"{source!r}: {len(found)}" for source, found in backfill.items())
        yield review.finding(
            "backfill",
            "nota",
            None,
            [e.seq for e in batch],
            _(
                "{count} events transcribed from {documents} document(s) (backfill), "
                "recorded {least} to {most} days after their effective dates"
            ).format(
                count=len(batch), documents=len(backfill), least=min(delays), most=max(delays)
            ),
            f"{sources}; seq {seq_ranges(e.seq for e in batch)}",
        )


def overrides(review: Review) -> Iterable[Finding]:
    withdrawn = {
        e.event.node: e
        for e in review.known
        if e.type == OverrideWithdrawn.type_name and isinstance(e.event, OverrideWithdrawn)
    }
    for entry in review.known:
        event = entry.event if entry.type == OverrideRecorded.type_name else None
        if not isinstance(event, OverrideRecorded):
            continue
        node = node_of(review.cruscotto, event.node)
        computed = italian_percent(node.computed) if node else "—"
        gone = withdrawn.get(event.node)
        ended = (
            _(" (withdrawn at seq {seq})").format(seq=gone.seq)
            if gone is not None and gone.seq > entry.seq
            else ""
        )
        yield review.finding(
            "override",
            "nota",
            event.node,
            [entry.seq],
            _(
                "override to {achievement} over the computed {computed}, sentito l'OIV on "
                "{heard}{ended}: {rationale}"
            ).format(
                achievement=italian_percent(event.achievement),
                computed=computed,
                heard=day(event.oiv_heard_on),
                ended=ended,
                rationale=one_line(event.rationale, 70),
            ),
            event.rationale,
        )


def corrections(review: Review) -> Iterable[Finding]:
    for entry in review.known:
        event = entry.event if entry.type == MeasurementCorrected.type_name else None
        if not isinstance(event, MeasurementCorrected):
            continue
        wrong = review.by_id.get(event.corrects)
        was = review.said(wrong) if wrong else event.corrects
        seqs = [entry.seq, *([wrong.seq] if wrong else [])]
        yield review.finding(
            "correction",
            "nota",
            review.subjects.about(entry),
            seqs,
            _("{was} (seq {seq}) corrected to {value}: {reason}").format(
                was=was,
                seq=wrong.seq if wrong else "?",
                value=correction_text(event),
                reason=event.reason,
            ),
        )
