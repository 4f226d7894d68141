"""Hostile and careless files: bounded, streamed, every row read, one line each."""

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.badinput.conftest import one_line, run, run_limited

BOMB = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def workbook(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Misure"
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def with_dimension(path: Path, ref: str) -> None:
    """Rewrite the first sheet's `<dimension>` tag, as a careless writer leaves it."""
    with zipfile.ZipFile(path) as source:
        members = {name: source.read(name) for name in source.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    members[sheet], found = re.subn(
        rb'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>'.encode(), members[sheet]
    )
    assert found == 1
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members.items():
            target.writestr(name, data)


def test_an_understated_dimension_does_not_hide_rows(planned: str, tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "misure.xlsx",
        [
            ["Codice", "Valore", "Data"],
            ["3.3.1", 35.87, "30/04/2021"],
            ["6.1.1", 71.53, "30/04/2021"],
            ["9.9.9", 1, "30/04/2021"],
        ],
    )
    with_dimension(path, "A1:C2")
    code, output = run("--db", planned, "record", "measurements", "misure.xlsx")
    assert code == 1, output
    assert "misure.xlsx:Misure:A4" in output  # the bad row past the tag is read and named
    rows = openpyxl.load_workbook(path, read_only=True)["Misure"]
    assert rows.max_row == 2  # the tag does understate


def test_every_row_past_the_dimension_is_recorded(planned: str, tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "misure.xlsx",
        [
            ["Codice", "Valore", "Data"],
            ["3.3.1", 35.87, "30/04/2021"],
            ["6.1.1", 71.53, "30/04/2021"],
        ],
    )
    with_dimension(path, "A1:C2")
    code, output = run("--db", planned, "record", "measurements", "misure.xlsx")
    assert (code, output.strip()) == (0, "recorded 2 of 2 rows of misure.xlsx in cciaa-so/2020")


def test_a_yaml_alias_bomb_is_refused_within_a_memory_bound(tmp_path: Path) -> None:
    (tmp_path / "bomb.yaml").write_text(BOMB, encoding="utf-8")
    assert len(BOMB.encode()) < 600
    run("--db", f"sqlite:///{tmp_path / 'l.db'}", "init")
    code, output = run_limited(
        ["--db", "l.db", "plan", "import", "bomb.yaml"], memory_mib=1024, cwd=tmp_path
    )
    assert code == 2, output
    assert one_line(output) == (
        "Error: bomb.yaml: stands for more than 1.000.000 values once its aliases are "
        "expanded (an alias bomb?)"
    )


def test_dev_zero_as_a_plan_is_refused_within_a_memory_bound(tmp_path: Path) -> None:
    run("--db", f"sqlite:///{tmp_path / 'l.db'}", "init")
    code, output = run_limited(
        ["--db", "l.db", "plan", "import", "/dev/zero"], memory_mib=1024, cwd=tmp_path
    )
    assert code == 2, output
    assert one_line(output) == (
        "Error: /dev/zero: larger than 16 MiB, the limit for a YAML or JSON file"
    )


def test_a_zip_bomb_posing_as_a_workbook_is_refused_within_a_memory_bound(
    planned: str, tmp_path: Path
) -> None:
    path = workbook(tmp_path / "misure.xlsx", [["Codice", "Valore", "Data"]])
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.xml", b"\0" * (300 * 1024 * 1024))
    code, output = run_limited(
        ["--db", planned, "record", "measurements", "misure.xlsx"], memory_mib=1024, cwd=tmp_path
    )
    assert code == 2, output
    assert one_line(output).startswith("Error: misure.xlsx: xl/media/padding.xml inflates ")


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("deep.yaml", "a: " + "[" * 5000 + "]" * 5000),
        ("deep.json", '{"a": ' + "[" * 5000 + "]" * 5000 + "}"),
        ("deep2.json", "[" * 200 + "]" * 200),
    ],
)
def test_a_document_nested_thousands_deep_is_one_line(tmp_path: Path, name: str, text: str) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'l.db'}"
    run("--db", db, "init")
    code, output = run("--db", db, "plan", "import", str(tmp_path / name))
    assert code == 2, output
    assert one_line(output) == f"Error: {tmp_path / name}: nested more than 64 levels deep"


def test_a_yaml_alias_that_contains_itself_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "self.yaml").write_text("a: &a [1, *a]\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'l.db'}"
    run("--db", db, "init")
    code, output = run("--db", db, "plan", "import", str(tmp_path / "self.yaml"))
    assert code == 2, output
    assert one_line(output) == f"Error: {tmp_path / 'self.yaml'}: an alias refers to itself"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"\xff\xfec\x00o\x00d", "is not UTF-16 text"),  # odd byte count
        (b"\xfe\xff\x00c\x00o\xd8\x00", "is not UTF-16 text"),  # a lone surrogate
        (b"codice;valore\n3.3.1;\xe9\x80\n", ""),
    ],
    ids=["utf16-odd-bytes", "utf16-be-truncated", "latin-1-bytes"],
)
def test_a_csv_in_a_broken_encoding_is_one_line(
    planned: str, tmp_path: Path, data: bytes, expected: str
) -> None:
    (tmp_path / "misure.csv").write_bytes(data)
    code, output = run("--db", planned, "record", "measurements", "misure.csv")
    assert code in (1, 2), output
    assert "Traceback" not in output
    assert expected in output
