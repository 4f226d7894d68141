"""Click's framing in the reader's language: `Usage:`, panel titles, `--help`, usage errors.

The click typer vendors has no gettext: cli/click_words.py words its usage line and refusals
again through our catalog, and every command's help is click's plain form (typer's rich
panels title themselves in English). Italian is the default; English keeps click's words.
"""

import pytest
from typer.testing import CliRunner

from cli.app import app

runner = CliRunner()
ENGLISH_FRAMING = ("Usage:", "Options", "Commands", "Show this message and exit.", "Try '")


def run(*words: str) -> tuple[int, str]:
    result = runner.invoke(
        app, ["--db", "sqlite:////nonexistent/none.db", *words], prog_name="ledger"
    )
    return result.exit_code, result.output


@pytest.mark.usefixtures("italian")
@pytest.mark.parametrize(
    "words", [["--help"], ["replay", "--help"], ["record"], ["plan", "--help"]]
)
def test_help_in_italian_has_no_english_framing(words: list[str]) -> None:
    code, out = run(*words)
    assert code in (0, 2), out
    assert out.startswith("Uso: ledger "), out
    assert "Opzioni:" in out and "Mostra questo messaggio ed esce." in out
    assert not [word for word in ENGLISH_FRAMING if word in out], out


def test_help_in_english_keeps_clicks_words() -> None:
    code, out = run("replay", "--help")
    assert code == 0
    assert out.startswith("Usage: ledger replay [OPTIONS]")
    assert "Options:" in out and "Show this message and exit." in out


@pytest.mark.usefixtures("italian")
@pytest.mark.parametrize(
    ("words", "line"),
    [
        (["--bogus"], "Errore: non esiste l'opzione --bogus"),
        (["replay", "extra"], "Errore: argomenti in più non previsti (extra)"),
        (["record", "measurement"], "Errore: manca l'argomento 'action'."),
        (["replay", "--as-of"], "Errore: l'opzione '--as-of' richiede un valore."),
        (["replay", "--format", "pdf"], "Errore: valore non valido per '--format' / '-f': "),
    ],
)
def test_usage_errors_in_italian_are_one_line(words: list[str], line: str) -> None:
    code, out = run(*words)
    assert code == 2
    assert out.startswith(line), out
    assert len(out.strip().splitlines()) == 1, out


@pytest.mark.parametrize(
    ("words", "line"),
    [
        (["--bogus"], "Error: No such option: --bogus"),
        (["replay", "extra"], "Error: Got unexpected extra argument(s) (extra)"),
        (["record", "measurement"], "Error: Missing argument 'action'."),
        (["replay", "--as-of"], "Error: Option '--as-of' requires an argument."),
    ],
)
def test_usage_errors_in_english_are_clicks_own(words: list[str], line: str) -> None:
    code, out = run(*words)
    assert code == 2
    assert out.strip() == line
