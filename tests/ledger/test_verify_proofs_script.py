"""docs/verify_proofs.py, the auditor's verifier with none of our code, against published
vectors: the Merkle vectors of tests/ledger/test_merkle_vectors.py (transparency-dev/merkle)
and the Ed25519 vectors of RFC 8032 section 7.1 (TEST 1 and TEST 2, copied from the RFC's
text). Its runs on the ledger's own output are in tests/cli/test_proof_cli.py and
tests/formats/test_bundle.py."""

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.ledger.test_merkle_vectors import CONSISTENCY, INCLUSION, LEAVES, ROOTS

SCRIPT = Path(__file__).resolve().parents[2] / "docs" / "verify_proofs.py"

# RFC 8032 section 7.1: (SECRET KEY, PUBLIC KEY, MESSAGE, SIGNATURE), hex.
RFC8032 = [
    (
        "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
        "",
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
        "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
    ),
    (
        "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
        "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
        "72",
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
        "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
    ),
]


@pytest.fixture(scope="module")
def script() -> ModuleType:
    """The script as a module of its own: it imports only the standard library."""
    spec = importlib.util.spec_from_file_location("verify_proofs", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    before = set(sys.modules)
    spec.loader.exec_module(module)
    ours = {"events", "ledger", "projections", "formats", "cli"}
    assert not {name.partition(".")[0] for name in set(sys.modules) - before} & ours
    return module


@pytest.mark.parametrize(("index", "size", "path"), INCLUSION)
def test_the_script_verifies_the_published_inclusion_proofs(
    script: ModuleType, index: int, size: int, path: list[str]
) -> None:
    leaf = script.leaf_hash(LEAVES[index])
    proof = [bytes.fromhex(p) for p in path]
    root = bytes.fromhex(ROOTS[size - 1])

    assert script.verify_inclusion(index, size, leaf, proof, root)
    assert not script.verify_inclusion(index, size, leaf, proof, bytes(32))


@pytest.mark.parametrize(("old", "new", "path"), CONSISTENCY)
def test_the_script_verifies_the_published_consistency_proofs(
    script: ModuleType, old: int, new: int, path: list[str]
) -> None:
    proof = [bytes.fromhex(p) for p in path]
    r1, r2 = bytes.fromhex(ROOTS[old - 1]), bytes.fromhex(ROOTS[new - 1])

    assert script.verify_consistency(old, new, r1, r2, proof)
    assert not script.verify_consistency(old, new, r2, r1, proof) or old == new


@pytest.mark.parametrize(("secret", "public", "message", "signature"), RFC8032)
def test_the_scripts_ed25519_accepts_the_rfc_8032_vectors_and_nothing_else(
    script: ModuleType, secret: str, public: str, message: str, signature: str
) -> None:
    key, data, signed = bytes.fromhex(public), bytes.fromhex(message), bytes.fromhex(signature)

    assert script.ed25519_verify(key, data, signed)
    assert not script.ed25519_verify(key, data + b"x", signed)
    tampered = bytearray(signed)
    tampered[10] ^= 1
    assert not script.ed25519_verify(key, data, bytes(tampered))


@pytest.mark.parametrize(("secret", "public", "message", "signature"), RFC8032)
def test_the_ledgers_keys_sign_as_rfc_8032_says(
    secret: str, public: str, message: str, signature: str
) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from projections.signatures import SigningKey

    key = SigningKey(Ed25519PrivateKey.from_private_bytes(bytes.fromhex(secret)))

    assert key.sign_bytes(bytes.fromhex(message)).hex() == signature
