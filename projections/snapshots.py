"""A cycle's state for checking an act, at a cost that does not grow with the cycle.

Checking an act needs the cycle's state. Folding the whole cycle for every act made one act
cost as much as a replay of its cycle; instead the state after the last event folded is kept
in a snapshot beside the log (ledger/snapshots.py), and an act folds only the events after
it (the tail). The snapshot is a cache and never trusted blindly:

- it is used only if written by this very code (`CODE_VERSION`, a fingerprint of the sources
  of the fold and of the event models, and of the Python and pydantic versions), and if its
  check still ties it to the chain hash of the event it was taken at; otherwise the state is
  folded from scratch and the snapshot written again;
- it holds the state without its facts (projections/facts.py: every observation and every
  idempotency key, the part that grows with each event), so restoring it costs the size of
  the plan; an act that reads the facts has them folded from the log on first read;
- it is the state *as of the latest event*: it serves an act dated on or after every fact
  and act it holds (`latest_effective`), the usual case; an act dated earlier folds its cycle
  from scratch, as before;
- its bytes are read back with an unpickler that only builds the state's own classes (ours,
  and the standard decimal, fraction and date types), so altered bytes cannot run code.

`tests/projections/test_snapshots.py` holds that snapshot plus tail gives the state from
scratch, for random event sequences and cut points, and that stale, foreign and altered
snapshots are detected and rebuilt.
"""

import hashlib
import io
import pickle
import sys
from collections.abc import Iterator
from dataclasses import is_dataclass, replace
from datetime import date
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any

import pydantic
from pydantic import BaseModel

from ledger.query import Query
from ledger.records import Entry
from ledger.snapshots import load_snapshot, save_snapshot
from ledger.store import EventStore, SqlEventStore
from projections.facts import Facts, facts_of
from projections.plan_state import CycleState, FactsSource, fold, fold_into

SNAPSHOT_EVERY = 100
"""Events of tail after which an act writes the snapshot again (its cost is the plan's size)."""

_FOLD_SOURCES = ("events", "ledger/records.py", "projections")
_OWN_MODULES = ("events.", "projections.", "ledger.records")
_STANDARD = {
    ("builtins", "set"),
    ("builtins", "frozenset"),
    ("copyreg", "_reconstructor"),
    ("builtins", "object"),
    ("decimal", "Decimal"),
    ("fractions", "Fraction"),
    ("datetime", "date"),
    ("datetime", "datetime"),
    ("datetime", "timedelta"),
    ("datetime", "timezone"),
}


@cache
def code_version() -> str:
    """The fingerprint of the code a snapshot was written by: any change to it invalidates them."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(f"{sys.version}|{pydantic.VERSION}".encode())
    for part in _FOLD_SOURCES:
        path = root / part
        for source in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(str(source.relative_to(root)).encode("utf-8"))
            digest.update(source.read_bytes())
    return digest.hexdigest()


class _StateUnpickler(pickle.Unpickler):
    """Builds only the classes a cycle's state holds: never a function, never another module's."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _STANDARD:
            return super().find_class(module, name)
        if module.startswith(_OWN_MODULES):
            found = super().find_class(module, name)
            if isinstance(found, type) and (
                is_dataclass(found) or found is Entry or issubclass(found, BaseModel | Enum)
            ):  # an Entry is built from its StoredRow (Entry.__reduce__)
                return found
        raise pickle.UnpicklingError(f"a snapshot may not hold {module}.{name}")


def dump_state(state: CycleState) -> bytes:
    """The bytes of a state without its facts."""
    return pickle.dumps(replace(state, facts=None, facts_source=None), protocol=5)


def load_state(data: bytes) -> CycleState | None:
    """A state from its bytes, or None when they are not one (altered, or of another shape)."""
    try:
        state = _StateUnpickler(io.BytesIO(data)).load()
    except Exception:
        return None
    return state if isinstance(state, CycleState) else None


def cycle_state(store: EventStore, stream: str, *, as_of: date | None = None) -> CycleState:
    """The cycle's state as everything the ledger holds now makes it, as of `as_of`.

    The result is for reading: a store that keeps the state in memory (an import's staging
    store) hands out its own.
    """
    known = getattr(store, "known_state", None)
    if callable(known):
        state = known(as_of)
        if isinstance(state, CycleState):
            return state
    if not isinstance(store, SqlEventStore):
        return fold(store.read_stream(stream), stream, as_of=as_of)
    return _from_snapshot(store, stream, as_of)


def usable(state: CycleState, as_of: date | None) -> bool:
    """Whether a state as of the latest event is also the state as of `as_of`."""
    latest = state.latest_effective
    return as_of is None or latest is None or latest <= as_of


def _from_snapshot(store: SqlEventStore, stream: str, as_of: date | None) -> CycleState:
    fingerprint = code_version()
    snapshot = load_snapshot(store, stream, fingerprint)
    state = load_state(snapshot.state) if snapshot is not None else None
    if (
        snapshot is None
        or state is None
        or state.stream != stream
        or (state.last_seq, state.version) != (snapshot.last_seq, snapshot.version)
    ):
        # No snapshot, or none that serves: fold the cycle from scratch, and keep the state.
        state = fold(store.read_stream(stream), stream)
        kept = 0
    else:
        kept = state.version
        state.facts_source = _facts_from(store)
        tail = store.read(Query(stream=stream, after_version=kept))
        fold_into(state, _in_order(tail, kept))
    if state.version and (not kept or state.version - kept >= SNAPSHOT_EVERY):
        save_snapshot(store, stream, fingerprint, state.last_seq, state.version, dump_state(state))
    if usable(state, as_of):
        return state
    # An act dated before the latest fact or act of its cycle: fold it as of its day.
    return fold(store.read_stream(stream), stream, as_of=as_of)


def _in_order(tail: Iterator[Entry], version: int) -> Iterator[Entry]:
    """The tail's entries, refusing a gap in the versions (the log is read as it is)."""
    for entry in tail:
        version += 1
        if entry.version != version:  # pragma: no cover - the (stream, version) index is unique
            raise RuntimeError(f"{entry.stream}: version {entry.version} follows {version - 1}")
        yield entry


def _facts_from(store: EventStore) -> FactsSource:
    """The facts of a restored state, read from the log up to the state's last event."""

    def source(state: CycleState) -> Facts:
        until = Query(stream=state.stream, until_seq=state.last_seq)
        return facts_of(store.read(until), state.stream)

    return source
