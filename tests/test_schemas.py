"""The JSON Schemas of the plan and acts files are generated from the models and committed.

An editor validates a YAML plan against docs/plan.schema.json as it is typed; the committed
schema must therefore be the one the code reads, and the shipped files must pass it.
"""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from cli.example import EXAMPLES
from cli.schema import SCHEMAS, schema_text
from formats.readers.documents import load_document

DOCS = Path(__file__).resolve().parent.parent / "docs"
TRANSCRIBED = Path(__file__).resolve().parent / "real"


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_the_committed_schema_is_the_one_the_models_give(name: str) -> None:
    committed = (DOCS / f"{name}.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(name), (
        f"docs/{name}.schema.json is stale: run `ledger schema {name} -o docs/{name}.schema.json`"
    )


def as_json(value: Any) -> Any:
    """A loaded YAML document as JSON would hold it (exact decimals as numbers, dates as text)."""
    if isinstance(value, dict):
        return {str(key): as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def files(pattern: str) -> list[Path]:
    return sorted([*EXAMPLES.glob(pattern), *TRANSCRIBED.glob(pattern)])


@pytest.mark.parametrize("path", files("*-plan.yaml"), ids=lambda p: p.name)
def test_every_shipped_plan_file_is_valid_against_the_schema(path: Path) -> None:
    schema = json.loads((DOCS / "plan.schema.json").read_text(encoding="utf-8"))
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(as_json(load_document(path))))
    assert [error.message for error in errors] == []


@pytest.mark.parametrize("path", files("*-acts.yaml"), ids=lambda p: p.name)
def test_every_shipped_acts_file_is_valid_against_the_schema(path: Path) -> None:
    schema = json.loads((DOCS / "acts.schema.json").read_text(encoding="utf-8"))
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(as_json(load_document(path))))
    assert [error.message for error in errors] == []


def test_the_schema_refuses_a_key_the_plan_file_does_not_have() -> None:
    schema = json.loads((DOCS / "plan.schema.json").read_text(encoding="utf-8"))
    document = {"cycle": {"id": "x/1", "entity": "x", "entity_name": "X", "year": 2021},
                "nodes": [], "colour": "blue"}  # fmt: skip
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(document))
    assert any("'colour' was unexpected" in error.message for error in errors)
