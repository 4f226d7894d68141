"""The language of the command line: `--lang en|it`, else LEDGER_LANG / LANG, else Italian.

The help of commands and options is written in English in the code (docstrings and `help=`),
like every other message, and worded in the reader's language when it is shown: `localized`
walks the click command tree typer builds and passes each text through the catalog. Click's
words that pass through gettext (`Options`, `Commands`, `default: ...`) come from the same
catalog: `TYPER_MESSAGES` lists them, marked for extraction, and typer's modules are pointed at
our `_` (the click that typer vendors writes `Usage:` and its refusals in English only).
The catalog tool also extracts every help text of the tree (tools/catalog.py), so a new
option without its Italian fails the catalog test like any other message.
"""

import sys
from collections.abc import Iterator, Sequence
from typing import Any

import typer
import typer.core

from cli.click_words import localized_usage
from cli.errors import LedgerGroup
from events.i18n import LANGUAGES, N_, _, set_language

TYPER_MESSAGES = (
    N_("(dynamic)"),
    N_("Aborted!"),
    N_("default: {default}"),
    N_("required"),
    N_("env var: {var}"),
    N_("Arguments"),
    N_("Options"),
    N_("Commands"),
    N_("Missing command."),
    N_("No such command {name!r}."),
)
HELP_OPTION = N_("Show this message and exit.")

_TYPER_MODULES = ("typer.core", "typer.rich_utils")


def language_asked(arguments: Sequence[str]) -> str | None:
    """The value of a global `--lang X` / `--lang=X`, read before the commands are built."""
    for index, argument in enumerate(arguments):
        if argument == "--":
            return None
        if argument.startswith("--lang="):
            return argument.partition("=")[2]
        if argument == "--lang" and index + 1 < len(arguments):
            return arguments[index + 1]
    return None


def choose_language(code: str | None) -> str:
    """Set the language (None: from the environment) for our messages and click's."""
    chosen = set_language(code)
    _typer_worded_by_us()
    return chosen


def _typer_worded_by_us() -> None:
    """Point typer's gettext at our `_`, which reads the language chosen at the time it words."""
    for name in _TYPER_MODULES:
        module = sys.modules.get(name)
        if module is not None and hasattr(module, "_"):
            module._ = _  # type: ignore[attr-defined]


def check_language(value: str | None) -> str | None:
    """The --lang option's parser: one of the languages we serve, or a usage error."""
    if value is not None and value.lower() not in LANGUAGES:
        raise typer.BadParameter(
            _("{value!r} is not a language of the ledger: choose {choices}").format(
                value=value, choices=" or ".join(LANGUAGES)
            )
        )
    return value


def walk(command: Any) -> Iterator[Any]:
    """The command and every command below it."""
    yield command
    for child in getattr(command, "commands", {}).values():
        yield from walk(child)


def help_texts(command: Any) -> Iterator[str]:
    """Every help text of the tree, as the code writes it (in English): what `localized` reads."""
    for each in walk(command):
        if each.help and not each.short_help:
            yield summary(each.help)
        for text in (each.help, each.short_help, each.epilog):
            if text:
                yield text.strip()
        for parameter in each.params:
            text = getattr(parameter, "help", None)
            if text:
                yield text.strip()


def summary(help_text: str) -> str:
    """The first paragraph of a help text, whole: the line a command has in its group's list.

    Click would cut it to the width left with "..."; a summary cut mid-phrase says less than
    one folded onto a second line.
    """
    first = help_text.strip().split("\n\n")[0]
    return " ".join(first.split())


def localized(command: Any) -> Any:
    """The tree with every help text in the chosen language (the English where none exists).

    An argument without a metavar is shown by its name in capitals (`ACTION VALUE`), as the
    options' values are (`DATE`), not as typer's `{action} {value}`.
    """
    for each in walk(command):
        localized_one(each)
    return command


def localized_one(each: Any) -> None:
    """One command's help, summary and options in the chosen language (not its subcommands).

    Help is click's plain form for every command, as for the root: typer's rich panels word
    their titles ("Options", "Commands") in English and would import rich for a `--help`.
    """
    if hasattr(each, "rich_markup_mode"):
        each.rich_markup_mode = None
    _help_option_localized(each)
    localized_usage(each)
    if each.help and not each.short_help:
        each.short_help = summary(each.help)
    if each.help:
        each.help = _(each.help.strip())
    if each.short_help:
        each.short_help = _(each.short_help.strip())
    if each.epilog:
        each.epilog = _(each.epilog.strip())
    for parameter in each.params:
        text = getattr(parameter, "help", None)
        if text:
            parameter.help = _(text.strip())
        if parameter.param_type_name == "argument":
            _name_in_usage(parameter)


def _help_option_localized(command: Any) -> None:
    """`--help` described in the chosen language (the option is made when help is shown)."""
    make = command.get_help_option

    def get_help_option(ctx: Any) -> Any:
        option = make(ctx)
        if option is not None:
            option.help = _(HELP_OPTION)
        return option

    command.get_help_option = get_help_option


def _name_in_usage(argument: Any) -> None:
    """Show an argument in the usage line as `ACTION` (or `[ACTION]` when it may be left out)."""
    shown = (argument.metavar or argument.name or "").upper()
    if not argument.required:
        shown = f"[{shown}]"
    if argument.nargs != 1:
        shown += "..."
    argument._usage_display_name = lambda: shown


class LocalizedGroup(LedgerGroup):
    """The root group: before it runs, its tree's help is worded in the chosen language."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        localized(self)
        return super().main(*args, **kwargs)


_typer_worded_by_us()  # also for in-process callers (tests) that never run main()
