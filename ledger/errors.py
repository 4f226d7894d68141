"""Refusals and failures of the store, each naming the value at fault."""

from events.errors import LedgerError, UsageError
from events.i18n import _


class ConcurrencyConflict(LedgerError):
    """Someone appended to the stream since the caller read it; nothing was written."""

    def __init__(self, stream: str, expected: int, actual: int) -> None:
        super().__init__(
            _(
                "stream {stream} is at version {actual}, not the expected {expected}: someone "
                "else appended meanwhile; nothing was written (read again and retry)"
            ).format(stream=stream, actual=actual, expected=expected)
        )
        self.stream, self.expected, self.actual = stream, expected, actual


class IdempotencyConflict(LedgerError):
    """An idempotency key is already used by a different event."""

    def __init__(self, key: str, seq: int) -> None:
        super().__init__(
            _(
                "idempotency key {key!r} already recorded seq {seq} with different content; "
                "nothing was written (record a correction instead of changing an import)"
            ).format(key=key, seq=seq)
        )
        self.key, self.seq = key, seq


class InvalidAppend(LedgerError):
    """An append request is malformed (empty stream name, missing actor, empty key...)."""


class BadDatabaseUrl(UsageError):
    """The --db / LEDGER_DB value is not a usable database URL."""


class DatabaseUnavailable(LedgerError):
    """The database could not be reached or opened."""


class LedgerNotInitialized(LedgerError):
    """The database has no ledger yet."""

    def __init__(self, where: str) -> None:
        super().__init__(
            _("no ledger at {where} (create it with: ledger init)").format(where=where)
        )


class InvalidDigest(UsageError):
    """A published digest line does not have the form `ledger digest` prints."""


class ReaderCanWrite(LedgerError):
    """The console was given a database role that may write the ledger."""

    def __init__(self, role: str, where: str) -> None:
        super().__init__(
            _(
                "the role {role} may write the ledger at {where}: serve it through a role that "
                "may only read (ledger init --reader-role NAME, then connect as NAME)"
            ).format(role=role, where=where)
        )


class SchemaTooNew(LedgerError):
    """The ledger was written by a newer version of the code: refused, nothing read."""


class SchemaTooOld(LedgerError):
    """The ledger's tables predate this version: `ledger migrate` brings them up to date."""


class UnreadableSchema(LedgerError):
    """The database holds a table named like ours without a readable schema version."""
