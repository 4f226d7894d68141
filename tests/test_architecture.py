"""The dependency rule is a test, not a hope.

DESIGN.md section 2 and STYLE.md section 1: arrows point one way, `cli -> formats`,
`web -> formats`, `formats -> projections -> ledger -> events`; nothing imports `cli` or `web`;
no typer, tabulate or terminal library below `cli`, no web framework outside `web`, no
SQLAlchemy in `events`. A failure names the offending file.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FRONT_ENDS = {"cli", "web"}
TERMINAL = {"typer", "click", "tabulate", "rich"}
WEB = {"fastapi", "starlette", "uvicorn"}
MUST_NOT_IMPORT = {
    "events": {"ledger", "projections", "formats", "sqlalchemy"} | FRONT_ENDS | TERMINAL | WEB,
    "ledger": {"projections", "formats"} | FRONT_ENDS | TERMINAL | WEB,
    "projections": {"formats"} | FRONT_ENDS | TERMINAL | WEB,
    "formats": FRONT_ENDS | TERMINAL | WEB,
    "cli": {"web"} | WEB,
    "web": {"cli"} | TERMINAL,
}


def top_level_imports(path: Path, root: Path = ROOT) -> set[str]:
    """The top-level packages a module imports, wherever it imports them (relative ones too)."""
    package = path.relative_to(root).parent.parts
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.partition(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.partition(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.level > 0:
            # `from ..cli import x` inside ledger/ climbs out of the package: resolve it.
            base = package[: len(package) - (node.level - 1)]
            if base:
                found.add(base[0])
            elif node.module:
                found.add(node.module.partition(".")[0])
            else:
                found |= {alias.name for alias in node.names}
    return found


@pytest.mark.parametrize("package", sorted(MUST_NOT_IMPORT))
def test_package_respects_the_dependency_rule(package: str) -> None:
    for path in sorted((ROOT / package).rglob("*.py")):
        leaked = top_level_imports(path) & MUST_NOT_IMPORT[package]
        assert not leaked, f"{path.relative_to(ROOT)} imports {sorted(leaked)}"


def test_the_checker_sees_imports_inside_functions_and_relative_ones(tmp_path: Path) -> None:
    (tmp_path / "ledger").mkdir()
    module = tmp_path / "ledger" / "sample.py"
    module.write_text(
        "from .chain import link_hash\n"
        "from ..cli import app\n"
        "from .. import projections\n"
        "def f():\n    import typer.testing\n"
    )

    assert top_level_imports(module, tmp_path) == {"ledger", "cli", "projections", "typer"}
