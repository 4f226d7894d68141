"""`python -m tools.readme_samples`: write the program's real output into the README's samples.

tests/test_docs_readme.py runs every `$ ` session of the README and fails when what it prints
is not what the README shows. After a change of wording, this tool runs the same sessions the
same way and, under each command whose sample no longer matches, puts the output, keeping
where the README elides with `...` (the lines before it and after it, as many as it showed);
a sample with several `...` is named on stderr, to edit by hand. Read the diff before
committing: it is the change a reader will see.
"""

import subprocess
import sys
import tempfile
from pathlib import Path

from tests.test_docs_readme import EXPORT, README, ROOT, matches, normal, reader_folder, sessions


def _run(command: str, folder: Path, environment: dict[str, str]) -> list[str]:
    done = subprocess.run(  # noqa: S603 - the README's own commands, run as the test runs them
        ["/bin/sh", "-c", f"{command} 2>&1"],
        cwd=folder,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return done.stdout.rstrip("\n").split("\n") if done.stdout.strip() else []


def _same(shown: list[str], printed: list[str]) -> list[str]:
    """The printed lines, each kept as the README wrote it where only a hash, a key or a
    recorded time differs (the test compares those by their form): no churn in the diff."""
    return [
        old if index < len(shown) and normal(old := shown[index]) == normal(line) else line
        for index, line in enumerate(printed)
    ]


def _kept(shown: list[str], printed: list[str]) -> list[str]:
    """The printed lines, elided where the README elided them."""
    if "..." not in shown:
        return _same(shown, printed)
    cut = shown.index("...")
    after = len(shown) - cut - 1
    tail = printed[len(printed) - after :] if after else []
    return [*_same(shown[:cut], printed[:cut]), "...", *_same(shown[cut + 1 :], tail)]


def main() -> int:
    text = README
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        environment = reader_folder(folder)
        for session in sessions():
            for command, shown in session:
                exported = EXPORT.fullmatch(command)
                if exported:
                    environment[exported[1]] = _run(
                        f"printf %s {exported[2]}", folder, environment
                    )[0]
                    continue
                if not shown:
                    _run(command, folder, environment)
                    continue
                printed = _run(command, folder, environment)
                if matches(shown, printed):
                    continue
                if shown.count("...") > 1:
                    print(f"edit by hand (several `...`): $ {command}", file=sys.stderr)
                    continue
                old = "\n".join([f"$ {command}", *shown])
                new = "\n".join([f"$ {command}", *_kept(shown, printed)])
                text = text.replace(old, new, 1)
    (ROOT / "README.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
