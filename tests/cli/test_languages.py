"""The reads of the reference case speak one language: no English word in Italian, and back.

`ledger example sondrio-2020` records the reference; the main reads then run as a user types
them, in Italian (the default) and with `--lang en`. The words checked are the ones our own
wording uses (headings, column titles, counts): a message left out of the catalog, or a title
written in Italian in the code, shows up here. What a user typed (titles, rationales, the
example's notes) is data and stays as typed, so it is left out of the check.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

LEDGER = str(Path(sys.executable).with_name("ledger"))
READS = [
    ["replay", "--as-of", "30/06/2021"],
    ["history", "3.3.1"],
    ["history", "3.3.1", "--cycles"],
    ["trail", "--role", "direzione"],
    ["diff", "--from", "30/04/2021", "--to", "30/06/2021"],
    ["log", "--type", "ApprovalRecorded"],
    ["plan", "show"],
    ["verify"],
]
ENGLISH = re.compile(
    r"\b(History|recorded|events?|changes?|as of|as known|Measured|Achievement|Overall rating|"
    r"Coverage|findings?|actor|before|after|severity|reason|title|node|cycle closed|approval "
    r"recorded|checked|computed|field)\b"
)
ITALIAN = re.compile(
    r"\b(Storia di|Cruscotto della performance|Audit di|registrat[oi]|attore|prima|dopo|"
    r"gravità|motivo|titolo|nodo|campo|calcolato|Risultato misurato|Raggiungimento|"
    r"Valutazione sintetica|Copertura|ciclo chiuso|eventi|rilievi|dal \d|al \d)\b"
)


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("reference")
    url = f"sqlite:///{folder / 'sondrio.db'}"
    done = subprocess.run(
        [LEDGER, "--db", url, "example", "sondrio-2020"], capture_output=True, text=True, env=_env()
    )
    assert done.returncode == 0, done.stderr
    return url


def _env() -> dict[str, str]:
    return {**os.environ, "LEDGER_LANG": "", "LANG": "C.UTF-8", "COLUMNS": "200", "PAGER": "cat"}


def _read(url: str, *words: str) -> str:
    done = subprocess.run(
        [LEDGER, "--db", url, *words], capture_output=True, text=True, env=_env(), check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout + done.stderr


def _ours(text: str) -> str:
    """The output without the reference's own texts (titles, acts), which are data."""
    lines = text.splitlines()
    return "\n".join(line[:60] if line[:1].isdigit() else line for line in lines)


@pytest.mark.parametrize("read", READS, ids=" ".join)
def test_an_italian_read_has_no_english_words(reference: str, read: list[str]) -> None:
    shown = _ours(_read(reference, *read))
    leaked = sorted(set(ENGLISH.findall(shown)))
    assert not leaked, f"ledger {' '.join(read)} prints English in Italian: {leaked}\n{shown}"


@pytest.mark.parametrize("read", READS, ids=" ".join)
def test_an_english_read_has_no_italian_headings(reference: str, read: list[str]) -> None:
    shown = _ours(_read(reference, "--lang", "en", *read))
    leaked = sorted(set(ITALIAN.findall(shown)))
    assert not leaked, f"ledger --lang en {' '.join(read)} prints Italian: {leaked}\n{shown}"


def test_the_audit_headings_in_both_languages(reference: str) -> None:
    italian = _read(reference, "audit", "--as-of", "31/12/2021").splitlines()
    assert italian[0] == "Audit di cciaa-so/2020 al 31/12/2021"
    assert italian[2].split()[:4] == ["gravità", "tipo", "nodo", "eventi"]
    assert re.fullmatch(r"\d+ rilievi: \d+ alta, \d+ media, \d+ nota", italian[-1])
    english = _read(reference, "--lang", "en", "audit", "--as-of", "31/12/2021").splitlines()
    assert english[0] == "Audit of cciaa-so/2020 as of 31/12/2021"
    assert re.fullmatch(r"\d+ findings: \d+ high, \d+ medium, \d+ note", english[-1])
