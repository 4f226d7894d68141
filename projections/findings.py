"""The audit findings an OIV wants, each with a severity, a node, the events involved and a reason.

Severity: `alta` is what the OIV must settle before validating (a score no rule gives, a
figure the evidence does not give, a legal deadline missed, an act after the Relazione); `media`
is what it must look into (a late entry, an approval that approved nothing); `nota` is what it
reads to know the cycle (every override with its rationale, corrections, a backfill, deadlines
met). A backfill (events whose `source` names the document they were transcribed from) is
one finding per document, never one per event (DESIGN.md section 4).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from events.acts import ApprovalRecorded, ValidationRecorded
from events.i18n import _, ngettext
from events.limits import MAX_YEAR, MIN_YEAR
from events.measurement import AssessmentRecorded, MeasurementCorrected, MeasurementRecorded
from events.oversight import OverrideRecorded, OverrideWithdrawn
from ledger.records import Entry
from projections.cruscotto import NodeResult, build
from projections.history import act_label, put_in_force_by
from projections.numbers import italian_number, italian_percent
from projections.plan_state import PLAN_APPROVALS, PLAN_TYPES, fold
from projections.plan_tree import PlanTree, Subjects, plan_tree
from projections.reported import compare_reported, measure_label, node_of
from projections.roles import ROLES, roles_for
from projections.trail import correction_text, summary, weight_text
from projections.verification import refused_rows
from projections.weights import weight_problems

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

LATE_AFTER_DAYS = 30
"""An entry recorded more than this many days after its effective date is back-dated."""

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
    review = _Review(known, stream, as_of, late_after_days)
    found = [
        *(
            Finding("unsound", "alta", None, (seq,), problem)
            for seq, problem in refused_rows(e.row for e in entries if e.stream == stream)
        ),
        *review.scores(),
        *review.reported(),
        *review.deadlines(),
        *review.after_relazione(),
        *review.weights(),
        *review.plan_changes(),
        *review.unmeasured(),
        *review.roles(),
        *review.late(),
        *review.overrides(),
        *review.corrections(),
    ]
    return sorted(found, key=_order)


def _order(finding: Finding) -> tuple[int, int, int]:
    return (
        SEVERITIES.index(finding.severity),
        KINDS.index(finding.kind),
        finding.seqs[0] if finding.seqs else 0,
    )


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


def _day(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _one_line(text: str, limit: int = 110) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


class _Review:
    """The cycle read once, and one method per kind of finding."""

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

    # -- helpers ---------------------------------------------------------------------------------

    def _label(self, about: str | None) -> str | None:
        if about is None:
            return None
        if about in self.tree.parents:
            return self.tree.label(about)
        return about

    def _title(self, about: str | None) -> str | None:
        if about is None:
            return None
        key = (
            about
            if about in self.tree.parents
            else next((k for k, code in self.tree.codes.items() if code == about), about)
        )
        return self.tree.titles.get(key)

    def _finding(
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
            self._label(about),
            tuple(sorted(set(seqs))),
            reason,
            detail,
            self._title(about),
        )

    def _said(self, entry: Entry) -> str:
        return summary(entry.event, self.tree, self.subjects.seqs)

    def _first(self, subject: str) -> Entry | None:
        for entry in self.known:
            if entry.type == ApprovalRecorded.type_name:
                event = entry.event
                if isinstance(event, ApprovalRecorded) and event.subject == subject:
                    return entry
        return None

    def _seqs_of(self, node: NodeResult) -> list[int]:
        seqs = []
        for entry in self.known:
            if entry.type in RESULT_CHANGING and entry.type not in PLAN_TYPES:
                about = self.subjects.about(entry)
                if about in (node.key, node.code):
                    seqs.append(entry.seq)
        return seqs

    # -- findings -------------------------------------------------------------------------------

    def scores(self) -> Iterable[Finding]:
        """Achievements stated by assessment that no override covers."""
        for node in self.cruscotto.nodes():
            score = node.score
            if not node.is_indicator or score is None or score.scored_by != "assessment":
                continue
            if node.override is not None:
                continue
            stated = italian_percent(score.computed)
            code = node.code or node.key
            if score.rule_score is None:
                yield self._finding(
                    "stated_without_measure",
                    "media",
                    node.key,
                    self._seqs_of(node),
                    _(
                        "{code} scored {stated} by assessment with no measured value: the KPI's "
                        "rule cannot score it, and no override (sentito l'OIV) stands"
                    ).format(code=code, stated=stated),
                    score.explanation,
                )
            elif score.rule_score != score.computed:
                yield self._finding(
                    "unruled_score",
                    "alta",
                    node.key,
                    self._seqs_of(node),
                    _(
                        "{code} scored {stated} by assessment where the KPI's rule gives {rule} "
                        "(target {target}, done {done}); no override (sentito l'OIV) stands"
                    ).format(
                        code=code,
                        stated=stated,
                        rule=italian_percent(score.rule_score),
                        target=node.target_label,
                        done=node.measured,
                    ),
                    score.explanation,
                )

    def reported(self) -> Iterable[Finding]:
        """Figures a document printed, against the replay as of the document's date."""
        comparisons = compare_reported(self.known, self.stream)
        by_seq = {c.entry.seq: c for c in comparisons}
        explains: dict[int, list[int]] = {}
        for comparison in comparisons:
            for cause in comparison.causes:
                explains.setdefault(cause, []).append(comparison.entry.seq)
        matched = [c.entry.seq for c in comparisons if c.verdict == "match"]
        for comparison in comparisons:
            event = comparison.event
            what = measure_label(event, self._title(event.node))
            gives = _("no figure") if comparison.shown is None else comparison.shown
            said = _(
                "{document}, {where}: {what} printed {printed}, the evidence gives {gives}{hint}"
            ).format(
                document=event.document,
                where=event.where,
                what=what,
                printed=event.printed,
                gives=gives,
                hint=comparison.hint,
            )
            seq = comparison.entry.seq
            if comparison.verdict == "mismatch":
                follows = explains.get(seq, [])
                detail = None
                if follows:
                    detail = ngettext(
                        "{said}; it explains {count} more printed figure (seq {seqs})",
                        "{said}; it explains {count} more printed figures (seq {seqs})",
                        len(follows),
                    ).format(said=said, count=len(follows), seqs=seq_ranges(follows))
                yield self._finding("reported_mismatch", "alta", event.node, [seq], said, detail)
            elif comparison.verdict == "consequence":
                causes = [by_seq[cause] for cause in comparison.causes]
                names = ", ".join(
                    f"{measure_label(c.event, self._title(c.event.node))} (seq {c.entry.seq})"
                    for c in causes
                )
                yield self._finding(
                    "reported_consequence",
                    "nota",
                    event.node,
                    [seq, *comparison.causes],
                    _("{said}: follows from the mismatch of {causes}").format(
                        said=said, causes=names
                    ),
                )
            elif comparison.verdict == "rounding":
                exact = italian_number(comparison.evidence or Decimal(0), event.decimals + 2)
                yield self._finding(
                    "reported_rounding",
                    "nota",
                    event.node,
                    [seq],
                    _(
                        "{document}, {where}: {what} printed {printed}, the evidence gives "
                        "{exact}: they differ only in the printed precision (rounding)"
                    ).format(
                        document=event.document,
                        where=event.where,
                        what=what,
                        printed=event.printed,
                        exact=exact,
                    ),
                )
        if matched:
            yield self._finding(
                "reported_match",
                "nota",
                None,
                matched,
                ngettext(
                    "{count} printed figure agrees with the evidence",
                    "{count} printed figures agree with the evidence",
                    len(matched),
                ).format(count=len(matched)),
            )

    def deadlines(self) -> Iterable[Finding]:
        """The legal deadlines: the Piano (or the PIAO) by 31 January, the Relazione by 30 June
        of the next year (art. 10 D.Lgs. 150/2009, art. 6 DL 80/2021), or the cycle's own."""
        opened = self.state.opened
        if not MIN_YEAR <= self.year <= MAX_YEAR:  # a year an older version let in
            yield self._finding(
                "deadline",
                "alta",
                None,
                [],
                f"the cycle's year {self.year} is outside {MIN_YEAR}-{MAX_YEAR}: "
                "its deadlines cannot be checked",
            )
            return
        piao = self.state.container == "piao"
        plan_due = (opened.plan_deadline if opened else None) or legal_plan_deadline(
            self.year, piao
        )
        relazione_due = (opened.relazione_deadline if opened else None) or date(
            self.year + 1, 6, 30
        )
        plan_law = "art. 6 DL 80/2021" if piao else "art. 10 D.Lgs. 150/2009"
        plan_name = (
            _("the PIAO (sottosezione 2.2 Performance)")
            if piao
            else _("the Piano della Performance")
        )
        checks = (
            ("plan", plan_name, plan_due, plan_law),
            (
                "relazione",
                _("the Relazione sulla Performance"),
                relazione_due,
                "art. 10 D.Lgs. 150/2009",
            ),
        )
        for subject, name, due, law in checks:
            approval = self._first(subject)
            if approval is None:
                if self.as_of > due:
                    yield self._finding(
                        "deadline",
                        "alta",
                        None,
                        [],
                        _("no approval of {name} is recorded; it was due by {due} ({law})").format(
                            name=name, due=_day(due), law=law
                        ),
                    )
                continue
            event = approval.event
            act = getattr(event, "act", None) or _("no act number")
            when = _("{name} approved {day} ({act}, seq {seq})").format(
                name=name, day=_day(approval.effective_date), act=act, seq=approval.seq
            )
            if approval.effective_date > due:
                days = (approval.effective_date - due).days
                yield self._finding(
                    "deadline",
                    "alta",
                    None,
                    [approval.seq],
                    _("{when}: {days} days after the legal deadline {due} ({law})").format(
                        when=when, days=days, due=_day(due), law=law
                    ),
                )
            else:
                yield self._finding(
                    "deadline",
                    "nota",
                    None,
                    [approval.seq],
                    _("{when}: in time for the legal deadline {due}").format(
                        when=when, due=_day(due)
                    ),
                )

    def after_relazione(self) -> Iterable[Finding]:
        """Acts that change results, recorded or effective after the Relazione's approval or
        validation: the approved figures no longer follow from the ledger."""
        marks = [(_("approved"), self._first("relazione"))]
        validation = next((e for e in self.known if e.type == ValidationRecorded.type_name), None)
        marks.append((_("validated"), validation))
        reported: set[int] = set()
        for what, mark in marks:
            if mark is None:
                continue
            for entry in self.known:
                if entry.type not in RESULT_CHANGING or entry.seq in reported:
                    continue
                recorded_later = entry.seq > mark.seq
                effective_later = entry.effective_date > mark.effective_date
                if not (recorded_later or effective_later):
                    continue
                reported.add(entry.seq)
                how = _("effective") if effective_later else _("recorded")
                yield self._finding(
                    "after_relazione",
                    "alta",
                    self.subjects.about(entry),
                    [entry.seq, mark.seq],
                    _("{act}: {how} after the Relazione was {what} on {day} (seq {seq})").format(
                        act=self._said(entry),
                        how=how,
                        what=what,
                        day=_day(mark.effective_date),
                        seq=mark.seq,
                    ),
                )

    def weights(self) -> Iterable[Finding]:
        for parent, total, keys in weight_problems(self.state):
            names = ", ".join(self._label(key) or key for key in keys)
            yield self._finding(
                "weights",
                "alta",
                parent,
                [],
                _("the weights under {parent} sum to {total}, not 100 % ({names})").format(
                    parent=self._label(parent) or _("the top level"),
                    total=weight_text(total),
                    names=names,
                ),
            )

    def plan_changes(self) -> Iterable[Finding]:
        """Plan changes no approval put in force, and plan approvals that put nothing in force."""
        for entry in self.state.pending:
            yield self._finding(
                "pending_plan_change",
                "alta",
                self.subjects.about(entry),
                [entry.seq],
                _("{act}: recorded {day}, never put in force by an approval").format(
                    act=self._said(entry), day=_day(entry.effective_date)
                ),
            )
        put_by = put_in_force_by(self.known)
        approving = {approval.seq for approval in put_by.values()}
        for entry in self.known:
            event = entry.event if entry.type == ApprovalRecorded.type_name else None
            if not isinstance(event, ApprovalRecorded) or event.subject not in PLAN_APPROVALS:
                continue
            if entry.seq not in approving:
                what = (
                    _("an update of the Piano")
                    if event.subject == "plan_update"
                    else _("the Piano")
                )
                yield self._finding(
                    "empty_approval",
                    "media",
                    None,
                    [entry.seq],
                    _(
                        "{act} approves {what}, but no plan change is recorded for it: it put "
                        "nothing in force"
                    ).format(act=act_label(entry), what=what),
                )

    def unmeasured(self) -> Iterable[Finding]:
        closing = (
            _("when the cycle closed")
            if self.cruscotto.closed
            else _("by {day}").format(day=_day(self.as_of))
        )
        for node in self.cruscotto.nodes():
            if node.is_indicator and node.coverage == 0:
                stands = _(", an override stands on it") if node.override else ""
                yield self._finding(
                    "unmeasured",
                    "alta" if self.cruscotto.closed else "media",
                    node.key,
                    self._seqs_of(node),
                    _("{code} ({title}) has no measurement {closing}{stands}").format(
                        code=node.code or node.key, title=node.title, closing=closing, stands=stands
                    ),
                )

    def roles(self) -> Iterable[Finding]:
        """Acts recorded in a role that may not do them (possible in an open cycle)."""
        for entry in self.known:
            allowed = roles_for(entry.type)
            if entry.role in allowed:
                continue
            unknown = "" if entry.role in ROLES else _(" (not a role of the ledger)")
            yield self._finding(
                "role",
                "media",
                self.subjects.about(entry),
                [entry.seq],
                _("{type} recorded by {actor} as {role!r}{unknown}; it needs {allowed}").format(
                    type=entry.type,
                    actor=entry.actor,
                    role=entry.role,
                    unknown=unknown,
                    allowed=_(" or ").join(allowed),
                ),
            )

    def late(self) -> Iterable[Finding]:
        """Back-dated entries one by one; a backfill as one finding per source document."""
        backfill: dict[str, list[Entry]] = {}
        for entry in self.known:
            days = (entry.recorded_at.date() - entry.effective_date).days
            if days <= self.late_after_days:
                continue
            source = entry.event.source
            if source:
                backfill.setdefault(source, []).append(entry)
                continue
            yield self._finding(
                "backdated",
                "media",
                self.subjects.about(entry),
                [entry.seq],
                _("{act}: effective {effective}, recorded {recorded}, {days} days later").format(
                    act=self._said(entry),
                    effective=_day(entry.effective_date),
                    recorded=_day(entry.recorded_at.date()),
                    days=days,
                ),
            )
        if backfill:
            batch = [entry for entries in backfill.values() for entry in entries]
            delays = [(e.recorded_at.date() - e.effective_date).days for e in batch]
            sources = "; ".join(f"{source!r}: {len(found)}" for source, found in backfill.items())
            yield self._finding(
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

    def overrides(self) -> Iterable[Finding]:
        withdrawn = {
            e.event.node: e
            for e in self.known
            if e.type == OverrideWithdrawn.type_name and isinstance(e.event, OverrideWithdrawn)
        }
        for entry in self.known:
            event = entry.event if entry.type == OverrideRecorded.type_name else None
            if not isinstance(event, OverrideRecorded):
                continue
            node = node_of(self.cruscotto, event.node)
            computed = italian_percent(node.computed) if node else "—"
            gone = withdrawn.get(event.node)
            ended = (
                _(" (withdrawn at seq {seq})").format(seq=gone.seq)
                if gone is not None and gone.seq > entry.seq
                else ""
            )
            yield self._finding(
                "override",
                "nota",
                event.node,
                [entry.seq],
                _(
                    "override to {achievement} over the computed {computed}, sentito l'OIV il "
                    "{heard}{ended}: {rationale}"
                ).format(
                    achievement=italian_percent(event.achievement),
                    computed=computed,
                    heard=_day(event.oiv_heard_on),
                    ended=ended,
                    rationale=_one_line(event.rationale, 70),
                ),
                event.rationale,
            )

    def corrections(self) -> Iterable[Finding]:
        for entry in self.known:
            event = entry.event if entry.type == MeasurementCorrected.type_name else None
            if not isinstance(event, MeasurementCorrected):
                continue
            wrong = self.by_id.get(event.corrects)
            was = self._said(wrong) if wrong else event.corrects
            seqs = [entry.seq, *([wrong.seq] if wrong else [])]
            yield self._finding(
                "correction",
                "nota",
                self.subjects.about(entry),
                seqs,
                _("{was} (seq {seq}) corrected to {value}: {reason}").format(
                    was=was,
                    seq=wrong.seq if wrong else "?",
                    value=correction_text(event),
                    reason=event.reason,
                ),
            )


def legal_plan_deadline(year: int, piao: bool) -> date:
    """31 January of the cycle's year; the first PIAO, for 2022, by 30 June 2022 (art. 7 c. 1
    DL 36/2022, which moved it from 30 April, itself moved from 31 January by DL 228/2021)."""
    if piao and year == 2022:
        return date(2022, 6, 30)
    return date(year, 1, 31)


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
