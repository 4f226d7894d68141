"""Ed25519 signatures over the events' hashes: keys, signing, and checking each row as of its seq.

A signature covers the hash the ledger computed for the row (so every envelope field and the
payload), and is stored beside it as `ed25519:<key id>:<base64 signature>`. The signed bytes are
the ASCII text `ledger-event sha256=<hex hash>`, so that an auditor can check a signature in any
language without our code. The key in force for a row is found by walking the row's cycle up
to that seq: a key registered later, or revoked or replaced earlier, does not sign it.

Private keys stay outside the ledger (a file of mode 0600, or an environment variable).
"""

import base64
import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from events.errors import UsageError
from events.i18n import _
from projections.roles import RoleRefused

if TYPE_CHECKING:  # cryptography is imported by the methods that sign: a replay never does
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

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

    private: "Ed25519PrivateKey" = field(repr=False)

    @classmethod
    def generate(cls) -> "SigningKey":
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_pem(cls, text: str, where: str) -> "SigningKey":
        """Read a PKCS#8 PEM private key, as `ledger keys generate` writes it."""
        from cryptography.exceptions import UnsupportedAlgorithm
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        try:
            key = serialization.load_pem_private_key(text.encode("ascii"), password=None)
        except (ValueError, TypeError, UnsupportedAlgorithm, UnicodeEncodeError):
            raise UsageError(
                _(
                    "{where} is not an unencrypted Ed25519 private key in PEM form "
                    "(make one: ledger keys generate --out FILE)"
                ).format(where=where)
            ) from None
        if not isinstance(key, Ed25519PrivateKey):
            raise UsageError(
                _("{where} holds a {kind}, not an Ed25519 private key").format(
                    where=where, kind=type(key).__name__
                )
            )
        return cls(key)

    def pem(self) -> bytes:
        from cryptography.hazmat.primitives import serialization

        return self.private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    @property
    def public_key(self) -> str:
        """The raw 32-byte public key in base64: what `KeyRegistered` records."""
        from cryptography.hazmat.primitives import serialization

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
