"""Bad requests in one Italian line naming the value; a server error is a plain, logged 500."""

import logging
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from events.i18n import set_language
from tests.web.conftest import REFERENCE
from web.app import ConsoleConfig, create_app


@pytest.fixture
def italian() -> Iterator[None]:
    set_language("it")
    yield
    set_language("en")


def _line(html: str) -> str:
    found = re.search(r'<p class="errore">(.*?)</p>', html, flags=re.S)
    assert found, html
    return found.group(1)


@pytest.mark.usefixtures("italian")
@pytest.mark.parametrize(
    ("url", "status", "line"),
    [
        (
            "/cycles/nessuno/2099/cruscotto?as_of=2021-06-30",
            404,
            "il ciclo nessuno/2099 non è in questo ledger",
        ),
        (
            f"{REFERENCE}/events/9999?as_of=2021-06-30",
            404,
            "il seq 9999 non è un evento del ciclo cciaa-so/2020",
        ),
        (
            f"{REFERENCE}/audit?as_of=2021-06-30&severity=grave",
            400,
            "gravità &#39;grave&#39;: usare una tra alta, media, nota",
        ),
        ("/pagina/che/non/esiste", 404, "la pagina /pagina/che/non/esiste non esiste"),
        (
            f"{REFERENCE}/cruscotto?as_of=31/02/2021",
            400,
            "as_of: &#39;31/02/2021&#39; non è una data (scrivere 30/04/2021 o 2021-04-30)",
        ),
        (
            f"{REFERENCE}/cruscotto?as_of=2021-06-30&known_at=ieri",
            400,
            "known_at: &#39;ieri&#39; non è una data con ora (scrivere 30/04/2021 18:30, ora "
            "italiana, o 2021-04-30T16:30:00Z)",
        ),
    ],
)
def test_a_bad_request_is_one_italian_line_naming_the_value(
    console: TestClient, url: str, status: int, line: str
) -> None:
    answer = console.get(url)
    assert answer.status_code == status
    assert _line(answer.text) == line
    assert '<html lang="it">' in answer.text


@pytest.mark.usefixtures("italian")
def test_a_write_method_is_refused_in_italian(console: TestClient) -> None:
    answer = console.delete(f"{REFERENCE}/cruscotto?as_of=2021-06-30")
    assert answer.status_code == 405
    assert _line(answer.text) == "la console legge soltanto: DELETE non è accettato"


def test_a_server_error_is_a_plain_500_logged_on_the_server(
    served: tuple[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(ConsoleConfig(db=served[1]))

    @app.get("/guasto")
    def broken() -> None:
        raise RuntimeError("segreto interno da non mostrare")

    with TestClient(app, raise_server_exceptions=False) as client, caplog.at_level(logging.ERROR):
        answer = client.get("/guasto")
    assert answer.status_code == 500
    assert answer.headers["content-type"].startswith("text/plain")
    assert "segreto" not in answer.text and "Traceback" not in answer.text
    assert "segreto interno da non mostrare" in caplog.text
