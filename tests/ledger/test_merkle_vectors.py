"""The Merkle tree against published test vectors, not against itself.

Sources (copied value by value; each vector names where it comes from):

- `RFC6962_HASHER`: transparency-dev/merkle, `rfc6962/rfc6962_test.go` (TestRFC6962Hasher),
  commit 78493b07ef9b552e3379abf9e23d4da26fbe797c.
- `LEAVES`, `ROOTS`, `INCLUSION`, `CONSISTENCY`: transparency-dev/merkle,
  `proof/verify_test.go`, commit 02194e9afb6c1d95b5381350007963aa70fff472 (the vectors of
  Certificate Transparency's `merkle_tree_test`, carried over by Trillian and then
  transparency-dev). Their leaf numbers are 1-based there (`leaves[p.leaf-1]`): here they are
  the 0-based leaf index.
- `HAPPY_PATH_JSON`: transparency-dev/merkle, `testdata/inclusion/1/happy-path.json`,
  commit 73a0db1c2a2bd17afd311403643abea0266cbf87 (base64, as published).
"""

import base64
import json

import pytest

from ledger.merkle import (
    EMPTY_ROOT,
    consistency_path,
    inclusion_path,
    leaf_hash,
    node_hash,
    root_from_inclusion,
    root_of,
    verify_consistency,
    verify_inclusion,
)

h = bytes.fromhex

RFC6962_HASHER = {
    "empty": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "empty leaf": "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "leaf L123456": "395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56",
    "node N123 N456": "aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb",
}

LEAVES = [
    h(""),
    h("00"),
    h("10"),
    h("2021"),
    h("3031"),
    h("40414243"),
    h("5051525354555657"),
    h("606162636465666768696a6b6c6d6e6f"),
]

ROOTS = [  # the root of the tree of the first 1, 2, ..., 8 leaves
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]

INCLUSION = [  # (leaf index, tree size, audit path)
    (0, 1, []),
    (
        0,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (
        1,
        5,
        [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
]

CONSISTENCY = [  # (old size, new size, proof)
    (1, 1, []),
    (
        1,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (
        6,
        7,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
]

HAPPY_PATH_JSON = (
    '{"leafIdx":0,"treeSize":8,"root":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=",'
    '"leafHash":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","proof":['
    '"lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=",'
    '"a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="],"desc":"happy path","wantErr":false}'
)


def hashed_leaves(size: int) -> list[bytes]:
    return [leaf_hash(data) for data in LEAVES[:size]]


def subtree_of(size: int):  # type: ignore[no-untyped-def]
    hashed = hashed_leaves(size)
    return lambda start, end: root_of(hashed[start:end])


def test_the_hashes_are_those_of_rfc_6962() -> None:
    assert EMPTY_ROOT.hex() == RFC6962_HASHER["empty"]
    assert leaf_hash(b"").hex() == RFC6962_HASHER["empty leaf"]
    assert leaf_hash(b"L123456").hex() == RFC6962_HASHER["leaf L123456"]
    assert node_hash(b"N123", b"N456").hex() == RFC6962_HASHER["node N123 N456"]


@pytest.mark.parametrize("size", range(1, 9))
def test_the_root_of_each_prefix_is_the_published_one(size: int) -> None:
    assert root_of(hashed_leaves(size)).hex() == ROOTS[size - 1]


def test_the_empty_tree_has_the_hash_of_nothing_as_root() -> None:
    assert root_of([]) == EMPTY_ROOT


@pytest.mark.parametrize(("index", "size", "path"), INCLUSION)
def test_inclusion_proofs_are_the_published_ones_and_verify(
    index: int, size: int, path: list[str]
) -> None:
    assert [p.hex() for p in inclusion_path(index, size, subtree_of(size))] == path
    proof = [h(p) for p in path]
    hashed = leaf_hash(LEAVES[index])
    assert root_from_inclusion(index, size, hashed, proof).hex() == ROOTS[size - 1]
    assert verify_inclusion(index, size, hashed, proof, h(ROOTS[size - 1]))


@pytest.mark.parametrize(("old", "new", "path"), CONSISTENCY)
def test_consistency_proofs_are_the_published_ones_and_verify(
    old: int, new: int, path: list[str]
) -> None:
    assert [p.hex() for p in consistency_path(old, new, subtree_of(new))] == path
    proof = [h(p) for p in path]
    assert verify_consistency(old, new, h(ROOTS[old - 1]), h(ROOTS[new - 1]), proof)


def test_the_published_happy_path_file_verifies() -> None:
    case = json.loads(HAPPY_PATH_JSON)
    path = [base64.b64decode(p) for p in case["proof"]]
    root, hashed = base64.b64decode(case["root"]), base64.b64decode(case["leafHash"])
    assert verify_inclusion(case["leafIdx"], case["treeSize"], hashed, path, root)


def corruptions(index: int, size: int, path: list[bytes], root: bytes, leaf: bytes):  # type: ignore[no-untyped-def]
    """The probes of transparency-dev's corruptInclusionProof: each must fail."""
    some = h("abacaba000000000000000000000000000000000000000000060061e00123456")
    yield "index - 1", index - 1, size, leaf, path, root
    yield "index + 1", index + 1, size, leaf, path, root
    yield "index ^ 2", index ^ 2, size, leaf, path, root
    yield "size * 2", index, size * 2, leaf, path, root
    yield "size / 2", index, size // 2, leaf, path, root
    yield "wrong leaf", index, size, b"WrongLeaf", path, root
    yield "empty root", index, size, leaf, path, EMPTY_ROOT
    yield "random root", index, size, leaf, path, some
    yield "trailing garbage", index, size, leaf, [*path, b""], root
    yield "trailing root", index, size, leaf, [*path, root], root
    yield "preceding garbage", index, size, leaf, [b"", *path], root
    yield "preceding root", index, size, leaf, [root, *path], root
    for i in range(len(path)):
        flipped = bytearray(path[i])
        flipped[0] ^= 8
        yield (
            f"proof[{i}] bit 3",
            index,
            size,
            leaf,
            [*path[:i], bytes(flipped), *path[i + 1 :]],
            root,
        )
    if path:
        yield "removed component", index, size, leaf, path[:-1], root
    if len(path) > 1:
        yield "inserted component", index, size, leaf, [path[0], some, *path[1:]], root


@pytest.mark.parametrize(("index", "size", "path"), INCLUSION[1:])
def test_every_published_corruption_of_an_inclusion_proof_fails(
    index: int, size: int, path: list[str]
) -> None:
    proof = [h(p) for p in path]
    root, leaf = h(ROOTS[size - 1]), leaf_hash(LEAVES[index])
    passed = [
        name
        for name, i, n, hashed, p, r in corruptions(index, size, proof, root, leaf)
        if i >= 0 and verify_inclusion(i, n, hashed, p, r)
    ]
    assert passed == []


@pytest.mark.parametrize(("old", "new", "path"), CONSISTENCY[1:])
def test_every_published_corruption_of_a_consistency_proof_fails(
    old: int, new: int, path: list[str]
) -> None:
    proof = [h(p) for p in path]
    r1, r2 = h(ROOTS[old - 1]), h(ROOTS[new - 1])
    probes = {
        "old - 1": (old - 1, new, r1, r2, proof),
        "old + 1": (old + 1, new, r1, r2, proof),
        "old ^ 2": (old ^ 2, new, r1, r2, proof),
        "new * 2": (old, new * 2, r1, r2, proof),
        "new / 2": (old, new // 2, r1, r2, proof),
        "wrong root1": (old, new, b"WrongRoot", r2, proof),
        "wrong root2": (old, new, r1, b"WrongRoot", proof),
        "swapped roots": (old, new, r2, r1, proof),
        "empty proof": (old, new, r1, r2, []),
        "trailing garbage": (old, new, r1, r2, [*proof, b""]),
        "trailing root1": (old, new, r1, r2, [*proof, r1]),
        "trailing root2": (old, new, r1, r2, [*proof, r2]),
        "preceding garbage": (old, new, r1, r2, [b"", *proof]),
        "preceding root1": (old, new, r1, r2, [r1, *proof]),
        "preceding root2": (old, new, r1, r2, [r2, *proof]),
        "preceding proof[0]": (old, new, r1, r2, [proof[0], *proof]),
        "truncated proof": (old, new, r1, r2, proof[:-1]),
    }
    for i in range(len(proof)):
        flipped = bytearray(proof[i])
        flipped[0] ^= 16
        probes[f"proof[{i}] bit 4"] = (
            old,
            new,
            r1,
            r2,
            [*proof[:i], bytes(flipped), *proof[i + 1 :]],
        )
    passed = [name for name, args in probes.items() if verify_consistency(*args)]
    assert passed == []


def test_trivial_consistency_cases_follow_transparency_dev() -> None:
    one, two = b"don't care 1", b"don't care 2"
    assert verify_consistency(0, 1, EMPTY_ROOT, EMPTY_ROOT, []) is True
    assert verify_consistency(1, 1, EMPTY_ROOT, EMPTY_ROOT, [EMPTY_ROOT]) is False
    assert verify_consistency(1, 0, one, two, []) is False
    assert verify_consistency(1, 2, one, two, []) is False
