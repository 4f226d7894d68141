"""The KPI forms found in real cruscotti, each scored as its SMVP states.

Ratios as numerator and denominator, targets relative to a baseline, values known only as a
bound, proportional scoring with cap and floor, linear scoring between a minimum and the
target, triennial targets chosen by the cycle's year. Expected scores are worked out by hand.
"""

from decimal import Decimal
from fractions import Fraction

import pytest
from pydantic import ValidationError

from events.measurement import MeasurementRecorded
from events.plan import Baseline, Kpi, Ratio
from events.policy import ScoringPolicy
from formats.values import parse_measured
from ledger.store import SqlEventStore
from projections.errors import ValueKindMismatch
from projections.scoring import Observation, score_action
from tests.trees import approved, kpi, leaf, level, measure, node, plan, view

POLICY = ScoringPolicy()
TREE = [level("obiettivo", "mean_of_children"), level("indicatore", "kpi")]


def measured(value: str, bound: str | None = None) -> Observation:
    return Observation("measurement", value=Decimal(value), bound=bound)  # type: ignore[arg-type]


def score(form: Kpi, observation: Observation, policy: ScoringPolicy = POLICY, year: int = 2021):  # type: ignore[no-untyped-def]
    return score_action(form, observation, policy, year).computed


# -- ratio ---------------------------------------------------------------------------------------

RATIO = Kpi(
    description="pratiche evase nei termini / pratiche ricevute",
    kind="proportional",
    unit="%",
    target=Decimal(90),
    ratio=Ratio(numerator="evase nei termini", denominator="ricevute", scale=Decimal(100)),
)


def test_a_ratio_is_divided_exactly_never_from_a_truncated_printed_value() -> None:
    # 2 / 3 of the files in time: 66,666...%; against a target of 90 %: 74,074...% exactly.
    observation = Observation("measurement", numerator=Decimal(2), denominator=Decimal(3))
    result = score_action(RATIO, observation, POLICY, 2021)
    assert result.exact == Fraction(2, 3) * 100 / 90 * 100
    # the printed 66,67 % would have given 74,0777...: a different score
    assert result.exact != Fraction(Decimal("66.67")) / 90 * 100
    assert observation.shown(RATIO.ratio) == "66,67 (2/3)"


def test_a_ratio_is_recorded_with_both_its_terms_as_evidence(store: SqlEventStore) -> None:
    data = plan(TREE, [node("o", [leaf("r1", kpi=RATIO.model_dump(exclude_none=True))])])
    stream = approved(store, data)
    measure(store, stream, "r1", "", numerator=Decimal(45), denominator=Decimal(50))
    [event] = [e.event for e in store.read_stream(stream) if e.type == "MeasurementRecorded"]
    assert isinstance(event, MeasurementRecorded)
    assert (event.numerator, event.denominator, event.value) == (45, 50, None)
    found = view(store, stream).node("r1")
    assert found.measured == "90,00 (45/50)"
    assert found.computed == 100  # 90 % against a target of 90 %


def test_a_ratio_kpi_refuses_a_bare_value_and_writes_nothing(store: SqlEventStore) -> None:
    data = plan(TREE, [node("o", [leaf("r1", kpi=RATIO.model_dump(exclude_none=True))])])
    stream = approved(store, data)
    before = store.stream_version(stream)
    with pytest.raises(ValueKindMismatch) as refused:
        measure(store, stream, "r1", "90")
    assert str(refused.value) == (
        "r1 is a ratio (evase nei termini / ricevute): give the numerator and the denominator, "
        "not the value"
    )
    assert store.stream_version(stream) == before


def test_a_ratio_with_a_zero_denominator_is_refused() -> None:
    with pytest.raises(ValidationError, match="the denominator of a ratio cannot be 0"):
        MeasurementRecorded.model_validate(
            {
                "action": "r1",
                "numerator": "1",
                "denominator": "0",
                "period": {"start": "2021-01-01", "end": "2021-12-31"},
            }
        )


# -- baseline ------------------------------------------------------------------------------------


def test_a_target_relative_to_the_mean_of_the_last_three_years_keeps_the_baseline() -> None:
    # "almeno 1 x la media del triennio 2018-2020": (120 + 130 + 140) / 3 = 130
    form = Kpi(
        description="domande evase",
        kind="threshold",
        baseline=Baseline(
            values={2018: Decimal(120), 2019: Decimal(130), 2020: Decimal(140)}, factor=Fraction(1)
        ),
    )
    assert form.target_for(2021) == 130
    assert form.baseline is not None and form.baseline.values[2019] == 130
    assert score(form, measured("130")) == 100
    assert score(form, measured("129")) == 0


def test_a_baseline_target_with_a_factor_and_the_last_value() -> None:
    # +10 % on the last year's 2.360 scholarships: 2.596; 2.611 reached it
    form = Kpi(
        description="borse di studio",
        kind="proportional",
        baseline=Baseline(
            values={2017: Decimal(2100), 2018: Decimal(2360)},
            statistic="last",
            factor=Fraction(11, 10),
        ),
    )
    assert form.target_for(2019) == 2596
    assert score(form, measured("2611")) == 100
    assert score(form, measured("1298")) == 50  # 1.298 / 2.596


# -- bounds ----------------------------------------------------------------------------------------

BOUND_KPI = Kpi(description="soddisfazione", kind="proportional", unit="%", target=Decimal(95))


@pytest.mark.parametrize(
    ("bounds", "written", "expected"),
    [
        ("conservative", "≥ 95 %", Decimal(100)),  # on the good side: scored at the bound
        ("conservative", "≥ 80 %", Decimal("84.21052631578947368421052632")),  # 80 / 95
        ("conservative", "≤ 80 %", Decimal(0)),  # on the bad side: the lowest score allowed
        ("at_bound", "≤ 80 %", Decimal("84.21052631578947368421052632")),
        ("unscored", "≥ 95 %", None),
    ],
)
def test_a_value_known_only_as_a_bound_scores_the_way_the_policy_states(
    bounds: str, written: str, expected: Decimal | None
) -> None:
    value = parse_measured(written)
    observation = Observation("measurement", value=value.value, bound=value.bound)
    policy = ScoringPolicy(bounds=bounds)  # type: ignore[arg-type]
    assert score(BOUND_KPI, observation, policy) == expected


def test_a_bound_is_read_and_shown_as_a_bound_never_as_a_plain_number() -> None:
    value = parse_measured("≥95%")
    assert (value.value, value.unit, value.bound) == (Decimal(95), "%", "at_least")
    assert Observation("measurement", value=value.value, bound=value.bound).shown() == "≥ 95"
    assert parse_measured("almeno 3").bound == "at_least"
    assert parse_measured("<= 5 gg").bound == "at_most"


def test_a_kpi_may_state_its_own_way_of_scoring_a_bound() -> None:
    own = BOUND_KPI.model_copy(update={"bounds": "unscored"})
    assert score(own, measured("95", "at_least")) is None


# -- proportional and linear --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [("60", 0), ("70", 70), ("100", 100), ("130", 120), ("200", 120)],
)
def test_proportional_with_a_cap_and_a_floor(value: str, expected: int) -> None:
    # below 70 % of the target scores 0; above, the ratio, at most 120
    form = Kpi(
        description="quota", kind="proportional", target=Decimal(100), cap=Decimal(120),
        floor=Decimal(70),
    )  # fmt: skip
    assert score(form, measured(value)) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("50", 0), ("60", 0), ("70", 25), ("90", 75), ("100", 100), ("110", 100)],
)
def test_linear_between_the_minimum_and_the_target(value: str, expected: int) -> None:
    # "intervalli di variazione": 0 at 60, 100 at 100, linear between; worse than 60 is 0
    form = Kpi(description="x", kind="linear", target=Decimal(100), minimum=Decimal(60))
    assert score(form, measured(value)) == expected


@pytest.mark.parametrize(("value", "expected"), [("30", 100), ("45", 80), ("60", 60), ("61", 0)])
def test_linear_lower_is_better_with_a_minimum_score(value: str, expected: int) -> None:
    # days: 100 at 30 days or fewer, 60 at 60 days, linear between; more than 60 scores 0
    form = Kpi(
        description="giorni", kind="linear", direction="lower", target=Decimal(30),
        minimum=Decimal(60), minimum_score=Decimal(60),
    )  # fmt: skip
    assert score(form, measured(value)) == expected


def test_a_linear_minimum_on_the_wrong_side_is_refused() -> None:
    with pytest.raises(ValidationError, match="the minimum 120 must be worse than the target 100"):
        Kpi(description="x", kind="linear", target=Decimal(100), minimum=Decimal(120))


# -- triennial targets ---------------------------------------------------------------------------


def test_a_triennial_plan_scores_against_the_target_of_the_cycles_year(
    store: SqlEventStore,
) -> None:
    triennial = kpi(kind="proportional", target=None)
    triennial.pop("target")
    triennial["targets"] = {2021: 80, 2022: 90, 2023: 100}
    for year, expected in ((2021, 100), (2022, Decimal("88.88888888888888888888888889"))):
        stream = f"triennale/{year}"
        data = plan(TREE, [node("o", [leaf("t1", kpi=triennial)])], stream=stream, year=year)
        approved(store, data)
        measure(store, stream, "t1", "80")
        assert view(store, stream).node("t1").computed == expected, year


def test_a_year_the_triennial_plan_does_not_cover_is_not_scored() -> None:
    form = Kpi(description="x", kind="proportional", targets={2021: Decimal(80)})
    result = score_action(form, measured("80"), POLICY, 2024)
    assert result.computed is None
    assert result.explanation == "no target for 2024 in the plan: the rule cannot score it"


# -- the kinds that were already there -----------------------------------------------------------


def test_threshold_deadline_qualitative_and_yes_no_still_score_as_before() -> None:
    threshold = Kpi(
        description="x", kind="threshold", target=Decimal(10),
        thresholds=({"level": "medio", "value": Decimal(8)},),  # type: ignore[arg-type]
    )  # fmt: skip
    assert score(threshold, measured("9")) == 80
    yes_no = Kpi(description="x", kind="boolean")
    assert score(yes_no, Observation("boolean", met=True)) == 100
    assert score(yes_no, Observation("boolean", met=False)) == 0
    quality = Kpi(description="x", kind="qualitative")
    assert score(quality, Observation("qualitative", level="buono")) == 80
