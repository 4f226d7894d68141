"""Findings about the calendar and the plan: legal deadlines, acts after the Relazione,
plan changes no approval put in force and approvals that put nothing in force.
"""

from collections.abc import Iterable
from datetime import date

from events.acts import ApprovalRecorded, ValidationRecorded
from events.i18n import _
from events.limits import MAX_YEAR, MIN_YEAR
from projections.history import act_label, put_in_force_by
from projections.plan_state import PLAN_APPROVALS
from projections.review import RESULT_CHANGING, Finding, Review, day


def deadlines(review: Review) -> Iterable[Finding]:
    """The legal deadlines: the Piano (or the PIAO) by 31 January, the Relazione by 30 June
    of the next year (art. 10 D.Lgs. 150/2009, art. 6 DL 80/2021), or the cycle's own."""
    opened = review.state.opened
    if not MIN_YEAR <= review.year <= MAX_YEAR:  # a year an older version let in
        yield review.finding(
            "deadline",
            "alta",
            None,
            [],
            _(
                "the cycle's year {year} is outside {first}-{last}: its deadlines cannot be checked"
            ).format(year=review.year, first=MIN_YEAR, last=MAX_YEAR),
        )
        return
    piao = review.state.container == "piao"
    plan_due = (opened.plan_deadline if opened else None) or legal_plan_deadline(review.year, piao)
    relazione_due = (opened.relazione_deadline if opened else None) or date(review.year + 1, 6, 30)
    plan_law = "art. 6 DL 80/2021" if piao else "art. 10 D.Lgs. 150/2009"
    plan_name = (
        _("the PIAO (sottosezione 2.2 Performance)") if piao else _("the Piano della Performance")
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
        approval = review.first(subject)
        if approval is None:
            if review.as_of > due:
                yield review.finding(
                    "deadline",
                    "alta",
                    None,
                    [],
                    _("no approval of {name} is recorded; it was due by {due} ({law})").format(
                        name=name, due=day(due), law=law
                    ),
                )
            continue
        event = approval.event
        act = getattr(event, "act", None) or _("no act number")
        when = _("{name} approved {day} ({act}, seq {seq})").format(
            name=name, day=day(approval.effective_date), act=act, seq=approval.seq
        )
        if approval.effective_date > due:
            days = (approval.effective_date - due).days
            yield review.finding(
                "deadline",
                "alta",
                None,
                [approval.seq],
                _("{when}: {days} days after the legal deadline {due} ({law})").format(
                    when=when, days=days, due=day(due), law=law
                ),
            )
        else:
            yield review.finding(
                "deadline",
                "nota",
                None,
                [approval.seq],
                _("{when}: in time for the legal deadline {due}").format(when=when, due=day(due)),
            )


def after_relazione(review: Review) -> Iterable[Finding]:
    """Acts that change results, recorded or effective after the Relazione's approval or
    validation: the approved figures no longer follow from the ledger."""
    marks = [(_("approved"), review.first("relazione"))]
    validation = next((e for e in review.known if e.type == ValidationRecorded.type_name), None)
    marks.append((_("validated"), validation))
    reported: set[int] = set()
    for what, mark in marks:
        if mark is None:
            continue
        for entry in review.known:
            if entry.type not in RESULT_CHANGING or entry.seq in reported:
                continue
            recorded_later = entry.seq > mark.seq
            effective_later = entry.effective_date > mark.effective_date
            if not (recorded_later or effective_later):
                continue
            reported.add(entry.seq)
            how = _("effective") if effective_later else _("recorded")
            yield review.finding(
                "after_relazione",
                "alta",
                review.subjects.about(entry),
                [entry.seq, mark.seq],
                _("{act}: {how} after the Relazione was {what} on {day} (seq {seq})").format(
                    act=review.said(entry),
                    how=how,
                    what=what,
                    day=day(mark.effective_date),
                    seq=mark.seq,
                ),
            )


def plan_changes(review: Review) -> Iterable[Finding]:
    """Plan changes no approval put in force, and plan approvals that put nothing in force."""
    for entry in review.state.pending:
        yield review.finding(
            "pending_plan_change",
            "alta",
            review.subjects.about(entry),
            [entry.seq],
            _("{act}: recorded {day}, never put in force by an approval").format(
                act=review.said(entry), day=day(entry.effective_date)
            ),
        )
    put_by = put_in_force_by(review.known)
    approving = {approval.seq for approval in put_by.values()}
    for entry in review.known:
        event = entry.event if entry.type == ApprovalRecorded.type_name else None
        if not isinstance(event, ApprovalRecorded) or event.subject not in PLAN_APPROVALS:
            continue
        if entry.seq not in approving:
            what = _("an update of the Piano") if event.subject == "plan_update" else _("the Piano")
            yield review.finding(
                "empty_approval",
                "media",
                None,
                [entry.seq],
                _(
                    "{act} approves {what}, but no plan change is recorded for it: it put "
                    "nothing in force"
                ).format(act=act_label(entry), what=what),
            )


def legal_plan_deadline(year: int, piao: bool) -> date:
    """31 January of the cycle's year; the first PIAO, for 2022, by 30 June 2022 (art. 7 c. 1
    DL 36/2022, which moved it from 30 April, itself moved from 31 January by DL 228/2021)."""
    if piao and year == 2022:
        return date(2022, 6, 30)
    return date(year, 1, 31)
