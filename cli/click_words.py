"""Click's own words (usage errors, the `Usage:` line) in the reader's language.

The click that typer 0.29 vendors writes its refusals as English f-strings, with no gettext
hook, so they cannot be translated where they are made. They are translated where they reach
the user instead: the one error boundary (cli/errors.py) hands each usage error here, which
words it again from the exception's own fields (option, parameter, hint), or, for the few
refusals click makes as plain text, from the English sentence's known form. The English msgids are
click's own sentences, so English output is click's to the letter; a refusal of a form not
known here keeps click's English rather than losing its detail.
"""

import re
from collections.abc import Callable, Sequence
from typing import Any

from typer._click import exceptions as click_errors  # the click that typer vendors

from events.i18n import N_, _

USAGE_PREFIX = N_("Usage: ")
"""The help's first line, as click writes it (`Usage: ledger replay [OPTIONS]`)."""

MISSING = {
    "argument": N_("Missing argument {name}."),
    "option": N_("Missing option {name}."),
    "parameter": N_("Missing parameter {name}."),
}

PLAIN: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (
        re.compile(r"Got unexpected extra argument\(s\) \((?P<words>.*)\)"),
        lambda m: _("Got unexpected extra argument(s) ({words})").format(words=m["words"]),
    ),
    (
        re.compile(r"Option (?P<option>'.*') requires an argument\."),
        lambda m: _("Option {option} requires an argument.").format(option=m["option"]),
    ),
    (
        re.compile(r"Option (?P<option>'.*') requires (?P<count>\d+) arguments\."),
        lambda m: _("Option {option} requires {count} arguments.").format(
            option=m["option"], count=m["count"]
        ),
    ),
    (
        re.compile(r"Option (?P<option>'.*') does not take a value\."),
        lambda m: _("Option {option} does not take a value.").format(option=m["option"]),
    ),
    (  # typer adds its suggestion to click's (already worded) "No such command"
        re.compile(r"(?P<message>.*)\. Did you mean (?P<names>.*)\?"),
        lambda m: _("{message}. Did you mean {names}?").format(
            message=m["message"], names=m["names"]
        ),
    ),
]
"""The refusals click makes as plain sentences, by their English form."""


def usage_message(error: click_errors.UsageError) -> str:
    """The usage error's message in the chosen language (click's English if its form is new)."""
    if isinstance(error, click_errors.NoSuchOption):
        text = _("No such option: {option}").format(option=error.option_name)
        if error.possibilities:
            text += " " + _("(Possible options: {options})").format(
                options=", ".join(sorted(error.possibilities))
            )
        return text
    if isinstance(error, click_errors.MissingParameter):
        return _missing(error)
    if isinstance(error, click_errors.BadParameter):
        hint = _hint(error)
        if hint is None:
            return _("Invalid value: {message}").format(message=error.message)
        return _("Invalid value for {option}: {message}").format(option=hint, message=error.message)
    for pattern, words in PLAIN:
        found = pattern.fullmatch(error.message)
        if found:
            return words(found)
    return error.format_message()


def _hint(error: click_errors.BadParameter) -> str | None:
    given: Sequence[str] | str | None = error.param_hint
    if given is None and error.param is not None:
        given = error.param.get_error_hint()
    if given is None or isinstance(given, str):
        return given
    return " / ".join(repr(each) for each in given)


def _missing(error: click_errors.MissingParameter) -> str:
    kind = error.param_type or (error.param.param_type_name if error.param is not None else None)
    hint = _hint(error)
    text = _(MISSING.get(kind or "", MISSING["parameter"])).format(name=hint or "")
    return f"{text} {error.message}" if error.message else text


def localized_usage(command: Any) -> None:
    """The command's `Usage:` line in the chosen language (click's own writes it in English)."""

    def format_usage(ctx: Any, formatter: Any) -> None:
        pieces = command.collect_usage_pieces(ctx)
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=_(USAGE_PREFIX))

    command.format_usage = format_usage
