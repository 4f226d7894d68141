"""Every command prints through cli/terminal.py's `echo`, which makes control characters
visible: a direct typer.echo, click.echo or print would let an escape sequence in a title
reach the terminal."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_no_command_prints_around_the_inert_terminal_writer() -> None:
    offenders = []
    for path in sorted((ROOT / "cli").rglob("*.py")):
        if path.name == "terminal.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            direct = (
                isinstance(func, ast.Attribute)
                and func.attr in {"echo", "secho", "write"}
                and isinstance(func.value, ast.Name)
                and func.value.id in {"typer", "click", "sys"}
            )
            if direct:
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            if isinstance(func, ast.Name) and func.id == "print":
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not offenders, offenders
