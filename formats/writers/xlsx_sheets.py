"""The side sheets of the exported workbook, and the number formats every sheet shares.

Tables 3.1, 3.2 and 3.4 of the Relazione, the overrides, the measurements in force (in the
layout `ledger record measurements` reads back), the notes and the cycle (the layout `ledger
plan import` reads back). Percentages are stored as Excel stores them (0,972 shown 97,20 %).
"""

import json
from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from events.i18n import N_, _
from events.measurement import AssessmentRecorded, MeasurementRecorded
from events.policy import LevelRule
from formats.inert import sheet_value
from formats.readers.plan_sides import CYCLE_LABELS
from formats.writers.cruscotto_data import CruscottoExport
from formats.writers.rules_text import describe_ente, describe_rollup
from projections.numbers import italian_number, italian_percent, rounded

HUNDRED = Decimal(100)
PRIMARY = "0066CC"  # Bootstrap Italia's primary blue: 5.9:1 against white
DARK = "004D99"
PERCENT = "0.00%"
DATE = "DD/MM/YYYY"
THIN = Side(style="thin", color="8C99A6")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
HEADER_FONT = Font(bold=True, color="FFFFFF")


def percent(value: Decimal | None) -> Decimal | None:
    """Percentage points as Excel stores a percentage: 97,20 -> 0,972."""
    return None if value is None else value / HUNDRED


def result(value: Decimal | None) -> Decimal | None:
    """A result rounded as the contract rounds it, stored as a percentage."""
    return percent(rounded(value))


def number_format(value: Decimal, unit: str | None = None) -> str:
    """`#,##0.00` with the value's decimals, and the unit as a literal suffix (`35,87 gg`)."""
    places = max(0, -int(value.normalize().as_tuple().exponent)) if value != 0 else 0
    base = "#,##0" + ("." + "0" * places if places else "")
    if unit:
        return f'{base}" {unit.replace(chr(34), "")}"'
    return base


def weight_format(value: Decimal | None) -> str:
    return "0%" if value is None or value == value.to_integral_value() else PERCENT


def table(
    sheet: Worksheet,
    headers: list[str],
    body: list[list[Any]],
    widths: list[int],
    formats: dict[int, str] | None = None,
) -> None:
    """A plain table: one header row, then the rows, with borders and formats by column."""
    for index, (text, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = sheet.cell(1, index, sheet_value(text))
        cell.font, cell.fill, cell.border, cell.alignment = (
            HEADER_FONT,
            PatternFill("solid", fgColor=PRIMARY),
            BORDER,
            WRAP,
        )
        sheet.column_dimensions[get_column_letter(index)].width = width
    for number, values in enumerate(body, start=2):
        for index, value in enumerate(values, start=1):
            cell = sheet.cell(number, index, sheet_value(value))
            cell.border, cell.alignment = BORDER, WRAP
            fmt = (formats or {}).get(index)
            if fmt == "number" and isinstance(value, Decimal):
                cell.number_format = number_format(value)
            elif fmt:
                cell.number_format = fmt
    sheet.freeze_panes = "A2"


def strategic_sheet(sheet: Worksheet, exported: CruscottoExport, rule: LevelRule) -> None:
    """The nodes of a level with a target of their own (table 3.1 of the reference)."""
    cruscotto = exported.cruscotto
    body: list[list[Any]] = [
        [
            n.title,
            result(n.result),
            percent(n.target),
            result(n.achievement),
            n.band,
            result(n.coverage),
        ]
        for n in cruscotto.of_level(rule.key)
    ]
    body.append(
        [
            cruscotto.policy.ente.name,
            None,
            None,
            result(cruscotto.result),
            cruscotto.band,
            result(cruscotto.coverage),
        ]
    )
    table(
        sheet,
        [
            rule.name,
            _("Measured result"),
            _("Target"),
            _("% Achievement"),
            _("Overall rating"),
            _("Measurement coverage"),
        ],
        body,
        [40, 14, 10, 16, 16, 14],
        {2: PERCENT, 3: "0%", 4: PERCENT, 6: PERCENT},
    )


def perspectives_sheet(sheet: Worksheet, exported: CruscottoExport, rule: LevelRule) -> None:
    """The nodes of the top level and their results (table 3.2 of the reference)."""
    body = [[p.title, result(p.result)] for p in exported.cruscotto.roots]
    table(sheet, [rule.name, _("Performance")], body, [40, 14], {2: PERCENT})


def managers_sheet(sheet: Worksheet, exported: CruscottoExport) -> None:
    results = {m.key: m for m in exported.cruscotto.managers}
    body: list[list[Any]] = []
    for key, assigned in exported.state.managers.items():
        done = results.get(key)
        by_action = {code: value for code, _, _, value in done.items} if done else {}
        for item in assigned.items:
            body.append(
                [
                    assigned.manager,
                    key,
                    item.action,
                    item.title,
                    percent(item.weight),
                    result(by_action.get(item.action)),
                    result(done.result) if done else None,
                ]
            )
    table(
        sheet,
        [
            _("Manager"),
            _("key"),
            _("Code"),
            _("Objective"),
            _("Weight"),
            _("Achievement"),
            _("Overall result"),
        ],
        body,
        [30, 18, 8, 44, 8, 15, 15],
        {5: "0%", 6: PERCENT, 7: PERCENT},
    )


def overrides_sheet(sheet: Worksheet, exported: CruscottoExport) -> None:
    body = [
        [
            n.code or n.key,
            n.title,
            result(n.computed),
            percent(n.override.achievement),
            result(n.result),
            n.override.rationale,
            n.override.oiv_heard_on,
            n.override.entry.seq,
        ]
        for n in exported.cruscotto.nodes()
        if n.override is not None
    ]
    table(
        sheet,
        [
            _("Node"),
            _("Title"),
            _("Computed score"),
            _("Override"),
            _("Final"),
            _("Rationale (OIV heard)"),
            _("OIV heard on"),
            "seq",
        ],
        body,
        [10, 32, 11, 11, 11, 80, 13, 7],
        {3: PERCENT, 4: PERCENT, 5: PERCENT, 7: DATE},
    )


def measurements_sheet(sheet: Worksheet, exported: CruscottoExport) -> None:
    """The observations in force, as `ledger record measurements` reads them back."""
    body: list[list[Any]] = []
    year = exported.cruscotto.year
    for action in exported.cruscotto.nodes():
        if not action.is_indicator:
            continue
        seen = exported.state.observation(action.key)
        entry = exported.by_event_id.get(seen.event_id) if seen else None
        if seen is None or entry is None:
            continue
        event = entry.event
        if not isinstance(event, MeasurementRecorded | AssessmentRecorded):
            continue
        value: Any = seen.value
        if seen.numerator is not None and seen.denominator is not None:
            value = f"{italian_number(seen.numerator)}/{italian_number(seen.denominator)}"
        elif seen.bound is not None:
            value = seen.shown()  # `≥ 95`, read back as the bound it is
        elif value is None and seen.completed_on is not None and seen.precision != "month":
            value = seen.completed_on
        elif value is None and seen.kind != "achievement":
            value = seen.shown()
        period = event.period
        whole_year = year is not None and (period.start, period.end) == (
            date(period.start.year, 1, 1),
            date(period.start.year, 12, 31),
        )
        shown_period = (
            str(period.start.year)
            if whole_year
            else (f"{period.start.strftime('%d/%m/%Y')}..{period.end.strftime('%d/%m/%Y')}")
        )
        body.append(
            [
                action.code,
                value,
                seen.unit,
                entry.effective_date,
                shown_period,
                seen.achievement,
                event.evidence,
                event.note,
            ]
        )
    table(
        sheet,
        [
            _("action code"),
            _("value"),
            _("unit"),
            _("date"),
            _("period"),
            _("achievement"),
            _("evidence"),
            _("note"),
        ],
        body,
        [9, 14, 10, 12, 12, 15, 60, 40],
        {2: "number", 4: DATE, 6: "number"},
    )
    for number, values in enumerate(body, start=2):
        if isinstance(values[1], date):
            sheet.cell(number, 2).number_format = DATE


def notes_sheet(sheet: Worksheet, exported: CruscottoExport) -> None:
    body = [
        [node.level_name.lower(), node.key, exported.notes[node.key]]
        for node in exported.cruscotto.nodes()
        if node.key in exported.notes
    ]
    table(sheet, [_("level"), _("key"), _("note")], body, [20, 36, 100])


def cycle_sheet(sheet: Worksheet, exported: CruscottoExport) -> None:
    opened = exported.state.opened
    cruscotto = exported.cruscotto
    values: list[tuple[str, Any]] = [
        (CYCLE_LABELS["id"], cruscotto.stream),
        (CYCLE_LABELS["entity"], opened.entity if opened else None),
        (CYCLE_LABELS["entity_name"], cruscotto.entity_name),
        (CYCLE_LABELS["year"], cruscotto.year),
        (CYCLE_LABELS["source"], opened.source if opened else None),
        (CYCLE_LABELS["policy"], cruscotto.policy.model_dump_json()),
        (CYCLE_LABELS["container"], opened.container if opened else None),
        (CYCLE_LABELS["plan_deadline"], opened.plan_deadline if opened else None),
        (CYCLE_LABELS["relazione_deadline"], opened.relazione_deadline if opened else None),
        (
            CYCLE_LABELS["bodies"],
            json.dumps([b.model_dump(mode="json") for b in opened.bodies], ensure_ascii=False)
            if opened and opened.bodies
            else None,
        ),
        (CYCLE_LABELS["previous"], opened.previous if opened else None),
        (_("situation as of"), cruscotto.as_of),
        (_("ledger"), cruscotto.known_at.isoformat() if cruscotto.known_at else _("last event")),
        (_("ledger digest"), exported.digest.line()),
        (_("performance di ente"), italian_percent(cruscotto.result)),
    ]
    table(
        sheet,
        [_("field"), _("value")],
        [list(pair) for pair in values if pair[1] is not None],
        [30, 100],
    )
    for number in range(2, sheet.max_row + 1):
        if isinstance(sheet.cell(number, 2).value, date):
            sheet.cell(number, 2).number_format = DATE


ROUNDING_MODES = {
    "half_up": N_("half up (from 0.5)"),
    "half_even": N_("half to even"),
    "down": N_("down"),
}
"""The rounding modes in words, translated when the sheet is written."""


def rules_sheet(sheet: Worksheet, exported: CruscottoExport) -> None:
    """The SMVP's rules in words, one row a level, then the ente and the bands.

    The `Ciclo` sheet keeps the same policy as JSON (what `ledger plan import` reads back);
    this one is for the controller and the OIV who read it.
    """
    policy = exported.cruscotto.policy
    body: list[list[Any]] = []
    for depth, rule in enumerate(policy.tree):
        achievement = rule.achievement
        body.append(
            [
                rule.name,
                describe_rollup(rule, policy, depth),
                (
                    _("against its own target")
                    + (
                        _(", at most {cap} %").format(cap=italian_number(achievement.cap, 0))
                        if achievement.capped
                        else ""
                    )
                    if achievement is not None
                    else ""
                ),
                (
                    _("{places} decimals, {mode}").format(
                        places=rule.rounding.places, mode=_(ROUNDING_MODES[rule.rounding.mode])
                    )
                    if rule.rounding is not None
                    else ""
                ),
            ]
        )
    body.append([policy.ente.name, describe_ente(policy), "", ""])
    body.append(["", "", "", ""])
    body += [
        [
            _("Overall rating"),
            _("{label}: from {min} %").format(label=band.label, min=italian_number(band.min, 0)),
            "",
            "",
        ]
        for band in policy.bands
    ]
    table(
        sheet,
        [_("level"), _("how it is computed"), _("achievement"), _("rounding")],
        body,
        [28, 70, 34, 28],
    )
