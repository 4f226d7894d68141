"""Who may do what: the roles of the cycle, the acts each may record, and the registry of actors.

A cycle with no `ActorRegistered` event runs *open*: any name in any role may act, as before
registration existed (the roles are still recorded on every row, and the audit names an act
recorded in a role that may not do it). Once one actor is registered, the cycle is *closed to
strangers*: every act needs a registered actor, whose registered role must be allowed to do it.
The first actor registered is an administrator who registers themselves; only an administrator
registers the others. Measurement and evaluation stay apart (Funzione Pubblica's guidelines):
the controller measures, the direzione decides overrides sentito l'OIV, the Giunta's
secretariat records approvals, the OIV validates, the publisher publishes.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from events.acts import ApprovalRecorded, PublicationRecorded, ValidationRecorded
from events.base import LedgerEvent
from events.cycle import CycleClosed, CycleOpened, CycleReopened
from events.i18n import _
from events.identity import ActorRegistered, KeyRegistered, KeyRevoked, SignaturesRequired
from events.measurement import AssessmentRecorded, MeasurementCorrected, MeasurementRecorded
from events.oversight import OverrideRecorded, OverrideWithdrawn, ReportedFigureRecorded
from events.plan import (
    ManagerialObjectiveAssigned,
    ObjectiveAmended,
    ObjectiveDefined,
    ObjectiveWithdrawn,
    PerspectiveDefined,
)
from ledger.records import Entry
from projections.errors import ActRefused

ROLES: dict[str, str] = {
    "controller": "controller (controllo di gestione): records the Piano and measures",
    "direzione": "direzione (Segretario generale): decides overrides, sentito l'OIV",
    "giunta-secretariat": "segreteria della Giunta: records the Giunta's delibere",
    "oiv": "OIV: validates the Relazione, records what it printed",
    "publisher": "responsabile della trasparenza: publishes, records what was published",
    "administrator": "amministratore del ledger: opens and closes cycles, registers actors",
}

_PLAN = (
    PerspectiveDefined,
    ObjectiveDefined,
    ObjectiveAmended,
    ObjectiveWithdrawn,
    ManagerialObjectiveAssigned,
)
_ALLOWED: dict[type[LedgerEvent], tuple[str, ...]] = {
    CycleOpened: ("controller", "administrator"),
    **dict.fromkeys(_PLAN, ("controller",)),
    MeasurementRecorded: ("controller",),
    AssessmentRecorded: ("controller",),
    MeasurementCorrected: ("controller",),
    OverrideRecorded: ("direzione",),
    OverrideWithdrawn: ("direzione",),
    ApprovalRecorded: ("giunta-secretariat",),
    ValidationRecorded: ("oiv",),
    PublicationRecorded: ("publisher",),
    ReportedFigureRecorded: ("oiv", "controller", "publisher"),
    CycleClosed: ("administrator",),
    CycleReopened: ("administrator",),
    ActorRegistered: ("administrator",),
    SignaturesRequired: ("administrator",),
    KeyRegistered: tuple(ROLES),
    KeyRevoked: tuple(ROLES),
}
ALLOWED: dict[str, tuple[str, ...]] = {cls.type_name: roles for cls, roles in _ALLOWED.items()}
"""Roles allowed to record each event type, by stable type name."""

IDENTITY_TYPES = tuple(
    cls.type_name for cls in (ActorRegistered, KeyRegistered, KeyRevoked, SignaturesRequired)
)


class RoleRefused(ActRefused):
    """The acting identity may not record this act; the message names the role it needs."""


@dataclass(frozen=True)
class RegisteredActor:
    actor: str
    role: str
    seq: int
    display_name: str | None = None


@dataclass(frozen=True)
class RegisteredKey:
    """A public key and the seqs between which it is in force (`ended` is None while it is)."""

    key_id: str
    actor: str
    public_key: str
    seq: int
    ended: int | None = None
    ended_by: str | None = None


@dataclass
class Identity:
    """The registry of one cycle as of a seq: actors, keys and whether acts must be signed."""

    actors: dict[str, RegisteredActor] = field(default_factory=dict)
    keys: dict[str, RegisteredKey] = field(default_factory=dict)
    signatures_required_since: int | None = None

    @property
    def open(self) -> bool:
        """No actor registered: anyone may act (the ledgers made before registration existed)."""
        return not self.actors

    def key_in_force(self, actor: str) -> RegisteredKey | None:
        """The key the actor holds now, if any."""
        for key in self.keys.values():
            if key.actor == actor and key.ended is None:
                return key
        return None

    def apply(self, seq: int, event: LedgerEvent) -> None:
        """Take one identity event into the registry (others are ignored)."""
        match event:
            case ActorRegistered():
                self.actors[event.actor] = RegisteredActor(
                    event.actor, event.role, seq, event.display_name
                )
            case KeyRegistered():
                held = self.key_in_force(event.actor)
                if held is not None:
                    self._end(held.key_id, seq, f"replaced by {event.key_id}")
                self.keys[event.key_id] = RegisteredKey(
                    event.key_id, event.actor, event.public_key, seq
                )
            case KeyRevoked():
                self._end(event.key_id, seq, f"revoked: {event.reason}")
            case SignaturesRequired():
                if self.signatures_required_since is None:
                    self.signatures_required_since = seq
            case _:
                pass

    def _end(self, key_id: str, seq: int, why: str) -> None:
        key = self.keys.get(key_id)
        if key is not None and key.ended is None:
            self.keys[key_id] = RegisteredKey(
                key.key_id, key.actor, key.public_key, key.seq, seq, why
            )


def identity_of(entries: Iterable[Entry], *, until_seq: int | None = None) -> Identity:
    """Fold a cycle's identity events (those up to `until_seq`, inclusive) into its registry."""
    identity = Identity()
    for entry in entries:
        if until_seq is not None and entry.seq > until_seq:
            break
        if entry.type in IDENTITY_TYPES:
            identity.apply(entry.seq, entry.event)
    return identity


def roles_for(type_name: str) -> tuple[str, ...]:
    """The roles allowed to record an event type (every role for a type no rule names)."""
    return ALLOWED.get(type_name, tuple(ROLES))


def check_role_name(role: str) -> None:
    """Refuse a role that is not one of the cycle's roles, listing them."""
    if role not in ROLES:
        raise RoleRefused(
            _("{role!r} is not a role (roles: {roles})").format(role=role, roles=", ".join(ROLES))
        )


def recorded_role(identity: Identity, actor: str, role: str, role_stated: bool) -> str:
    """The role to record an act in: the registered one, unless a role was stated.

    A stated role (`--role`) is recorded as given, and the rules (projections/authority.py)
    refuse it when it is not the registered one: it is never silently replaced.
    """
    registered = identity.actors.get(actor)
    if registered is not None and not role_stated:
        return registered.role
    return role
