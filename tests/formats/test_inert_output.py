"""Hostile text in a ledger (titles, rationales, evidence, actor names) stays inert everywhere.

Every export a spreadsheet opens has no formula cell and neutralises would-be formulas; every
terminal read prints escape sequences as visible text, never as ESC or BEL.
"""

import csv
import io
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest
import yaml

from formats.inert import exact_text, original_text, spreadsheet_text, terminal_text
from tests.builders import small_plan
from tests.cli.conftest import count, ledger

TITLE = '=HYPERLINK("http://evil.example","clic")\x1b]0;pwned\x07'
ACTION_TITLE = "+1+1\x1b[2J"
EVIDENCE = "@SUM(A1)\x07"
RATIONALE = "=cmd|' /C calc'!A0\x1b]8;;http://evil.example\x07"
ACTOR = "-2+3\x1b[31mmallory"
HOSTILE = (TITLE, ACTION_TITLE, EVIDENCE, RATIONALE, ACTOR)
FORMULA_TEXTS = ("=HYPERLINK", "+1+1", "@SUM", "=cmd", "-2+3")


@pytest.fixture
def hostile(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A cycle whose titles, evidence, rationale and actor name carry formulas and escapes.

    The entry limits (events/limits.py) now refuse control characters, so the cycle is written
    as a version before them let it in; the formulas alone still pass entry
    (`test_formulas_pass_entry_and_control_characters_do_not`).
    """
    monkeypatch.setattr("ledger.admission.check_event", lambda event: None)
    plan = small_plan()
    plan["perspectives"][0]["title"] = TITLE
    plan["perspectives"][0]["strategic"][0]["operational"][0]["actions"][0]["title"] = ACTION_TITLE
    path = tmp_path / "piano.yaml"
    path.write_text(yaml.safe_dump(plan, allow_unicode=True), encoding="utf-8")
    steps = [
        ["init"],
        ["plan", "import", str(path), "--date", "20/01/2020"],
        ["record", "approval", "plan", "--act", "delibera n. 5/GC", "--date", "27/01/2020"],
        ["--actor", ACTOR, "record", "measurement", "1.1.1", "95", "--date", "30/04/2021",
         "--evidence", EVIDENCE],
        ["record", "override", "1.1", "70", "--rationale", RATIONALE, "--oiv-heard",
         "07/06/2021", "--date", "08/06/2021"],
    ]  # fmt: skip
    for step in steps:
        code, out = ledger(db_url, *step)
        assert code == 0, out
    monkeypatch.undo()
    return db_url


def test_formulas_pass_entry_and_control_characters_do_not(db_url: str, tmp_path: Path) -> None:
    """Today a would-be formula is recorded (and written inert); an escape is refused."""
    path = tmp_path / "piano.yaml"
    path.write_text(yaml.safe_dump(small_plan(), allow_unicode=True), encoding="utf-8")
    for step in (
        ["init"],
        ["plan", "import", str(path), "--date", "20/01/2020"],
        ["record", "approval", "plan", "--act", "delibera n. 5/GC", "--date", "27/01/2020"],
    ):
        code, out = ledger(db_url, *step)
        assert code == 0, out
    before = count(db_url)
    measurement = ["record", "measurement", "1.1.1", "95", "--date", "30/04/2021", "--evidence"]
    code, out = ledger(db_url, *measurement, EVIDENCE)
    assert code == 2 and "control character (U+0007)" in out, out
    assert "\x07" not in out  # the message naming the value is itself inert
    assert count(db_url) == before
    code, out = ledger(db_url, *measurement, EVIDENCE.rstrip("\x07"))
    assert code == 0, out
    assert count(db_url) == before + 1


def _no_formula_cells(data: bytes) -> list[str]:
    """Every would-be formula text found in the workbook, after checking no cell is a formula."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name), name
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    found = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_TEXTS):
                    assert cell.quotePrefix, (sheet.title, cell.coordinate)
                    found.append(cell.value)
    return found


def test_the_cruscotto_workbook_has_no_formula_cell(hostile: str, tmp_path: Path) -> None:
    out = tmp_path / "cruscotto.xlsx"
    code, text = ledger(hostile, "export", "--as-of", "30/06/2021", "-f", "xlsx", "-o", str(out))
    assert code == 0, text
    found = _no_formula_cells(out.read_bytes())
    assert any(value.startswith("=HYPERLINK") for value in found)
    assert any(value.startswith("+1+1") for value in found)
    assert any(value.startswith("=cmd") for value in found)


def test_the_trail_workbook_has_no_formula_cell(hostile: str, tmp_path: Path) -> None:
    out = tmp_path / "registro.xlsx"
    code, text = ledger(hostile, "export-trail", "-f", "xlsx", "-o", str(out))
    assert code == 0, text
    assert any(value.startswith("-2+3") for value in _no_formula_cells(out.read_bytes()))


def _cells(data: bytes, delimiter: str) -> list[str]:
    text = data.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text), delimiter=delimiter) for cell in row]


def _neutralised(cells: list[str]) -> None:
    """No cell a spreadsheet would run; the hostile ones are there, behind an apostrophe."""
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert [c for c in cells if c.startswith("'")]


@pytest.mark.parametrize("profile", ["excel", "opendata"])
def test_the_cruscotto_csv_neutralises_formulas(hostile: str, tmp_path: Path, profile: str) -> None:
    out = tmp_path / "cruscotto.csv"
    args = ["export", "--as-of", "30/06/2021", "-f", "csv", "--profile", profile, "-o", str(out)]
    code, text = ledger(hostile, *args)
    assert code == 0, text
    cells = _cells(out.read_bytes(), ";" if profile == "excel" else ",")
    _neutralised(cells)
    assert "'" + ACTION_TITLE in cells and "'" + TITLE in cells


def test_the_open_data_csv_says_how_to_get_the_exact_text_back(
    hostile: str, tmp_path: Path
) -> None:
    out = tmp_path / "cruscotto.csv"
    args = ["export", "--as-of", "30/06/2021", "-f", "csv", "--profile", "opendata", "-o", str(out)]
    assert ledger(hostile, *args)[0] == 0
    metadata = json.loads((tmp_path / "cruscotto.csv-metadata.json").read_text(encoding="utf-8"))
    assert "remove the first character" in metadata["rdfs:comment"]
    titles = [original_text(c) for c in _cells(out.read_bytes(), ",")]
    assert TITLE in titles and ACTION_TITLE in titles


@pytest.mark.parametrize("profile", ["excel", "opendata"])
def test_the_trail_csv_neutralises_formulas(hostile: str, profile: str) -> None:
    code, text = ledger(hostile, "export-trail", "-f", "csv", "--profile", profile)
    assert code == 0, text
    cells = _cells(text.encode("utf-8"), ";" if profile == "excel" else ",")
    _neutralised(cells)
    assert any(c.startswith("'-2+3") for c in cells)


@pytest.mark.parametrize(
    "read",
    [
        ["replay", "--as-of", "30/06/2021"],
        ["replay", "--as-of", "30/06/2021", "--format", "csv"],
        ["replay", "--as-of", "30/06/2021", "--format", "json"],
        ["trail"],
        ["trail", "--format", "csv"],
        ["audit", "--as-of", "30/06/2021"],
        ["plan", "show", "--as-of", "30/06/2021"],
        ["diff", "--from", "01/02/2020", "--to", "30/06/2021"],
        ["history", "1.1.1"],
        ["history", "1.1"],
        ["log"],
        ["log", "--format", "json"],
        ["log", "--format", "csv"],
        ["export", "--as-of", "30/06/2021", "-f", "html"],
        ["export", "--as-of", "30/06/2021", "-f", "json"],
        ["export-trail", "-f", "csv"],
    ],
    ids=lambda args: " ".join(a for a in args if not a[0].isdigit()),
)
def test_no_escape_or_bell_reaches_the_terminal(hostile: str, read: list[str]) -> None:
    code, out = ledger(hostile, *read)
    assert code == 0, out
    assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out, out
    shown = out.replace("\\u001b", "\\x1b").replace("\\u0007", "\\x07")
    assert "\\x1b" in shown, out  # the hostile text is shown, made visible, not dropped


def test_an_error_naming_a_hostile_value_prints_it_inert(hostile: str) -> None:
    code, out = ledger(hostile, "--actor", ACTOR, "record", "measurement", "9.9.9", "1")
    assert code == 1
    assert "\x1b" not in out


def test_the_html_page_escapes_the_hostile_text(hostile: str) -> None:
    code, page = ledger(hostile, "export", "--as-of", "30/06/2021", "-f", "html")
    assert code == 0, page
    assert "<script" not in page.lower()
    assert "=HYPERLINK(&#34;http://evil.example&#34;" in page or "=HYPERLINK(&quot;" in page


def test_terminal_text_shows_every_control_but_tab_and_newline() -> None:
    assert terminal_text("a\tb\nc\r\n") == "a\tb\nc\r\n"
    assert terminal_text("\x1b]0;pwned\x07") == "\\x1b]0;pwned\\x07"
    assert terminal_text("x\ry\x08\x9b2J\x7f") == "x\\x0dy\\x08\\x9b2J\\x7f"
    assert terminal_text("abc\u202edcba") == "abc\\u202edcba"
    assert terminal_text("è € 🙂") == "è € 🙂"


def test_spreadsheet_cells_are_neutralised_and_open_data_exactly_reversible() -> None:
    for text in (*HOSTILE, "\tx", "\rx", "'quoted", "plain", "", "96,67 %"):
        assert original_text(exact_text(text)) == text
        assert not spreadsheet_text(text).startswith(("=", "+", "-", "@", "\t", "\r"))
    assert spreadsheet_text("plain") == exact_text("plain") == "plain"
    assert spreadsheet_text("'quoted") == "'quoted" and exact_text("'quoted") == "''quoted"
