"""Recompute the chain from the stored bytes and name the first seq that does not follow.

Verification never re-serialises a model: it hashes the text the database holds, so an
upgrade of pydantic or of our models can never "break" an old chain.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ledger.chain import GENESIS, link_hash, row_fields
from ledger.errors import InvalidDigest
from ledger.records import StoredRow

DIGEST_PATTERN = re.compile(r"^ledger-digest seq=(\d+) sha256=([0-9a-f]{64})$")

SignatureCheck = Callable[[StoredRow], str | None]
"""Return why a row's signature is not acceptable, or None when it is (or none is required)."""


@dataclass(frozen=True)
class Digest:
    """The published form of a ledger's head: its last seq and that row's hash."""

    seq: int
    hash: str

    def line(self) -> str:
        return f"ledger-digest seq={self.seq} sha256={self.hash}"

    @classmethod
    def parse(cls, line: str) -> "Digest":
        match = DIGEST_PATTERN.match(line.strip())
        if not match:
            raise InvalidDigest(
                f"{line.strip()!r} is not a digest line "
                "(expected: ledger-digest seq=N sha256=<64 hex digits>, as `ledger digest` prints)"
            )
        return cls(int(match.group(1)), match.group(2))


@dataclass(frozen=True)
class Verdict:
    """What `verify` found: how far the chain holds, and the first break if any."""

    checked: int
    head: Digest
    broken_seq: int | None = None
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.broken_seq is None


def recompute_hash(row: StoredRow, prev_hash_hex: str) -> bytes:
    """The hash a row must carry given its predecessor's hash."""
    # Positional on purpose: this runs once per row of the ledger.
    fields = row_fields(
        row.seq, row.event_id, row.stream, row.version, row.type, row.schema_version,
        row.effective_date, row.recorded_at, row.actor, row.role, row.idempotency_key,
        row.payload,
    )  # fmt: skip
    return link_hash(prev_hash_hex, fields)


def verify_rows(
    rows: Iterable[StoredRow],
    *,
    digest: Digest | None = None,
    check_signature: SignatureCheck | None = None,
) -> Verdict:
    """Walk the rows in seq order; stop at the first one that does not follow from the last.

    With `digest`, also require that the ledger still extends it: the row at the digest's seq
    exists and carries the digest's hash.
    """
    expected_seq = 1
    prev = GENESIS
    checked = 0
    head = Digest(0, GENESIS.hex())
    digest_seen = digest is None or digest.seq == 0
    if digest is not None and digest.seq == 0 and digest.hash != GENESIS.hex():
        return Verdict(0, head, 0, "a digest of seq 0 must carry the genesis hash (64 zeros)")

    def broken(seq: int, reason: str) -> Verdict:
        return Verdict(checked, head, seq, reason)

    for row in rows:
        if row.seq != expected_seq:
            if row.seq > expected_seq:
                return broken(expected_seq, f"seq {expected_seq} is missing (next is {row.seq})")
            return broken(row.seq, f"seq {row.seq} is out of order (expected {expected_seq})")
        if row.prev_hash != prev:
            return broken(row.seq, "its prev_hash is not the hash of the previous row")
        if recompute_hash(row, prev.hex()) != row.hash:
            return broken(row.seq, "its stored hash does not match its content")
        if check_signature is not None:
            problem = check_signature(row)
            if problem:
                return broken(row.seq, problem)
        if digest is not None and row.seq == digest.seq:
            if row.hash.hex() != digest.hash:
                return broken(row.seq, "the ledger no longer extends the digest: hash differs")
            digest_seen = True
        prev = row.hash
        checked += 1
        head = Digest(row.seq, row.hash.hex())
        expected_seq += 1
    if digest is not None and digest.hash == GENESIS.hex() and digest.seq == 0:
        return Verdict(checked, head)
    if not digest_seen and digest is not None:
        return Verdict(
            checked,
            head,
            head.seq + 1,
            f"the ledger ends at seq {head.seq}, before the digest's seq {digest.seq}: cut short",
        )
    return Verdict(checked, head)
