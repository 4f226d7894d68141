"""The scoring policy of a cycle: the administration's SMVP, as data.

Another administration's rules differ in levels, bands and means, not in code: everything the
scoring and the rollup need to know about the SMVP is here, recorded with the cycle.
"""

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Percent = Decimal


class PolicyModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


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
    """How actions score and how results roll up; `inferred` lists what no document states."""

    levels: LevelScores = LevelScores()
    qualitative_levels: dict[str, Percent] = Field(
        default_factory=lambda: dict(DEFAULT_QUALITATIVE)
    )
    deadline_steps: tuple[DeadlineStep, ...] = ()
    boolean_yes: Percent = Decimal(100)
    boolean_no: Percent = Decimal(0)
    strategic_achievement: Literal["ratio_capped"] = "ratio_capped"
    perspective_rollup: Literal["mean_of_results", "weighted_mean_of_results"] = "mean_of_results"
    ente_rollup: Literal["mean_of_achievements", "mean_of_results"] = "mean_of_achievements"
    missing: Literal["excluded", "zero"] = "excluded"
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

    def band(self, result: Decimal | None) -> str | None:
        """The valutazione sintetica of a result, or None when there is no result."""
        if result is None:
            return None
        for band in self.bands:
            if result >= band.min:
                return band.label
        return None
