#!/usr/bin/env python3
"""Check the performance ledger's proofs and signatures with Python's standard library only.

An auditor's (or a citizen's) tool, independent of the ledger's code: it reads the JSON
documents `ledger proof ... --format json` and `ledger publish` write, and checks them by the
recipe of docs/integrity.md sections 7-10:

    python verify_proofs.py inclusion proof.json        # an event is in the digest's tree
    python verify_proofs.py consistency proof.json      # a later tree extends an earlier one
    python verify_proofs.py figure proof.json           # a figure's events, each included
    python verify_proofs.py tree-head sth.json [--public-key B64]
    python verify_proofs.py signed-digest digest.json [--public-key B64]
    python verify_proofs.py bundle FOLDER [--public-key B64]   # everything a bundle holds

Exit code 0 when everything checks, 1 when something does not (the line says what), 2 when
a file cannot be read. The Merkle tree is RFC 9162's (section 2.1); Ed25519 is verified with
the reference code of RFC 8032 section 6, transcribed below.
"""

import argparse
import base64
import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Any

# -- the Merkle tree (RFC 9162, section 2.1) ---------------------------------------------------


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def root_from_inclusion(index: int, size: int, leaf: bytes, path: list[bytes]) -> bytes | None:
    """RFC 9162 section 2.1.3.2: the root an audit path leads to, or None if it cannot."""
    if not 0 <= index < size or any(len(h) != 32 for h in [leaf, *path]):
        return None
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return r if sn == 0 else None


def verify_inclusion(index: int, size: int, leaf: bytes, path: list[bytes], root: bytes) -> bool:
    return root_from_inclusion(index, size, leaf, path) == root


def verify_consistency(
    old: int, new: int, old_root: bytes, new_root: bytes, path: list[bytes]
) -> bool:
    """RFC 9162 section 2.1.4.2 (the empty tree is a prefix of any tree, with no proof)."""
    if not 0 <= old <= new or any(len(h) != 32 for h in [old_root, new_root, *path]):
        return False
    if old == new:
        return not path and old_root == new_root
    if old == 0:
        return not path
    if not path:
        return False
    nodes = ([old_root] if old & (old - 1) == 0 else []) + list(path)
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


# -- Ed25519 verification (RFC 8032, section 6: the reference implementation) -----------------

P = 2**255 - 19
L = 2**252 + 27742317777372353535851937790883648493
D = -121665 * pow(121666, P - 2, P) % P
SQRT_M1 = pow(2, (P - 1) // 4, P)


def _add(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    x = (a[1] - a[0]) * (b[1] - b[0]) % P
    y = (a[1] + a[0]) * (b[1] + b[0]) % P
    c = 2 * a[3] * b[3] * D % P
    d = 2 * a[2] * b[2] % P
    e, f, g, h = y - x, d - c, d + c, y + x
    return (e * f, g * h, f * g, e * h)


def _mul(s: int, point: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    result = (0, 1, 1, 0)
    while s > 0:
        if s & 1:
            result = _add(result, point)
        point = _add(point, point)
        s >>= 1
    return result


def _equal(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return (a[0] * b[2] - b[0] * a[2]) % P == 0 and (a[1] * b[2] - b[1] * a[2]) % P == 0


def _recover_x(y: int, sign: int) -> int | None:
    if y >= P:
        return None
    x2 = (y * y - 1) * pow(D * y * y + 1, P - 2, P)
    if x2 % P == 0:
        return None if sign else 0
    x = pow(x2, (P + 3) // 8, P)
    if (x * x - x2) % P != 0:
        x = x * SQRT_M1 % P
    if (x * x - x2) % P != 0:
        return None
    if (x & 1) != sign:
        x = P - x
    return x


def _decompress(data: bytes) -> tuple[int, int, int, int] | None:
    y = int.from_bytes(data, "little")
    sign = y >> 255
    y &= (1 << 255) - 1
    x = _recover_x(y, sign)
    return None if x is None else (x, y, 1, x * y % P)


_GY = 4 * pow(5, P - 2, P) % P
_GX = _recover_x(_GY, 0) or 0
BASE = (_GX, _GY, 1, _GX * _GY % P)


def ed25519_verify(public: bytes, message: bytes, signature: bytes) -> bool:
    """RFC 8032 section 6 `verify`: whether `signature` signs `message` under `public`."""
    if len(public) != 32 or len(signature) != 64:
        return False
    a = _decompress(public)
    r = _decompress(signature[:32])
    if a is None or r is None:
        return False
    s = int.from_bytes(signature[32:], "little")
    if s >= L:
        return False
    h = int.from_bytes(hashlib.sha512(signature[:32] + public + message).digest(), "little") % L
    return _equal(_mul(s, BASE), _add(r, _mul(h, a)))


# -- the ledger's own recipes (docs/integrity.md) ---------------------------------------------

DIGEST_V2 = re.compile(
    r"^ledger-digest/2 seq=(\d+) sha256=([0-9a-f]{64}) tree_size=(\d+) root=([0-9a-f]{64})$"
)
HASHED = (
    "seq",
    "event_id",
    "stream",
    "version",
    "type",
    "schema_version",
    "effective_date",
    "recorded_at",
    "actor",
    "role",
    "idempotency_key",
    "payload",
)


class Refused(Exception):
    """Something does not check: the message says what."""


def digest_root(line: str) -> tuple[int, bytes]:
    """The tree size and root a version 2 digest line states."""
    match = DIGEST_V2.match(line.strip())
    if not match or match.group(1) != match.group(3):
        raise Refused(f"not a version 2 digest line: {line!r}")
    return int(match.group(3)), bytes.fromhex(match.group(4))


def event_hash(stored: dict[str, Any]) -> bytes:
    """docs/integrity.md section 1: SHA-256 over 13 length-framed parts."""
    digest = hashlib.sha256()
    for value in [stored["prev_hash"], *(stored[name] for name in HASHED)]:
        data = ("" if value is None else str(value)).encode("utf-8")
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.digest()


def tree_head_message(timestamp: int, size: int, root: bytes) -> bytes:
    """RFC 6962 section 3.5 TreeHeadSignature: v1, tree_hash, timestamp, size, root."""
    return b"\x00\x01" + timestamp.to_bytes(8, "big") + size.to_bytes(8, "big") + root


def hexes(values: list[str]) -> list[bytes]:
    return [bytes.fromhex(value) for value in values]


def check_inclusion(proof: dict[str, Any]) -> str:
    size, root = digest_root(proof["digest"])
    event = bytes.fromhex(proof["event_hash"])
    if leaf_hash(event).hex() != proof["leaf_hash"]:
        raise Refused(f"seq {proof['seq']}: leaf_hash is not SHA-256(0x00 || event_hash)")
    if proof["tree_size"] != size or proof["leaf_index"] != proof["seq"] - 1:
        raise Refused(f"seq {proof['seq']}: the sizes do not match the digest line")
    if not verify_inclusion(
        proof["seq"] - 1, size, leaf_hash(event), hexes(proof["audit_path"]), root
    ):
        raise Refused(f"seq {proof['seq']}: the audit path does not lead to the digest's root")
    return f"ok: seq {proof['seq']} is in the tree of {size} events, root {root.hex()}"


def check_consistency(proof: dict[str, Any]) -> str:
    old, old_root = digest_root(proof["old_digest"])
    new, new_root = digest_root(proof["new_digest"])
    if not verify_consistency(old, new, old_root, new_root, hexes(proof["path"])):
        raise Refused(f"the tree of {new} events does not extend the tree of {old} events")
    return f"ok: the tree of {new} events extends the tree of {old} events"


def check_figure(proof: dict[str, Any]) -> str:
    size, root = digest_root(proof["digest"])
    for event in proof["events"]:
        stored = event["stored"]
        recomputed = event_hash(stored)
        if recomputed.hex() != event["event_hash"] or stored["seq"] != event["seq"]:
            raise Refused(f"seq {event['seq']}: its stored fields do not give its event_hash")
        path = hexes(event["audit_path"])
        if not verify_inclusion(event["seq"] - 1, size, leaf_hash(recomputed), path, root):
            raise Refused(f"seq {event['seq']}: the audit path does not lead to the root")
    label = proof["node"]["code"] or proof["node"]["key"] or "ente"
    return f"ok: {label}: {len(proof['events'])} events, each in the tree of {size} events"


def _signer(document: dict[str, Any], public_key: str | None) -> bytes:
    key = base64.b64decode(document["public_key"], validate=True)
    if public_key is not None and base64.b64decode(public_key, validate=True) != key:
        raise Refused("it is signed with another key than the one given with --public-key")
    if document["algorithm"] != "ed25519":
        raise Refused(f"unknown signature algorithm {document['algorithm']!r}")
    return key


def check_tree_head(sth: dict[str, Any], public_key: str | None = None) -> str:
    key = _signer(sth, public_key)
    root = bytes.fromhex(sth["root"])
    message = tree_head_message(sth["timestamp"], sth["tree_size"], root)
    if not ed25519_verify(key, message, base64.b64decode(sth["signature"], validate=True)):
        raise Refused("the tree head's signature does not verify")
    return f"ok: tree head of {sth['tree_size']} events signed by key {sth['key_id']}"


def check_signed_digest(signed: dict[str, Any], public_key: str | None = None) -> str:
    key = _signer(signed, public_key)
    signature = base64.b64decode(signed["signature"], validate=True)
    if not ed25519_verify(key, signed["digest"].encode("ascii"), signature):
        raise Refused("the digest's signature does not verify")
    return f"ok: digest signed by key {signed['key_id']}"


def check_key(proof: dict[str, Any], signed: dict[str, Any], digest_line: str) -> str:
    """The signing key's registration: its content, its inclusion, and the key it names."""
    size, root = digest_root(digest_line)
    stored = proof["stored"]
    recomputed = event_hash(stored)
    path = hexes(proof["audit_path"])
    if recomputed.hex() != proof["event_hash"] or stored["type"] != "KeyRegistered":
        raise Refused("key.json: its stored fields are not the KeyRegistered event it proves")
    if not verify_inclusion(stored["seq"] - 1, size, leaf_hash(recomputed), path, root):
        raise Refused("key.json: the registration is not in the tree of the digest")
    payload = json.loads(stored["payload"])
    if (payload.get("public_key"), payload.get("actor")) != (signed["public_key"], signed["actor"]):
        raise Refused("key.json registers another key, or another actor's, than the signer's")
    return f"ok: key {signed['key_id']} of {signed['actor']} registered at seq {stored['seq']}"


def check_bundle(folder: Path, public_key: str | None = None) -> list[str]:
    """Every file of the manifest, both signatures, and every proof of the bundle."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    said = []
    for item in manifest["files"]:
        data = (folder / item["path"]).read_bytes()
        if hashlib.sha256(data).hexdigest() != item["sha256"] or len(data) != item["bytes"]:
            raise Refused(f"{item['path']}: its SHA-256 is not the manifest's")
    said.append(f"ok: {len(manifest['files'])} files match the manifest")
    digest_line = manifest["digest"]
    size, root = digest_root(digest_line)
    signed = load(folder / "digest.json")
    if signed["digest"] != digest_line:
        raise Refused("digest.json signs another digest than the manifest's")
    said.append(check_signed_digest(signed, public_key))
    sth = load(folder / "tree-head.json")
    if (sth["tree_size"], sth["root"]) != (size, root.hex()) or sth["public_key"] != signed[
        "public_key"
    ]:
        raise Refused("tree-head.json is not the tree of the manifest's digest, or another key's")
    said.append(check_tree_head(sth, public_key))
    said.append(check_key(load(folder / "key.json"), signed, digest_line))
    for path in sorted((folder / "proofs").glob("*.json")):
        proof = load(path)
        if proof["digest"] != digest_line:
            raise Refused(f"{path.name}: proved against another digest than the manifest's")
        said.append(f"{path.name}: {check_figure(proof)}")
    return said


def load(path: Path) -> dict[str, Any]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "kind",
        choices=["inclusion", "consistency", "figure", "tree-head", "signed-digest", "bundle"],
    )
    parser.add_argument("path", help="the JSON document (a folder for bundle)")
    parser.add_argument("--public-key", help="the key it must be signed with (base64)")
    args = parser.parse_args(argv)
    try:
        if args.kind == "bundle":
            lines = check_bundle(Path(args.path), args.public_key)
        else:
            document = load(Path(args.path))
            lines = [
                {
                    "inclusion": lambda d: check_inclusion(d),
                    "consistency": lambda d: check_consistency(d),
                    "figure": lambda d: check_figure(d),
                    "tree-head": lambda d: check_tree_head(d, args.public_key),
                    "signed-digest": lambda d: check_signed_digest(d, args.public_key),
                }[args.kind](document)
            ]
    except Refused as refused:
        print(f"REFUSED: {refused}")
        return 1
    except (OSError, ValueError, KeyError, TypeError) as error:
        print(f"cannot read {args.path}: {error!r}", file=sys.stderr)
        return 2
    for line in lines:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
