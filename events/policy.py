"""The scoring policy of a cycle: the administration's SMVP, as data.

Another administration's rules differ in levels, rollups, rounding, bands and means, not in
code: everything the scoring and the rollup need to know about the SMVP is here, recorded with
the cycle. The plan's tree has the levels `tree` names, in order from the top; each level
states how its nodes roll up (a weighted sum of their children, a plain mean of them, a plain
mean of every indicator below whatever the tree between, or the KPI of an indicator), whether
they have a target of their own with an achievement against it, capped or not, and how their
figures are rounded. `ente` states how the performance di ente is made.

The reference's four levels (perspective, strategic and operational objective, action) and
its rules are the default, so a policy that names no tree is the Camera di commercio di
Sondrio's SMVP of 2020.
"""

from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from events.i18n import _

Percent = Decimal
Rollup = Literal["weighted_sum", "mean_of_children", "mean_of_indicators", "mean_of_level", "kpi"]
Figure = Literal["result", "achievement"]
BoundScoring = Literal["conservative", "at_bound", "unscored"]
ROUNDING_MODES = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN, "down": ROUND_DOWN}
KEY_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"


class PolicyModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class LevelScores(PolicyModel):
    """The achievement each threshold level gives (the reference: 100, 80, 60, else 0)."""

    target: Percent = Decimal(100)
    medio: Percent = Decimal(80)
    minimo: Percent = Decimal(60)
    below: Percent = Decimal(0)


class DeadlineStep(PolicyModel):
    """Late completion within `days_late` days still scores `score`."""

    days_late: int = Field(ge=1)
    score: Percent


class Band(PolicyModel):
    """A band of the valutazione sintetica: a result of at least `min` gets `label`."""

    label: str
    min: Percent


class Rounding(PolicyModel):
    """How the SMVP rounds a level's figures: to `places` decimals, half up unless it says not.

    The rounded figure is the one the level above uses (the SMVP rounds it there); the
    unrounded one is kept beside it in every read.
    """

    places: int = Field(ge=0, le=6)
    mode: Literal["half_up", "half_even", "down"] = "half_up"

    def apply(self, value: Decimal) -> Decimal:
        return value.quantize(Decimal(1).scaleb(-self.places), rounding=ROUNDING_MODES[self.mode])


class Achievement(PolicyModel):
    """A level's own target: the achievement is the result against it (result / target × 100).

    `cap` is the highest achievement (the reference: 100); `capped: false` leaves it
    uncapped. A node without a target has its result as its achievement (capped the same way).
    """

    cap: Percent = Decimal(100)
    capped: bool = True


class LevelRule(PolicyModel):
    """One level of the plan's tree, from the top: its name and how its nodes roll up.

    - `weighted_sum`: Σ weight × child / Σ weight (children carry weights summing to 100, or
      shares summing to 1, such as 1/3, 1/3, 1/3);
    - `mean_of_children`: the plain mean of the children (no weights: none may be given);
    - `mean_of_indicators`: the plain mean of every indicator below, whatever the tree between;
    - `mean_of_level`: the plain mean of every node of `level` below;
    - `kpi`: the last level, the indicators: each is scored by its own KPI.
    `uses` is which figure of the nodes averaged enters the mean: their `result`, or their
    `achievement` (the level averaged must then have one).
    """

    key: str = Field(pattern=KEY_PATTERN)
    name: str
    plural: str | None = None
    rollup: Rollup
    uses: Figure = "result"
    level: str | None = None
    achievement: Achievement | None = None
    rounding: Rounding | None = None
    banded: bool | None = None

    @property
    def shown_plural(self) -> str:
        return self.plural or self.name

    @property
    def has_band(self) -> bool:
        """Whether its nodes get a valutazione sintetica (default: if they have a target)."""
        return self.achievement is not None if self.banded is None else self.banded

    @property
    def weighted(self) -> bool:
        return self.rollup == "weighted_sum"


class EnteRule(PolicyModel):
    """How the performance di ente is made from the tree (the reference: the plain mean of the
    strategic objectives' achievements)."""

    name: str = "Performance di ente"
    rollup: Literal["weighted_sum", "mean_of_children", "mean_of_indicators", "mean_of_level"]
    uses: Figure = "result"
    level: str | None = None
    rounding: Rounding | None = None


REFERENCE_TREE = (
    LevelRule(
        key="perspective", name="Prospettiva", plural="Prospettive", rollup="mean_of_children"
    ),
    LevelRule(
        key="strategic",
        name="Obiettivo strategico",
        plural="Obiettivi strategici",
        rollup="weighted_sum",
        achievement=Achievement(),
    ),
    LevelRule(
        key="operational",
        name="Obiettivo operativo",
        plural="Obiettivi operativi",
        rollup="weighted_sum",
    ),
    LevelRule(key="action", name="Azione", plural="Azioni", rollup="kpi"),
)
REFERENCE_ENTE = EnteRule(rollup="mean_of_level", level="strategic", uses="achievement")
REFERENCE_KEYS = tuple(rule.key for rule in REFERENCE_TREE)

DEFAULT_BANDS = (
    Band(label="Eccellente", min=Decimal(90)),
    Band(label="Buona", min=Decimal(80)),
    Band(label="Adeguata", min=Decimal(60)),
    Band(label="Non adeguata", min=Decimal(0)),
)

DEFAULT_QUALITATIVE = {
    "eccellente": Decimal(100),
    "buono": Decimal(80),
    "sufficiente": Decimal(60),
    "insufficiente": Decimal(0),
}


class ScoringPolicy(PolicyModel):
    """How indicators score and how results roll up; `inferred` lists what no document states.

    `bounds` says how a value known only as a bound (`≥95%`) scores: `conservative` scores a
    bound on the good side as the bound itself and leaves one on the bad side unscored,
    `at_bound` scores any bound as its value, `unscored` never scores a bound (an assessment
    must state the achievement).
    """

    levels: LevelScores = LevelScores()
    qualitative_levels: dict[str, Percent] = Field(
        default_factory=lambda: dict(DEFAULT_QUALITATIVE)
    )
    deadline_steps: tuple[DeadlineStep, ...] = ()
    boolean_yes: Percent = Decimal(100)
    boolean_no: Percent = Decimal(0)
    tree: tuple[LevelRule, ...] = REFERENCE_TREE
    ente: EnteRule = REFERENCE_ENTE
    missing: Literal["excluded", "zero"] = "excluded"
    bounds: BoundScoring = "conservative"
    bands: tuple[Band, ...] = DEFAULT_BANDS
    inferred: tuple[str, ...] = ()

    @field_validator("qualitative_levels")
    @classmethod
    def _lower_case_levels(cls, value: dict[str, Percent]) -> dict[str, Percent]:
        return {key.strip().lower(): score for key, score in value.items()}

    @field_validator("bands")
    @classmethod
    def _bands_descending(cls, value: tuple[Band, ...]) -> tuple[Band, ...]:
        return tuple(sorted(value, key=lambda band: band.min, reverse=True))

    @model_validator(mode="after")
    def _tree_is_consistent(self) -> "ScoringPolicy":
        check_tree(self.tree, self.ente)
        return self

    def band(self, result: Decimal | None) -> str | None:
        """The valutazione sintetica of a result, or None when there is no result."""
        if result is None:
            return None
        for band in self.bands:
            if result >= band.min:
                return band.label
        return None

    def rule(self, level: str) -> LevelRule:
        """The rule of a level by its key (KeyError for a level the tree does not name)."""
        for rule in self.tree:
            if rule.key == level:
                return rule
        raise KeyError(level)

    def depth(self, level: str) -> int:
        return [rule.key for rule in self.tree].index(level)

    @property
    def leaf(self) -> LevelRule:
        return self.tree[-1]

    @property
    def is_reference_tree(self) -> bool:
        """Whether the tree has the reference's four levels (the plan/1 file and JSON shape)."""
        return tuple(rule.key for rule in self.tree) == REFERENCE_KEYS


def check_tree(tree: tuple[LevelRule, ...], ente: EnteRule) -> None:
    """Refuse a tree whose rules contradict each other, naming the level at fault."""
    if not tree:
        raise ValueError(_("tree: name at least one level"))
    keys = [rule.key for rule in tree]
    for key in keys:
        if keys.count(key) > 1:
            raise ValueError(_("tree: level {key!r} is named twice").format(key=key))
    for depth, rule in enumerate(tree):
        last = depth == len(tree) - 1
        if last and rule.rollup != "kpi":
            raise ValueError(
                _(
                    "tree: the last level ({key!r}) holds the indicators: its rollup is `kpi`"
                ).format(key=rule.key)
            )
        if last and rule.achievement is not None:
            raise ValueError(
                _(
                    "tree: the indicators of level {key!r} score against their KPI's target: "
                    "they take no `achievement`"
                ).format(key=rule.key)
            )
        if not last and rule.rollup == "kpi":
            raise ValueError(
                _("tree: level {key!r} rolls up by `kpi`, but only the last level has KPIs").format(
                    key=rule.key
                )
            )
        _check_used(rule.key, rule.rollup, rule.uses, rule.level, tree, depth)
    _check_used("ente", ente.rollup, ente.uses, ente.level, tree, -1)


def _check_used(
    who: str, rollup: str, uses: str, level: str | None, tree: tuple[LevelRule, ...], depth: int
) -> None:
    keys = [rule.key for rule in tree]
    if rollup == "mean_of_level":
        if level is None or level not in keys[depth + 1 :]:
            raise ValueError(
                _("{who}: `mean_of_level` needs `level`, one of the levels below ({below})").format(
                    who=who, below=", ".join(keys[depth + 1 :]) or "-"
                )
            )
    elif level is not None:
        raise ValueError(_("{who}: `level` is only read with `mean_of_level`").format(who=who))
    if rollup == "kpi":
        return
    averaged = {
        "weighted_sum": depth + 1,
        "mean_of_children": depth + 1,
        "mean_of_indicators": len(tree) - 1,
        "mean_of_level": keys.index(level) if level in keys else depth + 1,
    }[rollup]
    if averaged >= len(tree):
        raise ValueError(
            _("{who}: the last level has no children to roll up: its rollup is `kpi`").format(
                who=who
            )
        )
    if uses == "achievement" and tree[averaged].achievement is None:
        raise ValueError(
            _(
                "{who}: uses the achievement of level {level!r}, which has no `achievement` "
                "(give that level a target rule, or use its result)"
            ).format(who=who, level=tree[averaged].key)
        )


def upgrade_policy(data: Any) -> Any:
    """A policy written before trees were data (v1), in today's form; others pass unchanged.

    v1 named the reference's rules by three keys: `strategic_achievement` (always
    `ratio_capped`), `perspective_rollup` (`mean_of_results` or `weighted_mean_of_results`)
    and `ente_rollup` (`mean_of_achievements` or `mean_of_results`). They become the reference
    tree with those rules.
    """
    if not isinstance(data, dict):
        return data
    legacy = {"strategic_achievement", "perspective_rollup", "ente_rollup"}
    if not legacy & set(data):
        return data
    upgraded = {key: value for key, value in data.items() if key not in legacy}
    perspective = data.get("perspective_rollup", "mean_of_results")
    ente = data.get("ente_rollup", "mean_of_achievements")
    tree = [rule.model_dump(mode="json", exclude_none=True) for rule in REFERENCE_TREE]
    if perspective == "weighted_mean_of_results":
        tree[0]["rollup"] = "weighted_sum"
    elif perspective != "mean_of_results":
        raise ValueError(
            _("perspective_rollup {value!r} is not a v1 rule").format(value=perspective)
        )
    if ente not in ("mean_of_achievements", "mean_of_results"):
        raise ValueError(_("ente_rollup {value!r} is not a v1 rule").format(value=ente))
    upgraded.setdefault("tree", tree)
    upgraded.setdefault(
        "ente",
        {
            "rollup": "mean_of_level",
            "level": "strategic",
            "uses": "achievement" if ente == "mean_of_achievements" else "result",
        },
    )
    return upgraded
