"""Ed25519 signatures over the events' hashes: keys, signing, and checking each row as of its seq.

A signature covers the hash the ledger computed for the row (so every envelope field and the
payload), and is stored beside it as `ed25519:<key id>:<base64 signature>`. The signed bytes are
the ASCII text `ledger-event sha256=<hex hash>`, so that an auditor can check a signature in any
language without our code. The key in force for a row is found by walking the row's cycle up
to that seq: a key registered later, or revoked or replaced earlier, does not sign it.

Private keys stay outside the ledger (a file of mode 0600, or an environment variable).
"""

import base64
import binascii
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from events.base import LedgerEvent
from events.errors import UsageError
from events.identity import KeyRegistered
from events.registry import decode_event
from ledger.records import StoredRow
from projections.roles import IDENTITY_TYPES, Identity, RoleRefused

ALGORITHM = "ed25519"


class SignatureRefused(RoleRefused):
    """An act that must be signed is not, or is signed with a key that may not sign it."""


def signed_message(hash_hex: str) -> bytes:
    """The bytes a signature covers: a fixed label and the row's hash, as ASCII."""
    return f"ledger-event sha256={hash_hex}".encode("ascii")


def key_id_of(public_key: str) -> str:
    """A short, stable name of a public key: the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(base64.b64decode(public_key)).hexdigest()[:16]


@dataclass(frozen=True)
class SigningKey:
    """A private Ed25519 key held by an actor, outside the ledger."""

    private: Ed25519PrivateKey = field(repr=False)

    @classmethod
    def generate(cls) -> "SigningKey":
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_pem(cls, text: str, where: str) -> "SigningKey":
        """Read a PKCS#8 PEM private key, as `ledger keys generate` writes it."""
        try:
            key = serialization.load_pem_private_key(text.encode("ascii"), password=None)
        except (ValueError, TypeError, UnsupportedAlgorithm, UnicodeEncodeError):
            raise UsageError(
                f"{where} is not an unencrypted Ed25519 private key in PEM form "
                "(make one: ledger keys generate --out FILE)"
            ) from None
        if not isinstance(key, Ed25519PrivateKey):
            raise UsageError(f"{where} holds a {type(key).__name__}, not an Ed25519 private key")
        return cls(key)

    def pem(self) -> bytes:
        return self.private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    @property
    def public_key(self) -> str:
        """The raw 32-byte public key in base64: what `KeyRegistered` records."""
        raw = self.private.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        return base64.b64encode(raw).decode("ascii")

    @property
    def key_id(self) -> str:
        return key_id_of(self.public_key)

    def sign_bytes(self, message: bytes) -> bytes:
        """The raw 64-byte Ed25519 signature of `message` (RFC 8032)."""
        return self.private.sign(message)

    def sign(self, hash_hex: str) -> str:
        """The stored signature of a row whose hash is `hash_hex` (the store's signer hook)."""
        signature = self.private.sign(signed_message(hash_hex))
        return f"{ALGORITHM}:{self.key_id}:{base64.b64encode(signature).decode('ascii')}"


def check_signing(
    identity: Identity,
    stream: str,
    actor: str,
    key: SigningKey | None,
    events: Iterable[LedgerEvent],
) -> None:
    """Refuse an append that must be signed and is not, or whose key may not sign it."""
    batch = list(events)
    for event in batch:
        if isinstance(event, KeyRegistered):
            if key is None or key.key_id != event.key_id or key.public_key != event.public_key:
                raise SignatureRefused(
                    f"key {event.key_id} is registered by signing with it: give its private "
                    "key (--sign-key FILE or LEDGER_SIGNING_KEY)"
                )
            return
    if key is None:
        if identity.signatures_required_since is not None:
            raise SignatureRefused(
                f"cycle {stream} requires signed acts since seq "
                f"{identity.signatures_required_since}: give --sign-key FILE or LEDGER_SIGNING_KEY"
            )
        held = identity.key_in_force(actor)
        if held is not None:
            raise SignatureRefused(
                f"{actor!r} holds key {held.key_id} in {stream}: sign the act "
                "(--sign-key FILE or LEDGER_SIGNING_KEY)"
            )
        return
    registered = identity.keys.get(key.key_id)
    if registered is None:
        raise SignatureRefused(
            f"key {key.key_id} is not registered in {stream} "
            "(register it first: ledger keys register --sign-key FILE)"
        )
    if registered.actor != actor:
        raise SignatureRefused(f"key {key.key_id} belongs to {registered.actor!r}, not {actor!r}")
    if registered.ended is not None:
        raise SignatureRefused(
            f"key {key.key_id} of {actor!r} is no longer in force in {stream} "
            f"({registered.ended_by}, seq {registered.ended})"
        )


class SignatureChecker:
    """`verify_rows`' signature hook: called on every row in seq order, it keeps each cycle's
    registry up to the row, and says why the row's signature is not acceptable (None if it is).
    """

    def __init__(self) -> None:
        self.identities: dict[str, Identity] = {}
        self.signed = 0
        self.refused_seq: int | None = None

    def __call__(self, row: StoredRow) -> str | None:
        identity = self.identities.setdefault(row.stream, Identity())
        event = (
            decode_event(row.type, row.schema_version, row.payload)
            if row.type in IDENTITY_TYPES
            else None
        )
        problem = self._problem(identity, row, event)
        if problem is not None:
            self.refused_seq = row.seq
        elif event is not None:
            identity.apply(row.seq, event)
        return problem

    def _problem(self, identity: Identity, row: StoredRow, event: LedgerEvent | None) -> str | None:
        if row.signature is None:
            if identity.signatures_required_since is not None:
                return (
                    f"it is unsigned, but {row.stream} requires signed acts since seq "
                    f"{identity.signatures_required_since}"
                )
            held = identity.key_in_force(row.actor)
            if held is not None:
                return (
                    f"it is unsigned, but {row.actor} holds key {held.key_id} since seq {held.seq}"
                )
            return None
        parts = row.signature.split(":")
        if len(parts) != 3 or parts[0] != ALGORITHM:
            return "its signature is not of the form ed25519:<key id>:<base64>"
        key_id, encoded = parts[1], parts[2]
        if isinstance(event, KeyRegistered) and event.key_id == key_id:
            if key_id_of(event.public_key) != key_id:
                return f"it registers key {key_id} with a public key of another id"
            public, owner = event.public_key, event.actor
        else:
            key = identity.keys.get(key_id)
            if key is None:
                return f"it is signed with key {key_id}, not registered in {row.stream} by then"
            if key.ended is not None:
                return (
                    f"it is signed with key {key_id}, no longer in force "
                    f"({key.ended_by}, seq {key.ended})"
                )
            public, owner = key.public_key, key.actor
        if owner != row.actor:
            return f"it is signed with key {key_id} of {owner}, not of its actor {row.actor}"
        try:
            Ed25519PublicKey.from_public_bytes(base64.b64decode(public)).verify(
                base64.b64decode(encoded, validate=True), signed_message(row.hash.hex())
            )
        except (InvalidSignature, ValueError, binascii.Error):
            return f"its signature does not match its hash (key {key_id})"
        self.signed += 1
        return None
