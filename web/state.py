"""What the console keeps between requests: the store, the templates, and what it computed.

Nothing kept can show a stale answer: the pages' views are keyed by their cycle's version,
the Merkle tree's nodes by the ledger's head (the read-only store cannot fill the tree cache
table, so the nodes are kept in memory; the tree only grows), and `verify` goes on from the
last row it verified, once that row is found unchanged (projections/chain_watch.py).
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, TypeVar

from jinja2 import Environment

from formats.writers.cruscotto_data import CruscottoExport, gather
from ledger.connections import utc_now
from ledger.probe import VersionProbe
from ledger.records import Entry
from ledger.store import SqlEventStore
from ledger.tree import LedgerTree, digest_of
from ledger.verify import Digest
from projections.chain_watch import ChainWatch, Check

T = TypeVar("T")
VIEWS_KEPT = 512
"""Views kept in memory, least recently used dropped first."""

if TYPE_CHECKING:
    from web.auth import Sessions, Users


@dataclass
class ConsoleState:
    """The console's dependencies, built once by `create_app`."""

    store: SqlEventStore
    env: Environment
    users: "Users | None" = None
    sessions: "Sessions | None" = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    """Held while the Merkle tree is read or filled (its in-memory nodes are shared)."""
    _tree: LedgerTree | None = None
    _watch: ChainWatch = field(init=False)
    _views: "OrderedDict[Hashable, object]" = field(default_factory=OrderedDict)
    _views_lock: threading.Lock = field(default_factory=threading.Lock)
    _probe: VersionProbe = field(init=False)

    def __post_init__(self) -> None:
        self._probe = VersionProbe(self.store)
        self._watch = ChainWatch(self.store, utc_now)

    def stream_version(self, cycle: str) -> int:
        """The cycle's version now: one statement, on a connection kept for it (ledger/probe)."""
        return self._probe.stream_version(cycle)

    def close(self) -> None:
        self._probe.close()
        self.store.close()

    def view(
        self, cycle: str, key: Hashable, compute: Callable[[], T], *, version: int | None = None
    ) -> T:
        """What a page shows of `cycle`, computed once per version of the cycle.

        Every projection of a page is a pure function of its cycle's events, its `as_of` and
        `known_at` (and its filters, in `key`): keyed by the cycle's version (one index
        probe), a cached answer can never be stale, since any new event of the cycle bumps it.
        A page passes the `version` it read when its request came in (CycleView.version), so
        that all its parts answer for the same moment and the probe is made once a request.
        """
        if version is None:
            version = self.stream_version(cycle)
        full = (cycle, version, key)
        with self._views_lock:
            if full in self._views:
                self._views.move_to_end(full)
                return self._views[full]  # type: ignore[return-value]
        value = compute()
        with self._views_lock:
            self._views[full] = value
            while len(self._views) > VIEWS_KEPT:
                self._views.popitem(last=False)
        return value

    def tree(self) -> LedgerTree:
        with self._lock:
            if self._tree is None:
                self._tree = LedgerTree(self.store)
            return self._tree

    def digest(self, head: Entry | None) -> Digest:
        """The digest (seq, head hash, tree root) of the ledger up to `head`."""
        tree = self.tree()
        with self._lock:
            return digest_of(self.store, head, tree)

    def export(self, stream: str, as_of: date, known_at: datetime | None) -> CruscottoExport:
        """What `ledger export` writes, for the downloads (the same function, the same data).

        Kept per version of the cycle and head of the ledger (the digest it names covers the
        whole ledger).
        """
        head = self.store.head()

        def compute() -> CruscottoExport:
            tree = self.tree()
            with self._lock:
                return gather(self.store, stream, as_of, known_at, tree=tree)

        return self.view(stream, ("export", as_of, known_at, head.seq if head else 0), compute)

    def verdict(self, *, full: bool = False) -> Check:
        """`ledger verify` of the ledger as it is now: in full at the first request (and when
        `full`), then only the rows appended since the last check (projections/chain_watch:
        one verify at a time, and none of the other pages or downloads waits for it)."""
        return self._watch.check(full=full)
