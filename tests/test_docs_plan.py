"""Every example of docs/plan.md and docs/acts.md is a file the ledger reads as the page says."""

import json
import re
from pathlib import Path

import pytest
import yaml

from events.plan import Kpi
from formats.readers.acts_file import acts_document
from formats.readers.documents import _ExactLoader
from ledger.store import SqlEventStore
from projections import acts, planning
from projections.plan_document import plan_document
from tests.builders import APPROVAL_DAY, CONTROLLER, GIUNTA, PLAN_DAY

DOCS = Path(__file__).resolve().parent.parent / "docs"
BLOCK = re.compile(r"```yaml\n(.*?)```", re.DOTALL)


def blocks(page: str) -> list[str]:
    text = (DOCS / page).read_text(encoding="utf-8")
    return [re.sub(r"^ {2}", "", block, flags=re.MULTILINE) if block.startswith("  ") else block
            for block in BLOCK.findall(text)]  # fmt: skip


PLANS = [
    block for block in blocks("plan.md") if block.startswith("format: performance-ledger/plan")
]
KPIS = [block for block in blocks("plan.md") if block.lstrip().startswith("kpi:")]


def test_the_page_has_its_examples() -> None:
    assert len(PLANS) >= 5 and len(KPIS) >= 3


@pytest.mark.parametrize("text", PLANS, ids=lambda t: t.splitlines()[2].strip())
def test_every_plan_example_imports(text: str, store: SqlEventStore) -> None:
    document = plan_document(yaml.load(text, Loader=_ExactLoader), "docs/plan.md")  # noqa: S506
    entries = planning.import_plan(store, document, PLAN_DAY, CONTROLLER, key_prefix=None)
    assert entries


@pytest.mark.parametrize("text", KPIS, ids=lambda t: t.strip()[:40])
def test_every_kpi_example_is_a_kpi(text: str) -> None:
    data = yaml.load(text, Loader=_ExactLoader)  # noqa: S506
    Kpi.model_validate(data["kpi"])


ACTS = [block for block in blocks("acts.md") if block.startswith("format: performance-ledger/acts")]


@pytest.mark.parametrize("text", ACTS, ids=lambda t: str(len(t)))
def test_every_acts_example_is_an_acts_file(text: str) -> None:
    acts_document(yaml.load(text, Loader=_ExactLoader), "docs/acts.md")  # noqa: S506


def test_the_readme_plan_example_imports_and_is_approved(store: SqlEventStore) -> None:
    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    [text] = [b for b in BLOCK.findall(readme) if b.startswith("format: performance-ledger/plan")]
    document = plan_document(yaml.load(text, Loader=_ExactLoader), "README.md")  # noqa: S506
    planning.import_plan(store, document, PLAN_DAY, CONTROLLER, key_prefix=None)
    acts.record_approval(store, document.cycle.id, "plan", None, APPROVAL_DAY, GIUNTA)
    assert store.stream_version(document.cycle.id) == 1 + 5 + 1


def _keys(schema: object) -> set[str]:
    """Every property name anywhere in a JSON Schema."""
    if isinstance(schema, dict):
        found = set(schema.get("properties", {}))
        return found.union(*(_keys(value) for value in schema.values()))
    if isinstance(schema, list):
        return set().union(*(_keys(value) for value in schema))
    return set()


@pytest.mark.parametrize(
    ("schema", "page"), [("plan.schema.json", "plan.md"), ("acts.schema.json", "acts.md")]
)
def test_every_key_of_the_schema_is_documented_on_its_page(schema: str, page: str) -> None:
    keys = _keys(json.loads((DOCS / schema).read_text(encoding="utf-8")))
    text = (DOCS / page).read_text(encoding="utf-8")
    # a key is documented as `key` in a table, or as `key:` in an example of the page
    undocumented = [
        key for key in sorted(keys)
        if f"`{key}`" not in text and not re.search(rf"[{{\s,\[]{re.escape(key)}:", text)
    ]  # fmt: skip
    assert len(keys) > 40 and undocumented == []
