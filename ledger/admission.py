"""What an append request must be before the store takes the write lock.

Every check here needs only the request itself (the stream's name, the events, the envelope),
so it runs outside the critical section: a malformed batch is refused whole without making
other writers wait, and nothing about it reaches the database.
"""

import re
from collections.abc import Sequence

from events.errors import UnknownEventType
from events.i18n import _
from events.limits import check_event
from events.registry import event_class
from ledger.errors import InvalidAppend
from ledger.records import NewEvent

MAX_STREAM_LENGTH = 200

_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
"""What `str(uuid.UUID(text)) == text` accepts, in one match instead of a parse and a format."""


def check_request(stream: str, new_events: Sequence[NewEvent], keys: set[str]) -> None:
    """Refuse a malformed request before the write lock; `keys` collects the batch's keys.

    A bulk import checks every event, so the checks of the envelope are first made over the
    whole batch at once (each actor, role and type once, the keys and ids as sets): when they
    all pass, only the limits of each event remain. When one does not, the event-by-event walk
    runs from the start and names the first problem, exactly as it always did.
    """
    _check_stream(stream)
    if _plainly_valid(stream, new_events, keys):
        for new in new_events:
            check_event(new.event)  # the documented limits (events/limits.py), at entry
        return
    _check_each(stream, new_events, keys)


def _check_stream(stream: str) -> None:
    if not stream or len(stream) > MAX_STREAM_LENGTH or any(c.isspace() for c in stream):
        raise InvalidAppend(
            _("stream name {stream} must be 1-200 characters without spaces").format(
                stream=repr(stream)
            )
        )


def _plainly_valid(stream: str, new_events: Sequence[NewEvent], keys: set[str]) -> bool:
    """Whether every check of `_check_each` but the limits passes, deciding it in one pass per
    kind of value; on True the batch's keys are added to `keys`. False decides nothing: the
    walk then finds the problem, or finds none."""
    if "\x00" in stream:
        return False
    kinds = {(new.event.type_name, new.event.schema_version) for new in new_events}
    for type_name, version in kinds:
        try:
            known = event_class(type_name).schema_version
        except UnknownEventType:
            return False
        if not 1 <= version <= known:
            return False
    for actor in {new.actor for new in new_events}:
        if not actor.strip() or "\x00" in actor:
            return False
    if any("\x00" in role for role in {new.role for new in new_events}):
        return False
    batch_keys = [new.idempotency_key for new in new_events if new.idempotency_key is not None]
    distinct = set(batch_keys)
    if (
        "" in distinct
        or len(distinct) != len(batch_keys)
        or not keys.isdisjoint(distinct)
        or "\x00" in "".join(batch_keys)
    ):
        return False
    ids = [new.event_id for new in new_events]
    if len(set(ids)) != len(ids) or not all(map(_CANONICAL_UUID.fullmatch, ids)):
        return False
    keys |= distinct
    return True


def _check_each(stream: str, new_events: Sequence[NewEvent], keys: set[str]) -> None:
    """The checks event by event, in order: the first problem found is the one named."""
    ids: set[str] = set()
    for new in new_events:
        check_event(new.event)  # the documented limits (events/limits.py), at entry
        # A type this code cannot read back is refused, as `verify` would name its row; an
        # older schema version of a known type is an old release's row, and is let in.
        try:
            known = event_class(new.event.type_name).schema_version
        except UnknownEventType:
            known = 0
        if not 1 <= new.event.schema_version <= known:
            raise UnknownEventType(new.event.type_name, new.event.schema_version)
        if not new.actor.strip():
            raise InvalidAppend(
                _("an event of type {type_name} has no actor").format(type_name=new.event.type_name)
            )
        # PostgreSQL text cannot hold NUL, SQLite can: refuse it everywhere, so that both agree.
        for name, text in (
            ("stream", stream),
            ("actor", new.actor),
            ("role", new.role),
            ("idempotency key", new.idempotency_key or ""),
        ):
            if "\x00" in text:
                raise InvalidAppend(
                    {
                        "stream": _("the stream {text} holds a NUL character"),
                        "actor": _("the actor {text} holds a NUL character"),
                        "role": _("the role {text} holds a NUL character"),
                        "idempotency key": _("the idempotency key {text} holds a NUL character"),
                    }[name].format(text=repr(text))
                )
        if new.idempotency_key is not None:
            if not new.idempotency_key:
                raise InvalidAppend(_("an idempotency key may not be empty"))
            if new.idempotency_key in keys:
                raise InvalidAppend(
                    _("idempotency key {key} repeats in one batch").format(
                        key=repr(new.idempotency_key)
                    )
                )
            keys.add(new.idempotency_key)
        if _CANONICAL_UUID.fullmatch(new.event_id) is None:
            raise InvalidAppend(
                _(
                    "event id {event_id} is not a UUID in its canonical form "
                    "(lower-case hex with hyphens)"
                ).format(event_id=repr(new.event_id))
            )
        if new.event_id in ids:
            raise InvalidAppend(
                _("event id {event_id} repeats in one batch").format(event_id=new.event_id)
            )
        ids.add(new.event_id)
