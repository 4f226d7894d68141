"""The dependency rule (cli -> projections -> ledger -> events) is a test, not a hope.

DESIGN.md section 2 and STYLE.md section 1: arrows point one way; no typer or tabulate below
`cli`, no SQLAlchemy in `events`. A failure names the offending file.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MUST_NOT_IMPORT = {
    "events": {"ledger", "projections", "cli", "sqlalchemy", "typer", "tabulate"},
    "ledger": {"projections", "cli", "typer", "tabulate"},
    "projections": {"cli", "typer", "tabulate"},
}


def top_level_imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.partition(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.partition(".")[0])
    return found


@pytest.mark.parametrize("package", sorted(MUST_NOT_IMPORT))
def test_package_respects_the_dependency_rule(package: str) -> None:
    for path in sorted((ROOT / package).rglob("*.py")):
        leaked = top_level_imports(path) & MUST_NOT_IMPORT[package]
        assert not leaked, f"{path.relative_to(ROOT)} imports {sorted(leaked)}"


@pytest.mark.parametrize("package", sorted(MUST_NOT_IMPORT))
def test_package_uses_no_relative_imports_that_would_hide_a_leak(package: str) -> None:
    # `from ..cli import x` would slip past the check above, which reads absolute imports.
    for path in sorted((ROOT / package).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        relative = [n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.level > 0]
        assert not relative, f"{path.relative_to(ROOT)} uses a relative import"


def test_the_checker_sees_an_import_hidden_inside_a_function(tmp_path: Path) -> None:
    module = tmp_path / "sample.py"
    module.write_text("def f():\n    from cli.app import app\n    import typer.testing\n")

    assert top_level_imports(module) == {"cli", "typer"}
