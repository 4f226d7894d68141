"""What the transparency officer publishes beside the figures: signed digests, a signed tree
head and the proofs of the figures, so that a citizen holding the bundle can check them.

Two signatures, both Ed25519 (RFC 8032) with the administration's key, registered in the
cycle (`ledger keys register`) and in force:

- the **signed digest** signs the ASCII bytes of the version 2 digest line, as printed (no
  newline);
- the **signed tree head** signs the 50 bytes of RFC 6962's TreeHeadSignature
  (`ledger.merkle.tree_head_message`): version 0, type 1, the time the tree reached its size
  (the recorded time of its last event, in milliseconds since the epoch), the size, the root.

docs/integrity.md section 9 gives the bytes; docs/verify_proofs.py checks both with the
standard library only.
"""

import base64
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from events.i18n import _
from ledger.merkle import tree_head_message
from ledger.proofs import PROOF_FORMAT, Prover, stored_fields
from ledger.query import Query
from ledger.records import Entry
from ledger.store import SqlEventStore
from ledger.verify import Digest
from projections.cruscotto import Cruscotto
from projections.numbers import rounded
from projections.provenance import FigureSources, figure_sources
from projections.roles import IDENTITY_TYPES, identity_of
from projections.signatures import ALGORITHM, SignatureRefused, SigningKey


@dataclass(frozen=True)
class PublishingKey:
    """The key that signs a publication, as the ledger registered it."""

    key: SigningKey
    actor: str
    stream: str
    seq: int


def publishing_key(store: SqlEventStore, key: SigningKey) -> PublishingKey:
    """The key, once seen registered and in force in a cycle of the ledger.

    Any cycle will do: a closed cycle takes no new act, so the key that publishes it is the
    one the administration registered in the cycle it works in now.
    """
    entries = list(store.read(Query(types=IDENTITY_TYPES)))
    for stream in sorted({entry.stream for entry in entries}):
        identity = identity_of(entry for entry in entries if entry.stream == stream)
        registered = identity.keys.get(key.key_id)
        if registered is None or registered.public_key != key.public_key:
            continue
        if registered.ended is not None:
            raise SignatureRefused(
                _("key {key} is no longer in force in {stream} ({why}, seq {seq})").format(
                    key=key.key_id, stream=stream, why=registered.ended_by, seq=registered.ended
                )
            )
        return PublishingKey(key, registered.actor, stream, registered.seq)
    raise SignatureRefused(
        _(
            "key {key} is not registered in the ledger: a publication is signed with the "
            "administration's registered key (ledger --actor NAME --sign-key FILE keys register)"
        ).format(key=key.key_id)
    )


def _signer(signer: PublishingKey) -> dict[str, Any]:
    return {
        "algorithm": ALGORITHM,
        "key_id": signer.key.key_id,
        "public_key": signer.key.public_key,
        "actor": signer.actor,
        "registered_in": signer.stream,
        "registered_seq": signer.seq,
    }


def signed_digest(signer: PublishingKey, digest: Digest) -> dict[str, Any]:
    """The digest line and the signature of its ASCII bytes."""
    line = digest.line()
    signature = signer.key.sign_bytes(line.encode("ascii"))
    return {
        "signed_digest": PROOF_FORMAT,
        "digest": line,
        **_signer(signer),
        "signature": base64.b64encode(signature).decode("ascii"),
    }


def tree_timestamp(store: SqlEventStore, size: int) -> int:
    """When the tree reached `size` events: its last event's recorded time, in milliseconds."""
    entry = store.entry(seq=size) if size else None
    if entry is None:
        return 0
    moment = entry.recorded_at
    return int(moment.timestamp()) * 1000 + moment.microsecond // 1000


def signed_tree_head(store: SqlEventStore, signer: PublishingKey, digest: Digest) -> dict[str, Any]:
    """RFC 6962's signed tree head of the tree of `digest` (a version 2 digest)."""
    if digest.root is None:
        raise ValueError("a signed tree head needs the digest's tree root")
    timestamp = tree_timestamp(store, digest.seq)
    message = tree_head_message(timestamp, digest.seq, bytes.fromhex(digest.root))
    return {
        "signed_tree_head": PROOF_FORMAT,
        "tree_size": digest.seq,
        "timestamp": timestamp,
        "root": digest.root,
        **_signer(signer),
        "signature": base64.b64encode(signer.key.sign_bytes(message)).decode("ascii"),
    }


def figure_proof(
    store: SqlEventStore,
    stream: str,
    node: str | None,
    *,
    as_of: date,
    known_at: datetime | None = None,
    digest: Digest | None = None,
) -> dict[str, Any]:
    """A figure, the events it is computed from, and each event's inclusion proof.

    Each event carries its stored fields, so that its chain hash can be recomputed from its
    content (docs/integrity.md section 1) before its inclusion in the tree is checked.
    """
    prover = Prover(store)
    against = prover.checked(digest) if digest is not None else prover.head_digest()
    entries = [e for e in store.read_stream(stream, known_at=known_at) if e.seq <= against.seq]
    return proof_of(
        prover, against, figure_sources(entries, stream, node, as_of=as_of, known_at=known_at)
    )


def figure_proofs(
    store: SqlEventStore, cruscotto: Cruscotto, entries: Sequence[Entry], against: Digest
) -> Iterator[tuple[str | None, dict[str, Any]]]:
    """The proof of every figure of a cruscotto already replayed: the ente's (key None), then
    each node's at whatever level the SMVP has, against a checked version 2 digest."""
    prover = Prover(store)
    known = [e for e in entries if e.seq <= against.seq]
    nodes: list[str | None] = [None, *(node.key for node in cruscotto.nodes())]
    for key in nodes:
        sources = figure_sources(
            known,
            cruscotto.stream,
            key,
            as_of=cruscotto.as_of,
            known_at=cruscotto.known_at,
            cruscotto=cruscotto,
        )
        yield key, proof_of(prover, against, sources)


def key_proof(store: SqlEventStore, signer: PublishingKey, against: Digest) -> dict[str, Any]:
    """The inclusion proof of the event that registered the signing key, with its content."""
    entry = store.entry(seq=signer.seq)
    if entry is None or signer.seq > against.seq:
        raise SignatureRefused(
            _("key {key} was registered after {line}: publish without --known-at").format(
                key=signer.key.key_id, line=against.line()
            )
        )
    proof = Prover(store).proved(signer.seq, against)
    return {**proof, "proof": "key_registration", "stored": stored_fields(entry.row)}


def proof_of(prover: Prover, against: Digest, sources: FigureSources) -> dict[str, Any]:
    """A figure's sources as a proof document."""
    found = sources.node
    result = sources.cruscotto.result if sources.key is None else (found.result if found else None)
    events = []
    for entry in sources.entries:
        proof = prover.proved(entry.seq, against)
        events.append(
            {
                "seq": entry.seq,
                "type": entry.type,
                "effective_date": entry.effective_date.isoformat(),
                "stored": stored_fields(entry.row),
                "event_hash": proof["event_hash"],
                "leaf_hash": proof["leaf_hash"],
                "audit_path": proof["audit_path"],
            }
        )
    return {
        "proof": "figure",
        "format": PROOF_FORMAT,
        "cycle": sources.stream,
        "as_of": sources.as_of.isoformat(),
        "known_at": sources.known_at.isoformat() if sources.known_at else None,
        "node": {
            "key": sources.key,
            "code": sources.code,
            "title": sources.title,
            "level": sources.level,
        },
        "result": rounded(result),
        "tree_size": against.seq,
        "root": against.root,
        "digest": against.line(),
        "events": events,
    }
