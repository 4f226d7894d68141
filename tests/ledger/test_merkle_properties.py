"""Properties of the Merkle tree's proofs over random ledgers (pure: the leaves are random
chain hashes); `tests/ledger/test_tree_store.py` checks the same on stored ledgers.

The trees are computed here by the RFC's recursive definition (`mth`), independently of the
streaming code under test.
"""

import hashlib
from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.merkle import (
    consistency_path,
    inclusion_path,
    leaf_hash,
    root_of,
    verify_consistency,
    verify_inclusion,
)

PROPERTY = settings(max_examples=150, deadline=None)


def mth(leaves: Sequence[bytes]) -> bytes:
    """RFC 9162 section 2.1.1, word for word."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return hashlib.sha256(b"\x01" + mth(leaves[:k]) + mth(leaves[k:])).digest()


def subtree_of(leaves: Sequence[bytes]):  # type: ignore[no-untyped-def]
    return lambda start, end: mth(leaves[start:end])


chain_hashes = st.lists(st.binary(min_size=32, max_size=32), min_size=1, max_size=70)


def flipped(data: bytes, position: int, bit: int) -> bytes:
    changed = bytearray(data)
    changed[position % len(changed)] ^= 1 << bit
    return bytes(changed)


@PROPERTY
@given(chain_hashes)
def test_the_streamed_root_is_the_rfc_root(leaves: list[bytes]) -> None:
    assert root_of([leaf_hash(leaf) for leaf in leaves]) == mth(leaves)


@PROPERTY
@given(chain_hashes, st.data())
def test_every_inclusion_proof_verifies_and_any_flipped_byte_fails_it(
    leaves: list[bytes], data: st.DataObject
) -> None:
    size = len(leaves)
    index = data.draw(st.integers(0, size - 1), label="index")
    root = mth(leaves)
    path = inclusion_path(index, size, subtree_of(leaves))
    leaf = leaf_hash(leaves[index])

    assert verify_inclusion(index, size, leaf, path, root)

    bit = data.draw(st.integers(0, 7), label="bit")
    position = data.draw(st.integers(0, 31), label="byte")
    assert not verify_inclusion(
        index, size, leaf_hash(flipped(leaves[index], position, bit)), path, root
    )
    assert not verify_inclusion(index, size, leaf, path, flipped(root, position, bit))
    for step in range(len(path)):
        broken = [*path[:step], flipped(path[step], position, bit), *path[step + 1 :]]
        assert not verify_inclusion(index, size, leaf, broken, root)


@PROPERTY
@given(chain_hashes, st.data())
def test_every_consistency_proof_verifies_and_fails_after_a_rewrite_or_a_cut(
    leaves: list[bytes], data: st.DataObject
) -> None:
    new = len(leaves)
    old = data.draw(st.integers(1, new), label="old size")
    old_root, new_root = mth(leaves[:old]), mth(leaves)
    proof = consistency_path(old, new, subtree_of(leaves))

    assert verify_consistency(old, new, old_root, new_root, proof)

    # A rewrite below the smaller size: the later ledger's tree (and proof) are of other leaves.
    at = data.draw(st.integers(0, old - 1), label="rewritten leaf")
    rewritten = [*leaves[:at], flipped(leaves[at], at, 0), *leaves[at + 1 :]]
    forged = consistency_path(old, new, subtree_of(rewritten))
    assert not verify_consistency(old, new, old_root, mth(rewritten), forged)

    # A cut below the smaller size, the ledger then grown again to the same length.
    cut = data.draw(st.integers(0, old - 1), label="cut at")
    regrown = [*leaves[:cut], *(flipped(leaf, 0, 1) for leaf in leaves[cut:])]
    forged = consistency_path(old, new, subtree_of(regrown))
    assert not verify_consistency(old, new, old_root, mth(regrown), forged)

    # A cut that leaves the ledger shorter than the published tree has no proof at all.
    shorter = data.draw(st.integers(0, old - 1), label="shorter")
    assert not verify_consistency(old, shorter, old_root, mth(leaves[:shorter]), proof)

    if proof:
        bit = data.draw(st.integers(0, 7), label="bit")
        step = data.draw(st.integers(0, len(proof) - 1), label="step")
        broken = [*proof[:step], flipped(proof[step], step, bit), *proof[step + 1 :]]
        assert not verify_consistency(old, new, old_root, new_root, broken)
