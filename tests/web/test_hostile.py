"""Hostile text in titles, rationales and evidence is shown as text on every page.

A cycle whose entity, perspective and action titles, override rationale and measurement
evidence hold HTML that would run (`<script>`, `"><img onerror>`) and a terminal's escape
sequence: every page shows them escaped, no tag of theirs reaches the browser, and the
escape character is shown as its picture (␛), never passed on. The entry limits
(events/limits.py) now refuse control characters, so the cycle is written as a version before
them let it in: every page must still show such a ledger inert.
"""

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ledger.connect import open_store
from ledger.store import SqlEventStore
from projections import acts, measuring, oversight, planning
from tests.builders import CONTROLLER, DIREZIONE, GIUNTA, STREAM, document, small_plan, year_2020
from web.app import ConsoleConfig, create_app

HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(2)>\x1b[31mROSSO\x1b[0m'


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    url = f"sqlite:///{Path(tmp_path_factory.mktemp('hostile')) / 'ledger.db'}"
    plan = small_plan()
    plan["cycle"]["entity_name"] = f"Ente {HOSTILE}"
    plan["perspectives"][0]["title"] = f"Prospettiva {HOSTILE}"
    action = plan["perspectives"][0]["strategic"][0]["operational"][0]["actions"][0]
    action["title"] = f"Azione {HOSTILE}"
    store = open_store(url, create=True)
    with pytest.MonkeyPatch.context() as older_version:
        older_version.setattr("ledger.admission.check_event", lambda event: None)
        _record_hostile_cycle(store, plan)
    store.close()
    with TestClient(create_app(ConsoleConfig(db=url)), follow_redirects=False) as client:
        yield client


def _record_hostile_cycle(store: SqlEventStore, plan: dict[str, Any]) -> None:
    planning.import_plan(store, document(plan), date(2020, 1, 20), CONTROLLER, key_prefix=None)
    acts.record_approval(store, STREAM, "plan", "delibera n. 5/GC", date(2020, 1, 27), GIUNTA)
    measuring.record_measurement(
        store,
        STREAM,
        "1.1.1",
        Decimal(95),
        None,
        year_2020(),
        date(2021, 4, 30),
        CONTROLLER,
        evidence=f"evidenza {HOSTILE}",
    )
    oversight.record_override(
        store,
        STREAM,
        "1.1.1",
        Decimal(100),
        f"motivazione {HOSTILE}",
        date(2021, 6, 7),
        date(2021, 6, 7),
        DIREZIONE,
    )


BASE = f"/cycles/{STREAM}"
PAGES = [
    "/",
    f"{BASE}/cruscotto?as_of=2021-06-30",
    f"{BASE}/nodes/1.1.1?as_of=2021-06-30",
    f"{BASE}/nodes/p1?as_of=2021-06-30",
    f"{BASE}/audit?as_of=2021-06-30",
    f"{BASE}/trail?as_of=2021-06-30",
    f"{BASE}/diff?as_of=2021-06-30&from=2021-01-01",
    f"{BASE}/events/1?as_of=2021-06-30",
    f"{BASE}/events/2?as_of=2021-06-30",
    f"{BASE}/integrity?as_of=2021-06-30",
]


@pytest.mark.parametrize("url", PAGES)
def test_hostile_text_is_shown_as_text(hostile: TestClient, url: str) -> None:
    page = hostile.get(url)
    assert page.status_code == 200, page.text
    html = page.text
    assert "<script" not in html
    assert "<img" not in html
    assert "\x1b" not in html
    if "/events/" in url:  # the payload is JSON text: its quotes and ESC are JSON-escaped
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    elif url != "/" and "integrity" not in url:
        assert (
            "&lt;script&gt;alert(1)&lt;/script&gt;&#34;&gt;&lt;img src=x onerror=alert(2)&gt;"
            in html
        )
        assert "␛[31mROSSO␛[0m" in html


def test_the_rationale_and_the_evidence_reach_the_node_page_as_text(hostile: TestClient) -> None:
    html = hostile.get(f"{BASE}/nodes/1.1.1?as_of=2021-06-30").text
    assert "motivazione &lt;script&gt;" in html
    assert "evidenza &lt;script&gt;" in html
