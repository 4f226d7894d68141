"""The replay's decoder of stored payloads: the model, without re-running the append's checks.

A replay decodes every stored payload, and `model_validate_json` spends much of its time in
the models' Python checks: the `after` model validators (a measurement gives a value or a
ratio, a KPI is complete for its kind, a period ends after it starts) and the bounds on exact
fractions (a weight between 0 and 100). The append ran every one of them before it wrote the
canonical bytes, and the chain proves the bytes are those: the read only needs the parsing
and the conversions. So each model's pydantic-core schema is copied once with those checks
taken out (every conversion stays: text, decimals, dates, nested models, `as_fraction`), and
that validator builds the very instances of the very classes validation gives: same values,
same types, same `model_fields_set` (a property test holds the two equal for random events
of every registered type, tests/events/test_decoding.py).

What it does not do is refuse: a payload it cannot read (not JSON, a field missing or of the
wrong type, an unknown key) is handed back to full validation, which names the fault; a row
that passes the chain but breaks one of the skipped checks (forged with its hash recomputed)
is read as stored, and `ledger verify`, which still validates every payload in full
(`events.registry.decode_event`), names it. Pure checks only are taken out: a validator that
changes a value (a field validator, a `before` or `wrap` one) is kept.
"""

from collections.abc import Callable
from typing import Any, cast

from pydantic._internal import _validators
from pydantic_core import CoreConfig, SchemaValidator

from events.base import LedgerEvent

StoredDecoder = Callable[[str | bytes], Any]
_new = object.__new__
_set = object.__setattr__

_BOUNDS = frozenset(
    {
        _validators.greater_than_validator,
        _validators.greater_than_or_equal_validator,
        _validators.less_than_validator,
        _validators.less_than_or_equal_validator,
    }
)
"""pydantic's own checks of `ge`/`le`/`gt`/`lt` on a type it bounds in Python (`Fraction`)."""


def stored_decoder(cls: type[LedgerEvent]) -> StoredDecoder:
    """`validate_json` of a copy of the model's schema without its pure checks."""
    schema = cls.__pydantic_core_schema__
    root = _model_node(schema)
    if root is None:  # pragma: no cover - every event is a model
        return cls.__pydantic_validator__.validate_json
    config = _config(root)
    stripped, _ = _without_checks(schema, config)
    config_of_root = cast("CoreConfig", {**config, "title": cls.__name__})
    return SchemaValidator(stripped, config_of_root).validate_json


def _model_node(node: Any) -> dict[str, Any] | None:
    """The `model` node at the top of a model's schema (under its `after` validators)."""
    while isinstance(node, dict) and node.get("type") == "function-after":
        node = node.get("schema")
    return node if isinstance(node, dict) and node.get("type") == "model" else None


def _config(node: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in node.get("config", {}).items() if k != "title"}


def _after_validators(model: Any) -> list[Any]:
    validators = model.__pydantic_decorators__.model_validators.values()
    return [v.func for v in validators if v.info.mode == "after"]


def _is_check(node: dict[str, Any]) -> bool:
    """Whether a `function-after` node is one of a model's `after` validators, or a bound."""
    function = node.get("function", {}).get("function")
    function = getattr(function, "__func__", function)
    if getattr(function, "func", None) in _BOUNDS:
        return True
    inner = node.get("schema", {})
    return inner.get("type") == "model" and function in _after_validators(inner["cls"])


def _built_from_fields(model: Any) -> Callable[[tuple[Any, Any, Any]], Any]:
    """What pydantic-core's `model` node does with the output of its `model-fields` node."""

    def build(parts: tuple[Any, Any, Any]) -> Any:
        values, extra, fields_set = parts
        instance = _new(model)
        _set(instance, "__dict__", values)
        _set(instance, "__pydantic_extra__", extra)
        _set(instance, "__pydantic_fields_set__", fields_set)
        _set(instance, "__pydantic_private__", None)
        return instance

    return build


def _liftable(node: dict[str, Any], config: dict[str, Any]) -> bool:
    """Whether a model node can be built by `_built_from_fields`: its fields validated under
    the root's configuration, nothing run at its construction."""
    return (
        _config(node) == config
        and not node.get("root_model")
        and not node.get("custom_init")
        and node.get("post_init") is None
        and not node["cls"].__private_attributes__
        and node.get("schema", {}).get("type") == "model-fields"
    )


def _without_checks(node: Any, config: dict[str, Any]) -> tuple[Any, bool]:
    """The schema with every `function-after` node of a pure check replaced by what it wraps;
    and whether it took one out.

    pydantic-core builds a `model` node of a class with no `after` validator of its own from
    the class's ready validator (checks of its nested models included), whatever the node
    holds: such a node with a check taken out below it is built from its fields instead."""
    if isinstance(node, list):
        items = [_without_checks(item, config) for item in node]
        return [item for item, _ in items], any(taken for _, taken in items)
    if not isinstance(node, dict):
        return node, False
    if node.get("type") == "function-after" and _is_check(node):
        inner = dict(node["schema"])
        if "ref" in node:
            inner.setdefault("ref", node["ref"])
        return _without_checks(inner, config)[0], True
    copied: dict[str, Any] = {}
    taken = False
    for key, value in node.items():
        if key == "metadata":
            copied[key] = value
        else:
            copied[key], below = _without_checks(value, config)
            taken = taken or below
    if (
        node.get("type") == "model"
        and taken
        and not _after_validators(node["cls"])
        and _liftable(node, config)
    ):
        lifted: dict[str, Any] = {
            "type": "function-after",
            "function": {"type": "no-info", "function": _built_from_fields(node["cls"])},
            "schema": copied["schema"],
        }
        if "ref" in node:
            lifted["ref"] = node["ref"]
        return lifted, True
    return copied, taken
