"""Open a ledger from the URL a user gives (`--db` / `LEDGER_DB`), with one clear error if not."""

import re
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from events.i18n import _
from ledger.connections import Clock, utc_now
from ledger.errors import BadDatabaseUrl, LedgerNotInitialized
from ledger.sqlite import SqliteEventStore, read_only_store
from ledger.store import SqlEventStore

DEFAULT_DB = "sqlite:///ledger.db"


def normalise_url(text: str) -> str:
    """Accept an SQLAlchemy URL, or a plain path to a SQLite file."""
    text = text.strip()
    if not text:
        raise BadDatabaseUrl(_("the database URL is empty (try sqlite:///ledger.db)"))
    if "://" not in text:
        return f"sqlite:///{text}"
    return text


def masked(url: str) -> str:
    """The URL with any password replaced by ***, for messages."""
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)


def sqlite_file(url: str) -> Path | None:
    """The SQLite file a URL names, or None for another database (or an unreadable URL)."""
    try:
        parsed = make_url(normalise_url(url))
    except (ArgumentError, ValueError, BadDatabaseUrl):
        return None
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    return Path(parsed.database)


def open_store(
    url: str, *, create: bool = False, clock: Clock = utc_now, migrating: bool = False
) -> SqlEventStore:
    """Open the ledger at `url`; with `create`, install it (safe to repeat), else require it.

    The stored schema version must be this code's (ledger/schema.py), unless `migrating`:
    `ledger migrate` opens an older ledger to bring it up to date.
    """
    url = normalise_url(url)
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        raise BadDatabaseUrl(
            _(
                "{url} is not a database URL (try sqlite:///ledger.db or "
                "postgresql+psycopg://user@host:5432/dbname)"
            ).format(url=repr(masked(url)))
        ) from None
    url_shown = masked(url)
    backend = parsed.get_backend_name()
    store: SqlEventStore
    if backend == "sqlite":
        database = parsed.database or ""
        if database in ("", ":memory:") or database.startswith("file:"):
            raise BadDatabaseUrl(
                _("{url}: the ledger needs a SQLite file, not a memory database").format(
                    url=repr(url_shown)
                )
            )
        path = Path(database)
        if path.exists() and not path.is_file():
            raise BadDatabaseUrl(
                _("{url}: {path} is not a regular file (a SQLite ledger is one file)").format(
                    url=repr(url_shown), path=path
                )
            )
        if not create and not path.exists():
            raise LedgerNotInitialized(str(path))
        if create and not path.parent.exists():
            raise BadDatabaseUrl(
                _("{url}: folder {folder} does not exist").format(
                    url=repr(url_shown), folder=path.parent
                )
            )
        store = SqliteEventStore(url, clock=clock)
    elif backend == "postgresql":
        if parsed.get_driver_name() not in ("psycopg", "psycopg2"):
            url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
        from ledger.postgresql import PostgresEventStore  # the backend a URL names, only

        store = PostgresEventStore(url, clock=clock)
    else:
        raise BadDatabaseUrl(
            _("{url}: unsupported database {backend} (use sqlite or postgresql)").format(
                url=repr(url_shown), backend=repr(backend)
            )
        )
    try:
        if create:
            store.install()
        elif migrating:
            if not store.is_installed():
                raise LedgerNotInitialized(store.display_url)
        else:
            store.require_installed()
    except BaseException:
        store.close()
        raise
    return store


def open_reader(url: str) -> SqlEventStore:
    """Open the ledger at `url` so that the database itself refuses any write.

    SQLite: the file is opened with a `mode=ro` URI and `query_only`; PostgreSQL: the role of
    the URL must hold no write privilege on the ledger (`ledger init --reader-role NAME` makes
    one) and every transaction is read-only. The console (`ledger serve`) reads through it.
    """
    url = normalise_url(url)
    opened = open_store(url)  # the same checks and messages as every command
    opened.close()
    store: SqlEventStore
    if opened.backend == "sqlite":
        store = read_only_store(opened.url)
    else:
        from ledger.postgresql import reader_store

        store = reader_store(opened.url)
    try:
        store.require_installed()
        store.require_read_only()
    except BaseException:
        store.close()
        raise
    return store
