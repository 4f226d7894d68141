"""Inclusion and consistency proofs as documents: plain data an auditor checks without our code.

Every hash is 64 lowercase hex characters; the fields are documented in docs/integrity.md
section 8, and docs/verify_proofs.py checks each kind with Python's standard library. A proof
is always given against a digest the ledger still extends: asked against a digest it no
longer extends (a rewritten or cut ledger), the store refuses, naming the difference.
"""

from dataclasses import dataclass
from typing import Any

from events.errors import LedgerError
from events.i18n import _
from ledger.chain import GENESIS
from ledger.merkle import leaf_hash
from ledger.records import StoredRow
from ledger.store import SqlEventStore
from ledger.tree import LedgerTree, digest_of
from ledger.verify import Digest

PROOF_FORMAT = 1
"""The version of the proof documents' fields."""

HASHED_FIELDS = (
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
"""The stored fields a row's chain hash covers, in hashing order (after the previous hash)."""


class DigestNotExtended(LedgerError):
    """The ledger does not extend a digest it is asked to prove against."""


@dataclass
class Prover:
    """Proofs computed from one store, against digests it extends."""

    store: SqlEventStore

    def __post_init__(self) -> None:
        self.tree = LedgerTree(self.store)

    def head_digest(self) -> Digest:
        return digest_of(self.store, self.store.head(), self.tree)

    def checked(self, digest: Digest) -> Digest:
        """The version 2 digest of the same size, once the ledger is seen to extend `digest`."""
        head = self.store.head()
        size = head.seq if head else 0
        if digest.seq > size:
            raise DigestNotExtended(
                _("the ledger ends at seq {size}, before the digest's seq {seq}: cut short").format(
                    size=size, seq=digest.seq
                )
            )
        hash_hex = self.tree.leaf(digest.seq).hex() if digest.seq else GENESIS.hex()
        if hash_hex != digest.hash:
            raise DigestNotExtended(
                _("the ledger no longer extends {line}: seq {seq} has sha256={hash}").format(
                    line=digest.line(), seq=digest.seq, hash=hash_hex
                )
            )
        root = self.tree.root(digest.seq).hex()
        if digest.root is not None and digest.root != root:
            raise DigestNotExtended(
                _(
                    "the ledger no longer extends {line}: its tree of {seq} events has root={root}"
                ).format(line=digest.line(), seq=digest.seq, root=root)
            )
        return Digest(digest.seq, digest.hash, root)

    def inclusion(self, seq: int, digest: Digest | None = None) -> dict[str, Any]:
        """The audit path of event `seq` in the tree of `digest` (default: the head's)."""
        return self.proved(seq, self.checked(digest) if digest is not None else self.head_digest())

    def proved(self, seq: int, against: Digest) -> dict[str, Any]:
        """The inclusion proof of `seq` against a digest already checked (see `checked`)."""
        if not 1 <= seq <= against.seq:
            raise DigestNotExtended(
                _("seq {seq} is not in the tree of {size} events of {line}").format(
                    seq=seq, size=against.seq, line=against.line()
                )
            )
        event_hash = self.tree.leaf(seq)
        return {
            "proof": "inclusion",
            "format": PROOF_FORMAT,
            "seq": seq,
            "leaf_index": seq - 1,
            "tree_size": against.seq,
            "event_hash": event_hash.hex(),
            "leaf_hash": leaf_hash(event_hash).hex(),
            "audit_path": [node.hex() for node in self.tree.inclusion(seq, against.seq)],
            "root": against.root,
            "digest": against.line(),
        }

    def consistency(self, old: Digest, new: Digest | None = None) -> dict[str, Any]:
        """The proof that the tree of `old` is a prefix of the tree of `new` (default: head)."""
        earlier = self.checked(old)
        later = self.checked(new) if new is not None else self.head_digest()
        if earlier.seq > later.seq:
            raise DigestNotExtended(
                _("{earlier} is later than {later}: give the earlier one as --from").format(
                    earlier=earlier.line(), later=later.line()
                )
            )
        return {
            "proof": "consistency",
            "format": PROOF_FORMAT,
            "old_size": earlier.seq,
            "old_root": earlier.root,
            "new_size": later.seq,
            "new_root": later.root,
            "path": [node.hex() for node in self.tree.consistency(earlier.seq, later.seq)],
            "old_digest": earlier.line(),
            "new_digest": later.line(),
        }


def stored_fields(row: StoredRow) -> dict[str, Any]:
    """A row's hashed fields as stored, and its previous hash: enough to recompute its hash."""
    fields: dict[str, Any] = {name: getattr(row, name) for name in HASHED_FIELDS}
    fields["prev_hash"] = row.prev_hash.hex()
    return fields
