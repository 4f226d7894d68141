"""The one error hierarchy of the ledger.

It lives in `events` so that every layer can raise and catch it. Every refusal names the value
at fault and, where there is one, the way out.
"""

from events.i18n import _


class LedgerError(Exception):
    """A refusal or failure that the user can act on; shown as one line, never a traceback."""


class UsageError(LedgerError):
    """The request itself is malformed (a bad URL, an unparsable value): exit code 2."""


class EncodingError(LedgerError):
    """A value cannot be put into canonical bytes (a float, a naive datetime, a lone surrogate)."""


class UnknownEventType(LedgerError):
    """A stored row names an event type (or schema version) that this code cannot read."""

    def __init__(self, type_name: str, schema_version: int) -> None:
        super().__init__(
            _("event type {type_name} v{version} is unknown to this version of the ledger").format(
                type_name=repr(type_name), version=schema_version
            )
        )
        self.type_name = type_name
        self.schema_version = schema_version


class InvalidPayload(LedgerError):
    """A payload does not validate against its event model."""
