"""The SHA-256 chain: each row's hash covers the previous hash and the row's stored fields.

Every field is framed by its length (8 bytes, big-endian) so that two different rows can never
produce the same input; docs/integrity.md gives the recipe byte by byte.
"""

import hashlib
from collections.abc import Sequence

GENESIS = bytes(32)
"""The previous hash of seq 1: 32 zero bytes (64 zeros in hex)."""


def link_hash(prev_hash_hex: str, fields: Sequence[bytes]) -> bytes:
    """SHA-256 over the previous hash (as hex text) and the row's fields, each length-prefixed."""
    framed = [
        len(part).to_bytes(8, "big") + part for part in (prev_hash_hex.encode("ascii"), *fields)
    ]
    return hashlib.sha256(b"".join(framed)).digest()


def row_fields(
    seq: int,
    event_id: str,
    stream: str,
    version: int,
    type_name: str,
    schema_version: int,
    effective_date: str,
    recorded_at: str,
    actor: str,
    role: str,
    idempotency_key: str | None,
    payload: str,
) -> list[bytes]:
    """The hashed fields of a row, in the documented order, as UTF-8 bytes of their stored text."""
    texts = (
        str(seq),
        event_id,
        stream,
        str(version),
        type_name,
        str(schema_version),
        effective_date,
        recorded_at,
        actor,
        role,
        idempotency_key or "",
        payload,
    )
    return [text.encode("utf-8") for text in texts]
