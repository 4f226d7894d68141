"""Small cycles built through the public use cases, for tests of scoring, replay and acts."""

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from events.measurement import Period
from ledger.connect import open_store
from ledger.store import SqlEventStore
from projections import acts, measuring, planning
from projections.plan_document import PlanDocument, plan_document

STREAM = "test-ente/2020"
CONTROLLER = acts.Actor("controller-1", "controller")
GIUNTA = acts.Actor("segreteria", "giunta-secretariat")
DIREZIONE = acts.Actor("segretario", "direzione")
OIV = acts.Actor("oiv-1", "oiv")
PLAN_DAY = date(2020, 1, 20)
APPROVAL_DAY = date(2020, 1, 27)


class StepClock:
    """A clock the test moves by hand: the ledger stamps recorded_at from it."""

    def __init__(self, start: datetime = datetime(2021, 1, 1, 9, 0, tzinfo=UTC)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def threshold_kpi(
    target: int,
    medio: int | None = None,
    minimo: int | None = None,
    direction: str = "higher",
    unit: str = "n.",
) -> dict[str, Any]:
    thresholds = []
    if medio is not None:
        thresholds.append({"level": "medio", "value": medio})
    if minimo is not None:
        thresholds.append({"level": "minimo", "value": minimo})
    return {
        "description": "kpi",
        "kind": "threshold",
        "unit": unit,
        "direction": direction,
        "target": target,
        "thresholds": thresholds,
    }


def small_plan(**policy: Any) -> dict[str, Any]:
    """Two perspectives, three strategic objectives, a handful of actions of every kind."""
    return {
        "cycle": {
            "id": STREAM,
            "entity": "test-ente",
            "entity_name": "Ente di prova",
            "year": 2020,
            "policy": policy,
        },
        "perspectives": [
            {
                "key": "p1",
                "title": "Prima prospettiva",
                "strategic": [
                    {
                        "key": "s1",
                        "title": "Primo strategico",
                        "target": 80,
                        "operational": [
                            {
                                "code": "1.1",
                                "title": "Operativo 1.1",
                                "weight": 60,
                                "actions": [
                                    {
                                        "code": "1.1.1",
                                        "title": "Soglie",
                                        "weight": 50,
                                        "kpi": threshold_kpi(100, 90, 80),
                                    },
                                    {
                                        "code": "1.1.2",
                                        "title": "Giorni",
                                        "weight": 50,
                                        "kpi": threshold_kpi(
                                            28, 29, 30, direction="lower", unit="giorni"
                                        ),
                                    },
                                ],
                            },
                            {
                                "code": "1.2",
                                "title": "Operativo 1.2",
                                "weight": 40,
                                "actions": [
                                    {
                                        "code": "1.2.1",
                                        "title": "Scadenza",
                                        "weight": 100,
                                        "kpi": {
                                            "description": "entro luglio",
                                            "kind": "deadline",
                                            "deadline": "2020-07-31",
                                            "target_label": "luglio",
                                        },
                                    },
                                ],
                            },
                        ],
                    },
                    {
                        "key": "s2",
                        "title": "Secondo strategico",
                        "target": 100,
                        "operational": [
                            {
                                "code": "2.1",
                                "title": "Operativo 2.1",
                                "weight": 100,
                                "actions": [
                                    {
                                        "code": "2.1.1",
                                        "title": "Qualità",
                                        "weight": 40,
                                        "kpi": {
                                            "description": "livello",
                                            "kind": "qualitative",
                                            "target_label": "qualitativo",
                                        },
                                    },
                                    {
                                        "code": "2.1.2",
                                        "title": "Fatto o no",
                                        "weight": 30,
                                        "kpi": {"description": "fatto", "kind": "boolean"},
                                    },
                                    {
                                        "code": "2.1.3",
                                        "title": "Proporzionale",
                                        "weight": 30,
                                        "kpi": {
                                            "description": "quota",
                                            "kind": "proportional",
                                            "unit": "%",
                                            "target": 50,
                                        },
                                    },
                                ],
                            },
                        ],
                    },
                ],
            },
            {
                "key": "p2",
                "title": "Seconda prospettiva",
                "strategic": [
                    {
                        "key": "s3",
                        "title": "Terzo strategico",
                        "target": 80,
                        "operational": [
                            {
                                "code": "3.1",
                                "title": "Operativo 3.1",
                                "weight": 100,
                                "actions": [
                                    {
                                        "code": "3.1.1",
                                        "title": "Conteggio",
                                        "weight": 100,
                                        "kpi": threshold_kpi(10),
                                    },
                                ],
                            },
                        ],
                    },
                ],
            },
        ],
    }


def document(data: dict[str, Any]) -> PlanDocument:
    return plan_document(data, "test plan")


def approved_cycle(store: SqlEventStore, data: dict[str, Any] | None = None) -> None:
    """Import the small plan and approve it on APPROVAL_DAY."""
    planning.import_plan(
        store, document(data or small_plan()), PLAN_DAY, CONTROLLER, key_prefix=None
    )
    acts.record_approval(store, STREAM, "plan", "delibera n. 5/GC", APPROVAL_DAY, GIUNTA)


def year_2020() -> Period:
    return Period(start=date(2020, 1, 1), end=date(2020, 12, 31))


def measure(store: SqlEventStore, action: str, value: str, on: date = date(2021, 4, 30)) -> int:
    [entry] = measuring.record_measurement(
        store, STREAM, action, Decimal(value), None, year_2020(), on, CONTROLLER
    )
    return entry.seq


def sqlite_store(tmp_path: Path, clock: StepClock | None = None) -> SqlEventStore:
    return open_store(
        f"sqlite:///{tmp_path / 'ledger.db'}", create=True, clock=clock or StepClock()
    )


def ledger_rows(store: SqlEventStore) -> Iterator[int]:
    return (row.seq for row in store.read_rows())
