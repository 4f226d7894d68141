"""The console in a real browser, walked as an OIV reviews the reference case.

Debian's chromium driven by Playwright with the system binary (nothing downloads a browser);
the console served by uvicorn on a loopback port, in Italian as its users read it. Every
request is intercepted: any to another origin fails the test. axe-core (shipped inside
axe-playwright-python) checks every page; a screenshot of each page is saved under
tests/artifacts/console/.
"""

import csv
import io
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from events.i18n import set_language
from formats.users import add_user
from tests.formats.test_html_page import ARTIFACTS, axe_source, browser  # noqa: F401
from web.app import ConsoleConfig, create_app

SHOTS = ARTIFACTS / "console"


@contextmanager
def serving(config_: ConsoleConfig) -> Iterator[str]:
    """The console on a free loopback port, in Italian, until the block ends."""
    set_language("it")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(create_app(config_), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        set_language("en")


@pytest.fixture(scope="module")
def origin(served: tuple[str, str]) -> Iterator[str]:
    """The console over the reference case, open (as on a loopback address)."""
    with serving(ConsoleConfig(db=served[1])) as address:
        yield address


class Visit:
    """A browser page that notes every request, checks each page with axe, and shoots it."""

    def __init__(self, browser: Any, origin: str) -> None:  # noqa: F811
        self.origin = origin
        self.context = browser.new_context(
            viewport={"width": 1280, "height": 900}, accept_downloads=True
        )
        self.page = self.context.new_page()
        self.elsewhere: list[str] = []
        self.page.route("**/*", self._only_ours)

    def _only_ours(self, route: Any) -> None:
        if route.request.url.startswith(self.origin + "/"):
            route.continue_()
        else:
            self.elsewhere.append(route.request.url)
            route.abort()

    def check(self, name: str) -> None:
        """axe-core on the page as it stands: zero violations; then its screenshot.

        A click that navigates returns once the new page is committed, not loaded: axe waits
        for the load, or it may run on a document being replaced (seen on a loaded machine).
        """
        self.page.wait_for_load_state("load")
        self.page.evaluate(axe_source())
        results = self.page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        violations = [(v["id"], [n["target"] for n in v["nodes"]]) for v in results["violations"]]
        assert violations == [], f"{name}: {violations}"
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def visit(browser: Any, origin: str) -> Iterator[Visit]:  # noqa: F811
    opened = Visit(browser, origin)
    yield opened
    assert opened.elsewhere == [], f"requests to another origin: {opened.elsewhere}"
    opened.context.close()


def test_an_oiv_reviews_the_reference_case(visit: Visit, tmp_path: Path) -> None:
    page = visit.page
    page.goto(visit.origin + "/")
    visit.check("cicli")
    page.get_by_role("link", name="cciaa-so/2020").click()
    assert "/cycles/cciaa-so/2020/cruscotto?as_of=" in page.url

    page.fill("#as_of", "30/04/2021")
    page.get_by_role("button", name="Mostra").click()
    assert page.url.endswith("/cycles/cciaa-so/2020/cruscotto?as_of=2021-04-30")
    assert page.locator(".ente-result .cifra").inner_text() == "93,33 %"
    page.fill("#as_of", "30/06/2021")
    page.get_by_role("button", name="Mostra").click()
    assert page.url.endswith("as_of=2021-06-30")
    assert page.locator(".ente-result .cifra").inner_text() == "96,67 %"
    visit.check("cruscotto")

    page.locator("#albero").locator("xpath=..").get_by_role(
        "link", name="3.3.1", exact=True
    ).click()
    assert page.url.endswith("/nodes/3.3.1?as_of=2021-06-30")
    facts = page.locator("dl.scheda").first.inner_text()
    assert "60,00 %" in facts and "0,00 %" in facts
    assert "A fronte di un target di 28 giorni" in facts
    assert "07/06/2021" in facts
    history = page.locator("#storia").locator("xpath=..").locator("tbody tr")
    assert history.count() == 4
    assert "override 3.3.1 al 60,00 %" in history.nth(3).inner_text()
    visit.check("nodo-3.3.1")

    page.get_by_role("link", name="Verifiche").click()
    visit.check("audit")
    finding = page.locator("tbody tr", has_text="90,40 %")
    assert "Competitività delle Imprese" in finding.inner_text()
    assert "90,00 %" in finding.inner_text()
    finding.get_by_role("link", name="151").click()
    assert page.url.endswith("/events/151?as_of=2021-06-30")
    assert "cifra pubblicata registrata" in page.locator("h1").inner_text()
    assert "ReportedFigureRecorded" in page.locator("main").inner_text()  # the stored type too
    assert "corrisponde all'hash registrato" in page.locator("main").inner_text()
    visit.check("evento-151")

    page.get_by_role("link", name="Cruscotto").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Scarica CSV").click()
    saved = tmp_path / "cruscotto.csv"
    download.value.save_as(saved)
    rows = list(csv.DictReader(io.StringIO(saved.read_text("utf-8-sig")), delimiter=";"))
    row = next(r for r in rows if r["Codice"] == "3.3.1")
    assert (row["Calcolato"], row["Override"], row["Risultato"]) == ("0,00", "60,00", "60,00")
    assert row["OIV sentito il"] == "07/06/2021"

    page.get_by_role("link", name="Integrità").click()
    text = page.locator("main").inner_text()
    assert "La catena regge: 180 eventi verificati" in text
    assert "Catena verificata fino a seq 180" in text
    assert "ledger-digest/2 seq=180" in text
    visit.check("integrita")

    for name in ("Pista di controllo", "Modifiche"):
        page.get_by_role("link", name=name, exact=True).click()
        visit.check(name.lower().replace(" ", "-"))


def test_the_trail_pages_forwards_and_back(visit: Visit) -> None:
    page = visit.page
    page.goto(visit.origin + "/cycles/cciaa-so/2020/trail?as_of=2021-06-30")
    page.get_by_role("link", name="Pagina successiva").click()
    page.get_by_role("link", name="Pagina successiva").click()
    assert page.url.endswith("after=100")
    page.get_by_role("link", name="Pagina precedente").click()
    assert page.url.endswith("before=101")
    assert "Eventi prima del seq 101" in page.locator("main").inner_text()
    first_seq = page.locator("#registro").locator("xpath=..").locator("tbody th").first
    assert first_seq.inner_text() == "51"
    visit.check("pista-pagina-precedente")
    page.get_by_role("link", name="Pagina precedente").click()
    assert page.get_by_role("link", name="Pagina precedente").count() == 0
    assert first_seq.inner_text() == "1"


def test_the_console_works_with_the_keyboard_alone(visit: Visit) -> None:
    page = visit.page
    page.goto(visit.origin + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Vai al contenuto"
    page.keyboard.press("Enter")
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "cciaa-so/2020":
            break
    page.keyboard.press("Enter")
    page.wait_for_url("**/cruscotto?as_of=*")
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "as_of":
            break
    page.keyboard.press("Control+A")
    page.keyboard.type("30/04/2021")
    page.keyboard.press("Enter")
    page.wait_for_url("**/cruscotto?as_of=2021-04-30")
    assert page.locator(".ente-result .cifra").inner_text() == "93,33 %"


def test_the_login_and_the_error_pages_pass_axe_too(
    browser: Any,  # noqa: F811
    served: tuple[str, str],
    tmp_path: Path,
) -> None:
    users = tmp_path / "users.txt"
    add_user(users, "oiv.rossi", "una password lunga e segreta")
    with serving(ConsoleConfig(db=served[1], users_file=users)) as address:
        visit = Visit(browser, address)
        visit.page.goto(address + "/")
        assert "/login?next=" in visit.page.url
        visit.check("accesso")
        visit.page.fill("#name", "oiv.rossi")
        visit.page.fill("#password", "non questa")
        visit.page.get_by_role("button", name="Accedi").click()
        assert visit.page.get_by_role("alert").inner_text() == "nome o password errati"
        visit.page.fill("#name", "oiv.rossi")
        visit.page.fill("#password", "una password lunga e segreta")
        visit.page.get_by_role("button", name="Accedi").click()
        assert visit.page.url == address + "/"
        visit.page.goto(address + "/cycles/nessuno/2099/cruscotto?as_of=2021-06-30")
        assert visit.page.locator(".errore").inner_text() == (
            "il ciclo nessuno/2099 non è in questo ledger"
        )
        visit.check("errore-404")
        assert visit.elsewhere == []
        visit.context.close()
