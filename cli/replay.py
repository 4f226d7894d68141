"""`ledger replay`: the cruscotto as of a date, rebuilt from the events alone."""

from datetime import date, datetime
from typing import Annotated, Any

import typer

from cli.context import settings, today
from cli.options import CycleOption, FormatOption, OutputFormat, _date, _datetime
from cli.render import fold, show, to_table
from cli.terminal import echo
from events.i18n import _, ngettext
from events.policy import LevelRule
from formats.italian_dates import italian_moment
from formats.serial import to_csv, to_json
from formats.writers.cruscotto_rows import CSV_COLUMNS, flat_rows, summary_rows
from ledger.store import SqlEventStore
from projections import acts
from projections.contract import cruscotto_contract
from projections.cruscotto import Cruscotto, NodeResult, replay, with_previous
from projections.cycles import previous_of
from projections.errors import ActRefused
from projections.numbers import italian_percent


def register(app: typer.Typer) -> None:
    app.command("replay")(replay_command)


def replay_command(
    ctx: typer.Context,
    as_of: Annotated[
        date | None,
        typer.Option(
            "--as-of",
            parser=_date,
            metavar="DATE",
            help="The date, 30/06/2021 or 2021-06-30; when omitted, today.",
        ),
    ] = None,
    known_at: Annotated[
        datetime | None,
        typer.Option(
            "--known-at",
            parser=_datetime,
            metavar="TIME",
            help="What the ledger held at that time (default now).",
        ),
    ] = None,
    previous: Annotated[
        bool,
        typer.Option(
            "--previous",
            help="Show last year's result beside this year's (the cycle before, as it ended).",
        ),
    ] = False,
    cycle: CycleOption = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Rebuild the cruscotto as of a date (and as known at a time).

    Example: ledger replay --as-of 30/04/2021 --format json
    """
    store = settings(ctx).store()
    try:
        stream = acts.resolve_cycle(store, cycle)
        require_known_at(store, stream, known_at)
        cruscotto = replay(
            store.read_stream(stream, known_at=known_at),
            stream,
            as_of=as_of or today(),
            known_at=known_at,
        )
        if previous:
            before = previous_of(store, stream)
            if before is None:
                raise ActRefused(
                    _(
                        "{stream} has no previous cycle in this ledger (name it as the plan "
                        "file's cycle.previous, or record the year before)"
                    ).format(stream=stream)
                )
            last = replay(
                store.read_stream(before, known_at=known_at),
                before,
                as_of=date.max,
                known_at=known_at,
            )
            cruscotto = with_previous(cruscotto, last)
    finally:
        store.close()
    if output is OutputFormat.json:
        echo(to_json(cruscotto_contract(cruscotto)))
    elif output is OutputFormat.csv:
        echo(to_csv(flat_rows(cruscotto) + summary_rows(cruscotto), CSV_COLUMNS), nl=False)
    else:
        show(render_table(cruscotto))


def require_known_at(store: SqlEventStore, stream: str, known_at: datetime | None) -> None:
    """Refuse a --known-at before the cycle's first event: the ledger had nothing to show.

    A page drawn from no event would carry the digest of an empty ledger (seq=0) as if it were
    the cycle's; the reader is told instead when the cycle began to be recorded.
    """
    if known_at is None:
        return
    first = next(iter(store.read_stream(stream)), None)
    if first is not None and first.recorded_at > known_at:
        raise ActRefused(
            _(
                "{stream} was not in the ledger yet at {known_at}: its first event was "
                "recorded at {first} (give a later --known-at)"
            ).format(
                stream=stream,
                known_at=italian_moment(known_at),
                first=italian_moment(first.recorded_at),
            )
        )


def render_table(cruscotto: Cruscotto) -> str:
    """The cruscotto as the Relazione prints it, in Italian, with the overrides beside."""
    when = _("as of {day}").format(day=cruscotto.as_of.strftime("%d/%m/%Y"))
    if cruscotto.known_at is not None:
        when += _(", as known at {time}").format(time=italian_moment(cruscotto.known_at))
    title = _("Performance cruscotto {year} - {entity} ({when})").format(
        year=cruscotto.year or "", entity=cruscotto.entity_name, when=when
    )
    if not cruscotto.plan_in_force:
        pending = cruscotto.pending_changes
        detail = (
            " ("
            + ngettext(
                "{count} change pending approval", "{count} changes pending approval", pending
            ).format(count=pending)
            + ")"
            if pending
            else ""
        )
        missing = _("no plan in force on {day}").format(day=cruscotto.as_of.strftime("%d/%m/%Y"))
        return f"{title}\n\n{missing}{detail}"
    parts = [fold(title), "", _tree(cruscotto)]
    for rule in cruscotto.levels:
        if rule.achievement is not None:
            parts += ["", rule.shown_plural, _achieved(cruscotto, rule)]
    top = cruscotto.levels[0]
    if top.achievement is None:
        parts += ["", top.shown_plural, _roots(cruscotto, top)]
    if cruscotto.managers:
        parts += ["", "Obiettivi dirigenziali", _managers(cruscotto)]
    parts += ["", _ente(cruscotto)]
    if cruscotto.pending_changes:
        parts.append(
            ngettext(
                "{count} plan change pending approval",
                "{count} plan changes pending approval",
                cruscotto.pending_changes,
            ).format(count=cruscotto.pending_changes)
        )
    if cruscotto.closed:
        parts.append(_("cycle closed"))
    return "\n".join(parts)


def _tree(cruscotto: Cruscotto) -> str:
    reference = cruscotto.policy.is_reference_tree
    depth = {rule.key: index for index, rule in enumerate(cruscotto.levels)}
    rows = []
    for node in cruscotto.nodes():
        level = depth.get(node.level, 0)
        if reference and level == 0:
            continue
        indent = "  " * (level - 1 if reference else level)
        override = italian_percent(node.override.achievement) if node.override else ""
        rows.append(
            [
                indent + (node.code or ("" if reference else node.key)),
                _short(node.title),
                _pct(node.weight),
                _short(node.kpi or ""),
                node.target_label if node.is_indicator else _pct(node.target),
                node.measured or "",
                italian_percent(node.computed),
                override,
                italian_percent(node.result),
            ]
        )
    return to_table(
        rows,
        [
            _("code"),
            _("title / description"),
            _("Peso"),
            "kpi",
            "target",
            _("Result"),
            _("computed"),
            _("override (OIV heard)"),
            _("% achievement"),
        ],
        optional=[3],
        short={4: "target", 5: _("Result"), 6: _("comp."), 7: "override", 8: _("% ach.")},
    )


def _achieved(cruscotto: Cruscotto, rule: LevelRule) -> str:
    previous = cruscotto.previous_stream is not None
    rows = []
    for n in cruscotto.of_level(rule.key):
        row = [
            n.title,
            italian_percent(n.result),
            italian_percent(n.target),
            italian_percent(n.achievement),
            n.band or "",
            _coverage(n),
        ]
        if previous:
            row.append(italian_percent(n.previous_achievement))
        rows.append(row)
    headers = [
        rule.name,
        _("Measured result"),
        "Target",
        _("% Achievement"),
        _("Overall rating"),
        _("Coverage"),
    ]
    if previous:
        headers.append(_("Previous year ({cycle})").format(cycle=cruscotto.previous_stream))
    return to_table(rows, headers)


def _roots(cruscotto: Cruscotto, rule: LevelRule) -> str:
    previous = cruscotto.previous_stream is not None
    rows = []
    for root in cruscotto.roots:
        row = [root.title, italian_percent(root.result)]
        if rule.has_band:
            row.append(root.band or "")
        if previous:
            row.append(italian_percent(root.previous_result))
        rows.append(row)
    headers = [rule.name, "Performance"]
    if rule.has_band:
        headers.append(_("Overall rating"))
    if previous:
        headers.append(_("Previous year ({cycle})").format(cycle=cruscotto.previous_stream))
    return to_table(rows, headers)


def _managers(cruscotto: Cruscotto) -> str:
    rows = []
    for manager in cruscotto.managers:
        for code, title, weight, result in manager.items:
            rows.append([manager.manager, code, title, _pct(weight), italian_percent(result)])
        rows.append([manager.manager, "", _("total"), "", italian_percent(manager.result)])
    headers = [_("Manager"), _("Code"), "Obiettivo", _("Peso"), _("Achievement")]
    return to_table(rows, headers)


def _ente(cruscotto: Cruscotto) -> str:
    line = f"{cruscotto.policy.ente.name}: {italian_percent(cruscotto.result)}"
    if cruscotto.band:
        line += f" ({cruscotto.band})"
    if cruscotto.coverage < 100:
        line += _(" - coverage of the measurements {coverage}").format(
            coverage=italian_percent(cruscotto.coverage)
        )
    if cruscotto.previous_stream is not None:
        line += _(" - previous year ({cycle}): {result}").format(
            cycle=cruscotto.previous_stream, result=italian_percent(cruscotto.previous_result)
        )
    return line


def _short(text: str, width: int = 48) -> str:
    """Long KPI texts are cut in the table; JSON and CSV carry them whole."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _pct(value: Any) -> str:
    return (
        ""
        if value is None
        else italian_percent(value, 0)
        if value == int(value)
        else italian_percent(value)
    )


def _coverage(node: NodeResult) -> str:
    return "" if node.coverage == 100 else italian_percent(node.coverage)
