#!/usr/bin/env python3
"""Recompute a performance ledger's hash chain from a plain SELECT, independently of the ledger.

An auditor's tool: it uses only the Python standard library (sqlite3, hashlib), plus psycopg
for a PostgreSQL ledger, and nothing of the ledger's own code. The recipe it follows is the
one in docs/integrity.md: the chain (sections 1-4) and the Merkle tree over it (section 7),
whose root it prints in the digest line.

    python verify_chain.py ledger.db
    python verify_chain.py sqlite:///ledger.db --explain
    python verify_chain.py postgresql://auditor@host/ledger --digest "ledger-digest seq=2 ..."

Exit code 0 when every row follows from the one before (and the ledger extends the digest,
if one is given), 1 at the first row that does not, 2 when the ledger cannot be read.
"""

import argparse
import hashlib
import re
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

GENESIS = "0" * 64
DIGEST = re.compile(r"^ledger-digest seq=(\d+) sha256=([0-9a-f]{64})$")
DIGEST_V2 = re.compile(
    r"^ledger-digest/2 seq=(\d+) sha256=([0-9a-f]{64}) tree_size=(\d+) root=([0-9a-f]{64})$"
)

# The hashed parts of a row, in hashing order, after the previous row's hash.
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
SELECT = f"SELECT {', '.join(HASHED)}, prev_hash, hash FROM events ORDER BY seq"  # noqa: S608


def parts_of(row: dict[str, Any], prev_hex: str) -> list[tuple[str, bytes]]:
    """The 13 parts that are hashed: the previous hash as 64 hex characters, then the fields.

    Every part is the UTF-8 text of the stored value: integers in decimal, a missing
    idempotency key as empty text, everything else exactly as stored.
    """
    parts = [("prev_hash", prev_hex.encode("ascii"))]
    for name in HASHED:
        value = row[name]
        parts.append((name, ("" if value is None else str(value)).encode("utf-8")))
    return parts


def link_hash(parts: list[tuple[str, bytes]]) -> bytes:
    """SHA-256 over each part preceded by its length as 8 bytes, big-endian."""
    digest = hashlib.sha256()
    for _, data in parts:
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.digest()


class TreeRoot:
    """The RFC 9162 Merkle tree over the rows' hashes, grown one leaf at a time.

    Leaf hash = SHA-256(0x00 || the row's 32-byte hash), node = SHA-256(0x01 || left || right);
    only the perfect subtrees of the right edge are kept, so memory stays small.
    """

    def __init__(self) -> None:
        self.stack: list[tuple[int, bytes]] = []

    def append(self, row_hash: bytes) -> None:
        level, node = 0, hashlib.sha256(b"\x00" + row_hash).digest()
        while self.stack and self.stack[-1][0] == level:
            node = hashlib.sha256(b"\x01" + self.stack.pop()[1] + node).digest()
            level += 1
        self.stack.append((level, node))

    def root(self) -> str:
        if not self.stack:
            return hashlib.sha256(b"").hexdigest()
        node = self.stack[-1][1]
        for _, left in reversed(self.stack[:-1]):
            node = hashlib.sha256(b"\x01" + left + node).digest()
        return node.hex()


def sqlite_rows(path: str) -> Iterator[dict[str, Any]]:
    if not Path(path).is_file():
        raise OSError(f"no SQLite file at {path}")
    # Read-only, so that checking a ledger can never create or change one.
    connection = sqlite3.connect(f"file:{quote(path)}?mode=ro", uri=True)
    connection.row_factory = sqlite3.Row
    try:
        for row in connection.execute(SELECT):
            yield dict(row)
    finally:
        connection.close()


def postgresql_rows(url: str) -> Iterator[dict[str, Any]]:
    import psycopg  # only needed for a PostgreSQL ledger
    from psycopg.rows import dict_row

    conninfo = re.sub(r"^postgresql\+\w+://", "postgresql://", url)
    # A named (server-side) cursor: the rows arrive in batches, whatever the ledger's size.
    with (
        psycopg.connect(conninfo, row_factory=dict_row) as connection,
        connection.cursor(name="verify_chain") as cursor,
    ):
        cursor.execute(SELECT)
        yield from cursor


def rows_of(ledger: str) -> Iterator[dict[str, Any]]:
    if ledger.startswith(("postgresql://", "postgresql+", "postgres://")):
        return postgresql_rows(ledger)
    return sqlite_rows(ledger.removeprefix("sqlite:///"))


def verify(
    ledger: str, *, explain: bool = False, digest: tuple[int, str, str | None] | None = None
) -> int:
    """Print one line per row (more with `explain`) and the head; return the exit code.

    `digest` is (seq, hash, root): root is None for a version 1 digest line.
    """
    expected_seq = 1
    prev_hex = GENESIS
    tree = TreeRoot()
    seen: tuple[str, str] | None = (GENESIS, tree.root()) if digest and digest[0] == 0 else None
    for row in rows_of(ledger):
        seq = row["seq"]
        if seq != expected_seq:
            print(f"seq {expected_seq} BROKEN: missing (the next row is seq {seq})")
            return 1
        stored_prev, stored_hash = bytes(row["prev_hash"]).hex(), bytes(row["hash"]).hex()
        parts = parts_of(row, prev_hex)
        recomputed = link_hash(parts).hex()
        if explain:
            print(f"seq {seq}")
            for name, data in parts:
                print(f"  {name:<15} {len(data):>4}  {data.decode('utf-8')}".rstrip())
            print(f"  {'sha256':<15} {'':>4}  {recomputed}")
        if stored_prev != prev_hex:
            print(f"seq {seq} BROKEN: prev_hash {stored_prev} is not the previous hash {prev_hex}")
            return 1
        if stored_hash != recomputed:
            print(f"seq {seq} BROKEN: stored hash {stored_hash}, recomputed {recomputed}")
            return 1
        print(f"seq {seq} ok sha256={recomputed}")
        tree.append(bytes.fromhex(recomputed))
        if digest and seq == digest[0]:
            seen = (recomputed, tree.root())
        prev_hex = recomputed
        expected_seq += 1
    size = expected_seq - 1
    print(f"ledger-digest/2 seq={size} sha256={prev_hex} tree_size={size} root={tree.root()}")
    if digest:
        line = f"ledger-digest seq={digest[0]} sha256={digest[1]}"
        if digest[2] is not None:
            line = f"ledger-digest/2 seq={digest[0]} sha256={digest[1]} "
            line += f"tree_size={digest[0]} root={digest[2]}"
        if seen is None:
            print(f"BROKEN: the ledger ends at seq {size}, before {line}")
            return 1
        if seen[0] != digest[1]:
            print(f"BROKEN: seq {digest[0]} now has sha256={seen[0]}, not {line}")
            return 1
        if digest[2] is not None and seen[1] != digest[2]:
            print(f"BROKEN: the tree of {digest[0]} events now has root={seen[1]}, not {line}")
            return 1
        print(f"extends {line}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ledger", help="a SQLite file (or sqlite:///path) or a postgresql:// URL")
    parser.add_argument("--explain", action="store_true", help="print every hashed part")
    parser.add_argument(
        "--digest", help='a published line "ledger-digest/2 seq=N ..." (or version 1)'
    )
    args = parser.parse_args(argv)
    digest = None
    if args.digest is not None:
        text = args.digest.strip()
        v2, v1 = DIGEST_V2.match(text), DIGEST.match(text)
        if v2 and v2.group(1) == v2.group(3):
            digest = (int(v2.group(1)), v2.group(2), v2.group(4))
        elif v1:
            digest = (int(v1.group(1)), v1.group(2), None)
        else:
            print(f"not a digest line: {args.digest!r}", file=sys.stderr)
            return 2
    try:
        return verify(args.ledger, explain=args.explain, digest=digest)
    except (OSError, sqlite3.Error, ImportError) as error:
        print(f"cannot read {args.ledger}: {error}", file=sys.stderr)
        return 2
    except Exception as error:  # psycopg's errors, without importing psycopg up front
        if type(error).__module__.startswith("psycopg"):
            print(f"cannot read {args.ledger}: {error}", file=sys.stderr)
            return 2
        raise


if __name__ == "__main__":
    sys.exit(main())
