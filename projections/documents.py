"""What the plan file and the acts file share as documents a person types.

Both are validated by pydantic models; a refusal names the first problem by its path in
the file as the person wrote it (`nodes[0] (A1).children[2] (1.2).weight`, `acts[12]
(m-1.1.1).value`), never by pydantic's internal location with union tags. Both publish a
JSON Schema generated from the same models, so that an editor validates the file as it is
typed; the header of that schema is written here once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from events.errors import UsageError

Model = TypeVar("Model", bound=BaseModel)

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_BASE = "https://performance-ledger.example/"


def validated(
    model: type[Model],
    data: Any,
    where: str,
    *,
    labels: Sequence[str],
    tags: Sequence[str] = (),
    empty: str,
) -> Model:
    """`model` of `data`, or a one-line UsageError naming the first error's path in the file."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        path = document_path(data, first["loc"], labels=labels, tags=tags) or empty
        message = str(first["msg"]).removeprefix("Value error, ")
        raise UsageError(f"{where}: {path}: {message}") from None


def document_path(
    data: Any, loc: tuple[int | str, ...], *, labels: Sequence[str], tags: Sequence[str] = ()
) -> str:
    """The dotted path of a pydantic `loc` in `data`, each list item named by its first label.

    A step that is not a key of the mapping it stands in is the member of a union pydantic
    tried (a model's name, `str`, or the value of a discriminator key in `tags`): left out.
    """
    parts: list[str] = []
    node = data
    for step in loc:
        if isinstance(step, int):
            if not parts:
                parts.append("")
            parts[-1] += f"[{step}]"
            node = node[step] if isinstance(node, list) and step < len(node) else None
            label = _label(node, labels)
            if label:
                parts[-1] += f" ({label})"
            continue
        tag = str(step)
        if isinstance(node, dict) and tag not in node and _union_member(node, tag, tags):
            continue
        parts.append(tag)
        node = node.get(step) if isinstance(node, dict) else None
    return ".".join(parts)


def _label(node: Any, labels: Sequence[str]) -> Any:
    if not isinstance(node, dict):
        return None
    return next((node[key] for key in labels if node.get(key)), None)


def _union_member(node: dict[str, Any], tag: str, tags: Sequence[str]) -> bool:
    return tag[:1].isupper() or tag == "str" or any(node.get(key) == tag for key in tags)


def published_schema(model: type[BaseModel], name: str, title: str) -> dict[str, Any]:
    """The JSON Schema of `model` as docs/`name` publishes it."""
    schema = model.model_json_schema(by_alias=True)
    schema["$schema"] = SCHEMA_DIALECT
    schema["$id"] = f"{SCHEMA_BASE}{name}"
    schema["title"] = title
    return schema
