"""Trees of any depth: every rollup rule, rounding where the SMVP rounds, exact fraction weights.

Expected figures are worked out by hand from the rule named in each test (written beside the
assertion), never copied from the code's output.
"""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from events.errors import UsageError
from events.policy import ScoringPolicy
from ledger.store import SqlEventStore
from projections import acts, planning
from projections.errors import ActRefused, WeightsDoNotSumTo100
from projections.evaluation import TreeEvaluation
from projections.plan_document import plan_document
from projections.plan_state import CycleState, Node
from projections.rollup import Rounding, round_exact
from tests.builders import APPROVAL_DAY, CONTROLLER, GIUNTA, PLAN_DAY
from tests.trees import STREAM, approved, kpi, leaf, level, measure, node, plan, view

FIVE = [
    level("area", "mean_of_children"),
    level("obiettivo", "weighted_sum", achievement={"cap": 100}),
    level("operativo", "mean_of_children"),
    level("azione", "mean_of_indicators"),
    level("indicatore", "kpi"),
]


def five_levels() -> dict:  # type: ignore[type-arg]
    """Area > obiettivo (weighted, own target) > operativo > azione > indicatore."""
    return plan(
        FIVE,
        [
            node(
                "a1",
                [
                    node(
                        "o1",
                        [
                            node(
                                "op1",
                                [
                                    node("az1", [leaf("i1"), leaf("i2")]),
                                    node("az2", [leaf("i3")]),
                                ],
                                weight=75,
                            ),
                            node("op2", [node("az3", [leaf("i4")])], weight=25),
                        ],
                        target=80,
                    )
                ],
            ),
            node("a2", [node("o2", [node("op3", [node("az4", [leaf("i5")])])], target=100)]),
        ],
    )


def test_five_levels_roll_up_each_by_its_own_rule(store: SqlEventStore) -> None:
    stream = approved(store, five_levels())
    for code, value in (("i1", "100"), ("i2", "50"), ("i3", "90"), ("i4", "40"), ("i5", "70")):
        measure(store, stream, code, value)
    cruscotto = view(store, stream)
    # azione az1: mean of its indicators (100 + 50) / 2 = 75; az2 = 90; az3 = 40; az4 = 70
    assert cruscotto.node("az1").result == 75
    # operativo op1: plain mean of its actions (75 + 90) / 2 = 82,5; op2 = 40
    assert cruscotto.node("op1").result == Decimal("82.5")
    # obiettivo o1: 0,75 x 82,5 + 0,25 x 40 = 71,875; against its target 80: 89,84375 %
    o1 = cruscotto.node("o1")
    assert (o1.result, o1.achievement) == (Decimal("71.875"), Decimal("89.84375"))
    # area a1: mean of its objectives' results = 71,875; a2 = 70; ente: mean of the areas
    assert cruscotto.node("a1").result == Decimal("71.875")
    assert cruscotto.result == Decimal("70.9375")
    assert [rule.key for rule in cruscotto.levels] == [r["key"] for r in FIVE]


def test_mean_of_indicators_skips_the_tree_between(store: SqlEventStore) -> None:
    # Two levels above the indicators; the top one averages every indicator below it, however
    # many actions hold them: (100 + 50 + 90) / 3 = 80, not the mean of the actions' (75 + 90) / 2.
    tree = [
        level("obiettivo", "mean_of_indicators"),
        level("azione", "mean_of_children"),
        level("indicatore", "kpi"),
    ]
    data = plan(tree, [node("o", [node("a", [leaf("i1"), leaf("i2")]), node("b", [leaf("i3")])])])
    stream = approved(store, data)
    for code, value in (("i1", "100"), ("i2", "50"), ("i3", "90")):
        measure(store, stream, code, value)
    assert view(store, stream).node("o").result == 80


def test_an_achievement_uncapped_goes_beyond_100(store: SqlEventStore) -> None:
    tree = [
        level("obiettivo", "mean_of_children", achievement={"capped": False}),
        level("indicatore", "kpi"),
    ]
    data = plan(tree, [node("o", [leaf("i1", kpi=kpi(cap=150))], target=80)])
    stream = approved(store, data)
    measure(store, stream, "i1", "120")  # proportional, cap 150: 120 %; against 80: 150 %
    found = view(store, stream).node("o")
    assert (found.result, found.achievement) == (120, 150)


def test_the_ente_is_a_mean_of_the_achievements_of_a_level(store: SqlEventStore) -> None:
    tree = [
        level("area", "mean_of_children"),
        level("obiettivo", "mean_of_children", achievement={}),
        level("indicatore", "kpi"),
    ]
    ente = {"rollup": "mean_of_level", "level": "obiettivo", "uses": "achievement"}
    data = plan(
        tree,
        [
            node("a1", [node("o1", [leaf("i1")], target=50), node("o2", [leaf("i2")], target=100)]),
            node("a2", [node("o3", [leaf("i3")], target=100)]),
        ],
        ente,
    )
    stream = approved(store, data)
    for code, value in (("i1", "40"), ("i2", "90"), ("i3", "60")):
        measure(store, stream, code, value)
    # achievements: 40/50 = 80, 90, 60; the ente is their plain mean (80 + 90 + 60) / 3
    assert view(store, stream).result == Decimal("76.66666666666666666666666667")


# -- rounding -----------------------------------------------------------------------------------


def rounded_tree(mode: str) -> dict:  # type: ignore[type-arg]
    tree = [
        level("obiettivo", "mean_of_children", rounding={"places": 1, "mode": mode}),
        level("indicatore", "kpi"),
    ]
    return plan(tree, [node("o1", [leaf("i1"), leaf("i2")]), node("o2", [leaf("i3")])])


def test_a_level_rounds_half_up_where_the_smvp_says_and_the_parent_uses_the_rounded_figure(
    store: SqlEventStore,
) -> None:
    stream = approved(store, rounded_tree("half_up"))
    for code, value in (("i1", "66.5"), ("i2", "66.6"), ("i3", "80")):
        measure(store, stream, code, value)
    cruscotto = view(store, stream)
    o1 = cruscotto.node("o1")
    # (66,5 + 66,6) / 2 = 66,55: one decimal, half up: 66,6; the unrounded figure stays beside
    assert (o1.computed, o1.computed_unrounded) == (Decimal("66.6"), Decimal("66.55"))
    # the ente averages the rounded 66,6 and 80: 73,3 (the unrounded 66,55 would give 73,275)
    assert cruscotto.result == Decimal("73.3")


def test_half_even_and_down_round_as_they_say(store: SqlEventStore) -> None:
    stream = approved(store, rounded_tree("half_even"))
    for code, value in (("i1", "66.5"), ("i2", "66.6"), ("i3", "80")):
        measure(store, stream, code, value)
    assert view(store, stream).node("o1").computed == Decimal("66.6")  # 66,55 -> 66,6 (6 even)


@pytest.mark.parametrize(
    ("value", "places", "mode", "expected"),
    [
        ("96.665", 2, "half_up", "96.67"),
        ("96.665", 2, "half_even", "96.66"),
        ("96.669", 2, "down", "96.66"),
        ("2/3", 1, "half_up", "0.7"),
        ("-2.5", 0, "half_up", "-3"),
    ],
)
def test_rounding_is_exact_arithmetic(value: str, places: int, mode: str, expected: str) -> None:
    exact = Fraction(value) if "/" in value else Fraction(Decimal(value))
    assert round_exact(exact, Rounding(places=places, mode=mode)) == Fraction(Decimal(expected))  # type: ignore[arg-type]


# -- weights -----------------------------------------------------------------------------------


def weighted_tree(weights: list[object]) -> dict:  # type: ignore[type-arg]
    tree = [level("obiettivo", "weighted_sum"), level("indicatore", "kpi")]
    leaves = [leaf(f"i{n}", weight=weight) for n, weight in enumerate(weights, start=1)]
    return plan(tree, [node("o", leaves)])


def test_one_third_three_times_is_exact_and_sums_to_100(store: SqlEventStore) -> None:
    stream = approved(store, weighted_tree(["1/3", "1/3", "1/3"]))
    for code, value in (("i1", "100"), ("i2", "100"), ("i3", "70")):
        measure(store, stream, code, value)
    found = view(store, stream).node("o")
    # (100 + 100 + 70) / 3 exactly: 90; 33,33 three times would have been refused (99,99)
    assert found.result == 90
    assert [child.weight for child in found.children] == [
        Decimal("33.33333333333333333333333333")
    ] * 3


def test_weights_of_100_over_3_are_percentages_summing_to_100(store: SqlEventStore) -> None:
    stream = approved(store, weighted_tree(["100/3", "100/3", "100/3"]))
    measure(store, stream, "i1", "90")
    assert view(store, stream).node("o").result == 90


def test_33_33_three_times_is_refused_with_nothing_approved(store: SqlEventStore) -> None:
    document = plan_document(weighted_tree(["33.33", "33.33", "33.33"]), "plan")
    planning.import_plan(store, document, PLAN_DAY, CONTROLLER, key_prefix=None)
    before = store.stream_version(STREAM)
    with pytest.raises(WeightsDoNotSumTo100) as refused:
        acts.record_approval(store, STREAM, "plan", "delibera n. 1", APPROVAL_DAY, GIUNTA)
    assert str(refused.value) == (
        "weights under o in ente-albero/2021 sum to 99.99 %, not 100 % (i1, i2, i3); "
        "nothing was approved"
    )
    assert store.stream_version(STREAM) == before


def test_equal_weights_are_never_typed(store: SqlEventStore) -> None:
    # A weighted sum whose children carry no weight at all weighs them equally.
    stream = approved(store, weighted_tree([None, None]))
    measure(store, stream, "i1", "100")
    measure(store, stream, "i2", "50")
    assert view(store, stream).node("o").result == 75


def test_a_weight_where_the_rule_reads_none_is_refused_naming_node_and_rule(
    store: SqlEventStore,
) -> None:
    tree = [level("obiettivo", "mean_of_children"), level("indicatore", "kpi")]
    data = plan(tree, [node("o", [leaf("i1", weight=50), leaf("i2", weight=50)])])
    with pytest.raises(ActRefused) as refused:
        approved(store, data)
    assert str(refused.value) == (
        "i1: weight 50 is not used: o (Obiettivo) rolls up by mean_of_children, which reads no "
        "weights (leave them out)"
    )
    assert store.streams() == []


def test_a_target_on_a_level_without_achievement_is_refused(store: SqlEventStore) -> None:
    tree = [level("obiettivo", "mean_of_children"), level("indicatore", "kpi")]
    with pytest.raises(ActRefused) as refused:
        approved(store, plan(tree, [node("o", [leaf("i1")], target=80)]))
    assert str(refused.value) == (
        "o: target is not used: level 'obiettivo' has no achievement against a target of its "
        "own (its policy rule names none)"
    )
    assert store.streams() == []


# -- the plan file's shape ----------------------------------------------------------------------


def test_a_node_deeper_than_the_tree_is_refused_with_its_path() -> None:
    tree = [level("obiettivo", "mean_of_children"), level("indicatore", "kpi")]
    data = plan(tree, [node("o", [node("x", [leaf("i1")])])])
    with pytest.raises(UsageError) as refused:
        plan_document(data, "piano.yaml")
    assert str(refused.value) == (
        "piano.yaml: nodes[0] (o).children[0] (x): an indicator of level 'indicatore' has no "
        "children"
    )


def test_a_node_above_the_indicators_without_children_is_refused() -> None:
    tree = [level("obiettivo", "mean_of_children"), level("indicatore", "kpi")]
    with pytest.raises(UsageError) as refused:
        plan_document(plan(tree, [node("o", [])]), "piano.yaml")
    assert str(refused.value) == (
        "piano.yaml: nodes[0] (o): a node of level 'obiettivo' needs children down to the "
        "indicators of level 'indicatore'"
    )


def test_a_policy_whose_ente_averages_a_level_without_achievement_is_refused() -> None:
    tree = [level("obiettivo", "mean_of_children"), level("indicatore", "kpi")]
    ente = {"rollup": "mean_of_level", "level": "obiettivo", "uses": "achievement"}
    with pytest.raises(UsageError) as refused:
        plan_document(plan(tree, [node("o", [leaf("i1")])], ente), "piano.yaml")
    assert str(refused.value) == (
        "piano.yaml: cycle.policy: ente: uses the achievement of level 'obiettivo', which has "
        "no `achievement` (give that level a target rule, or use its result)"
    )


def test_the_reference_levels_written_out_are_the_default_policy() -> None:
    written = ScoringPolicy.model_validate(
        {
            "tree": [
                {"key": "perspective", "name": "Prospettiva", "plural": "Prospettive",
                 "rollup": "mean_of_children"},
                {"key": "strategic", "name": "Obiettivo strategico",
                 "plural": "Obiettivi strategici", "rollup": "weighted_sum",
                 "achievement": {"cap": 100}},
                {"key": "operational", "name": "Obiettivo operativo",
                 "plural": "Obiettivi operativi", "rollup": "weighted_sum"},
                {"key": "action", "name": "Azione", "plural": "Azioni", "rollup": "kpi"},
            ],
            "ente": {"rollup": "mean_of_level", "level": "strategic", "uses": "achievement"},
        }
    )  # fmt: skip
    assert written == ScoringPolicy()


# -- properties ---------------------------------------------------------------------------------

SCORES = st.lists(
    st.lists(st.integers(min_value=0, max_value=100), min_size=1, max_size=4),
    min_size=1,
    max_size=4,
)
TWO_LEVELS = [level("obiettivo", "mean_of_children"), level("indicatore", "kpi")]


def evaluated(
    groups: list[list[int]],
    ente: dict,
    *,
    weighted_by_count: bool = False,
    tree: list | None = None,  # type: ignore[type-arg]
) -> TreeEvaluation:
    """A folded state built directly: one objective per group of indicator scores."""
    from events.cycle import CycleOpened
    from events.plan import Kpi
    from projections.scoring import Observation

    policy = ScoringPolicy.model_validate({"tree": tree or TWO_LEVELS, "ente": ente})
    opened = CycleOpened(entity="p", entity_name="p", year=2021, policy=policy)
    state = CycleState("p/2021", opened=opened)
    measured = Kpi(description="x", kind="proportional", target=Decimal(100))
    for index, group in enumerate(groups):
        weight = Fraction(len(group)) if weighted_by_count else None
        state.nodes[f"o{index}"] = Node(f"o{index}", "obiettivo", "o", weight=weight)
        for position, score in enumerate(group):
            key = f"i{index}.{position}"
            state.nodes[key] = Node(key, "indicatore", key, parent=f"o{index}", kpi=measured)
            state.observations[key] = [Observation("measurement", value=Decimal(score))]
    return TreeEvaluation(state)


@settings(max_examples=200, deadline=None)
@given(groups=SCORES)
def test_the_mean_of_the_indicators_is_the_weighted_mean_with_weights_from_their_counts(
    groups: list[list[int]],
) -> None:
    # "Media aritmetica degli indicatori" equals a weighted sum of the objectives' own plain
    # means, each weighted by how many indicators it holds: exactly, for any scores.
    of_indicators = evaluated(groups, {"rollup": "mean_of_indicators"}).ente().result
    by_count = evaluated(groups, {"rollup": "weighted_sum"}, weighted_by_count=True).ente().result
    assert of_indicators == by_count == Fraction(sum(map(sum, groups)), sum(map(len, groups)))


@settings(max_examples=200, deadline=None)
@given(groups=SCORES)
def test_a_weighted_sum_with_no_weights_is_the_plain_mean_of_the_children(
    groups: list[list[int]],
) -> None:
    weighted = evaluated(
        groups,
        {"rollup": "weighted_sum"},
        tree=[level("obiettivo", "weighted_sum"), level("indicatore", "kpi")],
    )
    plain = evaluated(groups, {"rollup": "mean_of_children"})
    assert weighted.ente().result == plain.ente().result
    for index, group in enumerate(groups):
        assert weighted.figures(f"o{index}").result == Fraction(sum(group), len(group))
