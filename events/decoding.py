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
from typing import Any

from pydantic._internal import _validators
from pydantic_core import SchemaValidator

from events.base import LedgerEvent

StoredDecoder = Callable[[str | bytes], Any]

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
    schema = _without_checks(cls.__pydantic_core_schema__)
    return SchemaValidator(schema).validate_json


def _is_check(node: dict[str, Any]) -> bool:
    """Whether a `function-after` node is one of a model's `after` validators, or a bound."""
    function = node.get("function", {}).get("function")
    function = getattr(function, "__func__", function)
    if getattr(function, "func", None) in _BOUNDS:
        return True
    inner = node.get("schema", {})
    if inner.get("type") != "model":
        return False
    validators = inner["cls"].__pydantic_decorators__.model_validators.values()
    return any(v.info.mode == "after" and v.func is function for v in validators)


def _without_checks(node: Any) -> Any:
    """The schema with every `function-after` node of a pure check replaced by what it wraps."""
    if isinstance(node, dict):
        if node.get("type") == "function-after" and _is_check(node):
            return _without_checks(node["schema"])
        return {
            key: value if key == "metadata" else _without_checks(value)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_without_checks(item) for item in node]
    return node
