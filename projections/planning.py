"""The Piano as acts: a plan file recorded as pending changes, amendments, withdrawals.

Plan changes are checked when recorded against the cycle's tree: keys that clash, parents
missing or of the wrong level, a KPI where no indicator is, a weight where the SMVP's rule
reads none, a figure fed back into its own inputs. Their weights' sums are checked when an
approval would put them in force (projections/acts.py).
"""

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from events.base import LedgerEvent
from events.cycle import CycleOpened
from events.i18n import _
from events.plan import (
    ManagerialObjectiveAssigned,
    ObjectiveAmended,
    ObjectiveDefined,
    ObjectiveWithdrawn,
    PerspectiveDefined,
)
from events.policy import ScoringPolicy
from ledger.records import Entry
from ledger.store import EventStore
from projections.acts import Actor, Draft, append_act
from projections.dependencies import ENTE, check_no_cycle
from projections.errors import ActRefused, UnknownNode
from projections.plan_document import PlanDocument
from projections.plan_state import CycleState, apply_plan_change, find_node, projected
from projections.weights import weighted_group


def import_plan(
    store: EventStore,
    document: PlanDocument,
    on: date,
    actor: Actor,
    *,
    key_prefix: str | None,
    source: str | None = None,
) -> list[Entry]:
    """Record a plan file: open its cycle if needed, then its tree as pending changes.

    With `key_prefix`, every event carries an idempotency key, so importing the same file
    again records nothing. `source` names the document for a backfill, where the file names
    none itself.
    """
    stream = document.cycle.id

    def build(state: CycleState) -> list[Draft]:
        drafts: list[Draft] = []
        events = document.plan_events(source)
        if key_prefix and key_prefix in state.keys:
            return []  # the same file again: nothing to record
        if state.opened is None:
            drafts.append(Draft(document.cycle_event(source), on, _key(key_prefix, "cycle")))
            policy = document.cycle.policy
        elif state.opened.policy != document.cycle.policy:
            raise ActRefused(
                _("cycle {stream} is open with another scoring policy than the file's").format(
                    stream=stream
                )
            )
        else:
            policy = state.opened.policy
        check_plan_changes(state, events, stream, policy)
        drafts += [Draft(e, on, _key(key_prefix, _plan_key(e))) for e in events]
        if drafts and key_prefix:
            # The last event carries the bare prefix: its presence says the whole file is in.
            drafts[-1] = replace(drafts[-1], idempotency_key=key_prefix)
        return drafts

    return append_act(store, stream, actor, build, must_exist=False)


def _key(prefix: str | None, suffix: str) -> str | None:
    return f"{prefix}:{suffix}" if prefix else None


def _plan_key(event: LedgerEvent) -> str:
    key = getattr(event, "key", "")
    return f"{event.type_name}:{key}"


def check_plan_changes(
    state: CycleState,
    events: Sequence[LedgerEvent],
    stream: str,
    policy: ScoringPolicy | None = None,
) -> None:
    """Refuse plan changes that do not fit the cycle's tree, naming the node and the key."""
    after = projected(state, date.max)
    if state.opened is None:
        # A new cycle: its plan is checked against the policy it is about to open with.
        opened = CycleOpened(entity="-", entity_name="-", year=1, policy=policy or state.policy)
        after = replace(after, opened=opened)
    checker = _TreeCheck(after, after.policy, stream)
    for event in events:
        checker.check(event)
        apply_plan_change(after, event, date.max)
    for reference in checker.references:  # checked last: a plan may name a node defined later
        if find_node(after, reference) is None:
            raise UnknownNode(reference, stream)
    check_no_cycle(after, stream)


class _TreeCheck:
    """The checks of one batch of plan changes, against the plan as it will be."""

    def __init__(self, state: CycleState, policy: ScoringPolicy, stream: str) -> None:
        self.state = state
        self.policy = policy
        self.stream = stream
        self.keys = [rule.key for rule in policy.tree]
        self.references: list[str] = []

    def check(self, event: LedgerEvent) -> None:
        match event:
            case PerspectiveDefined():
                self._new_key(event.key)
                if self.keys[0] != "perspective":
                    raise ActRefused(
                        _(
                            "{key}: the tree of {stream} has no perspectives (its top level is "
                            "{level!r})"
                        ).format(key=event.key, stream=self.stream, level=self.keys[0])
                    )
            case ObjectiveDefined():
                self._new_key(event.key)
                self._placed(event)
                self._fields(event.key, event.level, event)
                self._weight(event.key, event.parent, event.weight)
            case ObjectiveAmended():
                node = self.state.nodes.get(event.key)
                if node is None:
                    raise UnknownNode(event.key, self.stream)
                self._fields(event.key, node.level, event)
                self._weight(event.key, node.parent, event.weight)
            case ObjectiveWithdrawn():
                if event.key not in self.state.nodes:
                    raise UnknownNode(event.key, self.stream)
            case ManagerialObjectiveAssigned():
                for item in event.items:
                    if item.action != ENTE and find_node(self.state, item.action) is None:
                        raise UnknownNode(item.action, self.stream)
            case _:
                raise ActRefused(_("{type} is not a plan change").format(type=event.type_name))

    def _new_key(self, key: str) -> None:
        if key in self.state.nodes:
            raise ActRefused(
                _("{key} is already in the plan of {stream} (amend it instead)").format(
                    key=key, stream=self.stream
                )
            )

    def _placed(self, event: ObjectiveDefined) -> None:
        if event.level not in self.keys:
            raise ActRefused(
                _(
                    "{key}: level {level!r} is not a level of the tree of {stream} ({levels})"
                ).format(
                    key=event.key,
                    level=event.level,
                    stream=self.stream,
                    levels=", ".join(self.keys),
                )
            )
        depth = self.keys.index(event.level)
        if depth == 0:
            if event.parent is not None:
                raise ActRefused(
                    _(
                        "{key}: a node of the top level ({level}) has no parent, not {parent}"
                    ).format(key=event.key, level=event.level, parent=event.parent)
                )
            return
        above = self.keys[depth - 1]
        if event.parent is None:
            raise ActRefused(
                _("{key}: {level} {key} needs a parent of level {above}").format(
                    key=event.key, level=event.level, above=above
                )
            )
        parent = self.state.nodes.get(event.parent)
        if parent is None:
            raise UnknownNode(event.parent, self.stream)
        if parent.level != above:
            raise ActRefused(
                _("{level} {key} must sit under {above}, but {parent} is {parent_level}").format(
                    level=event.level,
                    key=event.key,
                    above=_a(above),
                    parent=event.parent,
                    parent_level=_a(parent.level),
                )
            )

    def _fields(self, key: str, level: str, event: ObjectiveDefined | ObjectiveAmended) -> None:
        rule = self.policy.rule(level)
        indicator = rule.rollup == "kpi"
        if indicator and isinstance(event, ObjectiveDefined) and event.kpi is None:
            raise ActRefused(_("{level} {key} needs a KPI").format(level=level, key=key))
        if not indicator and event.kpi is not None:
            raise ActRefused(
                _(
                    "{level} objective {key} cannot have a KPI (only the indicators of level "
                    "{leaf!r} have one)"
                ).format(level=level, key=key, leaf=self.keys[-1])
            )
        given = "targets" if event.targets is not None else "target"
        if rule.achievement is None and (event.target is not None or event.targets is not None):
            raise ActRefused(
                _(
                    "{key}: {given} is not used: level {level!r} has no achievement against a "
                    "target of its own (its policy rule names none)"
                ).format(key=key, given=given, level=level)
            )
        reference = event.kpi.derived_from if event.kpi is not None else None
        if reference is not None and reference.node != ENTE:
            self.references.append(reference.node)

    def _weight(self, key: str, parent: str | None, weight: object) -> None:
        if weight is None or weighted_group(self.state, parent) or self._weighted_root(parent):
            return
        owner = self.state.nodes.get(parent) if parent is not None else None
        rule = self.policy.ente if owner is None else self.policy.rule(owner.level)
        above = "the ente" if owner is None else f"{parent} ({rule.name})"
        raise ActRefused(
            _(
                "{key}: weight {weight} is not used: {above} rolls up by {rollup}, which reads no "
                "weights (leave them out)"
            ).format(key=key, weight=weight, above=above, rollup=rule.rollup)
        )

    def _weighted_root(self, parent: str | None) -> bool:
        return parent is None and self.policy.ente.rollup == "weighted_sum"


def _a(level: str) -> str:
    return f"an {level}" if level[0] in "aeiou" else f"a {level}"


def change_plan(
    store: EventStore,
    stream: str,
    events: Sequence[LedgerEvent],
    on: date,
    actor: Actor,
    *,
    source: str | None = None,
) -> list[Entry]:
    """Record amendments or withdrawals; pending until an approval puts them in force."""

    def build(state: CycleState) -> list[Draft]:
        stamped = [
            event.model_copy(update={"source": source}) if source else event for event in events
        ]
        check_plan_changes(state, stamped, stream)
        return [Draft(event, on) for event in stamped]

    return append_act(store, stream, actor, build)
