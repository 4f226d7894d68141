"""Who may act: actors registered in a role, their public keys, and signed-act rules.

Private keys never enter the ledger: only the public half is registered, by an act signed
with the key itself.
"""

import base64
import binascii
from datetime import date

from events.errors import UsageError
from events.i18n import _
from events.identity import ActorRegistered, KeyRegistered, KeyRevoked, SignaturesRequired
from ledger.query import Query
from ledger.records import Entry
from ledger.store import EventStore
from projections.acts import Actor, Draft, append_act
from projections.errors import ActRefused
from projections.plan_state import CycleState
from projections.roles import IDENTITY_TYPES, check_role_name, identity_of
from projections.signatures import key_id_of

PUBLIC_KEY_BYTES = 32


def register_actor(
    store: EventStore,
    stream: str,
    name: str,
    role: str,
    on: date,
    actor: Actor,
    *,
    display_name: str | None = None,
    note: str | None = None,
    source: str | None = None,
    key: str | None = None,
) -> list[Entry]:
    """Register an actor of the cycle in a role (the first one: an administrator, themselves)."""
    check_role_name(role)

    def build(state: CycleState) -> list[Draft]:
        known = identity_of(store.read(Query(stream=stream, types=IDENTITY_TYPES))).actors.get(name)
        if known is not None and known.role == role:
            raise ActRefused(
                _("{name!r} is already registered in {stream} as {role}").format(
                    name=name, stream=stream, role=role
                )
            )
        event = ActorRegistered(
            actor=name, role=role, display_name=display_name, note=note, source=source
        )
        return [Draft(event, on, key)]

    return append_act(store, stream, actor, build, must_exist=False)


def register_key(
    store: EventStore,
    stream: str,
    on: date,
    actor: Actor,
    *,
    note: str | None = None,
    public_key: str | None = None,
    holder: str | None = None,
) -> list[Entry]:
    """Register a public key for `holder` (default: the acting actor); it replaces the key
    they held.

    A first key is the acting actor's own `--sign-key`, and the act is signed with it; a new
    key for someone who holds one (`public_key`) is registered by an act signed with the key
    in force, or by an administrator's signed act with a reason (projections/authority.py).
    """
    signing = actor.key
    if public_key is None:
        if signing is None:
            raise ActRefused(
                _("give the private key to register (--sign-key FILE or LEDGER_SIGNING_KEY)")
            )
        public_key = signing.public_key
    try:
        key_id = key_id_of(public_key)
    except (ValueError, binascii.Error):
        raise UsageError(
            _("{key} is not a public key in base64 (ledger keys generate prints it)").format(
                key=repr(public_key)
            )
        ) from None
    if len(base64.b64decode(public_key)) != PUBLIC_KEY_BYTES:
        raise UsageError(
            _("{key} is not an Ed25519 public key (32 bytes in base64)").format(
                key=repr(public_key)
            )
        )
    owner = holder or actor.name

    def build(state: CycleState) -> list[Draft]:
        identity = identity_of(store.read(Query(stream=stream, types=IDENTITY_TYPES)))
        held = identity.key_in_force(owner)
        event = KeyRegistered(
            actor=owner,
            key_id=key_id,
            public_key=public_key,
            replaces=held.key_id if held else None,
            note=note,
        )
        return [Draft(event, on)]

    return append_act(store, stream, actor, build, must_exist=False)


def revoke_key(
    store: EventStore, stream: str, key_id: str, reason: str, on: date, actor: Actor
) -> list[Entry]:
    """Revoke a key (its holder's, or any key by an administrator); earlier signatures stand."""

    def build(state: CycleState) -> list[Draft]:
        identity = identity_of(store.read(Query(stream=stream, types=IDENTITY_TYPES)))
        known = identity.keys.get(key_id)
        if known is None:
            raise ActRefused(
                _("there is no key {key} in {stream} (see: ledger keys list)").format(
                    key=key_id, stream=stream
                )
            )
        if known.ended is not None:
            raise ActRefused(
                _("key {key} is no longer in force ({by}, seq {seq})").format(
                    key=key_id, by=known.ended_by, seq=known.ended
                )
            )
        return [Draft(KeyRevoked(actor=known.actor, key_id=key_id, reason=reason), on)]

    return append_act(store, stream, actor, build, must_exist=False)


def require_signatures(
    store: EventStore, stream: str, on: date, actor: Actor, *, note: str | None = None
) -> list[Entry]:
    """From now on every act of the cycle must be signed by its actor's key."""

    def build(state: CycleState) -> list[Draft]:
        identity = identity_of(store.read(Query(stream=stream, types=IDENTITY_TYPES)))
        if identity.signatures_required_since is not None:
            raise ActRefused(
                _("cycle {stream} already requires signed acts (since seq {seq})").format(
                    stream=stream, seq=identity.signatures_required_since
                )
            )
        return [Draft(SignaturesRequired(note=note), on)]

    return append_act(store, stream, actor, build, must_exist=False)
