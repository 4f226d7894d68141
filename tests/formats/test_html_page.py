"""The page for Amministrazione Trasparente, read as text and opened in a real browser.

The browser is Debian's chromium, driven by Playwright with the system binary (nothing here
downloads a browser). axe-core comes with the `axe-playwright-python` package and is injected
from disk. Without chromium the browser test is skipped locally with the reason, and fails
under CI=true, where `.ci/run` installs it.
"""

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from events.i18n import set_language
from tests.formats.conftest import run_bytes

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
DIGEST = re.compile(r"ledger-digest/2 seq=\d+ sha256=[0-9a-f]{64} tree_size=\d+ root=[0-9a-f]{64}")


@pytest.fixture(scope="module")
def page_text(shared_reference: str) -> str:
    """The page as published by default: in Italian (the tests otherwise run in English)."""
    set_language("it")
    try:
        return run_bytes(
            shared_reference, "export", "--as-of", "30/06/2021", "--format", "html"
        ).decode("utf-8")
    finally:
        set_language("en")


def test_the_page_is_italian_self_contained_and_names_its_digest(page_text: str) -> None:
    assert page_text.startswith('<!DOCTYPE html>\n<html lang="it">')
    assert re.findall(r"""(?:src|href)\s*=\s*["']([^"']*)""", page_text) == ["#contenuto"]
    assert "@import" not in page_text
    assert "url(" not in page_text
    assert "<script" not in page_text
    assert len(DIGEST.findall(page_text)) == 2  # shown, and in the command that verifies it


def test_the_tables_have_captions_and_header_cells_with_scope(page_text: str) -> None:
    assert page_text.count("<table>") == page_text.count("<caption ") == 13
    assert '<th scope="col">Obiettivo strategico</th>' in page_text
    assert '<th scope="row">Competitività del territorio</th>' in page_text


def test_the_bars_are_images_with_the_figure_as_text(page_text: str) -> None:
    assert (
        '<span class="bar" role="img" aria-label="Utilizzo ottimale delle risorse: 70,00 % di '
        'raggiungimento"><span style="width: 70.00%"></span></span>'
    ) in page_text
    assert 'aria-label="Performance di ente: 96,67 % di raggiungimento"' in page_text


@pytest.mark.usefixtures("italian")
def test_the_same_ledger_and_date_give_the_same_page(shared_reference: str, page_text: str) -> None:
    again = run_bytes(shared_reference, "export", "--as-of", "30/06/2021", "--format", "html")
    assert again.decode("utf-8") == page_text


def browser_or_reason() -> str | None:
    """Why no browser test can run here, or None when chromium and Playwright are there."""
    if shutil.which("chromium") is None and not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is missing (apt-get install -y chromium)"
    try:
        import axe_playwright_python  # type: ignore[import-untyped]  # noqa: F401
        import playwright.sync_api  # noqa: F401
    except ImportError as error:
        return f"{error.name} is missing (pip install -e '.[dev]')"
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    reason = browser_or_reason()
    if reason is not None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"the browser test must run in CI: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def axe_source() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


def test_the_page_in_a_real_browser_shows_the_figures_passes_axe_and_fetches_nothing(
    browser: Any, page_text: str, tmp_path: Path
) -> None:
    page_file = tmp_path / "cruscotto.html"
    page_file.write_text(page_text, encoding="utf-8")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requested: list[str] = []

    def note_and_continue(route: Any) -> None:
        requested.append(route.request.url)
        route.continue_()

    page.route("**/*", note_and_continue)
    page.goto(page_file.as_uri())

    assert page.locator("html").get_attribute("lang") == "it"
    assert page.locator("h1").inner_text() == "Cruscotto della performance 2020"
    assert page.locator(".ente-result .cifra").inner_text() == "96,67 %"
    overrides = page.locator("#t-override").locator("xpath=..").locator("tbody tr")
    assert [overrides.nth(i).locator("th").inner_text() for i in range(overrides.count())] == [
        "3.3.1",
        "3.4.1",
        "8.1.1",
    ]
    assert DIGEST.search(page.locator("footer").inner_text())

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Vai al contenuto"
    box = page.locator(".skip").bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["y"] >= 0

    page.evaluate(axe_source())
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    violations = [(v["id"], [n["target"] for n in v["nodes"]]) for v in results["violations"]]
    assert violations == []

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "cruscotto.png"), full_page=True)
    assert requested == [page_file.as_uri()]
    page.close()


@pytest.mark.parametrize(
    ("known_at", "shown"),
    [
        ("14/06/2030 10:05", "come risultava il 14/06/2030 10:05 CEST."),
        ("14/01/2030 10:05", "come risultava il 14/01/2030 10:05 CET."),
    ],
)
def test_the_page_says_when_it_was_read_in_italian_time(
    shared_reference: str, known_at: str, shown: str
) -> None:
    """A page read at a past moment names it as the reader's clock showed it, with the zone."""
    set_language("it")
    try:
        page = run_bytes(
            shared_reference,
            "export",
            "--as-of",
            "30/06/2021",
            "--known-at",
            known_at,
            "--format",
            "html",
        ).decode("utf-8")
    finally:
        set_language("en")
    assert shown in page
    assert "UTC" not in page
