"""The console's pages over the reference case: figures, stable URLs, methods, bad requests."""

import re

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import REFERENCE

PAGES = [
    "/",
    f"{REFERENCE}/cruscotto?as_of=2021-06-30",
    f"{REFERENCE}/nodes/3.3.1?as_of=2021-06-30",
]


def test_the_cycles_page_lists_the_reference_cycle_with_its_state(console: TestClient) -> None:
    page = console.get("/")
    assert page.status_code == 200
    assert f'href="{REFERENCE}/cruscotto"' in page.text
    assert "Camera di commercio di Sondrio" in page.text
    # plan approved by delibera n. 5/GC of 27/01/2020, validated 21/06/2021, published 28/06/2021
    for day in ("27/01/2020", "21/06/2021", "28/06/2021"):
        assert day in page.text


@pytest.mark.parametrize(("as_of", "ente"), [("2021-04-30", "93,33 %"), ("2021-06-30", "96,67 %")])
def test_the_cruscotto_shows_the_ente_as_of_the_date_asked(
    console: TestClient, as_of: str, ente: str
) -> None:
    page = console.get(f"{REFERENCE}/cruscotto?as_of={as_of}")
    assert page.status_code == 200
    assert f'<p class="cifra">{ente}</p>' in page.text


def test_an_italian_date_leads_to_the_url_that_cites_it(console: TestClient) -> None:
    page = console.get(f"{REFERENCE}/cruscotto?as_of=30/04/2021")
    assert page.status_code == 307
    assert page.headers["location"] == f"{REFERENCE}/cruscotto?as_of=2021-04-30"


def test_a_page_without_a_date_names_today_in_its_url(console: TestClient) -> None:
    page = console.get(f"{REFERENCE}/cruscotto")
    assert page.status_code == 307
    assert re.fullmatch(
        rf"{REFERENCE}/cruscotto\?as_of=\d{{4}}-\d\d-\d\d", page.headers["location"]
    )


def test_the_node_page_shows_the_override_its_rationale_and_the_day_the_oiv_was_heard(
    console: TestClient,
) -> None:
    page = console.get(f"{REFERENCE}/nodes/3.3.1?as_of=2021-06-30").text
    assert '<span class="override">60,00 %</span>' in page
    assert "A fronte di un target di 28 giorni" in page
    assert "07/06/2021" in page
    assert "measurement 3.3.1 = 35,87 giorni" in page


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_every_write_method_is_answered_405(console: TestClient, url: str, method: str) -> None:
    answer = console.request(method, url)
    assert answer.status_code == 405, answer.text
    assert "POST" not in answer.headers["allow"]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_carries_the_security_headers_and_loads_nothing_from_elsewhere(
    console: TestClient, url: str
) -> None:
    page = console.get(url)
    policy = page.headers["content-security-policy"]
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "no-referrer"
    assert page.headers["x-frame-options"] == "DENY"
    assert not re.search(r"""(src|href)=["'](https?:)?//""", page.text)
    assert "<script" not in page.text and "style=" not in page.text


def test_an_unknown_cycle_is_a_404_naming_it(console: TestClient) -> None:
    page = console.get("/cycles/nessuno/2099/cruscotto?as_of=2021-06-30")
    assert page.status_code == 404
    assert "nessuno/2099" in page.text


def test_an_unknown_node_is_a_404_naming_it(console: TestClient) -> None:
    page = console.get(f"{REFERENCE}/nodes/9.9.9?as_of=2021-06-30")
    assert page.status_code == 404
    assert "9.9.9" in page.text


def test_a_bad_date_is_a_400_naming_it(console: TestClient) -> None:
    page = console.get(f"{REFERENCE}/cruscotto?as_of=31/02/2021")
    assert page.status_code == 400
    assert "31/02/2021" in page.text


def test_the_api_documentation_is_local_and_the_default_docs_pages_are_off(
    console: TestClient,
) -> None:
    assert console.get("/docs").status_code == 404
    assert console.get("/redoc").status_code == 404
    assert console.get("/api/openapi.json").json()["info"]["title"]


def test_known_at_is_carried_exactly_and_a_time_before_the_records_shows_no_plan(
    console: TestClient,
) -> None:
    before = console.get(f"{REFERENCE}/cruscotto?as_of=2021-06-30&known_at=01/01/2021 12:00")
    assert before.status_code == 307
    assert before.headers["location"].endswith("known_at=2021-01-01T11%3A00%3A00.000000Z")
    page = console.get(before.headers["location"]).text
    assert 'value="2021-01-01T11:00:00.000000Z"' in page
    # the reference case was recorded when the test ran: on 01/01/2021 the ledger held nothing
    assert "No plan in force on 30/06/2021" in page
