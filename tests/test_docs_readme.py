"""Every sample session in the README is the program's real output (issue 13: README drift).

A session is a fenced block whose first line starts with `$ `. The sessions run in the
README's order, in one temporary folder (a later one may use the ledger an earlier one made),
as a reader would type them: through the shell, `ledger` on the PATH, messages in English
(`LEDGER_LANG=en`, as the README says), stderr beside stdout; an `export NAME=VALUE` holds
for the commands after it. Each command's output is compared
with the lines the README prints under it, where `...` stands for any number of lines, and
hashes, keys, signatures and recorded times (which change with every run) are compared by
their form, not their digits.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCK = re.compile(r"^```[a-z]*\n(.*?)^```", re.M | re.S)
HEX = re.compile(r"\b[0-9a-f]{12,64}\b")
BASE64_KEY = re.compile(r"[A-Za-z0-9+/]{43}=")
EXPORT = re.compile(r"export ([A-Z_]+)=(.+)")
RECORDED = re.compile(r"\b\d\d/\d\d/\d{4} \d\d:\d\d(:\d\d)? (CET|CEST)\b")
SPACES = re.compile(r"  +")


def sessions() -> list[list[tuple[str, list[str]]]]:
    """Each session: its commands, each with the lines the README shows for it."""
    found = []
    for block in BLOCK.findall(README):
        lines = block.rstrip("\n").split("\n")
        if not lines[0].startswith("$ "):
            continue
        session: list[tuple[str, list[str]]] = []
        for line in lines:
            if line.startswith("$ "):
                session.append((line[2:], []))
            else:
                session[-1][1].append(line)
        for _, shown in session:
            while shown and not shown[-1].strip():
                shown.pop()  # a blank line between two commands belongs to neither
        found.append(session)
    return found


def normal(line: str) -> str:
    """The line as compared: hashes, keys and recorded times (today's) by their form only,
    and the columns by their order (a recorded time in CEST is a character wider)."""
    line = RECORDED.sub("<recorded>", BASE64_KEY.sub("<key>", HEX.sub("<hex>", line.rstrip())))
    return SPACES.sub("  ", line)


def matches(expected: list[str], actual: list[str]) -> bool:
    """`actual` as `expected` shows it, `...` standing for any lines (none included)."""
    if not expected:
        return not actual
    if expected[0] == "...":
        return any(matches(expected[1:], actual[start:]) for start in range(len(actual) + 1))
    return (
        bool(actual)
        and normal(expected[0]) == normal(actual[0])
        and matches(expected[1:], actual[1:])
    )


def reader_folder(folder: Path) -> dict[str, str]:
    """A reader's folder with the files the README names, and the environment its sessions
    run in (tools/readme_samples.py runs them the same way)."""
    for name in ("cli/examples", "docs"):
        shutil.copytree(ROOT / name, folder / name)
    bin_dir = str(Path(sys.executable).parent)
    return {
        "PATH": f"{bin_dir}:{os.environ.get('PATH', '/usr/bin:/bin')}",
        "HOME": str(folder),
        "LEDGER_LANG": "en",
        "LEDGER_ACTOR": "controllo-gestione",
        "PAGER": "cat",
        "LANG": "C.UTF-8",
    }


def test_the_readme_names_files_that_exist() -> None:
    for named in re.findall(r"ledger plan import (\S+\.ya?ml)", README):
        assert (ROOT / named).is_file(), f"the README imports {named}, which is not in the repo"


def test_every_readme_session_prints_what_the_readme_shows(tmp_path: Path) -> None:
    environment = reader_folder(tmp_path)
    all_sessions = sessions()
    assert len(all_sessions) >= 5
    for session in all_sessions:
        for command, expected in session:
            exported = EXPORT.fullmatch(command)
            if exported:  # the variable holds for the commands after it, as in a shell
                environment[exported[1]] = subprocess.run(
                    ["/bin/sh", "-c", f"printf %s {exported[2]}"],
                    cwd=tmp_path,
                    env=environment,
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
                continue
            done = subprocess.run(
                ["/bin/sh", "-c", f"{command} 2>&1"],
                cwd=tmp_path,
                env=environment,
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
            actual = done.stdout.rstrip("\n").split("\n") if done.stdout.strip() else []
            if not matches(expected, actual):
                pytest.fail(
                    f"README: $ {command}\n--- the README shows:\n"
                    + "\n".join(expected)
                    + "\n--- the program printed:\n"
                    + "\n".join(actual)
                )
