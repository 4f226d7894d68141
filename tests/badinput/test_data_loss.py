"""Nothing a command writes lands on the ledger it reads, or on an existing file unasked."""

import os
from pathlib import Path

import pytest

from tests.badinput.conftest import events_in, one_line, run

AS_OF = ("--as-of", "30/06/2021")


def test_export_aimed_at_the_ledger_is_refused_and_the_ledger_survives(ref_copy: Path) -> None:
    before = ref_copy.read_bytes()
    total = events_in(ref_copy)
    code, output = run("--db", "sqlite:///x.db", "export", "--format", "csv", *AS_OF, "-o", "x.db")
    assert code == 2, output
    assert one_line(output) == (
        "Error: x.db is the ledger itself: a command never writes over the ledger it reads "
        "(choose another --output)"
    )
    assert ref_copy.read_bytes() == before
    assert events_in(ref_copy) == total
    assert run("--db", "sqlite:///x.db", "verify")[0] == 0


@pytest.mark.parametrize(
    "command",
    [
        ("export", "--format", "csv", *AS_OF),
        ("export-trail", "--format", "csv"),
        ("trail", "--format", "csv"),
    ],
)
def test_no_command_writes_over_the_ledger_even_with_force(
    ref_copy: Path, command: tuple[str, ...]
) -> None:
    before = ref_copy.read_bytes()
    for target in ("x.db", "./x.db", str(ref_copy), "x.db-wal"):
        code, output = run("--db", str(ref_copy), *command, "-o", target, "--force")
        assert code == 2, output
        assert "is the ledger itself" in one_line(output)
    assert ref_copy.read_bytes() == before


def test_a_link_to_the_ledger_is_the_ledger(ref_copy: Path) -> None:
    os.link(ref_copy, "hard.csv")
    os.symlink(ref_copy, "soft.csv")
    for target in ("hard.csv", "soft.csv"):
        code, output = run(
            "--db", "x.db", "export-trail", "--format", "csv", "-o", target, "--force"
        )
        assert code == 2, output
        assert one_line(output).startswith(f"Error: {target} is the ledger itself")
    assert run("--db", "x.db", "verify")[0] == 0


def test_an_existing_file_is_replaced_only_with_force(ref_copy: Path) -> None:
    Path("cruscotto.csv").write_text("mine", encoding="utf-8")
    code, output = run("--db", "x.db", "export", "--format", "csv", *AS_OF, "-o", "cruscotto.csv")
    assert code == 2, output
    assert one_line(output) == "Error: cruscotto.csv exists already: add --force to replace it"
    assert Path("cruscotto.csv").read_text(encoding="utf-8") == "mine"
    code, output = run(
        "--db", "x.db", "export", "--format", "csv", *AS_OF, "-o", "cruscotto.csv", "--force"
    )
    assert code == 0, output
    assert Path("cruscotto.csv").read_bytes().startswith(b"\xef\xbb\xbfLevel;")


def test_a_write_leaves_no_temporary_file_behind(ref_copy: Path) -> None:
    code, output = run("--db", "x.db", "export", "--format", "xlsx", *AS_OF, "-o", "c.xlsx")
    assert code == 0, output
    assert sorted(p.name for p in Path().iterdir() if not p.name.startswith("x.db")) == ["c.xlsx"]


def test_schema_output_over_an_existing_file_needs_force(tmp_path: Path) -> None:
    target = tmp_path / "plan.schema.json"
    target.write_text("{}", encoding="utf-8")
    code, output = run("schema", "plan", "-o", str(target))
    assert code == 2, output
    assert one_line(output) == f"Error: {target} exists already: add --force to replace it"
    assert target.read_text(encoding="utf-8") == "{}"
    assert run("schema", "plan", "-o", str(target), "--force")[0] == 0


READS_WITH_O = [
    ("replay", *AS_OF),
    ("audit", *AS_OF),
    ("digest",),
    ("verify",),
    ("log", "--format", "csv"),
    ("history", "3.3.1"),
    ("diff", "--from", "30/04/2021", "--to", "30/06/2021"),
    ("plan", "show"),
    ("proof", "inclusion", "89"),
]


@pytest.mark.parametrize("command", READS_WITH_O, ids=lambda c: c[0])
def test_a_read_replaces_an_existing_file_only_with_force(
    ref_copy: Path, command: tuple[str, ...]
) -> None:
    """Every read's `-o` offers the `--force` its refusal names, as export does."""
    Path("out.txt").write_text("mine", encoding="utf-8")
    code, output = run("--db", "x.db", *command, "-o", "out.txt")
    assert code == 2, output
    assert one_line(output) == "Error: out.txt exists already: add --force to replace it"
    assert Path("out.txt").read_text(encoding="utf-8") == "mine"
    code, output = run("--db", "x.db", *command, "-o", "out.txt", "--force")
    assert code == 0, output
    assert Path("out.txt").read_text(encoding="utf-8") not in ("", "mine")


@pytest.mark.parametrize("command", READS_WITH_O[:4], ids=lambda c: c[0])
def test_a_reads_force_never_writes_over_the_ledger(
    ref_copy: Path, command: tuple[str, ...]
) -> None:
    os.link(ref_copy, "hard.txt")
    os.symlink(ref_copy, "soft.txt")
    before = ref_copy.read_bytes()
    for target in ("x.db", "./x.db", str(ref_copy), "x.db-wal", "x.db-shm", "hard.txt", "soft.txt"):
        code, output = run("--db", str(ref_copy), *command, "-o", target, "--force")
        assert code == 2, output
        assert "is the ledger itself" in one_line(output), target
    assert ref_copy.read_bytes() == before
    assert run("--db", "x.db", "verify")[0] == 0
