"""The trail's one line per event, in the reader's language, with the cycle's own words.

Italian agrees in gender and articulates its prepositions (`azione ... definita`, `da parte
del Nucleo`, `dell'OIV`), which a catalog cannot do; English says `defined` and `by the`.
The domain terms (azione, obiettivo, peso, override, sentito l'OIV) are the same in both.
"""

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest

from events.acts import ValidationRecorded
from events.i18n import set_language
from events.oversight import OverrideRecorded
from events.plan import ObjectiveDefined
from projections.trail import summary


@pytest.fixture
def italian() -> Iterator[None]:
    set_language("it")
    try:
        yield
    finally:
        set_language("en")


def action() -> ObjectiveDefined:
    return ObjectiveDefined.model_validate(
        {"key": "3.3.1", "code": "3.3.1", "level": "action", "parent": "3.3",
         "title": "Tempi di istruttoria", "weight": "40"}
    )  # fmt: skip


def validation(body: str) -> ValidationRecorded:
    return ValidationRecorded.model_validate({"body": body})


def override() -> OverrideRecorded:
    return OverrideRecorded.model_validate(
        {"node": "3.3.1", "achievement": Decimal(60), "rationale": "Relazione 2020, 3.3",
         "oiv_heard_on": date(2021, 6, 7)}
    )  # fmt: skip


def test_in_italian_the_words_agree(italian: None) -> None:
    assert summary(action()) == "azione 3.3.1 definita: Tempi di istruttoria (peso 40 %)"
    assert summary(validation("Nucleo di valutazione")) == (
        "validazione della Relazione da parte del Nucleo di valutazione"
    )
    assert summary(validation("OIV")) == "validazione della Relazione da parte dell'OIV"
    assert summary(override()) == "override 3.3.1 al 60,00 %, sentito l'OIV il 07/06/2021"


def test_in_english_the_domain_terms_stay() -> None:
    assert summary(action()) == "azione 3.3.1 defined: Tempi di istruttoria (peso 40 %)"
    assert summary(validation("OIV")) == "validation of the Relazione by the OIV"
    assert summary(override()) == "override 3.3.1 to 60,00 %, sentito l'OIV on 07/06/2021"
