"""The Piano as acts: a plan file recorded as pending changes, amendments, withdrawals.

Plan changes are checked for clashing keys and misplaced parents when recorded; their
weights are checked when an approval would put them in force (projections/acts.py).
"""

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from events.base import LedgerEvent
from events.plan import (
    ManagerialObjectiveAssigned,
    ObjectiveAmended,
    ObjectiveDefined,
    ObjectiveWithdrawn,
    PerspectiveDefined,
)
from ledger.records import Entry
from ledger.store import EventStore
from projections.acts import Actor, Draft, append_act
from projections.errors import ActRefused, UnknownNode
from projections.plan_document import PlanDocument
from projections.plan_state import LEVEL_ORDER, CycleState, projected


def import_plan(
    store: EventStore, document: PlanDocument, on: date, actor: Actor, *, key_prefix: str | None
) -> list[Entry]:
    """Record a plan file: open its cycle if needed, then its tree as pending changes.

    With `key_prefix`, every event carries an idempotency key, so importing the same file
    again records nothing.
    """
    stream = document.cycle.id

    def build(state: CycleState) -> list[Draft]:
        drafts: list[Draft] = []
        events = document.plan_events()
        if key_prefix and key_prefix in state.keys:
            return []  # the same file again: nothing to record
        if state.opened is None:
            drafts.append(Draft(document.cycle_event(), on, _key(key_prefix, "cycle")))
        elif state.opened.policy != document.cycle.policy:
            raise ActRefused(f"cycle {stream} is open with another scoring policy than the file's")
        check_plan_changes(state, events, stream)
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


def check_plan_changes(state: CycleState, events: Sequence[LedgerEvent], stream: str) -> None:
    """Refuse plan changes whose keys clash or whose parents are missing or of the wrong level."""
    known: dict[str, str] = {
        key: node.level for key, node in projected(state, date.max).nodes.items()
    }
    for event in events:
        match event:
            case PerspectiveDefined():
                _new_key(known, event.key, stream)
                known[event.key] = "perspective"
            case ObjectiveDefined():
                _new_key(known, event.key, stream)
                parent_level = LEVEL_ORDER[LEVEL_ORDER.index(event.level) - 1]
                if event.parent not in known:
                    raise UnknownNode(event.parent, stream)
                if known[event.parent] != parent_level:
                    raise ActRefused(
                        f"{event.level} {event.key} must sit under {_a(parent_level)}, "
                        f"but {event.parent} is {_a(known[event.parent])}"
                    )
                known[event.key] = event.level
            case ObjectiveAmended() | ObjectiveWithdrawn():
                if event.key not in known:
                    raise UnknownNode(event.key, stream)
            case ManagerialObjectiveAssigned():
                for item in event.items:
                    if known.get(item.action) != "action":
                        raise UnknownNode(item.action, stream)
            case _:
                raise ActRefused(f"{event.type_name} is not a plan change")


def _a(level: str) -> str:
    return f"an {level}" if level[0] in "aeiou" else f"a {level}"


def _new_key(known: dict[str, str], key: str, stream: str) -> None:
    if key in known:
        raise ActRefused(f"{key} is already in the plan of {stream} (amend it instead)")


def change_plan(
    store: EventStore, stream: str, events: Sequence[LedgerEvent], on: date, actor: Actor
) -> list[Entry]:
    """Record amendments or withdrawals; pending until an approval puts them in force."""

    def build(state: CycleState) -> list[Draft]:
        check_plan_changes(state, events, stream)
        return [Draft(event, on) for event in events]

    return append_act(store, stream, actor, build)
