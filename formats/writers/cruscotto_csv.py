"""The cruscotto as CSV, in the two forms people need.

- `excel`: what Italian Excel opens with a double click: `;` between fields, decimal comma,
  dates as 30/06/2021, UTF-8 with a BOM (without it Excel reads the Windows code page and
  mangles `à` and `€`), Italian column names. Text that Excel would run as a formula
  (starting with `=`, `+`, `-`, `@`) is prefixed with an apostrophe, as OWASP advises.
- `opendata`: RFC 4180 (`,`, CRLF, quotes where needed), UTF-8 without BOM, plain numbers
  with a decimal point, ISO dates, the columns of `ledger replay --format csv`. Written to a
  file, it gets a companion `<file>-metadata.json` (W3C CSV on the Web) that documents every
  column and states the licence, CC BY 4.0, as the AgID open data guidelines recommend: a
  comment line inside the CSV would break RFC 4180 readers. A text cell that a spreadsheet
  would run as a formula gets a leading apostrophe, exactly reversibly (`NEUTRALISING_NOTE`).
"""

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

from events.i18n import N_, _, catalog
from formats.inert import spreadsheet_text
from formats.italian_numbers import italian_number
from formats.serial import csv_chunks, to_csv
from formats.writers.cruscotto_data import CruscottoExport
from formats.writers.cruscotto_rows import CSV_COLUMNS, flat_rows, summary_rows

LICENCE_NAME = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
NEUTRALISING_NOTE = (
    "Text cells that start with =, +, -, @, a tab, a carriage return or an apostrophe carry "
    "one added leading apostrophe, so that no spreadsheet runs them as a formula (OWASP, CSV "
    "Injection): remove the first character of a text cell that starts with an apostrophe to "
    "get the ledger's text exactly. Numbers and dates are never changed."
)
LEVELS_IT = {
    "perspective": "prospettiva",
    "strategic": "obiettivo strategico",
    "operational": "obiettivo operativo",
    "action": "azione",
    "manager": "dirigente",
    "manager_objective": "obiettivo dirigenziale",
    "ente": "ente",
}

COLUMNS: dict[str, tuple[str, str, str]] = {
    "level": (
        N_("Level"),
        "string",
        "the key of the node's level in the cycle's tree; after the tree, `manager` and "
        "`manager_objective` (obiettivi dirigenziali) and `ente` (the performance di ente)",
    ),
    "key": (N_("Key"), "string", "the node's key, unique in the cycle"),
    "code": (N_("Code number"), "string", "the code printed in the Piano (1.1, 3.3.1), if any"),
    "parent": (N_("Parent"), "string", "the key of the node above (empty for a perspective)"),
    "title": (N_("Title"), "string", "the node's title"),
    "weight": (N_("Weight"), "decimal", "weight among its siblings, percentage points (0-100)"),
    "kpi": (N_("KPI"), "string", "actions: what is measured"),
    "unit": (N_("Unit"), "string", "actions: the KPI's unit"),
    "target": (
        N_("Target"),
        "string",
        "actions: the target as printed; strategic: the target, percentage points",
    ),
    "measured": (N_("Measured"), "string", "actions: the measured value as printed"),
    "computed": (N_("Computed"), "decimal", "the result computed by the scoring rules, 0-100"),
    "rule_score": (
        N_("Rule score"),
        "decimal",
        "actions: what the KPI's rule alone gives, 0-100",
    ),
    "override": (N_("Override"), "decimal", "the result set by the administration, sentito l'OIV"),
    "override_rationale": (N_("Override rationale"), "string", "the written rationale"),
    "oiv_heard_on": (N_("OIV heard on"), "date", "when the OIV was heard"),
    "result": (N_("Result"), "decimal", "the final result: the override if any, else computed"),
    "achievement": (
        N_("Achievement"),
        "decimal",
        "strategic: the result against its target, capped at 100",
    ),
    "band": (N_("Overall rating"), "string", "strategic: the band of the SMVP"),
    "coverage": (N_("Coverage"), "decimal", "share of the weight whose measurements exist, 0-100"),
    "level_name": (N_("Level name"), "string", "the level's name in the SMVP (Azione, Area ...)"),
}


class CsvProfile(StrEnum):
    """For Italian Excel, or for publication as open data."""

    excel = "excel"
    opendata = "opendata"


def _described(name: str) -> tuple[str, str, str]:
    return COLUMNS.get(name, (name, "string", name))


def cruscotto_csv(exported: CruscottoExport, profile: str) -> bytes:
    """The cruscotto's rows (one per node, then the managers' and the ente's) in a profile."""
    rows = flat_rows(exported.cruscotto) + summary_rows(exported.cruscotto)
    if profile == "opendata":
        return to_csv(rows, CSV_COLUMNS).encode("utf-8")
    headers = [_(_described(column)[0]) for column in CSV_COLUMNS]
    italian = (
        {**row, "level": LEVELS_IT.get(row["level"], row["level_name"] or row["level"])}
        for row in rows
    )
    return excel_csv(italian, CSV_COLUMNS, headers)


def excel_csv(
    rows: Iterable[Mapping[str, Any]], columns: Sequence[str], headers: Sequence[str]
) -> bytes:
    """`;`-separated, decimal comma, BOM, CRLF: a file Italian Excel opens as it is."""
    return b"".join(excel_csv_chunks(rows, columns, headers))


def excel_csv_chunks(
    rows: Iterable[Mapping[str, Any]], columns: Sequence[str], headers: Sequence[str]
) -> Iterator[bytes]:
    """The bytes of `excel_csv` in pieces, for the commands that stream a whole ledger."""
    yield "\ufeff".encode()
    for text in csv_chunks(rows, columns, headers=headers, delimiter=";", cell=excel_cell):
        yield text.encode("utf-8")


def excel_cell(value: Any) -> str:
    """One value as Italian Excel reads it, never as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "sì" if value else "no"
    if isinstance(value, Decimal):
        places = max(2, -int(value.as_tuple().exponent)) if value.is_finite() else 2
        return italian_number(value, min(places, 6))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M:%S")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return spreadsheet_text(str(value))


def metadata_path(output: Path) -> Path:
    """`cruscotto.csv` -> `cruscotto.csv-metadata.json`, where CSVW readers look for it."""
    return output.with_name(f"{output.name}-metadata.json")


def _titles(name: str) -> dict[str, list[str]]:
    """A column's CSVW `titles` as a language map (CSVW's natural language property): the
    header the open data CSV writes (its `name`, an identifier) and the English label under
    `en`, the Italian label under `it`; a validator matches the CSV's header against any."""
    label = _described(name)[0]
    english = [name] if label == name else [name, label]
    return {"en": english, "it": [catalog("it").gettext(label)]}


def metadata_bytes(exported: CruscottoExport, csv_name: str) -> bytes:
    """The CSVW description (JSON) of the open data CSV named `csv_name`."""
    cruscotto = exported.cruscotto
    title = _("Performance cruscotto {year} - {entity}, as of {date}").format(
        year=cruscotto.year or "",
        entity=cruscotto.entity_name,
        date=cruscotto.as_of.strftime("%d/%m/%Y"),
    )
    document = {
        "@context": "http://www.w3.org/ns/csvw",
        "url": csv_name,
        "dc:title": title,
        "dc:publisher": cruscotto.entity_name,
        "dc:license": {"@id": LICENCE_URL},
        "dc:rights": f"{LICENCE_NAME}: {LICENCE_URL}",
        "dc:source": exported.digest.line(),
        "dc:coverage": cruscotto.stream,
        "dc:date": cruscotto.as_of.isoformat(),
        "rdfs:comment": NEUTRALISING_NOTE,
        "dialect": {
            "delimiter": ",",
            "encoding": "utf-8",
            "header": True,
            "lineTerminators": ["\r\n"],
        },
        "tableSchema": {
            "columns": [
                {
                    "name": name,
                    "titles": _titles(name),
                    "datatype": _described(name)[1],
                    "dc:description": _described(name)[2],
                }
                for name in CSV_COLUMNS
            ],
            "primaryKey": "key",
        },
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
