"""The Italian catalog, kept with Babel's own tools: extract -> update -> compile, and check.

    python -m tools.catalog extract   # events/locale/ledger.pot from every `_()` in the code
    python -m tools.catalog update    # merge the template into events/locale/it/.../ledger.po
    python -m tools.catalog compile   # ledger.po -> ledger.mo (committed: the package ships it)
    python -m tools.catalog check     # what tests/test_catalog.py asserts, as a list of lines

After `update`, translate every empty `msgstr` of ledger.po (keep the named placeholders), then
`compile`. The steps are pybabel's (babel.cfg says what is read); this module only fixes their
options, so that every developer produces the same files: no source locations (a moved line
does not change the catalog), sorted, no fuzzy guesses (a guessed translation is a wrong one).
"""

import gettext
import io
import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "events" / "locale"
TEMPLATE = LOCALE / "ledger.pot"
CATALOG = LOCALE / "it" / "LC_MESSAGES" / "ledger.po"
COMPILED = LOCALE / "it" / "LC_MESSAGES" / "ledger.mo"
PLACEHOLDER = re.compile(r"(?<!\{)\{([a-z_][a-z0-9_]*)(?:![rsa])?(?::[^}]*)?\}")


def _pybabel(*arguments: str) -> None:
    CommandLineInterface().run(["pybabel", "-q", *arguments])  # type: ignore[no-untyped-call]


def extract(target: Path = TEMPLATE) -> Path:
    """Every marked message of the code into a template (a .pot file)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    _pybabel(
        "extract",
        "-F",
        str(ROOT / "babel.cfg"),
        "-k",
        "_",
        "-k",
        "ngettext:1,2",
        "--no-location",
        "--sort-output",
        "--omit-header",
        "--no-wrap",
        "-o",
        str(target),
        str(ROOT),
    )
    _add_help_texts(target)
    return target


def _add_help_texts(template: Path) -> None:
    """Add the help of every command and option, read from the command tree typer builds.

    Docstrings and `help=` are English texts the command line words in the reader's language
    when it shows them (cli/language.py); pybabel cannot see them as messages, the tree can.
    """
    from events.i18n import set_language

    previous = set_language("en")  # before the commands are built: their help as written
    try:
        from typer.main import get_command

        from cli.app import app
        from cli.language import help_texts

        texts = set(help_texts(get_command(app)))
    finally:
        set_language(previous)
    with template.open("rb") as handle:
        catalog = read_po(handle)
    for text in sorted(texts):
        if text not in catalog:
            catalog.add(text)
    with template.open("wb") as handle:
        write_po(handle, catalog, width=0, no_location=True, omit_header=True, sort_output=True)


HEADER = """# Italian messages of the performance ledger (English is the source language).
# Kept with tools/catalog.py: extract -> update -> translate the empty msgstr -> compile.
msgid ""
msgstr ""
"Project-Id-Version: performance-ledger\\n"
"Language: it\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=utf-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"""


def update() -> None:
    """Merge the template into the Italian catalog: new msgids empty, vanished ones dropped.

    The header is rewritten to the same fixed lines every time (pybabel stamps dates in it),
    so that two developers updating the catalog differ only in the messages.
    """
    _pybabel(
        "update",
        "-i",
        str(TEMPLATE),
        "-o",
        str(CATALOG),
        "-l",
        "it",
        "--no-fuzzy-matching",
        "--ignore-obsolete",
        "--no-wrap",
    )
    text = CATALOG.read_text(encoding="utf-8")
    CATALOG.write_text(HEADER + text[text.index("\n\n") + 1 :], encoding="utf-8")


def compile_catalog() -> None:
    """The binary catalog gettext reads at run time."""
    _pybabel("compile", "-i", str(CATALOG), "-o", str(COMPILED), "-l", "it", "-D", "ledger")


def _ids(messages: object) -> set[object]:
    return {message.id for message in messages if message.id}  # type: ignore[attr-defined]


def check() -> list[str]:
    """What is wrong with the catalog, one line each (nothing: it is complete and current)."""
    with tempfile.TemporaryDirectory() as folder:
        fresh = extract(Path(folder) / "ledger.pot")
        with fresh.open("rb") as handle:
            wanted = _ids(read_po(handle))
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle)
    problems = [
        f"not in the catalog (run update): {m!r}" for m in sorted(map(str, wanted - _ids(catalog)))
    ]
    problems += [
        f"no longer in the code (run update): {m!r}"
        for m in sorted(map(str, _ids(catalog) - wanted))
    ]
    with COMPILED.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for message in catalog:
        if not message.id:
            continue
        ids = tuple(map(str, message.id)) if isinstance(message.id, tuple) else (str(message.id),)
        given = message.string
        strings = tuple(map(str, given)) if isinstance(given, tuple | list) else (str(given),)
        if message.fuzzy or not all(strings):
            problems.append(f"no Italian translation: {ids[0]!r}")
            continue
        wanted_names = set(PLACEHOLDER.findall(ids[-1]))
        for text in strings:
            if set(PLACEHOLDER.findall(text)) != wanted_names:
                problems.append(f"placeholders differ from the English: {ids[0]!r} -> {text!r}")
        if len(ids) == 1:
            shipped: tuple[str, ...] = (compiled.gettext(ids[0]),)
        else:
            shipped = (compiled.ngettext(ids[0], ids[1], 1), compiled.ngettext(ids[0], ids[1], 2))
        if shipped != strings:
            problems.append(f"ledger.mo is stale (run compile): {ids[0]!r}")
    return problems


def main(arguments: list[str]) -> int:
    steps: dict[str, Callable[[], object]] = {
        "extract": extract,
        "update": update,
        "compile": compile_catalog,
    }
    if arguments[:1] == ["check"]:
        problems = check()
        out = io.StringIO()
        for line in problems:
            print(line, file=out)
        sys.stdout.write(out.getvalue())
        return 1 if problems else 0
    if len(arguments) != 1 or arguments[0] not in steps:
        print("usage: python -m tools.catalog extract|update|compile|check", file=sys.stderr)
        return 2
    steps[arguments[0]]()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
