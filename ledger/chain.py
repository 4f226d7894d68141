"""The SHA-256 chain: each row's hash covers the previous hash and the row's stored fields.

Every field is framed by its length (8 bytes, big-endian) so that two different rows can never
produce the same input; docs/integrity.md gives the recipe byte by byte.
"""

import hashlib
import struct
from collections.abc import Sequence

_LENGTH = struct.Struct(">Q").pack
"""A field's length as 8 bytes, big-endian (the framing of docs/integrity.md)."""

GENESIS = bytes(32)
"""The previous hash of seq 1: 32 zero bytes (64 zeros in hex)."""


def link_hash(prev_hash_hex: str, fields: Sequence[bytes]) -> bytes:
    """SHA-256 over the previous hash (as hex text) and the row's fields, each length-prefixed."""
    previous = prev_hash_hex.encode("ascii")
    framed = [_LENGTH(len(previous)), previous]
    for part in fields:
        framed += (_LENGTH(len(part)), part)
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
