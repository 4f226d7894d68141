"""Who may act in a cycle, and with which key: actors, their roles and their public keys.

These events live in the cycle's own stream, like every other act: a cycle's registry of actors
is read with the cycle, and `ledger verify` finds the key in force at any seq by walking the
stream. Private keys never enter the ledger; only the public half is recorded.
"""

from typing import Literal

from pydantic import field_validator

from events.base import LedgerEvent
from events.i18n import _
from events.registry import register

Algorithm = Literal["ed25519"]


@register
class ActorRegistered(LedgerEvent):
    """An actor may act in the cycle, in one role; registering again changes the role."""

    type_name = "ActorRegistered"

    actor: str
    role: str
    display_name: str | None = None

    @field_validator("actor", "role")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError(_("an actor and a role must be named"))
        return value


@register
class KeyRegistered(LedgerEvent):
    """An actor's public key: from this seq on, their acts are signed with it.

    It replaces any key the actor held before (`replaces` names it). The event is itself signed
    with the new key, which proves that the actor holds its private half.
    """

    type_name = "KeyRegistered"

    actor: str
    key_id: str
    algorithm: Algorithm = "ed25519"
    public_key: str
    replaces: str | None = None


@register
class KeyRevoked(LedgerEvent):
    """A key is no longer in force (lost, compromised, the actor left); earlier signatures stand."""

    type_name = "KeyRevoked"

    actor: str
    key_id: str
    reason: str


@register
class SignaturesRequired(LedgerEvent):
    """From this seq on, every act of the cycle must be signed by its actor's key."""

    type_name = "SignaturesRequired"
