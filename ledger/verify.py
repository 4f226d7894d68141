"""Recompute the chain from the stored bytes and name the first seq that does not follow.

Verification never re-serialises a model: it hashes the text the database holds, so an
upgrade of pydantic or of our models can never "break" an old chain.
"""

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from events.i18n import _
from ledger.chain import GENESIS, PREV_FRAME, RepeatedFrames, frame_length, link_hash, row_fields
from ledger.errors import InvalidDigest
from ledger.merkle import EMPTY_ROOT, LEAF_PREFIX, CompactRange
from ledger.records import StoredRow
from ledger.rows import StoredRows, row_values, stored_row

DIGEST_PATTERN = re.compile(r"^ledger-digest seq=(\d+) sha256=([0-9a-f]{64})$")
"""Version 1 of the digest line: the chain's head only."""
DIGEST_V2_PATTERN = re.compile(
    r"^ledger-digest/2 seq=(\d+) sha256=([0-9a-f]{64}) tree_size=(\d+) root=([0-9a-f]{64})$"
)
"""Version 2: the chain's head and the Merkle tree's size and root (docs/integrity.md)."""

TreeNodeHook = Callable[[int, int, bytes], None]
_sha256 = hashlib.sha256

SignatureCheck = Callable[[StoredRow], str | None]
"""Return why a row would not have been appended (its payload, signature or role), or None.

Such a row does not break the chain: `verify_rows` goes on, and the hook keeps its own list."""


@dataclass(frozen=True)
class Digest:
    """The published form of a ledger's head: its last seq, that row's hash and, from version
    2 of the line, the root of the Merkle tree over the events up to it.

    The tree's size is always the head's seq (seq is gapless from 1), so that the line states
    it twice on purpose: a reader of a version 2 line needs no rule to find the tree size.
    """

    seq: int
    hash: str
    root: str | None = None

    @property
    def tree_size(self) -> int:
        return self.seq

    @property
    def version(self) -> int:
        return 1 if self.root is None else 2

    def line(self) -> str:
        if self.root is None:
            return f"ledger-digest seq={self.seq} sha256={self.hash}"
        return (
            f"ledger-digest/2 seq={self.seq} sha256={self.hash} "
            f"tree_size={self.tree_size} root={self.root}"
        )

    def fields(self) -> dict[str, Any]:
        """The digest as named fields: the one structure every format of it is built from."""
        return {
            "version": self.version,
            "seq": self.seq,
            "sha256": self.hash,
            "tree_size": self.tree_size if self.root is not None else None,
            "root": self.root,
            "line": self.line(),
        }

    @classmethod
    def parse(cls, line: str) -> "Digest":
        """Read a digest line of either version; a version 2 line's sizes must agree."""
        text = line.strip()
        match = DIGEST_V2_PATTERN.match(text)
        if match:
            if match.group(1) != match.group(3):
                raise InvalidDigest(
                    _("{line}: tree_size must equal seq (the tree has one leaf per event)").format(
                        line=repr(text)
                    )
                )
            return cls(int(match.group(1)), match.group(2), match.group(4))
        match = DIGEST_PATTERN.match(text)
        if not match:
            raise InvalidDigest(
                _(
                    "{line} is not a digest line "
                    "(expected: ledger-digest/2 seq=N sha256=<64 hex digits> tree_size=N "
                    "root=<64 hex digits>, as `ledger digest` prints, or the older "
                    "ledger-digest seq=N sha256=<64 hex digits>)"
                ).format(line=repr(text))
            )
        return cls(int(match.group(1)), match.group(2))


@dataclass(frozen=True)
class Verdict:
    """What `verify` found: how far the chain holds, and the first break if any."""

    checked: int
    head: Digest
    broken_seq: int | None = None
    reason: str | None = None
    root: str | None = None
    """The Merkle root of the events checked (when the chain holds)."""
    flagged: tuple[tuple[int, str], ...] = ()
    """Rows that follow the chain but would not have been appended (seq, why), in seq order."""

    @property
    def head_digest(self) -> Digest:
        """The head as a version 2 digest (its tree root included)."""
        return Digest(self.head.seq, self.head.hash, self.root)

    @property
    def ok(self) -> bool:
        return self.broken_seq is None and not self.flagged


@dataclass
class Verified:
    """How far a verify that held went: the seq and hash it ended on, the Merkle tree of the
    rows up to there, and the rows it flagged. `verify_rows(start=...)` goes on from it, so that
    a long-running reader (the console) checks only the rows appended since."""

    seq: int = 0
    hash: bytes = GENESIS
    tree: CompactRange = field(default_factory=CompactRange)
    flagged: tuple[tuple[int, str], ...] = ()

    def digest(self) -> Digest:
        return Digest(self.seq, self.hash.hex(), self.tree.root().hex())


def recompute_hash(row: StoredRow, prev_hash_hex: str) -> bytes:
    """The hash a row must carry given its predecessor's hash."""
    # Positional on purpose: this runs once per row of the ledger.
    fields = row_fields(
        row.seq, row.event_id, row.stream, row.version, row.type, row.schema_version,
        row.effective_date, row.recorded_at, row.actor, row.role, row.idempotency_key,
        row.payload,
    )  # fmt: skip
    return link_hash(prev_hash_hex, fields)


def _row_values(rows: Iterable[StoredRow]) -> Iterator[Sequence[Any]]:
    """The rows as tuples of their values in table order: the store's rows as the driver gave
    them (no `StoredRow` is built for a row the walk does not hand to a hook), any others
    through their fields."""
    if isinstance(rows, StoredRows):
        return rows.values()
    return map(row_values, rows)


def verify_rows(
    rows: Iterable[StoredRow],
    *,
    digest: Digest | None = None,
    check_signature: SignatureCheck | None = None,
    tree_nodes: TreeNodeHook | None = None,
    tree_nodes_from: int = 0,
    start: Verified | None = None,
) -> Verdict:
    """Walk the rows in seq order; stop at the first one that does not follow from the last.

    With `start`, the rows are those after `start.seq`, and the chain goes on from its hash
    (the caller has checked that the row at `start.seq` still carries it); `start.tree` grows
    by the rows that follow (it is the caller's: a verify that breaks leaves it unusable), and
    the verdict counts every row up to the last as checked. `digest` is for a walk from seq 1.

    `check_signature` is shown every row that follows (see `SignatureCheck`).

    The Merkle tree is recomputed on the way (one leaf per row, in memory flat in the ledger's
    size); `tree_nodes` is told of each of its perfect subtrees from level `tree_nodes_from`
    (the cache's audit). With `digest`, also require that the ledger still extends it: the row
    at the digest's seq exists and carries the digest's hash, and, for a version 2 digest, the
    tree of that many events has the digest's root.
    """
    begun = start or Verified()
    expected_seq = begun.seq + 1
    prev = begun.hash
    checked = begun.seq
    digest_seen = digest is None or digest.seq == 0
    if digest is not None and digest.seq == 0 and digest.hash != GENESIS.hex():
        head = Digest(begun.seq, begun.hash.hex())
        return Verdict(0, head, 0, "a digest of seq 0 must carry the genesis hash (64 zeros)")

    if start is None:
        tree = CompactRange(on_node=tree_nodes, min_level=tree_nodes_from)
    else:
        tree = start.tree
    flagged: list[tuple[int, str]] = list(begun.flagged)

    def last() -> Digest:
        """The head so far: the last row that followed (a `Digest` is built only at the end)."""
        return Digest(checked, prev.hex())

    def broken(seq: int, reason: str) -> Verdict:
        return Verdict(checked, last(), seq, reason, flagged=tuple(flagged))

    framed = RepeatedFrames()
    repeated, frame = framed.get, framed.frame
    append_leaf = tree.append
    digest_seq = digest.seq if digest is not None else -1
    prev_hex = prev.hex().encode("ascii")
    for values in _row_values(rows):
        (seq, event_id, stream, version, type_name, schema_version, effective_date,
         recorded_at, actor, role, payload, prev_hash, stored, key, _sig) = values  # fmt: skip
        if seq != expected_seq:
            if seq > expected_seq:
                return broken(
                    expected_seq,
                    _("seq {seq} is missing (next is {next})").format(seq=expected_seq, next=seq),
                )
            return broken(
                seq,
                _("seq {seq} is out of order (expected {expected})").format(
                    seq=seq, expected=expected_seq
                ),
            )
        if prev_hash != prev:
            return broken(seq, _("its prev_hash is not the hash of the previous row"))
        # docs/integrity.md's recipe (`link_hash` over `row_fields`) written out for one row:
        # each part as its 8-byte length and its UTF-8 bytes, the parts that repeat from row
        # to row (stream, numbers, type, dates, actor, role) framed once and kept (see
        # `RepeatedFrames`); tests/ledger/test_chain_properties.py holds it to the recipe.
        if (
            _sha256(
                b"".join(
                    (
                        PREV_FRAME, prev_hex,
                        frame_length(len(text := b"%d" % seq)), text,
                        frame_length(len(text := event_id.encode())), text,
                        repeated(stream) or frame(stream),
                        repeated(version) or frame(version),
                        repeated(type_name) or frame(type_name),
                        repeated(schema_version) or frame(schema_version),
                        repeated(effective_date) or frame(effective_date),
                        repeated(recorded_at) or frame(recorded_at),
                        repeated(actor) or frame(actor),
                        repeated(role) or frame(role),
                        frame_length(len(text := (key or "").encode())), text,
                        frame_length(len(text := payload.encode())), text,
                    )
                )
            ).digest()
            != stored
        ):  # fmt: skip
            return broken(seq, _("its stored hash does not match its content"))
        if check_signature is not None:
            problem = check_signature(stored_row(values))
            if problem is not None:  # the row is named, and the chain goes on
                flagged.append((seq, problem))
        append_leaf(_sha256(LEAF_PREFIX + stored).digest())
        if seq == digest_seq and digest is not None:
            if stored.hex() != digest.hash:
                return broken(seq, _("the ledger no longer extends the digest: hash differs"))
            if digest.root is not None and tree.root().hex() != digest.root:
                return broken(seq, _("the ledger no longer extends the digest: tree root differs"))
            digest_seen = True
        prev = stored
        prev_hex = stored.hex().encode("ascii")
        checked = expected_seq = seq
        expected_seq += 1
    head = last()
    root = tree.root().hex()
    if digest is not None and digest.seq == 0 and digest.root not in (None, EMPTY_ROOT.hex()):
        return Verdict(0, head, 0, _("a digest of seq 0 must carry the empty tree's root"))
    if not digest_seen and digest is not None:
        return Verdict(
            checked,
            head,
            head.seq + 1,
            _(
                "the ledger ends at seq {seq}, before the digest's seq {digest_seq}: cut short"
            ).format(seq=head.seq, digest_seq=digest.seq),
            flagged=tuple(flagged),
        )
    return Verdict(checked, head, root=root, flagged=tuple(flagged))
