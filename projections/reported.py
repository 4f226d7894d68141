"""The figures a document printed, compared with the evidence: agreed, rounded, wrong, or wrong
because another one is.

A printed figure is compared at its own precision (a `90%` with the evidence rounded half up
to no decimals). One that differs by less than a unit of its last printed place is a matter of
rounding (the document truncated, or rounded another way): a note, not a mismatch. A mismatch
that the document's own wrong figures below it explain (the perspective recomputed from the
printed, wrong, result of one of its objectives gives what the document prints) follows from
that mismatch: one cause is one finding, and its consequences name it.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from events.i18n import _, ngettext
from events.oversight import ReportedFigureRecorded
from events.policy import Figure
from ledger.records import Entry
from projections.cruscotto import Cruscotto, NodeResult, build
from projections.numbers import italian_number, italian_percent, rounded
from projections.plan_state import CycleState, find_node, fold
from projections.scale_counts import count_word

Verdict = Literal["match", "rounding", "mismatch", "consequence"]
FIGURES = ("result", "achievement", "measured")


@dataclass(frozen=True)
class Comparison:
    """One printed figure against the evidence as of the document's date."""

    entry: Entry
    event: ReportedFigureRecorded
    verdict: Verdict
    evidence: Decimal | None
    shown: str | None
    hint: str = ""
    causes: tuple[int, ...] = ()


def compare_reported(known: Sequence[Entry], stream: str) -> list[Comparison]:
    """Every reported figure of the entries, compared (in the order recorded)."""
    states: dict[date, CycleState] = {}
    views: dict[date, Cruscotto] = {}
    first: list[Comparison] = []
    for entry in known:
        event = entry.event if entry.type == ReportedFigureRecorded.type_name else None
        if not isinstance(event, ReportedFigureRecorded):
            continue
        day = entry.effective_date
        if day not in views:
            states[day] = fold(known, stream, as_of=day)
            views[day] = build(states[day], day)
        evidence, shown, hint = evidence_of(views[day], event, states[day])
        first.append(Comparison(entry, event, _verdict(event, evidence), evidence, shown, hint))
    wrong = [c for c in first if c.verdict == "mismatch" and c.event.measure in FIGURES]
    return [_explained(c, wrong, states) if c in wrong else c for c in first]


def _verdict(event: ReportedFigureRecorded, evidence: Decimal | None) -> Verdict:
    if evidence is None:
        return "mismatch"
    if event.measure not in (*FIGURES, "share"):
        return "match" if evidence == event.value else "mismatch"
    unit = Decimal(1).scaleb(-event.decimals)
    if rounded(evidence, unit) == event.value:
        return "match"
    if abs(evidence - event.value) < unit:
        return "rounding"
    return "mismatch"


def _explained(
    mismatch: Comparison, wrong: list[Comparison], states: dict[date, CycleState]
) -> Comparison:
    """The mismatch as a consequence of others below it, if their printed figures explain it."""
    state = states[mismatch.entry.effective_date]
    below = [
        other
        for other in wrong
        if other is not mismatch
        and other.entry.effective_date <= mismatch.entry.effective_date
        and _feeds(state, other.event.node, mismatch.event.node)
    ]
    candidates = [[other] for other in below]
    if len(below) > 1:
        candidates.append(below)
    for causes in candidates:
        substitutes: dict[str | None, tuple[Figure, Fraction]] = {}
        for cause in causes:
            found = find_node(state, cause.event.node or "")
            if found is not None:
                figure: Figure = "achievement" if cause.event.measure == "achievement" else "result"
                substitutes[found.key] = (figure, Fraction(cause.event.value))
        view = build(state, mismatch.entry.effective_date, substitutes=substitutes)
        recomputed, _shown, _hint = evidence_of(view, mismatch.event, state)
        if recomputed is not None and _verdict(mismatch.event, recomputed) != "mismatch":
            seqs = tuple(cause.entry.seq for cause in causes)
            return Comparison(
                mismatch.entry,
                mismatch.event,
                "consequence",
                mismatch.evidence,
                mismatch.shown,
                mismatch.hint,
                seqs,
            )
    return mismatch


def _feeds(state: CycleState, lower: str | None, upper: str | None) -> bool:
    """Whether the figure of node `lower` enters the figure of `upper` (None: the ente)."""
    if lower is None:
        return False
    node = find_node(state, lower)
    if node is None:
        return False
    if upper is None:
        return True
    top = find_node(state, upper)
    key = node.parent
    while key is not None and top is not None:
        if key == top.key:
            return True
        parent = state.nodes.get(key)
        key = parent.parent if parent is not None else None
    return False


def node_of(cruscotto: Cruscotto, text: str | None) -> NodeResult | None:
    if text is None:
        return None
    return next((n for n in cruscotto.nodes() if text in (n.key, n.code)), None)


def measure_label(event: ReportedFigureRecorded, title: str | None) -> str:
    if event.node:
        named = repr(title) if title else repr(event.node)
        of_node = {
            "result": _("the result of {node}"),
            "achievement": _("the % raggiungimento of {node}"),
            "measured": _("the measured value of {node}"),
        }
    else:
        named = ""
        of_node = {
            "result": _("the result of the ente"),
            "achievement": _("the % raggiungimento of the ente"),
            "measured": _("the measured value of the ente"),
        }
    level = repr(event.level)
    counted = (
        {
            "count": _("the indicators of {node} assessed {level}"),
            "share": _("the indicators of {node} assessed {level}, as a share of the cycle's"),
        }
        if event.node
        else {
            "count": _("the indicators assessed {level}"),
            "share": _("the indicators assessed {level}, as a share of the cycle's"),
        }
    )
    if event.measure in counted:
        return counted[event.measure].format(node=named, level=level)
    return {
        **of_node,
        "strategic_at_100": _("the strategic objectives at 100 %"),
        "strategic_reached": _("the strategic objectives that reached their target"),
        "operational_reached": _("the operational objectives that reached their target"),
    }[event.measure].format(node=named)


def evidence_of(
    cruscotto: Cruscotto, event: ReportedFigureRecorded, state: CycleState
) -> tuple[Decimal | None, str | None, str]:
    """The evidence's figure for what the event reports, how to show it, and a hint."""
    strategic = cruscotto.strategic()
    match event.measure:
        case "count" | "share":
            counted = count_word(state, cruscotto, event.level or "", event.node)
            if event.measure == "count":
                return Decimal(counted.assessed), _count_of(counted.assessed, counted.below), ""
            if not counted.in_cycle:
                return None, None, ""
            share = Decimal(counted.assessed) / counted.in_cycle * 100
            hint = _(" ({count} of {total})").format(count=counted.assessed, total=counted.in_cycle)
            return share, italian_percent(rounded(share)), hint
        case "measured":
            node = node_of(cruscotto, event.node)
            value = node.measured_value if node is not None else None
            shown = None if value is None else italian_number(value, max(2, event.decimals + 2))
            return value, shown, ""
        case "result" | "achievement":
            if event.node is None:
                value = cruscotto.result
            else:
                node = node_of(cruscotto, event.node)
                value = (
                    None
                    if node is None
                    else (node.achievement if event.measure == "achievement" else node.result)
                )
            return value, (None if value is None else italian_percent(rounded(value))), ""
        case "strategic_at_100" | "strategic_reached":
            hundred = Decimal(100)
            reached = [
                n for n in strategic if n.achievement is not None and n.achievement >= hundred
            ]
            at_result = [n for n in strategic if n.result is not None and n.result >= hundred]
            hint = ngettext(
                " ({count} has a measured result of 100 %)",
                " ({count} have a measured result of 100 %)",
                len(at_result),
            ).format(count=len(at_result))
            count = len(reached)
            return Decimal(count), _count_of(count, len(strategic)), hint
        case _:
            targets = {n.key: n.target for n in strategic}
            operational = [
                (n, targets.get(parent.key)) for parent in strategic for n in parent.children
            ]
            reached_ops = [
                n
                for n, target in operational
                if n.result is not None and target is not None and n.result >= target
            ]
            return (
                Decimal(len(reached_ops)),
                _count_of(len(reached_ops), len(operational)),
                "",
            )


def _count_of(count: int, total: int) -> str:
    """`8 of 9`: how many of the objectives, as the comparison shows it."""
    return _("{count} of {total}").format(count=count, total=total)
