"""`ledger audit`'s findings: on the reference case, and on synthetic cycles that went wrong."""

from datetime import date
from decimal import Decimal

from events.acts import ApprovalRecorded
from events.plan import ObjectiveAmended
from ledger.records import NewEvent
from ledger.store import SqlEventStore
from projections.findings import Finding, audit, seq_ranges
from tests.builders import STREAM as TEST_STREAM
from tests.review.cycles import SEQS

SONDRIO = "cciaa-so/2020"
REVIEW_DAY = date(2021, 12, 31)


def findings(store: SqlEventStore, stream: str, **options: object) -> list[Finding]:
    return audit(list(store.read_stream(stream)), stream, as_of=REVIEW_DAY, **options)  # type: ignore[arg-type]


def of_kind(found: list[Finding], kind: str) -> list[Finding]:
    return [finding for finding in found if finding.kind == kind]


def seq_of(store: SqlEventStore, stream: str, type_name: str, **payload: str) -> int:
    for entry in store.read_stream(stream):
        event = entry.event
        if entry.type == type_name and all(getattr(event, k) == v for k, v in payload.items()):
            return entry.seq
    raise AssertionError(f"no {type_name} {payload}")


# -- the reference case ------------------------------------------------------------------------


def test_the_three_overrides_are_shown_with_their_rationale_and_the_oiv_date(
    sondrio: SqlEventStore,
) -> None:
    overrides = of_kind(findings(sondrio, SONDRIO), "override")
    assert [(f.severity, f.node) for f in overrides] == [
        ("nota", "3.3.1"),
        ("nota", "8.1.1"),
        ("nota", "3.4.1"),
    ]
    first = overrides[0]
    assert first.reason.startswith(
        "override to 60,00 % over the computed 0,00 %, sentito l'OIV on 07/06/2021: "
        "Relazione 2020, section 3.3"
    )
    assert first.detail is not None
    assert "l'azione 3.3.1 si considera raggiunta al 60 %" in first.detail
    assert overrides[2].reason.startswith("override to 100,00 % over the computed 0,00 %")
    assert first.seqs == (seq_of(sondrio, SONDRIO, "OverrideRecorded", node="3.3.1"),)


def test_3_5_2_is_a_score_a_rule_would_not_give(sondrio: SqlEventStore) -> None:
    [finding] = of_kind(findings(sondrio, SONDRIO), "unruled_score")
    assert (finding.severity, finding.node, finding.title) == (
        "alta",
        "3.5.2",
        "Remotizzazione procedure",
    )
    assert finding.reason == (
        "3.5.2 scored 100,00 % by assessment where the KPI's rule gives 0,00 % (target settembre, "
        "done 10/2020); no override (sentito l'OIV) stands"
    )
    assert finding.seqs == (seq_of(sondrio, SONDRIO, "AssessmentRecorded", action="3.5.2"),)


def test_3_1_1_is_stated_by_assessment_with_no_measured_value(sondrio: SqlEventStore) -> None:
    [finding] = of_kind(findings(sondrio, SONDRIO), "stated_without_measure")
    assert (finding.severity, finding.node) == ("media", "3.1.1")
    assert finding.reason == (
        "3.1.1 scored 100,00 % by assessment with no measured value: the KPI's rule cannot score "
        "it, and no override (sentito l'OIV) stands"
    )


def test_competitivita_delle_imprese_printed_90_00_where_the_evidence_gives_90_40(
    sondrio: SqlEventStore,
) -> None:
    mismatches = of_kind(findings(sondrio, SONDRIO), "reported_mismatch")
    imprese = [f for f in mismatches if f.node == "competitivita-delle-imprese"]
    assert [(f.severity, f.reason) for f in imprese] == [
        (
            "alta",
            "Relazione sulla Performance 2020, tabella 3.1, Risultato misurato: the result of "
            "'Competitività delle Imprese' printed 90,00 %, the evidence gives 90,40 %",
        )
    ]


def test_the_prose_5_objectives_at_100_is_not_the_8_of_9_the_evidence_gives(
    sondrio: SqlEventStore,
) -> None:
    mismatches = of_kind(findings(sondrio, SONDRIO), "reported_mismatch")
    counted = [f for f in mismatches if "strategic objectives at 100 %" in f.reason]
    assert [(f.node, f.reason.split(": ", 1)[1]) for f in counted] == [
        (
            None,
            "the strategic objectives at 100 % printed 5, the evidence gives 8 of 9 "
            "(5 have a measured result of 100 %)",
        )
    ]


def test_every_other_printed_figure_agrees_with_the_evidence(sondrio: SqlEventStore) -> None:
    found = findings(sondrio, SONDRIO)
    mismatched = {f.node for f in of_kind(found, "reported_mismatch")}
    # The third disagreement is the text's 60 % for the objective the tables print at 70 %.
    assert mismatched == {"competitivita-delle-imprese", "utilizzo-ottimale-delle-risorse", None}
    [agreeing] = of_kind(found, "reported_match")
    assert agreeing.reason == "25 printed figures agree with the evidence"


def test_the_legal_deadlines_were_met(sondrio: SqlEventStore) -> None:
    deadlines = of_kind(findings(sondrio, SONDRIO), "deadline")
    assert [(f.severity, f.reason) for f in deadlines] == [
        (
            "nota",
            "the Piano della Performance approved 27/01/2020 (delibera n. 5/GC, seq "
            f"{deadlines[0].seqs[0]}): in time for the legal deadline 31/01/2020",
        ),
        (
            "nota",
            "the Relazione sulla Performance approved 14/06/2021 (no act number, seq "
            f"{deadlines[1].seqs[0]}): in time for the legal deadline 30/06/2021",
        ),
    ]


def test_the_54_gc_plan_update_put_no_change_in_force(sondrio: SqlEventStore) -> None:
    [finding] = of_kind(findings(sondrio, SONDRIO), "empty_approval")
    seq = seq_of(sondrio, SONDRIO, "ApprovalRecorded", subject="plan_update")
    assert (finding.severity, finding.seqs) == ("media", (seq,))
    assert finding.reason == (
        f"delibera n. 54/GC del 14/07/2020 (seq {seq}) approves an update of the Piano, but no "
        "plan change is recorded for it: it put nothing in force"
    )


def test_the_reference_backfill_is_one_finding_not_hundreds(sondrio: SqlEventStore) -> None:
    found = findings(sondrio, SONDRIO)
    assert of_kind(found, "backdated") == []
    [backfill] = of_kind(found, "backfill")
    count = len(list(sondrio.read_stream(SONDRIO)))
    assert backfill.severity == "nota"
    assert backfill.seqs == tuple(range(1, count + 1))
    assert backfill.reason.startswith(f"{count} events transcribed from 2 document(s) (backfill)")


def test_the_reference_case_has_no_act_after_the_relazione_and_no_wrong_role(
    sondrio: SqlEventStore,
) -> None:
    found = findings(sondrio, SONDRIO)
    assert of_kind(found, "after_relazione") == []
    assert of_kind(found, "role") == []
    assert of_kind(found, "unmeasured") == []
    assert of_kind(found, "pending_plan_change") == []


def test_findings_come_in_order_of_severity(sondrio: SqlEventStore) -> None:
    severities = [f.severity for f in findings(sondrio, SONDRIO)]
    assert severities == sorted(severities, key=("alta", "media", "nota").index)


# -- a live cycle: an amendment, a correction, a back-dated entry -------------------------------


def test_an_entry_recorded_long_after_its_date_is_back_dated(reviewed: SqlEventStore) -> None:
    [late] = of_kind(findings(reviewed, TEST_STREAM), "backdated")
    assert (late.severity, late.node, late.seqs) == ("media", "3.1.1", (SEQS.late,))
    assert late.reason == (
        "measurement 3.1.1 = 12 n.: effective 30/04/2021, recorded 15/07/2021, 76 days later"
    )


def test_the_back_dating_threshold_is_a_choice_of_the_review(reviewed: SqlEventStore) -> None:
    assert of_kind(findings(reviewed, TEST_STREAM, late_after_days=80), "backdated") == []


def test_a_measurement_recorded_after_the_relazione_was_approved_is_named(
    reviewed: SqlEventStore,
) -> None:
    [after] = of_kind(findings(reviewed, TEST_STREAM), "after_relazione")
    expected = ("alta", "3.1.1", (SEQS.relazione, SEQS.late))
    assert (after.severity, after.node, after.seqs) == expected
    assert after.reason == (
        f"measurement 3.1.1 = 12 n.: recorded after the Relazione was approved on 14/06/2021 "
        f"(seq {SEQS.relazione})"
    )


def test_a_correction_names_the_measurement_it_corrects(reviewed: SqlEventStore) -> None:
    [correction] = of_kind(findings(reviewed, TEST_STREAM), "correction")
    assert correction.seqs == (SEQS.corrected, SEQS.correction)
    assert correction.reason == (
        f"measurement 1.1.1 = 95 n. (seq {SEQS.corrected}) corrected to value 100: "
        "recount of the files"
    )


def test_an_approved_amendment_is_neither_pending_nor_an_empty_approval(
    reviewed: SqlEventStore,
) -> None:
    found = findings(reviewed, TEST_STREAM)
    assert of_kind(found, "pending_plan_change") == []
    assert of_kind(found, "empty_approval") == []


def test_known_at_reviews_the_ledger_as_it_stood_before_the_late_entry(
    reviewed: SqlEventStore,
) -> None:
    from tests.review.cycles import at

    found = audit(
        list(reviewed.read_stream(TEST_STREAM)),
        TEST_STREAM,
        as_of=REVIEW_DAY,
        known_at=at(2021, 7, 1),
    )
    assert of_kind(found, "backdated") == []
    assert of_kind(found, "after_relazione") == []
    assert [f.node for f in of_kind(found, "unmeasured")] == ["3.1.1"]


# -- a cycle that went wrong -------------------------------------------------------------------


def test_a_piano_approved_after_31_january_misses_the_legal_deadline(
    neglected: SqlEventStore,
) -> None:
    deadlines = of_kind(findings(neglected, TEST_STREAM), "deadline")
    assert [(f.severity, f.reason) for f in deadlines] == [
        (
            "alta",
            "no approval of the Relazione sulla Performance is recorded; it was due by "
            "30/06/2021 (art. 10 D.Lgs. 150/2009)",
        ),
        (
            "alta",
            "the Piano della Performance approved 10/02/2020 (delibera n. 9/GC, seq 18): "
            "10 days after the legal deadline 31/01/2020 (art. 10 D.Lgs. 150/2009)",
        ),
    ]


def test_a_plan_change_no_approval_covers_is_pending(neglected: SqlEventStore) -> None:
    [pending] = of_kind(findings(neglected, TEST_STREAM), "pending_plan_change")
    assert (pending.severity, pending.node, pending.seqs) == ("alta", "1.1", (20,))
    assert pending.reason == (
        "1.1 amended: title 'Nuovo titolo' (x): recorded 01/09/2020, never put in force by an "
        "approval"
    )


def test_actions_without_a_measurement_when_the_cycle_closed_are_named(
    neglected: SqlEventStore,
) -> None:
    unmeasured = of_kind(findings(neglected, TEST_STREAM), "unmeasured")
    assert [f.node for f in unmeasured] == ["2.1.1", "2.1.2", "2.1.3", "3.1.1", "1.1.2"]
    assert unmeasured[0].reason == "2.1.1 (Qualità) has no measurement when the cycle closed"
    assert unmeasured[-1].reason == (
        "1.1.2 (Giorni) has no measurement when the cycle closed, an override stands on it"
    )


def test_an_act_in_a_role_that_may_not_do_it_is_named(neglected: SqlEventStore) -> None:
    [role] = of_kind(findings(neglected, TEST_STREAM), "role")
    assert (role.severity, role.seqs) == ("media", (24,))
    assert role.reason == (
        "CycleClosed recorded by segreteria as 'giunta-secretariat'; it needs administrator"
    )


def test_a_late_deadline_stated_100_without_override_is_named(neglected: SqlEventStore) -> None:
    [score] = of_kind(findings(neglected, TEST_STREAM), "unruled_score")
    assert score.reason == (
        "1.2.1 scored 100,00 % by assessment where the KPI's rule gives 0,00 % (target luglio, "
        "done 10/2020); no override (sentito l'OIV) stands"
    )


def test_weights_that_do_not_sum_to_100_are_named(reviewed: SqlEventStore) -> None:
    # The use cases refuse such a plan; a ledger written by other means is still reviewed.
    [head] = [reviewed.head()]
    assert head is not None
    reviewed.append(
        TEST_STREAM,
        [
            NewEvent(
                ObjectiveAmended(key="1.1", weight=Decimal(70), reason="x"),
                date(2021, 8, 1),
                "controller-1",
                "controller",
            ),
            NewEvent(
                ApprovalRecorded(subject="plan_update", act="n. 99/GC"),
                date(2021, 8, 2),
                "segreteria",
                "giunta-secretariat",
            ),
        ],
        expected_version=reviewed.stream_version(TEST_STREAM),
    )
    [weights] = of_kind(findings(reviewed, TEST_STREAM), "weights")
    assert (weights.severity, weights.node) == ("alta", "s1")
    assert weights.reason == "the weights under s1 sum to 120 %, not 100 % (1.1, 1.2)"


def test_seq_ranges_are_written_compactly() -> None:
    assert seq_ranges([5, 1, 2, 3, 7, 8, 10]) == "1-3, 5, 7-8, 10"
    assert seq_ranges([]) == ""


def test_every_kind_and_severity_has_words_in_both_languages() -> None:
    """A table or a page shows a finding's kind in words: a new kind without its label (or
    without its Italian) would show the bare identifier to the OIV."""
    from events.i18n import set_language
    from projections.review import KIND_LABELS, KINDS, SEVERITIES, kind_label, severity_label

    assert sorted(KIND_LABELS) == sorted(KINDS)
    try:
        set_language("it")
        italian = {kind: kind_label(kind) for kind in KINDS}
        assert [severity_label(s) for s in SEVERITIES] == ["alta", "media", "nota"]
    finally:
        set_language("en")
    english = {kind: kind_label(kind) for kind in KINDS}
    untranslated = [k for k in KINDS if italian[k] == english[k] and k not in ("override",)]
    assert untranslated == []
    assert [severity_label(s) for s in SEVERITIES] == ["high", "medium", "note"]
