"""Findings about results: scores no rule gives, and figures a document printed.

An achievement stated by assessment that no override covers is the OIV's first question; a
figure printed in a Relazione that the evidence in the ledger does not give is the second.
"""

from collections.abc import Iterable
from decimal import Decimal

from events.i18n import _, ngettext
from projections.numbers import italian_number, italian_percent
from projections.reported import compare_reported, measure_label
from projections.review import Finding, Review, seq_ranges


def scores(review: Review) -> Iterable[Finding]:
    """Achievements stated by assessment that no override covers."""
    for node in review.cruscotto.nodes():
        score = node.score
        if not node.is_indicator or score is None or score.scored_by != "assessment":
            continue
        if node.override is not None:
            continue
        stated = italian_percent(score.computed)
        code = node.code or node.key
        if score.rule_score is None:
            yield review.finding(
                "stated_without_measure",
                "media",
                node.key,
                review.seqs_of(node),
                _(
                    "{code} scored {stated} by assessment with no measured value: the KPI's "
                    "rule cannot score it, and no override (sentito l'OIV) stands"
                ).format(code=code, stated=stated),
                score.explanation,
            )
        elif score.rule_score != score.computed:
            yield review.finding(
                "unruled_score",
                "alta",
                node.key,
                review.seqs_of(node),
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


def reported(review: Review) -> Iterable[Finding]:
    """Figures a document printed, against the replay as of the document's date."""
    comparisons = compare_reported(review.known, review.stream)
    by_seq = {c.entry.seq: c for c in comparisons}
    explains: dict[int, list[int]] = {}
    for comparison in comparisons:
        for cause in comparison.causes:
            explains.setdefault(cause, []).append(comparison.entry.seq)
    matched = [c.entry.seq for c in comparisons if c.verdict == "match"]
    for comparison in comparisons:
        event = comparison.event
        what = measure_label(event, review.title(event.node))
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
            yield review.finding("reported_mismatch", "alta", event.node, [seq], said, detail)
        elif comparison.verdict == "consequence":
            causes = [by_seq[cause] for cause in comparison.causes]
            names = ", ".join(
                f"{measure_label(c.event, review.title(c.event.node))} (seq {c.entry.seq})"
                for c in causes
            )
            yield review.finding(
                "reported_consequence",
                "nota",
                event.node,
                [seq, *comparison.causes],
                _("{said}: follows from the mismatch of {causes}").format(said=said, causes=names),
            )
        elif comparison.verdict == "rounding":
            exact = italian_number(comparison.evidence or Decimal(0), event.decimals + 2)
            yield review.finding(
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
        yield review.finding(
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
