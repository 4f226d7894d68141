"""The SHA-256 chain: each row's hash covers the previous hash and the row's stored fields.

Every field is framed by its length (8 bytes, big-endian) so that two different rows can never
produce the same input; docs/integrity.md gives the recipe byte by byte.
"""

import hashlib
import struct
from collections.abc import Sequence
from typing import Any

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


_PREV_LENGTH = _LENGTH(len(GENESIS.hex()))
"""Every previous hash is 64 hex characters: its frame's length is a constant."""

frame_length = _LENGTH
"""A part's length as its frame's 8 bytes (for `verify`, which frames every row inline)."""
PREV_FRAME = _PREV_LENGTH
"""The frame's length of every previous hash (64 hex characters)."""

FRAMES_KEPT = 4096
"""How many framed parts `RepeatedFrames` keeps before it starts again: memory stays flat."""


class RepeatedFrames(dict[str | int, bytes]):
    """The framed bytes (8-byte length, then the UTF-8 bytes of the stored text) of the parts
    of a row that repeat from row to row, for `verify`, which frames every row of the ledger.

    A row's stream, version, type, schema version, dates, actor and role recur over many
    rows: `get(part)` answers a part framed before (a dict lookup, in C) and `frame(part)`
    frames it (an integer as its decimal text, as `row_fields` writes it) and keeps it. The
    frame of a text depends on the text alone, not on the field it stands in, so one dict
    serves every field. At most `FRAMES_KEPT` are kept: past that it starts again empty
    (dates and times recorded one by one would otherwise grow it with the ledger).
    """

    def frame(self, part: str | int) -> bytes:
        data = (part if isinstance(part, str) else str(part)).encode("utf-8")
        if len(self) >= FRAMES_KEPT:
            self.clear()
        framed = self[part] = _LENGTH(len(data)) + data
        return framed


def _framed(text: str) -> bytes:
    data = text.encode("utf-8")
    return _LENGTH(len(data)) + data


class RowHasher:
    """`link_hash(prev, row_fields(...))` for the rows of one transaction, in one join.

    The append hashes every row it writes: the fields that repeat from row to row (the
    stream, the type, the dates, the actor and role) are framed once per transaction and
    reused. The bytes hashed are exactly those of `link_hash` over `row_fields`
    (tests/ledger/test_chain_properties.py holds it to the documented recipe), so `verify`
    and docs/verify_chain.py check what this writes.
    """

    def __init__(self) -> None:
        self._framed: dict[str, bytes] = {}
        self._envelopes: dict[tuple[str, int, str, str, str, str], bytes] = {}

    def _repeated(self, text: str) -> bytes:
        framed = self._framed.get(text)
        if framed is None:
            framed = self._framed[text] = _framed(text)
        return framed

    def row_hash(self, row: Sequence[Any]) -> bytes:
        """The hash (32 bytes) of a row given in `events` column order (that of `StoredRow`:
        seq, event_id, stream, version, type, schema_version, effective_date, recorded_at,
        actor, role, payload, prev_hash, hash, idempotency_key, signature); its own hash and
        signature are not read."""
        (seq, event_id, stream, version, type_name, schema_version, effective_date,
         recorded_at, actor, role, payload, prev_hash, _, idempotency_key, _) = row  # fmt: skip
        repeated = self._repeated
        return hashlib.sha256(
            b"".join(
                (
                    _PREV_LENGTH,
                    prev_hash.hex().encode("ascii"),
                    _framed(str(seq)),
                    _framed(event_id),
                    repeated(stream),
                    _framed(str(version)),
                    repeated(type_name),
                    repeated(str(schema_version)),
                    repeated(effective_date),
                    repeated(recorded_at),
                    repeated(actor),
                    repeated(role),
                    _framed(idempotency_key or ""),
                    _framed(payload),
                )
            )
        ).digest()

    def chain_hash(
        self,
        prev_hash: bytes,
        seq: int,
        event_id: str,
        stream: str,
        version: int,
        envelope: tuple[str, int, str, str, str, str],
        idempotency_key: str | None,
        payload: bytes,
    ) -> bytes:
        """`row_hash` of a new row, given as the append holds it: `envelope` is (type,
        schema_version, effective_date, recorded_at, actor, role), the run of fields between
        the version and the key, which the rows of a bulk import share in a few combinations
        (framed once per combination); `payload` is the stored text's UTF-8 bytes, as the
        canonical encoding made them."""
        framed = self._envelopes.get(envelope)
        if framed is None:
            type_name, schema_version, effective_date, recorded_at, actor, role = envelope
            framed = self._envelopes[envelope] = b"".join(
                (
                    _framed(type_name),
                    _framed(str(schema_version)),
                    _framed(effective_date),
                    _framed(recorded_at),
                    _framed(actor),
                    _framed(role),
                )
            )
        seq_text = str(seq).encode("ascii")
        id_text = event_id.encode("utf-8")
        version_text = str(version).encode("ascii")
        key_text = idempotency_key.encode("utf-8") if idempotency_key else b""
        return hashlib.sha256(
            b"".join(
                (
                    _PREV_LENGTH,
                    prev_hash.hex().encode("ascii"),
                    _LENGTH(len(seq_text)),
                    seq_text,
                    _LENGTH(len(id_text)),
                    id_text,
                    self._repeated(stream),
                    _LENGTH(len(version_text)),
                    version_text,
                    framed,
                    _LENGTH(len(key_text)),
                    key_text,
                    _LENGTH(len(payload)),
                    payload,
                )
            )
        ).digest()
