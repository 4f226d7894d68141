"""The one set of rules on who may record what, and with which key: the append checks a new
act with them, and `ledger verify` checks every stored row with them, so that a row written
behind the store's back fails `verify` exactly where the append would have refused it.

The rules, folded row by row over each cycle's registry (projections/roles.py's `Identity`):

- **Roles.** In an open cycle (no actor registered) any name acts in any role, but the first
  registration is an administrator registering themselves. Once actors are registered, each
  act's actor must be registered, recorded in their registered role, and that role must be
  allowed to do the act; only an administrator registers actors or changes their role.
- **Signatures.** Once a cycle requires signatures, every act is signed; an actor who holds a
  key signs every act with it. A signing key must be registered in the cycle, be the actor's
  own, and be in force at that seq.
- **Keys.** An actor's first key is registered by the actor, signed with that new key (which
  proves they hold its private half), and only while signatures are not yet required. A key
  for an actor who already holds one is registered either by the actor, signed with the key in
  force (rotation), or by an administrator, signed with the administrator's key in force and
  with a reason (recovery, `note`). Once signatures are required, a first key too is
  registered only by an administrator's signed act. A key is revoked by its holder or by an
  administrator.
"""

import binascii
from collections.abc import Iterable
from dataclasses import dataclass, field

from events.base import LedgerEvent
from events.i18n import _
from events.identity import ActorRegistered, KeyRegistered, KeyRevoked
from projections.roles import IDENTITY_TYPES, Identity, roles_for
from projections.signatures import key_id_of


@dataclass(frozen=True)
class Act:
    """One act as the rules see it: its cycle, who records it in which role, the event, and
    the id of the key that signs it (None when unsigned)."""

    stream: str
    actor: str
    role: str
    event: LedgerEvent
    key_id: str | None


@dataclass
class Authority:
    """Every cycle's registry of actors and keys, kept up to the last act applied."""

    identities: dict[str, Identity] = field(default_factory=dict)

    def identity(self, stream: str) -> Identity:
        return self.identities.setdefault(stream, Identity())

    def refusal(self, act: Act) -> str | None:
        """Why `act` may not be recorded after the acts applied so far (None: it may)."""
        found = self.refusal_of(act)
        return found[1] if found else None

    def refusal_of(self, act: Act) -> tuple[str, str] | None:
        """The kind of rule `act` breaks (`role` or `signature`) and why; None when none."""
        identity = self.identity(act.stream)
        problem = _role_refusal(identity, act)
        if problem is not None:
            return "role", problem
        problem = _signature_refusal(identity, act)
        return ("signature", problem) if problem is not None else None

    def apply(self, seq: int, act: Act) -> None:
        """Take an accepted act into its cycle's registry."""
        if act.event.type_name in IDENTITY_TYPES:
            self.identity(act.stream).apply(seq, act.event)


def authority_of(stream: str, identity: Identity) -> Authority:
    """The rules over one cycle whose registry is already folded (the append's case)."""
    return Authority({stream: identity})


def first_refusal(authority: Authority, acts: Iterable[Act]) -> str | None:
    """The first refusal in a batch, each act checked after those before it (seq unknown yet)."""
    for act in acts:
        problem = authority.refusal(act)
        if problem is not None:
            return problem
        authority.apply(0, act)
    return None


def _role_refusal(identity: Identity, act: Act) -> str | None:
    event, actor, stream = act.event, act.actor, act.stream
    if identity.open:
        if isinstance(event, ActorRegistered) and (
            event.role != "administrator" or event.actor != actor
        ):
            return _(
                "the first actor registered in a cycle is an administrator registering "
                "themselves (ledger --actor NAME actors register NAME --as administrator), "
                "not {name} as {role}"
            ).format(name=repr(event.actor), role=event.role)
        if isinstance(event, KeyRegistered | KeyRevoked) and event.actor != actor:
            return _(
                "a key is registered or revoked by its holder: {actor} cannot do it for {other}"
            ).format(actor=repr(actor), other=repr(event.actor))
        return None
    registered = identity.actors.get(actor)
    if registered is None:
        return _(
            "actor {actor} is not registered in {stream} (an administrator registers it: "
            "ledger actors register {name} --as ROLE)"
        ).format(actor=repr(actor), stream=stream, name=actor)
    if act.role != registered.role:
        return _("actor {actor} is registered in {stream} as {registered}, not {role}").format(
            actor=repr(actor), stream=stream, registered=registered.role, role=act.role
        )
    allowed = roles_for(event.type_name)
    if registered.role not in allowed:
        return _(
            "{type} needs the role {roles}; {actor} is registered in {stream} as {role}"
        ).format(
            type=event.type_name,
            roles=" or ".join(allowed),
            actor=repr(actor),
            stream=stream,
            role=registered.role,
        )
    if (
        isinstance(event, KeyRegistered | KeyRevoked)
        and event.actor != actor
        and registered.role != "administrator"
    ):
        return _(
            "{type} of another actor's key needs the role administrator; {actor} is "
            "registered in {stream} as {role}"
        ).format(type=event.type_name, actor=repr(actor), stream=stream, role=registered.role)
    return None


def _signature_refusal(identity: Identity, act: Act) -> str | None:
    event = act.event
    if isinstance(event, KeyRegistered):
        problem = _key_registration_refusal(identity, act, event)
        if problem is not None or _self_signed(identity, act, event):
            return problem
    if act.key_id is None:
        if identity.signatures_required_since is not None:
            return _(
                "cycle {stream} requires signed acts since seq {seq}: give --sign-key FILE "
                "or LEDGER_SIGNING_KEY"
            ).format(stream=act.stream, seq=identity.signatures_required_since)
        held = identity.key_in_force(act.actor)
        if held is not None:
            return _(
                "{actor} holds key {key} in {stream}: sign the act "
                "(--sign-key FILE or LEDGER_SIGNING_KEY)"
            ).format(actor=repr(act.actor), key=held.key_id, stream=act.stream)
        return None
    key = identity.keys.get(act.key_id)
    if key is None:
        return _(
            "key {key} is not registered in {stream} (register it first: ledger keys register "
            "--sign-key FILE)"
        ).format(key=act.key_id, stream=act.stream)
    if key.actor != act.actor:
        return _("key {key} belongs to {owner}, not {actor}").format(
            key=act.key_id, owner=repr(key.actor), actor=repr(act.actor)
        )
    if key.ended is not None:
        return _(
            "key {key} of {actor} is no longer in force in {stream} ({why}, seq {seq})"
        ).format(
            key=act.key_id,
            actor=repr(act.actor),
            stream=act.stream,
            why=key.ended_by,
            seq=key.ended,
        )
    return None


def _self_signed(identity: Identity, act: Act, event: KeyRegistered) -> bool:
    """A first key registered by its holder, signed with itself (checked already)."""
    return (
        event.actor == act.actor
        and identity.key_in_force(event.actor) is None
        and identity.signatures_required_since is None
    )


def _key_registration_refusal(identity: Identity, act: Act, event: KeyRegistered) -> str | None:
    """The rules proper to a KeyRegistered; the signature rules follow unless it is a first
    key signed by itself."""
    try:
        stated = key_id_of(event.public_key)
    except (ValueError, binascii.Error):
        stated = None
    if stated != event.key_id:
        return _("key {key} is not the id of the public key it registers").format(key=event.key_id)
    if event.key_id in identity.keys:
        return _("key {key} is already registered in {stream}").format(
            key=event.key_id, stream=act.stream
        )
    held = identity.key_in_force(event.actor)
    if event.actor != act.actor:
        if act.key_id is None:
            return _(
                "a key for {other} is registered by an administrator's signed act "
                "(--sign-key the administrator's key in force)"
            ).format(other=repr(event.actor))
        if not (event.note or "").strip():
            return _(
                "an administrator registering a key for {other} gives the reason (--note)"
            ).format(other=repr(event.actor))
        if event.actor not in identity.actors:
            return _("actor {other} is not registered in {stream}").format(
                other=repr(event.actor), stream=act.stream
            )
        return None
    if held is not None:
        if act.key_id != held.key_id:
            return _(
                "{actor} holds key {key} in {stream}: a new key is registered by an act signed "
                "with it (--sign-key the key in force, --public-key the new one), or by an "
                "administrator's signed act with a reason"
            ).format(actor=repr(act.actor), key=held.key_id, stream=act.stream)
        return None
    if identity.signatures_required_since is not None:
        return _(
            "cycle {stream} requires signed acts since seq {seq}: a first key is registered "
            "by an administrator's signed act (ledger --actor ADMIN --sign-key FILE keys "
            "register --for {name} --public-key KEY --note REASON)"
        ).format(stream=act.stream, seq=identity.signatures_required_since, name=event.actor)
    if act.key_id != event.key_id:
        return _(
            "key {key} is registered by signing with it: give its private key (--sign-key FILE "
            "or LEDGER_SIGNING_KEY)"
        ).format(key=event.key_id)
    return None
