"""`ledger verify` for a reader that stays up (the console): in full once, then the new rows.

A full verify of a national ledger takes most of a minute (47 s at 1M events); the console
cannot make the first visitor after every append wait for it. So the watch remembers how far
the last verify that held went (`Verified`: the seq, its hash, the Merkle tree, the checker of
signatures and roles) and, when the ledger has grown, verifies only the rows after it, once
it has read back the row it ended on and found it still carries the hash it verified (a row
gone or rehashed there makes the walk a full one).

What this cannot see: a prefix row whose content was edited in place while its stored hash
was left alone (the rows after it still chain to that hash). A full verify sees it, and runs
when the console starts, when the last full one is older than `FULL_EVERY`, after any break,
and when asked for (the page's link); the page says which rows the last check read and when
the last full one ran. A full verify after an earlier one also checks that the ledger still
extends what was verified then (a ledger cut short below it is named, not passed).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from ledger.records import StoredRow
from ledger.store import EventStore
from ledger.verify import Digest, Verdict, Verified, verify_rows
from projections.verification import RowChecker

FULL_EVERY = timedelta(hours=24)
"""A check after this long since the last full verify is a full one again."""


@dataclass(frozen=True)
class Check:
    """One verify of the watch: its verdict, which rows it read, and when."""

    verdict: Verdict
    signed: int
    """Valid signatures among the rows verified so far."""
    full: bool
    """Whether this check read every row from seq 1 (else only those after `since`)."""
    since: int
    """The seq the check started after (0 for a full one)."""
    at: datetime
    full_at: datetime
    """When the last full verify ran (this one, if `full`)."""


@dataclass
class _Kept:
    verified: Verified
    checker: RowChecker


class ChainWatch:
    """Verifies the ledger of `store` in full, then only what was appended since.

    Not thread-safe: the caller holds one lock around `check` (a verify at a time).
    """

    def __init__(self, store: EventStore, clock: Callable[[], datetime]) -> None:
        self.store, self.clock = store, clock
        self._kept: _Kept | None = None
        self._last: Check | None = None
        self._seen = 0
        """The ledger's head seq when the last check began."""

    def check(self, *, full: bool = False) -> Check:
        """The verdict on the ledger as it is now: kept if nothing was appended since the
        last check, else the new rows verified (or the whole ledger, see the module)."""
        now = self.clock()
        head = self.store.head()
        seq = head.seq if head is not None else 0
        last, kept = self._last, self._kept
        if not full and last is not None and now - last.full_at < FULL_EVERY:
            if kept is None:  # the last check found a break: it stands until the ledger grows
                if seq == self._seen:
                    return last
            elif kept.verified.seq <= seq and self._still_carries(kept.verified):
                if seq == kept.verified.seq:
                    return last
                since = kept.verified.seq
                rows = self.store.read_rows(after_seq=since)
                return self._settle(rows, kept, since, now, seq, full_at=last.full_at)
        earlier = kept.verified.digest() if kept is not None else None
        return self._settle(
            self.store.read_rows(), _Kept(Verified(), RowChecker()), 0, now, seq,
            full_at=now, digest=earlier,
        )  # fmt: skip

    def _settle(
        self,
        rows: Iterable[StoredRow],
        kept: _Kept,
        since: int,
        now: datetime,
        seen: int,
        *,
        full_at: datetime,
        digest: Digest | None = None,
    ) -> Check:
        """Verify `rows` on from `kept`; keep how far the chain holds, or after a break keep
        nothing (the next check, once the ledger has grown, is a full one)."""
        verdict = verify_rows(
            rows, start=kept.verified, digest=digest, check_signature=kept.checker
        )
        check = Check(verdict, kept.checker.signed, since == 0, since, now, full_at)
        self._seen = seen
        if verdict.broken_seq is None:
            tree = kept.verified.tree
            kept.verified = Verified(
                verdict.head.seq, bytes.fromhex(verdict.head.hash), tree, verdict.flagged
            )
            self._kept = kept
        else:
            self._kept = None
        self._last = check
        return check

    def _still_carries(self, verified: Verified) -> bool:
        """Whether the row the last verify ended on is there with the hash it verified."""
        if verified.seq == 0:
            return True
        entry = self.store.entry(seq=verified.seq)
        return entry is not None and entry.row.hash == verified.hash
