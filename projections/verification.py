"""What `ledger verify` checks of each row beyond the chain: that it decodes, that its
signature is genuine, and that the append's rules (projections/authority.py) accept it.

The checker is `verify_rows`' hook: called on every row in seq order, it folds each cycle's
registry up to the row, says why the row would have been refused (None when it would not),
and goes on: every bad row is named by its seq, not only the first. A refused row is not
taken into the registry, as the append would never have recorded it.
"""

import base64
import binascii
from collections.abc import Iterable
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature as InvalidSignatureError
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from events.base import LedgerEvent
from events.errors import LedgerError, UnknownEventType
from events.i18n import _
from events.identity import KeyRegistered
from events.registry import decode_event
from ledger.records import StoredRow
from projections.authority import Act, Authority
from projections.signatures import ALGORITHM, signed_message


@dataclass
class RowChecker:
    """Checks each row as the append would have; counts the valid signatures."""

    authority: Authority = field(default_factory=Authority)
    signed: int = 0

    def __call__(self, row: StoredRow) -> str | None:
        return self._problem(row)

    def _problem(self, row: StoredRow) -> str | None:
        try:
            event = decode_event(row.type, row.schema_version, row.payload)
        except UnknownEventType:
            error = UnknownEventType(row.type, row.schema_version)
            return _("payload refused at seq {seq}: {reason}").format(seq=row.seq, reason=error)
        except (LedgerError, ValueError) as error:
            return _("payload refused at seq {seq}: {reason}").format(seq=row.seq, reason=error)
        key_id, signature = None, None
        if row.signature is not None:
            parts = row.signature.split(":")
            if len(parts) != 3 or parts[0] != ALGORITHM:
                return _(
                    "signature refused at seq {seq}: its signature is not of the form "
                    "ed25519:<key id>:<base64>"
                ).format(seq=row.seq)
            key_id, signature = parts[1], parts[2]
        act = Act(row.stream, row.actor, row.role, event, key_id)
        found = self.authority.refusal_of(act)
        if found is not None:
            kind, reason = found
            if kind == "role":
                return _("role refused at seq {seq}: {reason}").format(seq=row.seq, reason=reason)
            return _("signature refused at seq {seq}: {reason}").format(seq=row.seq, reason=reason)
        if key_id is not None and signature is not None:
            problem = self._genuine(row, event, key_id, signature)
            if problem is not None:
                return _("signature refused at seq {seq}: {reason}").format(
                    seq=row.seq, reason=problem
                )
            self.signed += 1
        self.authority.apply(row.seq, act)
        return None

    def _genuine(
        self, row: StoredRow, event: LedgerEvent, key_id: str, signature: str
    ) -> str | None:
        """Why the signature is not the key's over the row's hash (None when it is)."""
        if isinstance(event, KeyRegistered) and event.key_id == key_id:
            public = event.public_key  # a first key, signed with itself (its id checked)
        else:
            public = self.authority.identity(row.stream).keys[key_id].public_key
        try:
            Ed25519PublicKey.from_public_bytes(base64.b64decode(public)).verify(
                base64.b64decode(signature, validate=True), signed_message(row.hash.hex())
            )
        except (ValueError, binascii.Error, InvalidSignatureError):
            return _("its signature does not match its hash (key {key})").format(key=key_id)
        return None


def refused_rows(rows: Iterable[StoredRow]) -> list[tuple[int, str]]:
    """(seq, why) of every row the append would have refused: what `ledger audit` shows an
    OIV beside `verify`, so that a row an older version let in is seen, never skipped."""
    checker = RowChecker()
    found = []
    for row in rows:
        problem = checker(row)
        if problem is not None:
            found.append((row.seq, problem))
    return found
