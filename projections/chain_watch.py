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

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from ledger.records import Entry, StoredRow
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


@dataclass(frozen=True)
class _Kept:
    verified: Verified
    checker: RowChecker


@dataclass(frozen=True)
class _State:
    """What the watch knows, replaced whole (one assignment) so that a reader never sees half."""

    kept: _Kept | None
    """How far the chain held at the last check; None after a break."""
    last: Check
    seen: int
    """The ledger's head seq when the last check began."""


class ChainWatch:
    """Verifies the ledger of `store` in full, then only what was appended since.

    Thread-safe: one verify runs at a time, and a check that finds nothing appended (the
    head is the row the last check ended on, with the hash it verified) waits for none.
    """

    def __init__(self, store: EventStore, clock: Callable[[], datetime]) -> None:
        self.store, self.clock = store, clock
        self._state: _State | None = None
        self._running = threading.Lock()

    def check(self, *, full: bool = False) -> Check:
        """The verdict on the ledger as it is now: kept if nothing was appended since the
        last check, else the new rows verified (or the whole ledger, see the module)."""
        if not full:
            unchanged = self._unchanged(self.store.head(), self.clock())
            if unchanged is not None:
                return unchanged
        with self._running:
            return self._check(full=full)

    def _unchanged(self, head: Entry | None, now: datetime) -> Check | None:
        """The last check, if the ledger's head is where it left it (one read: the head)."""
        state = self._state
        if state is None or now - state.last.full_at >= FULL_EVERY:
            return None
        seq = head.seq if head is not None else 0
        if state.kept is None:  # the last check found a break: it stands until the ledger grows
            return state.last if seq == state.seen else None
        verified = state.kept.verified
        if seq == verified.seq and (head is None or head.row.hash == verified.hash):
            return state.last
        return None

    def _check(self, *, full: bool) -> Check:
        now = self.clock()
        head = self.store.head()
        seq = head.seq if head is not None else 0
        state = self._state
        if not full and state is not None:
            unchanged = self._unchanged(head, now)
            if unchanged is not None:  # another request verified it meanwhile
                return unchanged
            kept = state.kept
            if (
                kept is not None
                and now - state.last.full_at < FULL_EVERY
                and kept.verified.seq < seq
                and self._still_carries(kept.verified)
            ):
                since = kept.verified.seq
                rows = self.store.read_rows(after_seq=since)
                return self._settle(rows, kept, since, now, seq, full_at=state.last.full_at)
        earlier = state.kept.verified.digest() if state is not None and state.kept else None
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
        held = None
        if verdict.broken_seq is None:
            reached = Verified(
                verdict.head.seq, bytes.fromhex(verdict.head.hash), kept.verified.tree,
                verdict.flagged,
            )  # fmt: skip
            held = _Kept(reached, kept.checker)
        self._state = _State(held, check, seen)
        return check

    def _still_carries(self, verified: Verified) -> bool:
        """Whether the row the last verify ended on is there with the hash it verified."""
        if verified.seq == 0:
            return True
        entry = self.store.entry(seq=verified.seq)
        return entry is not None and entry.row.hash == verified.hash
