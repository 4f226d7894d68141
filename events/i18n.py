"""The language of every message a person reads: Italian by default, English on request.

Messages are written in English in the code and marked with `_()` (or `ngettext` for counts);
the Italian text comes from the gettext catalog `events/locale/it/LC_MESSAGES/ledger.mo`.
This module sits at the bottom of the arrows (it imports nothing of ours) so that a refusal
raised in any layer can be worded in the reader's language.

Placeholders are named (`_("action {code} is not in the plan").format(code=code)`), never
positional, so that a translation may put them in its own order.
"""

import gettext
import os

DOMAIN = "ledger"
DEFAULT_LANGUAGE = "it"
LANGUAGES = ("it", "en")

_catalog: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def _locale_dir() -> str:
    """The catalogs' folder, beside this module (the package ships it as package data).

    Read from `__file__` rather than through importlib.resources, whose import alone cost
    every command, `--help` included, about 9 ms."""
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "locale")


def language_from_environment() -> str:
    """`LEDGER_LANG`, else the first of `LANGUAGE`, `LC_ALL`, `LC_MESSAGES`, `LANG` we serve."""
    for name in ("LEDGER_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        for part in value.split(":"):
            code = part.split(".")[0].split("_")[0].lower()
            if code in LANGUAGES:
                return code
    return DEFAULT_LANGUAGE


def set_language(code: str | None = None) -> str:
    """Choose the language of messages (None: from the environment); returns the one chosen."""
    global _catalog, _language
    chosen = (code or language_from_environment()).lower()
    if chosen not in LANGUAGES:
        chosen = DEFAULT_LANGUAGE
    _catalog = gettext.translation(
        DOMAIN, localedir=_locale_dir(), languages=[chosen], fallback=True
    )
    _language = chosen
    return chosen


def language() -> str:
    """The language messages are worded in now."""
    return _language


def _(message: str) -> str:
    """The message in the chosen language (the English text when the catalog lacks it)."""
    return _catalog.gettext(message)


def N_(message: str) -> str:
    """Mark a message for the catalog without translating it now: a label kept in a table
    of the code and passed through `_` when it is shown, in the language chosen by then."""
    return message


def catalog(code: str) -> gettext.NullTranslations:
    """The catalog of one language whatever the chosen one: a reader of the exported
    spreadsheets knows a header in either language."""
    return gettext.translation(DOMAIN, localedir=_locale_dir(), languages=[code], fallback=True)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form for `count`, in the chosen language."""
    return _catalog.ngettext(singular, plural, count)


set_language()
