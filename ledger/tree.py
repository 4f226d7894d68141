"""The Merkle tree of a stored ledger: roots and proofs computed from the store, not from memory.

A proof needs the hashes of O(log n) subtrees. Subtrees of fewer than 2**CACHE_LEVEL leaves
are hashed from the events' stored hashes (one indexed range read of at most 256 rows);
larger perfect subtrees come from the side table `merkle_nodes`, a cache that holds one row
per perfect subtree of 256, 512, 1024 ... leaves (about n / 128 rows for n events). The cache
is never part of the chain and never trusted blindly:

- it is filled on first use, in seq order, and resumed where it stops (behind the log);
- every proof recomputes the 256-leaf block it reads and compares it with the cached one; a
  difference discards the cache, which is then rebuilt from `events`;
- `ledger verify` recomputes every cached row from the chain (`CacheAudit`);
- a store that cannot be written (read-only file, SELECT-only role) keeps the cache in memory
  for the life of the object instead.

Memory stays flat in the size of the ledger: the fill streams the hashes, and a proof holds
a few blocks of 256 hashes and the O(log n) nodes it returns.
"""

from collections.abc import Callable, Generator
from itertools import islice

from sqlalchemy import and_, delete, func, insert, inspect, or_, select
from sqlalchemy.exc import DBAPIError, IntegrityError

from events.errors import LedgerError
from events.i18n import _
from ledger.chain import GENESIS
from ledger.merkle import (
    EMPTY_ROOT,
    CompactRange,
    Subtree,
    consistency_path,
    inclusion_path,
    is_perfect,
    leaf_hash,
    node_hash,
    root_of,
    split_point,
)
from ledger.records import Entry
from ledger.store import SqlEventStore
from ledger.tables import events, merkle_nodes
from ledger.verify import Digest

CACHE_LEVEL = 8
"""Perfect subtrees of 2**8 = 256 leaves and larger are cached; smaller ones are hashed."""
BLOCK = 1 << CACHE_LEVEL
_FLUSH = 2000
"""Cache rows written per transaction while filling: a fill stopped half-way keeps its rows."""
_BLOCKS_KEPT = 8


class TreeUnavailable(LedgerError):
    """The ledger's rows do not form the tree asked for (a gap in seq, or a size past the head)."""


class LedgerTree:
    """Roots and proofs of the ledger's Merkle tree at any size up to its head."""

    def __init__(self, store: SqlEventStore) -> None:
        self.store = store
        self._blocks: dict[int, list[bytes]] = {}
        self._nodes: dict[tuple[int, int], bytes] = {}
        self._read: dict[tuple[int, int], bytes] = {}
        self._write_db = True
        self._read_db = True
        self._filled = -1

    # -- the public questions ---------------------------------------------------------------

    def root(self, size: int) -> bytes:
        """MTH of the first `size` events."""
        self._prepare(size)
        if not size:
            return root_of([])
        self._prefetch(lambda subtree: subtree(0, size))
        return self._subtree(0, size)

    def inclusion(self, seq: int, size: int) -> list[bytes]:
        """The audit path of the event `seq` in the tree of `size` events."""
        if not 1 <= seq <= size:
            raise TreeUnavailable(
                _("seq {seq} is not in a tree of {size} events").format(seq=seq, size=size)
            )
        self._prepare(size)
        self._prefetch(lambda subtree: inclusion_path(seq - 1, size, subtree))
        return inclusion_path(seq - 1, size, self._subtree)

    def consistency(self, old: int, new: int) -> list[bytes]:
        """The proof that the tree of `old` events is a prefix of the tree of `new`."""
        if not 0 <= old <= new:
            raise TreeUnavailable(
                _("a tree of {old} events cannot extend to one of {new}").format(old=old, new=new)
            )
        self._prepare(new)
        self._prefetch(lambda subtree: consistency_path(old, new, subtree))
        return consistency_path(old, new, self._subtree)

    def leaf(self, seq: int) -> bytes:
        """The leaf data of event `seq`: its stored 32-byte chain hash."""
        found = self._hashes(seq - 1, seq)
        if not found:
            raise TreeUnavailable(_("there is no event of seq {seq} in the ledger").format(seq=seq))
        return found[0][1]

    # -- subtrees ---------------------------------------------------------------------------

    def _prepare(self, size: int) -> None:
        head = self.store.head()
        if size > (head.seq if head else 0):
            raise TreeUnavailable(
                _(
                    "the ledger holds {count} events, fewer than the tree size {size} asked for"
                ).format(count=head.seq if head else 0, size=size)
            )
        self._fill(size >> CACHE_LEVEL)

    def _prefetch(self, proof: Callable[[Subtree], object]) -> None:
        """Read every cached node and block a proof will need, in a few statements.

        The proof's shape does not depend on the hashes: a dry run with a recording subtree
        function names the ranges it needs; one query then reads their cached nodes (a round
        trip per node would cost ~20 of them, which PostgreSQL's latency makes noticeable).
        """
        ranges: list[tuple[int, int]] = []

        def record(start: int, end: int) -> bytes:
            ranges.append((start, end))
            return bytes(32)

        proof(record)
        wanted: set[tuple[int, int]] = set()
        for start, end in ranges:
            for level, index in _perfect_pieces(start, end):
                if level >= CACHE_LEVEL and (level, index) not in self._nodes:
                    wanted.add((level, index))
        wanted -= set(self._read)
        if not wanted or not self._read_db:
            return
        with self.store.engine.connect() as conn:
            rows = conn.execute(
                select(merkle_nodes.c.level, merkle_nodes.c.idx, merkle_nodes.c.hash).where(
                    or_(
                        *(
                            and_(merkle_nodes.c.level == level, merkle_nodes.c.idx == index)
                            for level, index in sorted(wanted)
                        )
                    )
                )
            )
            self._read.update({(int(lv), int(i)): bytes(h) for lv, i, h in rows})

    def _hashes(self, after: int, until: int) -> list[tuple[int, bytes]]:
        """(seq, hash) of a short range of events, in one plain statement (no server cursor)."""
        with self.store.engine.connect() as conn:
            rows = conn.execute(
                select(events.c.seq, events.c.hash)
                .where(events.c.seq > after, events.c.seq <= until)
                .order_by(events.c.seq)
            )
            return [(int(seq), bytes(digest)) for seq, digest in rows]

    def _subtree(self, start: int, end: int) -> bytes:
        if is_perfect(start, end):
            return self._perfect((end - start).bit_length() - 1, start // (end - start))
        k = split_point(end - start)
        return node_hash(self._subtree(start, start + k), self._subtree(start + k, end))

    def _perfect(self, level: int, index: int) -> bytes:
        if level >= CACHE_LEVEL:
            return self._node(level, index)
        width = 1 << level
        block = (index * width) // BLOCK
        leaves = self._block(block)
        offset = index * width - block * BLOCK
        if offset + width > len(leaves):
            missing = block * BLOCK + len(leaves) + 1
            raise TreeUnavailable(
                _("seq {seq} is missing from the ledger (check it with: ledger verify)").format(
                    seq=missing
                )
            )
        return root_of(leaves[offset : offset + width])

    def _block(self, block: int) -> list[bytes]:
        """The leaf hashes of one block of 256 events (fewer for the last one), checked."""
        if block in self._blocks:
            return self._blocks[block]
        first = block * BLOCK
        leaves: list[bytes] = []
        for seq, digest in self._hashes(first, first + BLOCK):
            if seq != first + len(leaves) + 1:
                raise TreeUnavailable(
                    _("seq {seq} is missing from the ledger (check it with: ledger verify)").format(
                        seq=first + len(leaves) + 1
                    )
                )
            leaves.append(leaf_hash(digest))
        checked = len(leaves) == BLOCK and block < self._filled
        if checked and self._node(CACHE_LEVEL, block) != root_of(leaves):
            # The cache disagrees with the events: it is wrong, the events are the truth.
            wanted = self._filled
            self._discard()
            self._fill(wanted)
        if len(self._blocks) >= _BLOCKS_KEPT:
            self._blocks.pop(next(iter(self._blocks)))
        self._blocks[block] = leaves
        return leaves

    # -- the cache --------------------------------------------------------------------------

    def _node(self, level: int, index: int) -> bytes:
        key = (level, index)
        if key in self._nodes:
            return self._nodes[key]
        if key in self._read and self._read_db:
            return self._read[key]
        if self._read_db:
            with self.store.engine.connect() as conn:
                found = conn.execute(
                    select(merkle_nodes.c.hash).where(
                        merkle_nodes.c.level == level, merkle_nodes.c.idx == index
                    )
                ).scalar()
            if found is not None:
                return bytes(found)
        raise TreeUnavailable(
            _("the tree cache has no node at level {level}, index {index}").format(
                level=level, index=index
            )
        )

    def _cached_blocks(self) -> int:
        """How many blocks the cache covers from the first: stored, then held in memory."""
        done = self._stored_blocks() if self._read_db else 0
        while (CACHE_LEVEL, done) in self._nodes:
            done += 1
        return done

    def _stored_blocks(self) -> int:
        with self.store.engine.connect() as conn:
            if not inspect(conn).has_table("merkle_nodes"):
                return 0
            count, highest = conn.execute(
                select(func.count(), func.max(merkle_nodes.c.idx)).where(
                    merkle_nodes.c.level == CACHE_LEVEL
                )
            ).one()
        if count and highest + 1 != count:
            self._discard()  # not filled in order: not ours to trust
            return 0
        return int(count or 0)

    def _fill(self, blocks: int) -> None:
        """Cache every perfect subtree of >= 256 leaves within the first `blocks` blocks."""
        if blocks <= self._filled:
            return
        done = self._cached_blocks()
        if done < blocks:
            tree = CompactRange.resumed(done, lambda level, i: self._node(level + CACHE_LEVEL, i))
            pending: list[tuple[int, int, bytes]] = []
            tree.on_node = lambda level, i, h: pending.append((level + CACHE_LEVEL, i, h))
            hashes = self.store.read_hashes(after_seq=done * BLOCK, until_seq=blocks * BLOCK)
            try:
                for block in range(done, blocks):
                    leaves = [leaf_hash(digest) for _, digest in islice(hashes, BLOCK)]
                    if len(leaves) != BLOCK:
                        raise TreeUnavailable(
                            _("the ledger has fewer than {count} events").format(
                                count=blocks * BLOCK
                            )
                        )
                    tree.append(root_of(leaves))
                    if len(pending) >= _FLUSH or block == blocks - 1:
                        self._keep(pending)
                        pending.clear()
            finally:
                hashes.close()
        self._filled = blocks

    def _keep(self, nodes: list[tuple[int, int, bytes]]) -> None:
        """Store computed nodes in the cache; in memory when the store cannot be written."""
        if self._write_db:
            rows = [
                {"level": lv, "idx": i, "last_seq": (i + 1) << lv, "hash": h} for lv, i, h in nodes
            ]
            try:
                with self.store.side_transaction() as conn:
                    merkle_nodes.create(conn, checkfirst=True)
                    conn.execute(insert(merkle_nodes), rows)
                return
            except IntegrityError:
                return  # another process filled the same rows (they are the same values)
            except (DBAPIError, LedgerError):
                self._write_db = False
        self._nodes.update({(lv, i): h for lv, i, h in nodes})

    def _discard(self) -> None:
        """Forget the cache, stored and in memory: it is rebuilt from the events."""
        self._nodes.clear()
        self._read.clear()
        self._filled = -1
        if self._write_db:
            try:
                with self.store.side_transaction() as conn:
                    if inspect(conn).has_table("merkle_nodes"):
                        conn.execute(delete(merkle_nodes))
                return
            except (DBAPIError, LedgerError):
                self._write_db = False
        self._read_db = False  # wrong rows that cannot be deleted are ignored instead


def _perfect_pieces(start: int, end: int) -> list[tuple[int, int]]:
    """The perfect subtrees (level, index) `LedgerTree._subtree` hashes [start, end) from."""
    if is_perfect(start, end):
        level = (end - start).bit_length() - 1
        return [(level, start >> level)]
    k = split_point(end - start)
    return [*_perfect_pieces(start, start + k), *_perfect_pieces(start + k, end)]


class CacheAudit:
    """`ledger verify`'s check of the cache: every stored node against the tree recomputed
    from the chain, as the two streams arrive in the same order (last seq, then level).

    Feed it to `CompactRange.on_node` (min_level CACHE_LEVEL) while verifying; `finish`
    names the first wrong node, if any, and discards the cache so that it is rebuilt.
    """

    def __init__(self, store: SqlEventStore) -> None:
        self.store = store
        self.checked = 0
        self.wrong: str | None = None
        self._stored = self._rows()

    def _rows(self) -> Generator[tuple[int, int, bytes]]:
        with self.store.engine.connect() as conn:
            if not inspect(conn).has_table("merkle_nodes"):
                return
            statement = select(
                merkle_nodes.c.level, merkle_nodes.c.idx, merkle_nodes.c.hash
            ).order_by(merkle_nodes.c.last_seq, merkle_nodes.c.level)
            with conn.execution_options(yield_per=2000).execute(statement) as result:
                for level, index, digest in result:
                    yield int(level), int(index), bytes(digest)

    def __call__(self, level: int, index: int, digest: bytes) -> None:
        if self.wrong is not None:
            return
        stored = next(self._stored, None)
        if stored is None:
            return
        if stored[:2] != (level, index) or stored[2] != digest:
            self.wrong = self._describe(*stored[:2])
            return
        self.checked += 1
        # Keep the generator in step: a stored row is consumed only when its node is reached.
        # (A node of the chain the cache does not hold yet is simply the cache being behind.)

    def close(self) -> None:
        """Stop reading the cache (the chain is broken: there is nothing to compare with)."""
        self._stored.close()

    def finish(self) -> str | None:
        """Why the cache is wrong (and discard it), or None when every stored node agrees."""
        if self.wrong is None:
            extra = next(self._stored, None)
            if extra is not None:
                self.wrong = _("{node}, beyond the end of the chain,").format(
                    node=self._describe(*extra[:2])
                )
        self._stored.close()
        if self.wrong is not None:
            LedgerTree(self.store)._discard()
        return self.wrong

    @staticmethod
    def _describe(level: int, index: int) -> str:
        first, last = (index << level) + 1, (index + 1) << level
        return _("the cached tree node of seq {first}-{last}").format(first=first, last=last)


def digest_of(store: SqlEventStore, head: Entry | None, tree: LedgerTree | None = None) -> Digest:
    """The version 2 digest of the ledger up to `head` (its tree root from the store)."""
    if head is None:
        return Digest(0, GENESIS.hex(), EMPTY_ROOT.hex())
    return Digest(head.seq, head.hash, (tree or LedgerTree(store)).root(head.seq).hex())
