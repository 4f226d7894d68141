"""The base of every event: a frozen pydantic model with a stable name and a schema version."""

from typing import ClassVar

from pydantic import BaseModel, ConfigDict


class LedgerEvent(BaseModel):
    """Something that happened in a performance cycle, in the past tense.

    The envelope (seq, stream, dates, actor, hashes) belongs to the ledger row, never here.
    `type_name` is what is stored, so a class can be renamed without rewriting history;
    `schema_version` changes whenever the payload's shape does, with an upcaster for the old one.
    `note` and `source` are common to all events: a free remark (for instance "day assumed:
    the document gives only the month") and, for a backfill, the document the event was
    transcribed from.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    type_name: ClassVar[str] = ""
    schema_version: ClassVar[int] = 1

    note: str | None = None
    source: str | None = None


class UnreadableEvent(LedgerEvent):
    """What a read finds in a row of a type this code does not know: written by another
    version of the ledger, or behind its back. It is never stored (it has no registered name);
    reads pass over it, as over any event they do not show, and `ledger verify` names the row.
    """

    type_name: ClassVar[str] = "(unreadable)"

    stored_type: str
    reason: str
