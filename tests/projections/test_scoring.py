"""Each KPI kind scores as the SMVP says; figures follow the reference's rules (DESIGN.md 6)."""

from datetime import date
from decimal import Decimal

import pytest

from events.plan import Kpi, Threshold
from events.policy import DeadlineStep, ScoringPolicy
from projections.errors import ValueKindMismatch
from projections.scoring import Observation, check_fits, score_action

POLICY = ScoringPolicy()


def kpi_days() -> Kpi:
    """3.3.1 of the reference: "target di 28 giorni (100%), con soglie successive a 29 e 30"."""
    return Kpi(
        description="durata istruttoria (gg.)",
        kind="threshold",
        unit="giorni",
        direction="lower",
        target=Decimal(28),
        thresholds=(
            Threshold(level="medio", value=Decimal(29)),
            Threshold(level="minimo", value=Decimal(30)),
        ),
    )


def kpi_count() -> Kpi:
    return Kpi(
        description="imprese coinvolte",
        kind="threshold",
        unit="n.",
        target=Decimal(1400),
        thresholds=(
            Threshold(level="medio", value=Decimal(1100)),
            Threshold(level="minimo", value=Decimal(1000)),
        ),
    )


def measured(value: str) -> Observation:
    return Observation("measurement", value=Decimal(value))


@pytest.mark.parametrize(
    ("value", "expected"),
    [("28", 100), ("27", 100), ("28,5", 80), ("29", 80), ("30", 60), ("35,87", 0)],
)
def test_lower_is_better_thresholds_give_the_levels_of_the_reference(
    value: str, expected: int
) -> None:
    score = score_action(kpi_days(), measured(value.replace(",", ".")), POLICY)
    assert score.computed == expected
    assert score.scored_by == "rule"


@pytest.mark.parametrize(
    ("value", "expected"), [("1500", 100), ("1400", 100), ("1100", 80), ("1050", 60), ("999", 0)]
)
def test_higher_is_better_thresholds_give_target_medio_minimo_and_zero(
    value: str, expected: int
) -> None:
    assert score_action(kpi_count(), measured(value), POLICY).computed == expected


def test_a_policy_with_other_levels_scores_other_figures_without_code_changes() -> None:
    policy = ScoringPolicy.model_validate(
        {"levels": {"target": 100, "medio": 75, "minimo": 50, "below": 10}}
    )
    assert [
        score_action(kpi_count(), measured(v), policy).computed for v in ("1100", "1000", "1")
    ] == [75, 50, 10]


def test_a_threshold_kpi_without_lower_levels_scores_zero_below_target() -> None:
    kpi = Kpi(description="accordi", kind="threshold", target=Decimal(1))
    assert score_action(kpi, measured("0"), POLICY).computed == 0
    assert score_action(kpi, measured("1"), POLICY).computed == 100


def test_proportional_kpis_score_the_ratio_and_are_capped() -> None:
    higher = Kpi(description="quota", kind="proportional", target=Decimal(50))
    lower = Kpi(description="giorni", kind="proportional", target=Decimal(20), direction="lower")
    capped = Kpi(description="quota", kind="proportional", target=Decimal(50), cap=Decimal(120))
    assert score_action(higher, measured("40"), POLICY).computed == 80
    assert score_action(higher, measured("75"), POLICY).computed == 100
    assert score_action(lower, measured("25"), POLICY).computed == 80
    assert score_action(capped, measured("75"), POLICY).computed == 120


def deadline(day: date) -> Kpi:
    return Kpi(description="entro", kind="deadline", deadline=day)


def done(day: date, precision: str = "day") -> Observation:
    return Observation("deadline", completed_on=day, precision=precision)  # type: ignore[arg-type]


def test_a_deadline_met_to_the_day_scores_100_and_a_late_one_scores_0() -> None:
    july = deadline(date(2020, 7, 31))
    assert score_action(july, done(date(2020, 7, 22)), POLICY).computed == 100
    assert score_action(july, done(date(2020, 8, 1)), POLICY).computed == 0


def test_a_completion_known_only_to_the_month_is_late_if_the_month_ends_after_the_deadline() -> (
    None
):
    september = deadline(date(2020, 9, 30))
    assert score_action(september, done(date(2020, 9, 1), "month"), POLICY).computed == 100
    # 3.5.2 of the reference: due in September, done in October.
    assert score_action(september, done(date(2020, 10, 1), "month"), POLICY).computed == 0


def test_deadline_steps_of_the_policy_score_a_short_delay() -> None:
    policy = ScoringPolicy(deadline_steps=(DeadlineStep(days_late=30, score=Decimal(80)),))
    september = deadline(date(2020, 9, 30))
    assert score_action(september, done(date(2020, 10, 20)), policy).computed == 80
    assert score_action(september, done(date(2020, 11, 20)), policy).computed == 0


def test_qualitative_levels_come_from_the_policy() -> None:
    kpi = Kpi(description="livello del servizio", kind="qualitative")
    assert score_action(kpi, Observation("qualitative", level="eccellente"), POLICY).computed == 100
    assert score_action(kpi, Observation("qualitative", level="Buono"), POLICY).computed == 80


def test_yes_no_kpis_score_100_or_0() -> None:
    kpi = Kpi(description="regolamento adottato", kind="boolean")
    assert score_action(kpi, Observation("boolean", met=True), POLICY).computed == 100
    assert score_action(kpi, Observation("boolean", met=False), POLICY).computed == 0


def test_a_stated_achievement_is_the_score_but_the_rule_stays_visible() -> None:
    stated = Observation(
        "deadline", completed_on=date(2020, 10, 1), precision="month", achievement=Decimal(100)
    )
    score = score_action(deadline(date(2020, 9, 30)), stated, POLICY)
    assert (score.computed, score.rule_score, score.scored_by) == (100, 0, "assessment")


def test_an_achievement_without_facts_has_no_rule_score() -> None:
    score = score_action(kpi_days(), Observation("achievement", achievement=Decimal(100)), POLICY)
    assert (score.computed, score.rule_score) == (100, None)


def test_a_number_for_a_qualitative_kpi_is_refused_naming_both() -> None:
    kpi = Kpi(description="livello del servizio", kind="qualitative")
    with pytest.raises(ValueKindMismatch) as refused:
        check_fits("1.3.2", kpi, measured("3"), POLICY)
    assert str(refused.value) == (
        "action 1.3.2 has a qualitative KPI (livello del servizio): it takes a qualitative, "
        "not a measurement"
    )


def test_a_level_the_policy_does_not_know_is_refused() -> None:
    kpi = Kpi(description="livello", kind="qualitative")
    with pytest.raises(ValueKindMismatch, match="'stellare'"):
        check_fits("1.3.2", kpi, Observation("qualitative", level="stellare"), POLICY)


def timing() -> Kpi:
    """A report's tempo di realizzazione: its own words, beside the grado's (tests/real)."""
    scale = {"In anticipo": Decimal(100), "nei tempi": Decimal(100), "in ritardo": Decimal(0)}
    return Kpi(description="tempo di realizzazione", kind="qualitative", levels=scale)


def test_a_qualitative_kpi_with_its_own_scale_scores_by_it() -> None:
    assert (
        score_action(timing(), Observation("qualitative", level="in anticipo"), POLICY).computed
        == 100
    )
    assert (
        score_action(timing(), Observation("qualitative", level="In ritardo"), POLICY).computed == 0
    )


def test_a_word_of_another_scale_is_refused_naming_the_kpis_own() -> None:
    # "buono" is a level of the policy, but not of this indicator's scale
    with pytest.raises(ValueKindMismatch) as refused:
        check_fits("A001-tempo", timing(), Observation("qualitative", level="buono"), POLICY)
    assert str(refused.value) == (
        "level 'buono' of action A001-tempo is not a level of its KPI "
        "(in anticipo, nei tempi, in ritardo)"
    )


def test_only_a_qualitative_kpi_has_a_scale_and_a_scale_has_words() -> None:
    with pytest.raises(ValueError, match="only a qualitative KPI has levels"):
        Kpi(description="x", kind="boolean", levels={"sì": Decimal(100)})
    with pytest.raises(ValueError, match="needs at least one level"):
        Kpi(description="x", kind="qualitative", levels={})


def test_a_measurement_in_another_unit_is_refused() -> None:
    with pytest.raises(ValueKindMismatch, match="measured in 'giorni', not '%'"):
        check_fits(
            "3.3.1", kpi_days(), Observation("measurement", value=Decimal(3), unit="%"), POLICY
        )
    check_fits("3.3.1", kpi_days(), Observation("measurement", value=Decimal(3), unit="gg"), POLICY)


def test_thresholds_that_do_not_get_worse_are_refused_in_the_plan() -> None:
    with pytest.raises(ValueError, match="thresholds must get worse"):
        Kpi(
            description="giorni",
            kind="threshold",
            direction="lower",
            target=Decimal(28),
            thresholds=(Threshold(level="medio", value=Decimal(27)),),
        )
