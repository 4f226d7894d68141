"""Event types by stable name, and upcasters from older schema versions.

A stored row carries `type` and `schema_version`. Reading it looks the name up here (old names
stay resolvable through aliases), upcasts the payload step by step to the current version, and
validates it with the current model.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import ValidationError

from events.base import LedgerEvent
from events.decoding import StoredDecoder, stored_decoder
from events.encoding import decode_json
from events.errors import InvalidPayload, UnknownEventType
from events.i18n import _

Upcaster = Callable[[dict[str, Any]], dict[str, Any]]
E = TypeVar("E", bound=type[LedgerEvent])

_classes: dict[str, type[LedgerEvent]] = {}
_upcasters: dict[tuple[str, int], Upcaster] = {}
_stored: dict[type[LedgerEvent], StoredDecoder] = {}


def register(cls: E) -> E:
    """Class decorator: make an event type known by its `type_name`."""
    name = cls.type_name
    if not name:
        raise TypeError(f"{cls.__name__} has no type_name")
    known = _classes.get(name)
    if known is not None and known is not cls:
        raise TypeError(f"event type name {name!r} is already taken by {known.__name__}")
    _classes[name] = cls
    return cls


def register_alias(old_name: str, cls: type[LedgerEvent]) -> None:
    """Keep a former type name readable after a rename; rows are never rewritten."""
    _classes[old_name] = cls


def upcaster(type_name: str, from_version: int) -> Callable[[Upcaster], Upcaster]:
    """Decorator: register the step that turns a payload of `from_version` into the next one."""

    def decorate(step: Upcaster) -> Upcaster:
        _upcasters[(type_name, from_version)] = step
        return step

    return decorate


def event_class(type_name: str) -> type[LedgerEvent]:
    """The current class for a stored type name."""
    if type_name not in _classes:
        import events.catalogue  # noqa: F401 - registers the whole vocabulary on first need
    try:
        return _classes[type_name]
    except KeyError:
        raise UnknownEventType(type_name, 0) from None


def known_types() -> list[str]:
    """Every registered type name, sorted."""
    import events.catalogue  # noqa: F401 - registers the whole vocabulary

    return sorted(name for name, cls in _classes.items() if cls.type_name == name)


def upcast(type_name: str, schema_version: int, payload: dict[str, Any]) -> dict[str, Any]:
    """Bring a stored payload up to the current schema version of its type."""
    cls = event_class(type_name)
    if schema_version > cls.schema_version or schema_version < 1:
        raise UnknownEventType(type_name, schema_version)
    version = schema_version
    while version < cls.schema_version:
        step = _upcasters.get((cls.type_name, version)) or _upcasters.get((type_name, version))
        if step is None:
            raise UnknownEventType(type_name, version)
        try:
            payload = step(dict(payload))
        except (KeyError, TypeError, ValueError, AttributeError, ArithmeticError) as error:
            raise InvalidPayload(
                _("stored {type_name} v{version} payload cannot be upcast: {error}").format(
                    type_name=type_name, version=version, error=repr(error)
                )
            ) from None
        version += 1
    return payload


def _invalid_payload(type_name: str, error: ValidationError) -> InvalidPayload:
    """The refusal of a stored payload its model rejects: the field and what is wrong."""
    from events.limits import pydantic_problem

    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or _("payload")
    return InvalidPayload(
        _("stored {type_name} payload: {where}: {problem}").format(
            type_name=type_name, where=where, problem=pydantic_problem(first)
        )
    )


def decode_event(type_name: str, schema_version: int, payload: bytes | str) -> LedgerEvent:
    """Read a stored payload back into the current event model.

    A payload of the current version is parsed and validated by pydantic in one pass (twice
    as fast as json.loads then validation: replays read every payload). It takes no float
    guard: canonical bytes hold none, and a row edited to hold one fails `ledger verify`.
    """
    cls = event_class(type_name)
    if schema_version == cls.schema_version:
        try:
            return cls.model_validate_json(payload)
        except ValidationError as error:
            raise _invalid_payload(type_name, error) from None
    data = upcast(type_name, schema_version, decode_json(payload))
    try:
        return cls.model_validate(data)
    except ValidationError as error:
        raise _invalid_payload(type_name, error) from None


def read_event(type_name: str, schema_version: int, payload: bytes | str) -> LedgerEvent:
    """A stored payload read back for a replay: `decode_event`'s model, faster.

    A payload of the current version is read by the type's stored-form decoder
    (events/decoding.py: the model's conversions without the append's checks, which the
    stored bytes passed); one it cannot read, or of an older version, goes through
    `decode_event`, which upcasts, validates and names a fault. `ledger verify` calls
    `decode_event` itself: it validates every row as the append would have.
    """
    cls = _classes.get(type_name) or event_class(type_name)  # no call for a known type
    if schema_version == cls.schema_version:
        decode = _stored.get(cls)
        if decode is None:
            decode = _stored[cls] = stored_decoder(cls)
        try:
            event: LedgerEvent = decode(payload)
        except ValidationError:
            pass
        else:
            return event
    return decode_event(type_name, schema_version, payload)


def stored_reader(type_name: str, schema_version: int) -> StoredDecoder | None:
    """The stored-form decoder `read_event` uses for rows of this type and version, or None
    when they go the long way (an older version, an unknown type), for a reader that keeps
    it at hand: it raises pydantic's `ValidationError` where `read_event` would fall back to
    `decode_event`."""
    cls = _classes.get(type_name)
    if cls is None or schema_version != cls.schema_version:
        return None
    decode = _stored.get(cls)
    if decode is None:
        decode = _stored[cls] = stored_decoder(cls)
    return decode
