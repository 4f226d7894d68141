"""A cycle whose actors are registered, and what the tests of roles and signatures share."""

from collections.abc import Iterator
from datetime import date
from pathlib import Path

from ledger.connect import open_store
from ledger.store import SqlEventStore
from projections import registration
from projections.signatures import SigningKey
from tests.builders import STREAM, approved_cycle
from tests.review.cycles import ADMIN, run

DAY = "30/04/2021"
ACTORS = {
    "controller-1": "controller",
    "segreteria": "giunta-secretariat",
    "oiv-1": "oiv",
    "segretario": "direzione",
}
REPORTED = (
    "record",
    "reported",
    "result",
    "96,67 %",
    "--document",
    "Relazione 2020",
    "--where",
    "sezione 3.1",
    "--date",
    "14/06/2021",
)


def registered_cycle(url: str) -> Iterator[SqlEventStore]:
    """A cycle whose actors are registered by its administrator, with its plan approved."""
    store = open_store(url, create=True)
    registration.register_actor(store, STREAM, "admin", "administrator", date(2020, 1, 2), ADMIN)
    for name, role in ACTORS.items():
        registration.register_actor(store, STREAM, name, role, date(2020, 1, 2), ADMIN)
    approved_cycle(store)
    yield store
    store.close()


def generate_key(path: Path) -> Path:
    """A new private key in `path`, through `ledger keys generate`."""
    result = run("sqlite:///unused.db", "keys", "generate", "--out", str(path))
    assert result.exit_code == 0, result.output
    return path


def refused(store: SqlEventStore, url: str, *args: str, line: str, code: int = 1) -> None:
    """The command exits with `code`, prints exactly `line` on stderr, and writes nothing."""
    before = store.count()
    result = run(url, *args)
    assert result.exit_code == code, result.output
    assert result.stderr == f"Error: {line}\n"
    assert store.count() == before


def key_id(path: Path) -> str:
    return SigningKey.from_pem(path.read_text(), str(path)).key_id


def last_seq(store: SqlEventStore) -> int:
    head = store.head()
    assert head is not None
    return head.seq
