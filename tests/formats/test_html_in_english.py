"""The published page with `--lang en`: the same page, its words in English.

The figures, the levels' names (the policy's) and the titles (the plan's) are the same in both
languages; the headings, labels, captions and the footer follow the reader's language, and the
`lang` attribute says which, so that a screen reader speaks it right. The Italian page is
test_html_page.py's.
"""

import pytest

from tests.formats.conftest import run_bytes


@pytest.fixture(scope="module")
def english_page(shared_reference: str) -> str:
    return run_bytes(
        shared_reference, "--lang", "en", "export", "--as-of", "30/06/2021", "--format", "html"
    ).decode("utf-8")


def test_the_page_says_it_is_english_and_is_worded_in_english(english_page: str) -> None:
    assert english_page.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert "<title>Performance cruscotto 2020 - Camera di commercio di Sondrio</title>" in (
        english_page
    )
    assert '<a class="skip" href="#contenuto">Skip to the content</a>' in english_page
    assert "<h1>Performance cruscotto 2020</h1>" in english_page
    assert '<p class="lead">Situation as of 30/06/2021, cycle cciaa-so/2020.</p>' in english_page
    assert '<h2 id="h-prospettive">Performance by perspective</h2>' in english_page
    assert '<h2 id="h-dettaglio">Operational objectives and actions</h2>' in english_page
    assert '<h2 id="h-override">Results changed, the OIV heard</h2>' in english_page
    assert '<h2 id="h-dirigenziali">Managers&#x27; objectives</h2>' not in english_page
    assert '<h2 id="h-dirigenziali">Managers\' objectives</h2>' in english_page
    for header in ("Measured result", "% achievement", "Decided"):
        assert f'<th scope="col" class="num">{header}</th>' in english_page, header
    for header in ("Overall rating", "Rationale", "Operational objective or action"):
        assert f'<th scope="col">{header}</th>' in english_page, header
    assert "Data published under the CC BY 4.0 licence." in english_page


def test_the_bars_say_the_figure_in_english(english_page: str) -> None:
    assert 'aria-label="Performance di ente: 96,67 % achievement"' in english_page
    assert '% di raggiungimento"' not in english_page


def test_no_italian_sentence_of_the_page_is_left_in_english(english_page: str) -> None:
    for italian in (
        "Vai al contenuto",
        "Situazione al",
        "Valutazioni modificate",
        "Risultato misurato",
        "Dati tratti dal registro",
        "Dati pubblicati con licenza",
        "valutazione sintetica",
    ):
        assert italian not in english_page, italian
