"""`ledger example sondrio-2020`: the reference cycle, recorded through the users' own paths.

The example is two files shipped with the package: the plan file (as `ledger plan import`
reads it) and the list of acts, each carried out by the same use case `ledger record ...`
calls, with values parsed by the same Italian parsers. Each act has an id that becomes its
idempotency key, so loading the example again records nothing.
"""

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from cli.context import settings
from cli.record import printed_decimals
from cli.replay import render_table
from events.acts import as_subject
from events.errors import UsageError
from events.measurement import as_assessment_kind
from events.oversight import ReportedFigureRecorded
from formats.italian import parse_date, parse_number
from formats.periods import parse_period, parse_when
from formats.readers.documents import load_document
from ledger.store import SqlEventStore
from projections import acts, measuring, oversight, planning, registration
from projections.cruscotto import replay
from projections.plan_document import plan_document

EXAMPLES = Path(__file__).parent / "examples"
ACTS_FORMAT = "performance-ledger/acts/1"
KNOWN = {"sondrio-2020": "sondrio-2020-acts.yaml"}  # the acts file names its plan file


@dataclass(frozen=True)
class ActSpec:
    """One act of an acts file, with the fields every act has."""

    id: str
    kind: str
    on: date
    actor: acts.Actor
    fields: dict[str, Any]

    def text(self, name: str) -> str | None:
        value = self.fields.get(name)
        return None if value is None else str(value)

    def required(self, name: str) -> str:
        value = self.text(name)
        if value is None:
            raise UsageError(f"act {self.id}: `{name}` is missing")
        return value


def load_example(store: SqlEventStore, name: str, actor_override: acts.Actor | None = None) -> int:
    """Record the example `name` into `store`; returns how many events were recorded."""
    if name not in KNOWN:
        raise UsageError(f"unknown example {name!r} (known: {', '.join(KNOWN)})")
    acts_name = KNOWN[name]
    return load_acts(store, EXAMPLES / acts_name, EXAMPLES, f"example:{name}", actor_override)


def load_acts(
    store: SqlEventStore,
    path: Path,
    folder: Path,
    key_prefix: str,
    actor_override: acts.Actor | None = None,
) -> int:
    """Carry out every act of an acts file, skipping those already recorded."""
    document = load_document(path)
    if not isinstance(document, dict) or document.get("format") != ACTS_FORMAT:
        raise UsageError(f"{path}: not an acts file (format: {ACTS_FORMAT})")
    stream = str(document["cycle"])
    source = document.get("source")
    recorded = 0
    for raw in document.get("acts", []):
        spec = _spec(raw, actor_override)
        key = f"{key_prefix}:{spec.id}"
        done = stream in store.streams() and key in acts.read_state(store, stream).keys
        if not done:
            recorded += _carry_out(store, stream, spec, key, source, folder)
    return recorded


def _spec(raw: Any, actor_override: acts.Actor | None) -> ActSpec:
    if not isinstance(raw, dict) or "id" not in raw or "act" not in raw or "date" not in raw:
        raise UsageError(f"an act needs id, act and date: {raw!r}")
    actor = actor_override or acts.Actor(str(raw.get("actor", "example")), str(raw.get("role", "")))
    return ActSpec(str(raw["id"]), str(raw["act"]), parse_date(str(raw["date"])), actor, raw)


def _carry_out(
    store: SqlEventStore, stream: str, spec: ActSpec, key: str, source: str | None, folder: Path
) -> int:
    note = spec.text("note")
    common = {"note": note, "source": source, "key": key}
    match spec.kind:
        case "plan":
            document = plan_document(
                load_document(folder / spec.required("file")), spec.required("file")
            )
            entries = planning.import_plan(store, document, spec.on, spec.actor, key_prefix=key)
        case "approval":
            entries = acts.record_approval(
                store,
                stream,
                as_subject(spec.required("subject")),
                spec.text("number"),
                spec.on,
                spec.actor,
                **common,
            )
        case "measurement":
            year = acts.read_state(store, stream).opened
            entries = measuring.record_measurement(
                store,
                stream,
                spec.required("action"),
                parse_number(spec.required("value")),
                spec.text("unit"),
                parse_period(spec.text("period") or str(year.year if year else "")),
                spec.on,
                spec.actor,
                evidence=spec.text("evidence"),
                **common,
            )
        case "assessment":
            entries = _assessment(store, stream, spec, common)
        case "override":
            entries = oversight.record_override(
                store,
                stream,
                spec.required("node"),
                parse_number(spec.required("achievement")),
                spec.required("rationale"),
                parse_date(spec.required("oiv_heard_on")),
                spec.on,
                spec.actor,
                **common,
            )
        case "validation":
            entries = acts.record_validation(
                store,
                stream,
                spec.on,
                spec.actor,
                act=spec.text("number"),
                opinion=spec.text("opinion"),
                **common,
            )
        case "publication":
            entries = acts.record_publication(
                store, stream, spec.required("where"), spec.on, spec.actor, **common
            )
        case "close":
            entries = acts.close_cycle(
                store, stream, spec.on, spec.actor, note=note, key=key, source=source
            )
        case "actor":
            entries = registration.register_actor(
                store,
                stream,
                spec.required("name"),
                spec.required("as"),
                spec.on,
                spec.actor,
                display_name=spec.text("display_name"),
                **common,
            )
        case "reported":
            printed = spec.required("value")
            figure = ReportedFigureRecorded.model_validate(
                {
                    "document": spec.required("document"),
                    "where": spec.required("where"),
                    "measure": spec.required("measure"),
                    "node": spec.text("node"),
                    "value": parse_number(printed),
                    "printed": printed,
                    "decimals": printed_decimals(printed),
                    "note": note,
                    "source": source,
                }
            )
            entries = oversight.record_reported(store, stream, figure, spec.on, spec.actor, key=key)
        case other:
            raise UsageError(f"act {spec.id}: unknown act {other!r}")
    return len(entries)


def _assessment(
    store: SqlEventStore, stream: str, spec: ActSpec, common: dict[str, Any]
) -> list[Any]:
    opened = acts.read_state(store, stream).opened
    year = opened.year if opened else None
    kind = as_assessment_kind(spec.required("kind"))
    completed, precision = (None, None)
    if spec.text("completed_on") is not None:
        completed, precision = parse_when(spec.required("completed_on"), year)
    stated = spec.text("achievement")
    met = spec.fields.get("met")
    return measuring.record_assessment(
        store,
        stream,
        spec.required("action"),
        kind,
        parse_period(spec.text("period") or str(year or "")),
        spec.on,
        spec.actor,
        level=spec.text("level"),
        completed_on=completed,
        precision=precision,
        met=bool(met) if met is not None else None,
        achievement=parse_number(stated) if stated is not None else None,
        evidence=spec.text("evidence"),
        **common,
    )


def register(app: typer.Typer) -> None:
    app.command("example")(example)


def example(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The example: sondrio-2020.")],
    show: Annotated[
        bool, typer.Option("--show/--no-show", help="Print the cruscotto as of the cycle's end.")
    ] = True,
) -> None:
    """Record a reference cycle into the ledger (creating it if needed) and show its cruscotto.

    Example: ledger --db sqlite:///sondrio.db example sondrio-2020
    """
    store = settings(ctx).store(create=True)
    try:
        count = load_example(store, name)
        stream = "cciaa-so/2020"
        typer.echo(f"{name}: recorded {count} events" if count else f"{name}: already recorded")
        if show:
            cruscotto = replay(store.read_stream(stream), stream, as_of=date(2021, 6, 30))
            typer.echo(render_table(cruscotto))
    finally:
        store.close()
