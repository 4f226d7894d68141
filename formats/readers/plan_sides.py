"""The side sheets of a plan workbook: `Ciclo`, `Obiettivi dirigenziali` and `Note`."""

import json
from datetime import datetime
from decimal import Decimal
from typing import Any

from openpyxl.worksheet.worksheet import Worksheet
from pydantic import ValidationError

from events.errors import UsageError
from events.i18n import _
from events.policy import ScoringPolicy, upgrade_policy
from formats.italian_dates import parse_date
from formats.readers.header_words import header as header_text
from formats.readers.header_words import norm
from formats.readers.sheets import Cell, Problem, find_header, sheet_rows, slug

CYCLE_FIELDS = {
    "ciclo precedente": "previous",
    "ciclo": "id",
    "ente": "entity",
    "denominazione": "entity_name",
    "anno": "year",
    "fonte": "source",
    "politica di valutazione": "policy",
    "contenitore": "container",
    "scadenza del piano": "plan_deadline",
    "scadenza della relazione": "relazione_deadline",
    "organi": "bodies",
}
CYCLE_LABELS = {
    "id": "ciclo",
    "entity": "ente",
    "entity_name": "denominazione",
    "year": "anno",
    "source": "fonte",
    "policy": "politica di valutazione (JSON)",
    "container": "contenitore (piano o piao)",
    "plan_deadline": "scadenza del piano",
    "relazione_deadline": "scadenza della relazione",
    "bodies": "organi (JSON)",
    "previous": "ciclo precedente",
}
REQUIRED_CYCLE = ("id", "entity", "entity_name", "year")
MANAGER_COLUMNS = {
    "dirigente": "manager",
    "chiave": "key",
    "cod": "action",
    "codice": "action",
    "obiettivo": "title",
    "titolo": "title",
    "peso": "weight",
}


def read_cycle(sheet: Worksheet, label: str) -> dict[str, Any]:
    """The cycle's identity (and policy) from the two-column `Ciclo` sheet."""
    where = f"{label}:{sheet.title}"
    found: dict[str, Any] = {}
    for _number, cells in sheet_rows(sheet, label):
        filled = [cell for cell in cells if not cell.empty]
        if len(filled) < 2:
            continue
        field = norm(filled[0].value)
        name = next((f for k, f in CYCLE_FIELDS.items() if field.startswith(k)), None)
        if name is None or name in found:
            continue
        found[name] = _cycle_value(name, filled[1])
    for name in REQUIRED_CYCLE:
        if name not in found:
            raise UsageError(
                _(
                    "{where}: no row '{name}' (the sheet needs ciclo, ente, denominazione and "
                    "anno, one per row with its value beside it)"
                ).format(where=where, name=CYCLE_LABELS[name])
            )
    return found


def _cycle_value(name: str, cell: Cell) -> Any:
    if name == "year":
        number = cell.number()
        text = str(number) if number is not None else cell.text()
        if not text.isdigit() or len(text) != 4:
            raise UsageError(
                _("{ref}: anno {text} is not a year (e.g. 2021)").format(
                    ref=cell.ref, text=repr(cell.text())
                )
            )
        return int(text)
    if name == "policy":
        try:
            return ScoringPolicy.model_validate(upgrade_policy(json.loads(str(cell.value))))
        except json.JSONDecodeError as error:
            raise UsageError(
                _("{ref}: the policy is not JSON: {msg}").format(ref=cell.ref, msg=error.msg)
            ) from None
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(step) for step in first["loc"]) or "policy"
            reason = f"{cell.ref}: the policy is not valid: {where}: {first['msg']}"
            raise UsageError(reason) from None
    if name == "bodies":
        try:
            return json.loads(str(cell.value))
        except json.JSONDecodeError as error:
            raise UsageError(
                _("{ref}: organi is not JSON: {msg}").format(ref=cell.ref, msg=error.msg)
            ) from None
    if name in ("plan_deadline", "relazione_deadline"):
        if isinstance(cell.value, datetime):
            return cell.value.date()
        try:
            return parse_date(cell.text())
        except UsageError as error:
            raise UsageError(f"{cell.ref}: {error}") from None
    return cell.text()


def read_managers(sheet: Worksheet, label: str, problems: list[Problem]) -> list[dict[str, Any]]:
    """The obiettivi dirigenziali: one row per assigned action, the manager merged or repeated."""
    where = f"{label}:{sheet.title}"
    rows = sheet_rows(sheet, label)
    number, header, _rest = find_header(rows, _managers_header, where)
    columns: dict[str, int] = {}
    for index, cell in enumerate(header):
        name = MANAGER_COLUMNS.get(header_text(cell.value))
        if name is not None:
            columns.setdefault(name, index)
    for needed, shown in (("action", "cod."), ("weight", "peso")):
        if needed not in columns:
            raise UsageError(
                _("{where}: no column {shown} (the header is in row {number})").format(
                    where=where, shown=repr(shown), number=number
                )
            )
    managers: dict[str, dict[str, Any]] = {}
    manager: str | None = None
    key: str | None = None
    for number, cells in rows:
        picked = {name: cells[i] for name, i in columns.items() if i < len(cells)}
        if all(cell.empty for cell in picked.values()):
            continue
        who = picked["manager"]
        if not who.empty:
            manager = who.text()
            given = picked.get("key")
            key = given.text() if given is not None and not given.empty else slug(manager)
        if manager is None or key is None:
            problems.append(Problem(who.ref, _("dirigente is empty, and none is above"), number))
            continue
        item = _item(picked, number, problems)
        if item is not None:
            assigned = managers.setdefault(key, {"key": key, "manager": manager, "items": []})
            assigned["items"].append(item)
    return list(managers.values())


def _managers_header(names: list[str]) -> bool:
    return "dirigente" in names and any(n in ("cod", "codice") for n in names)


def _item(picked: dict[str, Cell], number: int, problems: list[Problem]) -> dict[str, Any] | None:
    action, weight = picked["action"], picked["weight"]
    if action.empty:
        problems.append(Problem(action.ref, _("cod. is empty: write the action's code"), number))
        return None
    try:
        value: Decimal = weight.decimal()
    except UsageError as error:
        problems.append(Problem(weight.ref, str(error), number))
        return None
    if not 0 <= value <= 100:
        reason = f"peso {weight.text()!r} is not between 0 and 100"
        problems.append(Problem(weight.ref, reason, number))
        return None
    title = picked.get("title")
    item: dict[str, Any] = {"action": action.text(), "weight": value}
    if title is not None and not title.empty:
        item["title"] = title.text()
    return item


def read_notes(
    sheet: Worksheet, label: str, problems: list[Problem]
) -> dict[str, tuple[str, Cell]]:
    """The `Note` sheet: a note for any node, by its key or code."""
    where = f"{label}:{sheet.title}"
    rows = sheet_rows(sheet, label)
    number, header, _rest = find_header(rows, lambda n: "nota" in n and "chiave" in n, where)
    names = [header_text(cell.value) for cell in header]
    key_at, note_at = names.index("chiave"), names.index("nota")
    notes: dict[str, tuple[str, Cell]] = {}
    for number, cells in rows:
        if max(key_at, note_at) >= len(cells):
            continue
        key, note = cells[key_at], cells[note_at]
        if key.empty and note.empty:
            continue
        if key.empty:
            problems.append(Problem(key.ref, _("chiave is empty: whose note is this?"), number))
            continue
        notes[key.text()] = (note.text(), key)
    return notes
