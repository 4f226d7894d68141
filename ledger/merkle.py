"""The RFC 9162 Merkle tree over the ledger's events: hashes, proofs and their verification.

Pure hashing code, no I/O: the store side (`ledger/tree.py`) hands in the hashes of the
subtrees a proof needs. The tree is the one of RFC 9162 section 2.1 (RFC 6962 section 2.1):

- the leaves are the events in `seq` order: leaf i (from 0) is the event of seq i + 1, and its
  *leaf data* is the event's stored 32-byte chain hash (docs/integrity.md section 1);
- leaf hash = SHA-256(0x00 || leaf data), node hash = SHA-256(0x01 || left || right);
- the tree of n > 1 leaves splits at k, the largest power of two smaller than n: its root is
  the node hash of the tree of the first k leaves and the tree of the other n - k;
- the tree of no leaves has the root SHA-256 of the empty string.

Proof generation follows RFC 9162 sections 2.1.3.1 (PATH) and 2.1.4.1 (PROOF, SUBPROOF), and
verification sections 2.1.3.2 and 2.1.4.2, step by step, so that the code can be read beside
the RFC: https://www.rfc-editor.org/rfc/rfc9162#section-2.1
"""

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

HASH_SIZE = 32
LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
EMPTY_ROOT = hashlib.sha256(b"").digest()
_sha256 = hashlib.sha256
"""The root of the empty tree: SHA-256 of no bytes (e3b0c442...)."""

Subtree = Callable[[int, int], bytes]
"""MTH(D[start:end]): the hash of the tree over leaves start (included) to end (excluded)."""


def leaf_hash(data: bytes) -> bytes:
    """SHA-256(0x00 || data): the hash of one leaf."""
    return hashlib.sha256(LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 || left || right): the hash of an interior node."""
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def split_point(size: int) -> int:
    """The largest power of two smaller than `size` (size >= 2): where RFC 9162 splits."""
    return 1 << ((size - 1).bit_length() - 1)


def is_perfect(start: int, end: int) -> bool:
    """Whether leaves [start, end) form one perfect subtree: a power of two, aligned on it."""
    width = end - start
    return width > 0 and width & (width - 1) == 0 and start % width == 0


@dataclass
class CompactRange:
    """The tree grown one leaf hash at a time, holding only the O(log n) perfect subtrees of
    its right edge: what computes a root in memory flat in the number of leaves.

    The right edge of a tree of n leaves has one perfect subtree per bit set in n, largest
    first: `stack` holds their hashes, and appending a leaf merges as many of them as n + 1
    has trailing zero bits. `on_node`, when set, is told of every perfect subtree that
    completes (its level, index and hash; level 0 is a leaf, and subtree (level, index)
    covers the leaves index * 2**level to (index + 1) * 2**level, excluded), from `min_level`.
    """

    size: int = 0
    stack: list[bytes] = field(default_factory=list)
    on_node: Callable[[int, int, bytes], None] | None = None
    min_level: int = 0

    def append(self, hashed_leaf: bytes) -> None:
        """Add the next leaf (its leaf hash, not its data)."""
        self.size = end = self.size + 1
        merges = (end & -end).bit_length() - 1
        stack, current, notify = self.stack, hashed_leaf, self.on_node
        if notify is None:
            # verify's path: one call per event of the ledger, so nothing else is done here.
            for _ in range(merges):
                current = _sha256(NODE_PREFIX + stack.pop() + current).digest()
            stack.append(current)
            return
        if self.min_level == 0:
            notify(0, end - 1, current)
        for level in range(1, merges + 1):
            current = _sha256(NODE_PREFIX + stack.pop() + current).digest()
            if level >= self.min_level:
                notify(level, (end >> level) - 1, current)
        stack.append(current)

    def extend(self, hashed_leaves: Iterable[bytes]) -> None:
        for hashed in hashed_leaves:
            self.append(hashed)

    def root(self) -> bytes:
        """The root of the tree of the leaves appended so far."""
        if not self.stack:
            return EMPTY_ROOT
        current = self.stack[-1]
        for left in reversed(self.stack[:-1]):
            current = node_hash(left, current)
        return current

    @classmethod
    def resumed(cls, size: int, perfect: Callable[[int, int], bytes]) -> "CompactRange":
        """The range of `size` leaves rebuilt from its left perfect subtrees (level, index)."""
        stack: list[bytes] = []
        start = 0
        for level in range(size.bit_length() - 1, -1, -1):
            if size >> level & 1:
                stack.append(perfect(level, start >> level))
                start += 1 << level
        return cls(size=size, stack=stack)


def root_of(hashed_leaves: Iterable[bytes]) -> bytes:
    """MTH over leaf hashes, in memory flat in their number."""
    tree = CompactRange()
    tree.extend(hashed_leaves)
    return tree.root()


def inclusion_path(index: int, size: int, subtree: Subtree) -> list[bytes]:
    """PATH(m, D[n]) of RFC 9162 section 2.1.3.1: the audit path of leaf `index`, nearest first."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of {size} leaves")
    siblings: list[bytes] = []
    start, end = 0, size
    while end - start > 1:
        k = split_point(end - start)
        if index < start + k:
            siblings.append(subtree(start + k, end))
            end = start + k
        else:
            siblings.append(subtree(start, start + k))
            start += k
    return siblings[::-1]


def consistency_path(old: int, new: int, subtree: Subtree) -> list[bytes]:
    """PROOF(m, D[n]) of RFC 9162 section 2.1.4.1: that the first `old` leaves are a prefix."""
    if not 0 <= old <= new:
        raise ValueError(f"no consistency proof from a tree of {old} to one of {new} leaves")
    if old in (0, new):
        return []
    nodes: list[bytes] = []
    start, end, m, whole = 0, new, old, True
    while m != end - start:
        k = split_point(end - start)
        if m <= k:
            nodes.append(subtree(start + k, end))
            end = start + k
        else:
            nodes.append(subtree(start, start + k))
            start, m, whole = start + k, m - k, False
    if not whole:
        nodes.append(subtree(start, end))
    return nodes[::-1]


def _sizes_ok(hashes: Iterable[bytes]) -> bool:
    return all(len(h) == HASH_SIZE for h in hashes)


def root_from_inclusion(index: int, size: int, hashed_leaf: bytes, path: Sequence[bytes]) -> bytes:
    """The root an audit path leads to (RFC 9162 section 2.1.3.2); ValueError if it cannot."""
    if not 0 <= index < size or not _sizes_ok([hashed_leaf, *path]):
        raise ValueError("the index, size or a hash is out of range")
    fn, sn, r = index, size - 1, hashed_leaf
    for p in path:
        if sn == 0:
            raise ValueError("the audit path is longer than the tree is deep")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ValueError("the audit path is shorter than the tree is deep")
    return r


def verify_inclusion(
    index: int, size: int, hashed_leaf: bytes, path: Sequence[bytes], root: bytes
) -> bool:
    """Whether `path` proves leaf `index` (its leaf hash) is in the tree of `size` with `root`."""
    try:
        return root_from_inclusion(index, size, hashed_leaf, path) == root
    except ValueError:
        return False


def verify_consistency(
    old: int, new: int, old_root: bytes, new_root: bytes, path: Sequence[bytes]
) -> bool:
    """Whether `path` proves the tree (`old`, `old_root`) is a prefix of (`new`, `new_root`).

    RFC 9162 section 2.1.4.2; as in transparency-dev/merkle, the empty tree is a prefix of
    every tree (with an empty proof), and equal sizes need equal roots and an empty proof.
    """
    if not 0 <= old <= new or not _sizes_ok([old_root, new_root, *path]):
        return False
    if old == new:
        return not path and old_root == new_root
    if old == 0:
        return not path
    if not path:
        return False
    nodes = list(path)
    if old & (old - 1) == 0:
        nodes.insert(0, old_root)
    fn, sn = old - 1, new - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = nodes[0]
    for c in nodes[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return fr == old_root and sr == new_root and sn == 0


def tree_head_message(timestamp_ms: int, size: int, root: bytes) -> bytes:
    """The 50 bytes a signed tree head signs: RFC 6962 section 3.5's TreeHeadSignature.

    version v1 (0x00), signature_type tree_hash (0x01), the timestamp in milliseconds since
    the epoch (8 bytes, big-endian), the tree size (8 bytes, big-endian), the root (32 bytes).
    """
    if len(root) != HASH_SIZE:
        raise ValueError("a tree root has 32 bytes")
    return b"\x00\x01" + timestamp_ms.to_bytes(8, "big") + size.to_bytes(8, "big") + root
