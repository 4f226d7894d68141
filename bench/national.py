"""A synthetic national ledger: entities x a plan shaped like the reference x 12 months x years.

The plan has the shape of the Camera di commercio di Sondrio's 2020 cruscotto (4 perspectives,
9 strategic objectives, 23 operational objectives, 50 actions). Each cycle is opened, planned,
approved, measured every month, amended once, corrected here and there, overridden twice,
and closed by the Relazione's approval, validation and publication: about 710 events a cycle.

Events come out in time order across entities (every administration plans in January, then
everyone measures January, then February...), as a national ledger fills in real life. So the
rows of one cycle are scattered through the table, which keeps the one-cycle read honest.
Everything is built through the real event models (pydantic validation included) and is
deterministic for a given seed.
"""

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from events.acts import ApprovalRecorded, PublicationRecorded, ValidationRecorded
from events.base import LedgerEvent
from events.cycle import CycleOpened
from events.measurement import MeasurementCorrected, MeasurementRecorded, Period
from events.oversight import OverrideRecorded
from events.plan import Kpi, ObjectiveAmended, ObjectiveDefined, PerspectiveDefined, Threshold
from ledger.records import NewEvent

PERSPECTIVES = (
    ("tessuto", "Sviluppo Tessuto Economico Locale"),
    ("processi", "Processi Interni"),
    ("crescita", "Apprendimento e crescita"),
    ("economico", "Economico finanziaria"),
)
STRATEGIC_PER_PERSPECTIVE = (3, 2, 2, 2)  # 9 strategic objectives
OPERATIONAL_PER_STRATEGIC = (3, 3, 3, 2, 3, 2, 2, 3, 2)  # 23 operational objectives
ACTIONS_PER_OPERATIONAL = (2, 3, 2, 2, 2, 3, 2, 2, 2, 2, 2, 3, 2, 2, 2, 2, 2, 2, 3, 2, 2, 2, 2)
# 50 actions, as many as the reference's cruscotto

YEAR_EVENTS_ESTIMATE = 1 + 4 + 9 + 23 + 50 + 1 + 600 + 12 + 2 + 1 + 2 + 3
"""Events of one full cycle (open, plan, approval, 12x50 measurements, 12 corrections,
2 amendments and their approval, 2 overrides, Relazione approval, validation, publication)."""


@dataclass(frozen=True)
class Action:
    """An action of the synthetic plan with its KPI, so measurements look like real ones."""

    key: str
    unit: str
    target: Decimal
    higher_is_better: bool


@dataclass(frozen=True)
class PlanShape:
    """The keys of one synthetic plan: identical for every entity, like a shared SMVP."""

    strategic: tuple[tuple[str, str], ...]  # (key, perspective)
    operational: tuple[tuple[str, str], ...]  # (code, strategic key)
    actions: tuple[tuple[Action, str], ...]  # (action, operational code)


def plan_shape() -> PlanShape:
    """The plan tree: codes printed like the Piano's (`1.1`, `1.1.2`)."""
    strategic: list[tuple[str, str]] = []
    for (perspective, _), count in zip(PERSPECTIVES, STRATEGIC_PER_PERSPECTIVE, strict=True):
        strategic += [(f"os-{len(strategic) + i + 1}", perspective) for i in range(count)]
    operational: list[tuple[str, str]] = []
    for (key, _), count in zip(strategic, OPERATIONAL_PER_STRATEGIC, strict=True):
        number = key.removeprefix("os-")
        operational += [(f"{number}.{i + 1}", key) for i in range(count)]
    actions: list[tuple[Action, str]] = []
    for (code, _), count in zip(operational, ACTIONS_PER_OPERATIONAL, strict=True):
        for i in range(count):
            kind = len(actions) % 3
            action = (
                Action(f"{code}.{i + 1}", "%", Decimal(90), True)
                if kind == 0
                else Action(f"{code}.{i + 1}", "giorni", Decimal(30), False)
                if kind == 1
                else Action(f"{code}.{i + 1}", "n.", Decimal(1100), True)
            )
            actions.append((action, code))
    return PlanShape(tuple(strategic), tuple(operational), tuple(actions))


def _weights(count: int) -> list[Decimal]:
    """Weights that sum to exactly 100 (the last sibling takes the remainder)."""
    base = Decimal(100) // count
    return [*([base] * (count - 1)), Decimal(100) - base * (count - 1)]


def _month_end(year: int, month: int) -> date:
    return (date(year + (month == 12), month % 12 + 1, 1)) - timedelta(days=1)


@dataclass
class _Cycle:
    """What the generator remembers of one cycle while it fills in: its version and events."""

    entity: str
    year: int
    version: int = 0
    measurements: list[str] = field(default_factory=list)  # this month's ids, for corrections

    @property
    def stream(self) -> str:
        return f"{self.entity}/{self.year}"


_Phase = Callable[[_Cycle], list[NewEvent]]


@dataclass(frozen=True)
class Chunk:
    """Consecutive events for one stream, with the version the stream must be at."""

    stream: str
    events: list[NewEvent]
    expected_version: int


class NationalLedger:
    """Generates the chunks of a national ledger in time order, up to `total` events."""

    def __init__(
        self, total: int, *, years: int = 10, first_year: int = 2016, seed: int = 150
    ) -> None:
        self.total = total
        self.years = years
        self.first_year = first_year
        self.random = random.Random(seed)
        self.shape = plan_shape()
        cycles_needed = -(-total // YEAR_EVENTS_ESTIMATE)
        self.entities = [f"ente-{i:05d}" for i in range(max(1, -(-cycles_needed // years)))]
        self.produced = 0

    def chunks(self) -> Iterator[Chunk]:
        """Every chunk, stopping exactly at `total` events (the last cycle may stay open)."""
        for offset in range(self.years):
            year = self.first_year + offset
            cycles = [_Cycle(entity, year) for entity in self.entities]
            for phase in self._phases(year):
                for cycle in cycles:
                    produced = phase(cycle)
                    if not produced:
                        continue
                    room = self.total - self.produced
                    produced = produced[:room]
                    chunk = Chunk(cycle.stream, produced, cycle.version)
                    cycle.version += len(produced)
                    self.produced += len(produced)
                    yield chunk
                    if self.produced >= self.total:
                        return

    def _phases(self, year: int) -> list[_Phase]:
        return [
            lambda c: self._plan(c),
            *[(lambda c, m=month: self._month(c, m)) for month in range(1, 13)],
            lambda c: self._relazione(c),
        ]

    # -- the acts ---------------------------------------------------------------------------

    def _new(self, cycle: _Cycle, event: LedgerEvent, when: date, role: str, key: str) -> NewEvent:
        return NewEvent(
            event=event,
            effective_date=when,
            actor=f"{role}@{cycle.entity}",
            role=role,
            idempotency_key=f"{cycle.stream}#{key}",
        )

    def _plan(self, cycle: _Cycle) -> list[NewEvent]:
        day = date(cycle.year, 1, 20)
        out = [
            self._new(
                cycle,
                CycleOpened(
                    entity=cycle.entity, entity_name=f"Ente {cycle.entity}", year=cycle.year
                ),
                date(cycle.year, 1, 2),
                "controller",
                "open",
            )
        ]
        for (key, title), weight in zip(PERSPECTIVES, _weights(4), strict=True):
            out.append(
                self._new(
                    cycle,
                    PerspectiveDefined(key=key, title=title, weight=weight),
                    day,
                    "controller",
                    key,
                )
            )
        shape = self.shape
        for level, nodes in (("strategic", shape.strategic), ("operational", shape.operational)):
            by_parent: dict[str, list[str]] = {}
            for key, parent in nodes:
                by_parent.setdefault(parent, []).append(key)
            for parent, keys in by_parent.items():
                for key, weight in zip(keys, _weights(len(keys)), strict=True):
                    event = ObjectiveDefined(
                        level=level,
                        key=key,
                        code=key if level == "operational" else None,
                        parent=parent,
                        title=f"Obiettivo {key}",
                        weight=weight,
                        target=Decimal(100) if level == "strategic" else None,
                    )
                    out.append(self._new(cycle, event, day, "controller", key))
        actions_by_parent: dict[str, list[Action]] = {}
        for action, parent in shape.actions:
            actions_by_parent.setdefault(parent, []).append(action)
        for parent, actions in actions_by_parent.items():
            for action, weight in zip(actions, _weights(len(actions)), strict=True):
                out.append(
                    self._new(
                        cycle, self._action(action, parent, weight), day, "controller", action.key
                    )
                )
        out.append(
            self._new(
                cycle,
                ApprovalRecorded(
                    subject="plan", act=f"delibera n. {self.random.randint(1, 30)}/GC"
                ),
                date(cycle.year, 1, 31),
                "segreteria",
                "plan",
            )
        )
        return out

    @staticmethod
    def _action(action: Action, parent: str, weight: Decimal) -> ObjectiveDefined:
        if action.higher_is_better:
            thresholds = (
                Threshold(level="medio", value=action.target * Decimal("0.8")),
                Threshold(level="minimo", value=action.target * Decimal("0.6")),
            )
        else:
            thresholds = (
                Threshold(level="medio", value=action.target + 5),
                Threshold(level="minimo", value=action.target + 10),
            )
        kpi = Kpi(
            description=f"Indicatore dell'azione {action.key}",
            kind="threshold",
            unit=action.unit,
            direction="higher" if action.higher_is_better else "lower",
            target=action.target,
            thresholds=thresholds,
        )
        return ObjectiveDefined(
            level="action",
            key=action.key,
            code=action.key,
            parent=parent,
            title=f"Azione {action.key}",
            weight=weight,
            kpi=kpi,
        )

    def _month(self, cycle: _Cycle, month: int) -> list[NewEvent]:
        rnd = self.random
        year = cycle.year
        period = Period(start=date(year, month, 1), end=_month_end(year, month))
        taken = period.end + timedelta(days=5)
        out: list[NewEvent] = []
        for action, _ in self.shape.actions:
            spread = action.target * Decimal(rnd.randint(50, 120)) / 100
            value = spread.quantize(Decimal("0.01"))
            new = self._new(
                cycle,
                MeasurementRecorded(
                    action=action.key, value=value, unit=action.unit, period=period
                ),
                taken,
                "controller",
                f"m{month}:{action.key}",
            )
            cycle.measurements.append(new.event_id)
            out.append(new)
        # Only this month's ids are kept, so the generator's memory does not grow with time.
        cycle.measurements = cycle.measurements[-len(self.shape.actions) :]
        corrected = rnd.choice(cycle.measurements)
        out.append(
            self._new(
                cycle,
                MeasurementCorrected(
                    corrects=corrected,
                    value=Decimal(rnd.randint(1, 1000)) / 10,
                    reason="valore trascritto in modo errato dal foglio di calcolo",
                ),
                taken + timedelta(days=3),
                "controller",
                f"c{month}",
            )
        )
        if month == 6:
            out += self._amendment(cycle, taken)
        return out

    def _amendment(self, cycle: _Cycle, when: date) -> list[NewEvent]:
        (first, _), (second, _) = self.shape.actions[0], self.shape.actions[3]
        reason = "aggiornamento del Piano a metà anno"
        return [
            self._new(
                cycle,
                ObjectiveAmended(key=first.key, target=Decimal(85), reason=reason),
                when,
                "controller",
                "a1",
            ),
            self._new(
                cycle,
                ObjectiveAmended(key=second.key, target=Decimal(95), reason=reason),
                when,
                "controller",
                "a2",
            ),
            self._new(
                cycle,
                ApprovalRecorded(
                    subject="plan_update", act=f"delibera n. {self.random.randint(31, 90)}/GC"
                ),
                when + timedelta(days=10),
                "segreteria",
                "plan_update",
            ),
        ]

    def _relazione(self, cycle: _Cycle) -> list[NewEvent]:
        year = cycle.year + 1
        heard = date(year, 4, 20)
        out = [
            self._new(
                cycle,
                OverrideRecorded(
                    node=action.key,
                    achievement=Decimal(100),
                    rationale="cause esterne non imputabili all'ente (emergenza sanitaria)",
                    oiv_heard_on=heard,
                ),
                heard + timedelta(days=5),
                "segreteria",
                f"o:{action.key}",
            )
            for action, _ in (self.shape.actions[7], self.shape.actions[21])
        ]
        out += [
            self._new(
                cycle,
                ApprovalRecorded(subject="relazione", act="delibera n. 40/GC"),
                date(year, 6, 10),
                "segreteria",
                "relazione",
            ),
            self._new(
                cycle,
                ValidationRecorded(act="verbale OIV n. 3"),
                date(year, 6, 25),
                "oiv",
                "validation",
            ),
            self._new(
                cycle,
                PublicationRecorded(where="Amministrazione Trasparente > Performance > Relazione"),
                date(year, 6, 30),
                "trasparenza",
                "publication",
            ),
        ]
        return out
