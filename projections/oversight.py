"""Overrides decided after hearing the OIV, and the figures a Relazione printed.

An override needs a written rationale and the date the OIV was heard; a reported figure is
kept as printed, for the audit to compare with the replay.
"""

from datetime import date
from decimal import Decimal

from events.i18n import _
from events.oversight import OverrideRecorded, OverrideWithdrawn, ReportedFigureRecorded
from ledger.records import Entry
from ledger.store import EventStore
from projections.acts import Actor, Draft, append_act
from projections.errors import ActRefused, UnknownNode
from projections.plan_state import CycleState, Node, find_node
from projections.scale_counts import check_countable


def record_override(
    store: EventStore,
    stream: str,
    node: str,
    achievement: Decimal,
    rationale: str,
    oiv_heard_on: date | None,
    on: date,
    actor: Actor,
    *,
    note: str | None = None,
    source: str | None = None,
    key: str | None = None,
) -> list[Entry]:
    """Override a node's achievement, sentito l'OIV, with a written rationale."""

    def build(state: CycleState) -> list[Draft]:
        if node not in state.nodes:
            raise UnknownNode(node, stream, on)
        if not rationale.strip():
            raise ActRefused(
                _("the override of {node} needs a written rationale").format(node=node)
            )
        if oiv_heard_on is None:
            raise ActRefused(
                _("the override of {node} needs the date the OIV was heard").format(node=node)
            )
        if oiv_heard_on > on:
            raise ActRefused(
                _("the OIV was heard on {heard}, after the override's date {day}").format(
                    heard=oiv_heard_on.isoformat(), day=on.isoformat()
                )
            )
        event = OverrideRecorded(
            node=node,
            achievement=achievement,
            rationale=rationale,
            oiv_heard_on=oiv_heard_on,
            note=note,
            source=source,
        )
        return [Draft(event, on, key)]

    return append_act(store, stream, actor, build, as_of=on)


def withdraw_override(
    store: EventStore,
    stream: str,
    node: str,
    reason: str,
    on: date,
    actor: Actor,
    *,
    source: str | None = None,
) -> list[Entry]:
    """Withdraw the override standing on a node."""

    def build(state: CycleState) -> list[Draft]:
        if node not in state.overrides:
            raise ActRefused(
                _("no override stands on {node} in {stream} on {day}").format(
                    node=node, stream=stream, day=on.isoformat()
                )
            )
        return [Draft(OverrideWithdrawn(node=node, reason=reason, source=source), on)]

    return append_act(store, stream, actor, build, as_of=on)


COUNT_MEASURES = ("strategic_at_100", "strategic_reached", "operational_reached")


def record_reported(
    store: EventStore,
    stream: str,
    figure: ReportedFigureRecorded,
    on: date,
    actor: Actor,
    *,
    key: str | None = None,
) -> list[Entry]:
    """Record a figure a published document printed; the audit compares it with the replay."""

    def build(state: CycleState) -> list[Draft]:
        counted = figure.measure in COUNT_MEASURES
        if counted and figure.node is not None:
            raise ActRefused(
                _("a {measure} figure counts objectives: it names no node").format(
                    measure=figure.measure
                )
            )
        node = None
        if figure.node is not None:
            node = _node_by_key_or_code(state, figure.node)
            if node is None:
                raise UnknownNode(figure.node, stream, on)
            if figure.measure == "measured" and node.kpi is None:
                raise ActRefused(
                    _("{node} is not an indicator: only indicators have a measured value").format(
                        node=figure.node
                    )
                )
            rule = state.policy.rule(node.level)
            if figure.measure == "achievement" and rule.achievement is None:
                with_target = [r for r in state.policy.tree if r.achievement is not None]
                what = (
                    _("a strategic objective")
                    if [r.key for r in with_target] == ["strategic"]
                    else _("a node of level {levels}").format(
                        levels=" or ".join(repr(r.name) for r in with_target) or "-"
                    )
                )
                raise ActRefused(
                    _(
                        "{node} is not {what}: only those have a % raggiungimento (name no node "
                        "for the ente's)"
                    ).format(node=figure.node, what=what)
                )
        if figure.level is not None:
            check_countable(state, figure.level, node)
        return [Draft(figure, on, key)]

    return append_act(store, stream, actor, build, as_of=on, allow_closed=False)


def _node_by_key_or_code(state: CycleState, text: str) -> Node | None:
    return find_node(state, text)
