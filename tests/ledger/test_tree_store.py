"""The Merkle tree computed from the store, on SQLite and PostgreSQL: the same roots and proofs
as the tree of the events' hashes computed in memory, with a cache that is filled as needed,
follows the ledger as it grows, and is never believed when it is wrong."""

from collections.abc import Iterator
from contextlib import ExitStack

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.connect import open_store
from ledger.merkle import leaf_hash, root_of, verify_consistency, verify_inclusion
from ledger.store import SqlEventStore
from ledger.tree import BLOCK, LedgerTree, TreeUnavailable
from tests.conftest import BACKENDS, pg_schema
from tests.ledger.builders import STREAM, execute_as_intruder, reopened, run_ledger

SIZE = 3 * BLOCK + 37  # three full cached blocks, a cached node of two, a ragged end


def grow(store: SqlEventStore, count: int) -> None:
    version = store.stream_version(STREAM)
    batch = [reopened(f"riapertura {version + n}") for n in range(count)]
    store.append(STREAM, batch, expected_version=version)


def leaves(store: SqlEventStore) -> list[bytes]:
    return [leaf_hash(row.hash) for row in store.read_rows()]


@pytest.fixture(scope="module", params=BACKENDS)
def grown(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SqlEventStore]:
    """One ledger of SIZE events per backend, shared by the read-only tests of this module."""
    with ExitStack() as stack:
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('tree') / 'ledger.db'}"
        else:
            url = stack.enter_context(pg_schema())
        store = open_store(url, create=True)
        stack.callback(store.close)
        grow(store, SIZE)
        yield store


def test_every_root_is_the_root_of_the_events_hashes(grown: SqlEventStore) -> None:
    hashed = leaves(grown)
    tree = LedgerTree(grown)
    for size in (0, 1, 2, BLOCK - 1, BLOCK, BLOCK + 1, 2 * BLOCK, 3 * BLOCK + 1, SIZE):
        assert tree.root(size) == root_of(hashed[:size]), size


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_stored_proofs_verify_against_the_roots_of_the_events(
    grown: SqlEventStore, data: st.DataObject
) -> None:
    hashed = leaves(grown)
    tree = LedgerTree(grown)
    size = data.draw(st.integers(1, SIZE), label="size")
    seq = data.draw(st.integers(1, size), label="seq")
    old = data.draw(st.integers(0, size), label="old")
    root = root_of(hashed[:size])

    assert verify_inclusion(seq - 1, size, hashed[seq - 1], tree.inclusion(seq, size), root)
    assert verify_consistency(old, size, root_of(hashed[:old]), root, tree.consistency(old, size))


def test_a_size_past_the_head_is_refused(grown: SqlEventStore) -> None:
    with pytest.raises(TreeUnavailable, match=f"the ledger holds {SIZE} events, fewer than"):
        LedgerTree(grown).root(SIZE + 1)


def test_the_cache_follows_the_ledger_as_it_grows(store: SqlEventStore) -> None:
    grow(store, BLOCK + 5)
    assert LedgerTree(store).root(BLOCK + 5) == root_of(leaves(store))

    grow(store, 3 * BLOCK)

    assert LedgerTree(store).root(4 * BLOCK + 5) == root_of(leaves(store))
    assert cached_rows(store) == 4 + 2 + 1  # blocks 0-3, two nodes of 512, one of 1024


def cached_rows(store: SqlEventStore) -> int:
    from sqlalchemy import func, select

    from ledger.tables import merkle_nodes

    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(merkle_nodes)).scalar() or 0)


def test_a_wrong_cache_row_is_not_believed_and_verify_names_it(store: SqlEventStore) -> None:
    grow(store, 2 * BLOCK + 3)
    hashed = leaves(store)
    assert LedgerTree(store).root(2 * BLOCK + 3) == root_of(hashed)
    execute_as_intruder(
        store, "UPDATE merkle_nodes SET hash = :h WHERE level = 8 AND idx = 1", {"h": bytes(32)}
    )

    # A proof reads the block it needs and finds the cache wrong: it is rebuilt, not used.
    path = LedgerTree(store).inclusion(BLOCK + 10, 2 * BLOCK + 3)
    assert verify_inclusion(BLOCK + 9, 2 * BLOCK + 3, hashed[BLOCK + 9], path, root_of(hashed))

    execute_as_intruder(
        store, "UPDATE merkle_nodes SET hash = :h WHERE level = 9 AND idx = 0", {"h": bytes(32)}
    )
    verified = run_ledger(store.url, "verify")
    assert verified.exit_code == 1, verified.output
    assert verified.stderr == (
        "Error: the cached tree node of seq 1-512 disagrees with the chain: the tree cache is "
        "not part of the ledger and was discarded (it is rebuilt from the events on next use); "
        "a digest printed before now may carry a wrong root: check it with ledger verify "
        "--digest\n"
    )
    assert cached_rows(store) == 0
    assert run_ledger(store.url, "verify").exit_code == 0
    assert LedgerTree(store).root(2 * BLOCK + 3) == root_of(hashed)


@pytest.mark.postgres
def test_a_role_that_may_only_read_keeps_the_cache_in_memory(pg_schema_url: str) -> None:
    import uuid

    from sqlalchemy.engine import make_url

    writable = open_store(pg_schema_url, create=True)
    grow(writable, BLOCK + 1)
    hashed = leaves(writable)
    role = f"ledger_reader_{uuid.uuid4().hex[:8]}"
    schema = make_url(pg_schema_url).query["options"].removeprefix("-csearch_path=")
    for statement in (
        f"CREATE ROLE {role} LOGIN",
        f'GRANT USAGE ON SCHEMA "{schema}" TO {role}',
        f'GRANT SELECT ON ALL TABLES IN SCHEMA "{schema}" TO {role}',
    ):
        execute_as_intruder(writable, statement)
    reader_url = make_url(pg_schema_url).set(username=role).render_as_string(hide_password=False)
    reader = open_store(reader_url)
    try:
        assert LedgerTree(reader).root(BLOCK + 1) == root_of(hashed)
        assert cached_rows(writable) == 0
    finally:
        reader.close()
        for statement in (
            f'REVOKE ALL ON SCHEMA "{schema}" FROM {role}',
            f'REVOKE ALL ON ALL TABLES IN SCHEMA "{schema}" FROM {role}',
            f"DROP ROLE {role}",
        ):
            execute_as_intruder(writable, statement)
        writable.close()
