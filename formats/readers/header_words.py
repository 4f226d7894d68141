"""The headers of the exported workbook that the importers read back, in either language.

`ledger export --format xlsx` writes its headers in the reader's language (English msgids,
Italian from the catalog); `ledger plan import` and `ledger record measurements` read them
back. The importers compare Italian headers, so an English one of this list is read as the
Italian text the catalog gives it: a workbook exported in English imports as one exported in
Italian. The sheet names the importers look for (`Cruscotto`, `Ciclo`, `Obiettivi
dirigenziali`, `Note`, `Misure`) are identifiers and stay Italian in both languages.
"""

import unicodedata
from functools import cache

from events.i18n import N_, catalog

READ_BACK = (
    # the Cruscotto sheet's group headers (formats/writers/cruscotto_columns.py)
    N_("BSC perspective"),
    N_("Strategic objective"),
    N_("Operational objectives"),
    N_("Actions"),
    N_("Achievement percentage"),
    N_("KPI details"),
    # its column labels
    N_("title / description"),
    N_("key"),
    N_("code"),
    N_("weight"),
    N_("Weight"),
    N_("Result"),
    N_("Target"),
    N_("% achievement"),
    N_("Overall rating"),
    N_("targets by year"),
    N_("kpi"),
    N_("target"),
    N_("medium threshold"),
    N_("minimum threshold"),
    N_("computed achievement"),
    N_("override (OIV heard)"),
    N_("final score"),
    N_("rationale of the override"),
    N_("OIV heard on"),
    N_("kind"),
    N_("unit"),
    N_("direction"),
    N_("target value"),
    N_("inferred thresholds"),
    N_("deadline"),
    N_("cap"),
    N_("kpi (JSON)"),
    # the Obiettivi dirigenziali and Note sheets (formats/writers/xlsx_sheets.py)
    N_("Manager"),
    N_("Code"),
    N_("Objective"),
    N_("Achievement"),
    N_("Overall result"),
    N_("level"),
    N_("note"),
    # the Misure sheet's code column (its other headers the reader knows in English already)
    N_("action code"),
)


@cache
def italian_headers() -> dict[str, str]:
    """Each English header of READ_BACK, compared as `norm` compares, to its Italian one."""
    italian = catalog("it")
    return {norm(english): norm(italian.gettext(english)) for english in READ_BACK}


def norm(text: object) -> str:
    """A header as compared: lower case, no accents, single spaces, no trailing dot or colon."""
    if text is None:
        return ""
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(plain.split()).strip(" .:")


def header(text: object) -> str:
    """A header as compared (`norm`), an English header of the exported workbook read as its
    Italian one."""
    plain = norm(text)
    return italian_headers().get(plain, plain)
