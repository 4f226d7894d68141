"""The columns of the Cruscotto sheet: which levels, which fields, and what each cell holds.

Each level of the plan's tree gets the columns its rule gives its nodes (a weight only where
a node has one, a target and an achievement only where the level has an achievement); the
indicators get the KPI, the measured value, the scores, the override and the KPI's details,
and the KPI whole as JSON where the details cannot say it. `ledger plan import` reads these
columns back (formats/readers/plan_columns.py), so what is written here is a plan file too.
"""

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from events.exact import fraction_text, terminates
from events.i18n import N_, _, language
from events.plan import Kpi
from events.policy import LevelRule
from formats.readers.plan_kpi import DIRECTION_LABELS, KIND_LABELS
from formats.writers.cruscotto_data import CruscottoExport
from formats.writers.xlsx_sheets import DATE, PERCENT, percent, result
from projections.cruscotto import NodeResult
from projections.numbers import italian_number
from projections.plan_state import Node


@dataclass(frozen=True)
class Row:
    """One indicator of the cruscotto with the nodes above it, results and plan side by side."""

    path: tuple[NodeResult, ...]
    plan: Node

    @property
    def action(self) -> NodeResult:
        return self.path[-1]


@dataclass(frozen=True)
class Column:
    """A column of the Cruscotto sheet: its group, its label, its level (depth), what it shows."""

    group: str
    label: str
    level: int
    value: Callable[[Row, CruscottoExport], Any]
    width: int = 12
    fmt: str | None = None


def _kpi(row: Row) -> Kpi | None:
    return row.plan.kpi


def _measured(row: Row, exported: CruscottoExport) -> Any:
    observation = exported.state.observation(row.action.key)
    if observation is not None and observation.bound is not None:
        return observation.shown()  # `≥ 95`: text, never silently the number
    if observation is not None and observation.value is not None:
        return observation.value
    return row.action.measured


def _override(node: NodeResult, field: str) -> Any:
    if node.override is None:
        return None
    return {
        "value": percent(node.override.achievement),
        "rationale": node.override.rationale,
        "heard": node.override.oiv_heard_on,
    }[field]


def _threshold(row: Row, level: str) -> Decimal | None:
    kpi = _kpi(row)
    found = [t.value for t in kpi.thresholds if t.level == level] if kpi else []
    return found[0] if found else None


def _inferred(row: Row) -> str | None:
    kpi = _kpi(row)
    levels = [t.level for t in kpi.thresholds if t.inferred] if kpi else []
    return ", ".join(levels) or None


def _plan(name: str) -> Callable[[Row, CruscottoExport], Any]:
    """A KPI field of the action's plan node (None for an action without one)."""

    def get(row: Row, exported: CruscottoExport) -> Any:
        kpi = _kpi(row)
        return None if kpi is None else getattr(kpi, name)

    return get


def _node(
    level: int, name: str, shown: Callable[[Any], Any] = lambda v: v
) -> Callable[[Row, CruscottoExport], Any]:
    """A field of the row's node at depth `level`, passed through `shown` (e.g. `result`)."""

    def get(row: Row, exported: CruscottoExport) -> Any:
        return shown(getattr(row.path[level], name))

    return get


def _yearly(level: int) -> Callable[[Row, CruscottoExport], Any]:
    """A triennial plan's targets of the node, `2021: 80; 2022: 85`, as the import reads them."""

    def get(row: Row, exported: CruscottoExport) -> Any:
        node = exported.state.nodes.get(row.path[level].key)
        if node is None or not node.targets:
            return None
        return "; ".join(
            f"{year}: {italian_number(node.targets[year])}" for year in sorted(node.targets)
        )

    return get


def _weight(level: int) -> Callable[[Row, CruscottoExport], Any]:
    """A weight as Excel stores a percentage; one with no finite decimal form (1/3) as its
    exact text, which `ledger plan import` reads back exactly."""

    def get(row: Row, exported: CruscottoExport) -> Any:
        node = row.path[level]
        exact = exported.state.nodes[node.key].weight if node.key in exported.state.nodes else None
        if exact is not None and not terminates(exact):
            return fraction_text(exact)
        return percent(node.weight)

    return get


REFERENCE_GROUPS = (
    N_("BSC perspective"),
    N_("Strategic objective"),
    N_("Operational objectives"),
    N_("Actions"),
)
"""The reference's group headers, translated when the columns are made (the language is chosen
at run time); the importers read them back in either language (formats/readers/header_words.py)."""
GR, GK = N_("Achievement percentage"), N_("KPI details")


def columns(exported: CruscottoExport) -> list[Column]:
    """The Cruscotto sheet's columns: each level's, then the indicators' and their results;
    a weight column only where some node has a weight."""
    levels = exported.cruscotto.levels
    reference = exported.cruscotto.policy.is_reference_tree
    groups = (
        tuple(_(g) for g in REFERENCE_GROUPS)
        if reference
        else tuple(rule.shown_plural for rule in levels)
    )
    nodes = list(exported.cruscotto.nodes())
    found: list[Column] = []
    for depth, rule in enumerate(levels[:-1]):
        of_level = [node for node in nodes if node.level == rule.key]
        weighted = any(node.weight is not None for node in of_level)
        coded = any(node.code for node in of_level)
        if reference:
            found += _reference_level(depth, groups[depth], weighted, coded)
        else:
            found += _level(depth, groups[depth], rule, weighted, coded)
        if any(
            exported.state.nodes[n.key].targets for n in of_level if n.key in exported.state.nodes
        ):
            found.append(Column(groups[depth], _("targets by year"), depth, _yearly(depth), 22))
    found += _indicator(len(levels) - 1, groups[-1])
    return found


def _reference_level(depth: int, group: str, weighted: bool, coded: bool) -> list[Column]:
    """The reference's perspective, strategic and operational columns, as the seed lays them."""
    if depth == 0:
        found = [
            Column(group, _("title / description"), depth, _node(depth, "title"), 22),
            Column(group, _("Result"), depth, _node(depth, "result", result), 11, PERCENT),
            Column(group, _("key"), depth, _node(depth, "key"), 14),
        ]
        if weighted:
            found.append(Column(group, _("weight"), depth, _weight(depth), 8, "weight"))
        return found
    if depth == 1:
        found = [
            Column(group, _("title / description"), depth, _node(depth, "title"), 24),
            Column(group, _("key"), depth, _node(depth, "key"), 14),
        ]
        if coded:
            found.append(Column(group, _("code"), depth, _node(depth, "code"), 7))
        if weighted:
            found.append(Column(group, _("weight"), depth, _weight(depth), 8, "weight"))
        return [
            *found,
            Column(group, _("Target"), depth, _node(depth, "target", percent), 9, "weight"),
            Column(group, _("Result"), depth, _node(depth, "result", result), 11, PERCENT),
            Column(
                group, _("% achievement"), depth, _node(depth, "achievement", result), 13, PERCENT
            ),
            Column(group, _("Overall rating"), depth, _node(depth, "band"), 13),
        ]
    return [
        Column(group, _("code"), depth, _node(depth, "code"), 7),
        Column(group, _("title / description"), depth, _node(depth, "title"), 24),
        Column(group, _("weight"), depth, _weight(depth), 8, "weight"),
        Column(group, _("Result"), depth, _node(depth, "result", result), 11, PERCENT),
    ]


def _level(depth: int, group: str, rule: LevelRule, weighted: bool, coded: bool) -> list[Column]:
    """The columns of a level of any other tree: what its rule gives its nodes."""
    found = []
    if coded:
        found.append(Column(group, _("code"), depth, _node(depth, "code"), 8))
    found += [
        Column(group, _("title / description"), depth, _node(depth, "title"), 24),
        Column(group, _("key"), depth, _node(depth, "key"), 14),
    ]
    if weighted:
        found.append(Column(group, _("weight"), depth, _weight(depth), 8, "weight"))
    if rule.achievement is not None:
        found.append(
            Column(group, _("Target"), depth, _node(depth, "target", percent), 9, "weight")
        )
    found.append(Column(group, _("Result"), depth, _node(depth, "result", result), 11, PERCENT))
    if rule.achievement is not None:
        found.append(
            Column(
                group, _("% achievement"), depth, _node(depth, "achievement", result), 13, PERCENT
            )
        )
    if rule.has_band:
        found.append(Column(group, _("Overall rating"), depth, _node(depth, "band"), 13))
    return found


def _indicator(depth: int, group: str) -> list[Column]:
    """The indicators' columns: the KPI, the measured value, the scores and the KPI's details."""
    gr, gk = _(GR), _(GK)
    return [
        Column(group, _("code"), depth, _node(depth, "code"), 8),
        Column(group, _("title / description"), depth, _node(depth, "title"), 28),
        Column(group, _("Weight"), depth, _weight(depth), 8, "weight"),
        Column(group, _("kpi"), depth, _node(depth, "kpi"), 32),
        Column(group, _("target"), depth, _plan("target_label"), 12),
        Column(
            group, _("medium threshold"), depth, lambda r, e: _threshold(r, "medio"), 9, "number"
        ),
        Column(
            group, _("minimum threshold"), depth, lambda r, e: _threshold(r, "minimo"), 9, "number"
        ),
        Column(group, _("Result"), depth, _measured, 13, "measured"),
        Column(gr, _("computed achievement"), depth, _node(depth, "computed", result), 11, PERCENT),
        Column(
            gr,
            _("override (OIV heard)"),
            depth,
            lambda r, e: _override(r.action, "value"),
            12,
            PERCENT,
        ),
        Column(gr, _("final score"), depth, _node(depth, "result", result), 11, PERCENT),
        Column(
            gr,
            _("rationale of the override"),
            depth,
            lambda r, e: _override(r.action, "rationale"),
            40,
        ),
        Column(gr, _("OIV heard on"), depth, lambda r, e: _override(r.action, "heard"), 12, DATE),
        Column(gk, _("kind"), depth, _kind, 12),
        Column(gk, _("unit"), depth, _plan("unit"), 10),
        Column(gk, _("direction"), depth, _direction, 10),
        Column(gk, _("target value"), depth, _plan("target"), 10, "number"),
        Column(gk, _("inferred thresholds"), depth, lambda r, e: _inferred(r), 12),
        Column(gk, _("deadline"), depth, _plan("deadline"), 11, DATE),
        Column(gk, _("cap"), depth, _plan("cap"), 8, "number"),
        Column(gk, _("kpi (JSON)"), depth, _whole_kpi, 30),
    ]


COLUMN_FIELDS = frozenset(
    {
        "description",
        "kind",
        "unit",
        "direction",
        "target",
        "target_label",
        "thresholds",
        "cap",
        "deadline",
    }
)
"""The KPI's fields the columns above carry; a KPI with any other is written whole as JSON."""


def _whole_kpi(row: Row, exported: CruscottoExport) -> str | None:
    kpi = _kpi(row)
    if kpi is None:
        return None
    given = kpi.model_dump(mode="json", exclude_defaults=True)
    if set(given) <= COLUMN_FIELDS:
        return None
    given.pop("description", None)
    return json.dumps(given, ensure_ascii=False, separators=(", ", ": "))


def _kind(row: Row, exported: CruscottoExport) -> str | None:
    kpi = _kpi(row)
    if kpi is None:
        return None
    # the kind's Italian word, or in English its identifier: `ledger plan import` reads both
    return KIND_LABELS[kpi.kind] if language() == "it" else kpi.kind


def _direction(row: Row, exported: CruscottoExport) -> str | None:
    kpi = _kpi(row)
    if kpi is None or kpi.kind not in ("threshold", "proportional", "linear"):
        return None
    return DIRECTION_LABELS[kpi.direction] if language() == "it" else kpi.direction


def rows(exported: CruscottoExport) -> Iterator[Row]:
    """One row per indicator, in the plan's order, with the nodes above it."""

    def down(node: NodeResult, above: tuple[NodeResult, ...]) -> Iterator[Row]:
        path = (*above, node)
        if node.is_indicator:
            yield Row(path, exported.state.nodes[node.key])
        for child in node.children:
            yield from down(child, path)

    for root in exported.cruscotto.roots:
        yield from down(root, ())
