"""`ledger schema plan|acts`: the JSON Schema of a file the ledger reads, from its models.

The schemas are committed under docs/ (docs/plan.schema.json, docs/acts.schema.json), so that
an editor validates a YAML plan as it is typed; a test fails when they are stale.
"""

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from cli.options import ForceOption
from cli.terminal import echo
from events.errors import UsageError
from events.i18n import _
from formats.readers.acts_file import acts_schema
from formats.writers.files import write_file
from projections.plan_document import plan_schema

SCHEMAS = {"plan": plan_schema, "acts": acts_schema}


def schema_text(name: str) -> str:
    """The schema as it is committed: indented JSON, keys sorted, a final newline."""
    schema: dict[str, Any] = SCHEMAS[name]()
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def register(app: typer.Typer) -> None:
    app.command("schema")(schema)


def schema(
    name: Annotated[str, typer.Argument(help="plan (the plan file) or acts (the acts file).")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write it to this file.")
    ] = None,
    force: ForceOption = False,
) -> None:
    """Print the JSON Schema of the plan file or of the acts file.

    Example: ledger schema plan --output docs/plan.schema.json
    """
    if name not in SCHEMAS:
        raise UsageError(
            _("{name!r} is not a schema: choose {names}").format(
                name=name, names=" or ".join(SCHEMAS)
            )
        )
    text = schema_text(name)
    if output is None:
        echo(text, nl=False)
        return
    write_file(output, text.encode("utf-8"), force=force)
    echo(_("written {file}").format(file=output))
