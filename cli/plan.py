"""`ledger plan import` and `ledger plan show`: the Piano della Performance."""

import hashlib
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any

import typer

from cli.context import settings, today
from cli.errors import refused_rows_reported
from cli.options import CycleOption, EffectiveOption, FormatOption, OutputFormat, _date
from cli.render import to_table
from cli.terminal import echo
from events.exact import fraction_text, terminates, to_decimal_exact
from events.i18n import _, ngettext
from formats.readers.documents import load_document
from formats.readers.plan_xlsx import import_plan_workbook
from formats.readers.sheets import SPREADSHEETS
from formats.serial import to_csv, to_json
from ledger.store import EventStore
from projections import acts, planning
from projections.numbers import italian_number, rounded
from projections.plan_document import plan_document
from projections.plan_state import CycleState, Node, fold
from projections.rollup import to_decimal

app = typer.Typer(help="Import and show the Piano della Performance.", no_args_is_help=True)


def import_file(
    store: EventStore, path: Path, on: date, actor: acts.Actor, cycle: str | None = None
) -> tuple[str, int]:
    """Record a plan file as pending changes; the same file again records nothing.

    An .xlsx is read as the cruscotto is laid out (cli/xlsx_plan.py). With `cycle`, the plan
    goes into that cycle instead of the one the file names.
    """
    if path.suffix.lower() in SPREADSHEETS:
        return import_plan_workbook(store, path, on, actor, cycle=cycle)
    document = plan_document(load_document(path), str(path))
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    prefix = f"plan-file:{digest}"
    if cycle:
        document = document.model_copy(
            update={"cycle": document.cycle.model_copy(update={"id": cycle})}
        )
        prefix += f":{cycle}"
    entries = planning.import_plan(store, document, on, actor, key_prefix=prefix)
    return document.cycle.id, len(entries)


@app.command("import")
def import_plan(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(help="The plan file: YAML, JSON, or .xlsx laid out as the cruscotto.")
    ],
    on: EffectiveOption = None,
    cycle: Annotated[
        str | None,
        typer.Option("--cycle", help="Record into this cycle instead of the one the file names."),
    ] = None,
) -> None:
    """Record a plan file; its changes stay pending until an approval puts them in force.

    Example: ledger plan import piano-2020.yaml --date 20/01/2020
    """
    chosen = settings(ctx)
    store = chosen.store()
    try:
        with refused_rows_reported():
            stream, count = import_file(
                store, file, on or today(), chosen.acting("controller"), cycle
            )
    finally:
        store.close()
    if count == 0:
        echo(
            _("{file}: already recorded in {cycle}; nothing to do").format(file=file, cycle=stream)
        )
    else:
        echo(
            f"recorded {count} events in {stream}: the plan is pending until approved "
            "(ledger record approval plan --act ...)"
        )


@app.command("show")
def show(
    ctx: typer.Context,
    cycle: CycleOption = None,
    as_of: Annotated[
        date | None,
        typer.Option("--as-of", parser=_date, metavar="DATE", help="Default: today."),
    ] = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Show the plan in force (and the changes pending approval).

    Example: ledger plan show --as-of 31/12/2020
    """
    store = settings(ctx).store()
    try:
        stream = acts.resolve_cycle(store, cycle)
        state = fold(store.read_stream(stream), stream, as_of=as_of or today())
    finally:
        store.close()
    rows = [_node_row(node, state) for node in _in_tree_order(state)]
    if output is OutputFormat.json:
        echo(to_json({"cycle": stream, "nodes": rows, "pending": len(state.pending)}))
        return
    if output is OutputFormat.csv:
        echo(to_csv(rows, list(rows[0]) if rows else ["key"]), nl=False)
        return
    if not rows:
        echo(_("{stream}: no plan in force yet").format(stream=stream))
    else:
        echo(
            to_table(
                [
                    [_indent(r), r["title"], _pct(r), r["kpi"] or "", r["target"] or ""]
                    for r in rows
                ],
                [_("Node"), _("Title"), _("Peso"), "KPI", "Target"],
            )
        )
    if state.pending:
        echo(
            ngettext(
                "{count} plan change pending approval",
                "{count} plan changes pending approval",
                len(state.pending),
            ).format(count=len(state.pending))
        )


def _in_tree_order(state: CycleState) -> list[Node]:
    ordered: list[Node] = []

    def visit(parent: str | None) -> None:
        for child in state.children(parent):
            ordered.append(child)
            visit(child.key)

    visit(None)
    return ordered


def _node_row(node: Node, state: CycleState) -> dict[str, Any]:
    kpi = node.kpi
    target = None
    if kpi is not None:
        number = kpi.target_for(state.year)
        target = kpi.target_label or (
            italian_number(to_decimal(number) or Decimal(0)) if number is not None else None
        )
    elif node.target_for(state.year) is not None:
        target = italian_number(node.target_for(state.year) or Decimal(0))
    try:
        depth = state.policy.depth(node.level)
        level_name = state.policy.rule(node.level).name
    except (KeyError, ValueError):
        depth, level_name = 0, node.level
    return {
        "key": node.key,
        "level": node.level,
        "code": node.code,
        "parent": node.parent,
        "title": node.title,
        "weight": _weight(node, state.children(node.parent)),
        "kpi": kpi.description if kpi else None,
        "kind": kpi.kind if kpi else None,
        "target": target,
        "in_force_from": node.in_force_from,
        "level_name": level_name,
        "depth": depth,
        "weight_exact": None if node.weight is None else fraction_text(node.weight),
    }


def _weight(node: Node, siblings: list[Node]) -> Decimal | None:
    """The weight as a percentage (shares summing to 1 are × 100), exact where it has a finite
    decimal form (`10`, `12.5`), else rounded to two places; its text as written is in
    `weight_exact`."""
    if node.weight is None:
        return None
    total = sum((sibling.weight or Fraction(0) for sibling in siblings), Fraction(0))
    percent = node.weight * 100 if total == 1 else node.weight
    return to_decimal_exact(percent) if terminates(percent) else rounded(to_decimal(percent))


def _indent(row: dict[str, Any]) -> str:
    return "  " * int(row["depth"]) + str(row["code"] or row["key"])


def _pct(row: dict[str, Any]) -> str:
    exact = row["weight_exact"]
    if exact is None:
        return ""
    if "/" in exact or Decimal(exact) != row["weight"]:  # a fraction, or a share of 1
        return f"{exact} ({italian_number(row['weight'])} %)"
    return f"{italian_number(row['weight'])} %"
