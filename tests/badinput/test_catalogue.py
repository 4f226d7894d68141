"""The bad-input catalogue (docs/bad-input.md) names tests that exist, every one of them."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
CATALOGUE = ROOT / "docs" / "bad-input.md"
HERE = Path(__file__).resolve().parent


def named_tests() -> list[tuple[Path, str]]:
    """(file, test function) of every `file.py::test_name` in the catalogue's table."""
    found = []
    for path, name in re.findall(r"`((?:tests/)?[\w/]+\.py)::(test_\w+)`", CATALOGUE.read_text()):
        file = ROOT / path if path.startswith("tests/") else HERE / path
        found.append((file, name))
    return found


def test_every_test_the_catalogue_names_exists() -> None:
    named = named_tests()
    assert len(named) >= 40
    missing = []
    for file, name in named:
        functions = {
            node.name
            for node in ast.walk(ast.parse(file.read_text(encoding="utf-8")))
            if isinstance(node, ast.FunctionDef)
        } if file.is_file() else set()  # fmt: skip
        if name not in functions:
            missing.append(f"{file.relative_to(ROOT)}::{name}")
    assert not missing, missing


def test_every_test_of_this_package_is_in_the_catalogue() -> None:
    named = {name for _, name in named_tests()}
    ours = {
        node.name
        for path in HERE.glob("test_*.py")
        if path.name not in ("test_catalogue.py", "test_guard.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
    }
    assert sorted(ours - named) == []
