"""`ledger proof ...`: the few hashes that let a reader holding only a published digest check
that an event is in the ledger, that a later ledger extends an earlier one, and which events
a published figure is computed from.

`--format json` is the document docs/verify_proofs.py checks (docs/integrity.md section 8);
the default is a readable form of the same fields.
"""

from datetime import date
from enum import StrEnum
from typing import Annotated, Any

import typer

from cli.context import settings, today
from cli.options import AsOfOption, CycleOption, KnownAtOption, choice_of, choices
from cli.render import to_table
from cli.terminal import echo
from events.i18n import _
from formats.serial import to_json
from ledger.proofs import Prover
from ledger.verify import Digest
from projections import acts
from projections.numbers import italian_percent
from projections.transparency import figure_proof

app = typer.Typer(
    help="Proofs against a published digest: inclusion, consistency, a figure's events.",
    no_args_is_help=True,
)

ENTE = "ente"


class ProofFormat(StrEnum):
    table = "table"
    json = "json"


ProofFormatOption = Annotated[
    ProofFormat,
    typer.Option(
        "--format",
        "-f",
        parser=choice_of(ProofFormat),
        metavar=choices(ProofFormat),
        help="table (readable) or json (to verify).",
    ),
]
DigestOption = Annotated[
    str | None,
    typer.Option(
        "--digest",
        metavar="LINE",
        help="A published digest line (default: the ledger's head now).",
    ),
]


@app.command("inclusion")
def inclusion(
    ctx: typer.Context,
    seq: Annotated[int, typer.Argument(help="The event's seq, as `ledger log` shows it.")],
    digest: DigestOption = None,
    output: ProofFormatOption = ProofFormat.table,
) -> None:
    """The audit path that proves event SEQ is in the tree of a published digest.

    Example: ledger proof inclusion 119 --digest "ledger-digest/2 seq=180 ..." --format json
    """
    published = Digest.parse(digest) if digest is not None else None
    store = settings(ctx).store()
    try:
        proof = Prover(store).inclusion(seq, published)
    finally:
        store.close()
    _print(
        proof,
        output,
        _("Inclusion proof of seq {seq} in the tree of {size} events").format(
            seq=proof["seq"], size=proof["tree_size"]
        ),
        [
            [_("event hash"), proof["event_hash"]],
            [_("leaf hash"), proof["leaf_hash"]],
            *_numbered(_("path"), proof["audit_path"]),
            [_("root"), proof["root"]],
        ],
        [_("digest: {line}").format(line=proof["digest"])],
    )


@app.command("consistency")
def consistency(
    ctx: typer.Context,
    earlier: Annotated[
        str, typer.Option("--from", metavar="LINE", help="The earlier published digest line.")
    ],
    later: Annotated[
        str | None,
        typer.Option("--to", metavar="LINE", help="The later digest line (default: the head)."),
    ] = None,
    output: ProofFormatOption = ProofFormat.table,
) -> None:
    """The proof that the later tree extends the earlier one: nothing before it was rewritten.

    Example: ledger proof consistency --from "ledger-digest/2 seq=90 ..." --format json
    """
    old = Digest.parse(earlier)
    new = Digest.parse(later) if later is not None else None
    store = settings(ctx).store()
    try:
        proof = Prover(store).consistency(old, new)
    finally:
        store.close()
    _print(
        proof,
        output,
        _("Consistency proof: the tree of {old} events is the start of the tree of {new}").format(
            old=proof["old_size"], new=proof["new_size"]
        ),
        [
            [_("earlier root"), proof["old_root"]],
            [_("later root"), proof["new_root"]],
            *_numbered(_("path"), proof["path"]),
        ],
        [
            _("earlier digest: {line}").format(line=proof["old_digest"]),
            _("later digest: {line}").format(line=proof["new_digest"]),
        ],
    )


@app.command("figure")
def figure(
    ctx: typer.Context,
    node: Annotated[
        str, typer.Argument(help="The node's code or key (3.3.1), or `ente` for the ente.")
    ],
    as_of: AsOfOption = None,
    known_at: KnownAtOption = None,
    digest: DigestOption = None,
    cycle: CycleOption = None,
    output: ProofFormatOption = ProofFormat.table,
) -> None:
    """The events a published figure is computed from, each with its inclusion proof.

    Example: ledger proof figure 3.3.1 --as-of 30/06/2021 --format json
    """
    published = Digest.parse(digest) if digest is not None else None
    store = settings(ctx).store()
    try:
        stream = acts.resolve_cycle(store, cycle)
        proof = figure_proof(
            store,
            stream,
            None if node == ENTE else node,
            as_of=as_of or today(),
            known_at=known_at,
            digest=published,
        )
    finally:
        store.close()
    if output is ProofFormat.json:
        echo(to_json(proof))
        return
    _print_figure(proof)


def _print_figure(proof: dict[str, Any]) -> None:
    named = proof["node"]
    label = named["code"] or named["key"] or ENTE
    echo(
        _("{label} {title}: {result} as of {as_of}, from {count} events").format(
            label=label,
            title=named["title"],
            result=italian_percent(proof["result"]),
            as_of=date.fromisoformat(proof["as_of"]).strftime("%d/%m/%Y"),
            count=len(proof["events"]),
        )
    )
    rows = [
        [
            event["seq"],
            event["type"],
            date.fromisoformat(event["effective_date"]).strftime("%d/%m/%Y"),
            event["event_hash"][:16],
            len(event["audit_path"]),
        ]
        for event in proof["events"]
    ]
    headers = [_("seq"), _("event"), _("date"), _("event hash"), _("path hashes")]
    echo(to_table(rows, headers))
    echo(_("each included in the tree of {digest}").format(digest=proof["digest"]))
    echo(_verify_hint("figure"))


def _print(
    proof: dict[str, Any],
    output: ProofFormat,
    title: str,
    rows: list[list[str]],
    after: list[str],
) -> None:
    """The JSON document, or its readable form: a title, the hashes, the digests, the hint."""
    if output is ProofFormat.json:
        echo(to_json(proof))
        return
    echo(title)
    echo(to_table(rows, [_("field"), _("value")]))
    for line in after:
        echo(line)
    echo(_verify_hint(proof["proof"]))


def _numbered(label: str, hashes: list[str]) -> list[list[str]]:
    return [[f"{label} {n}", value] for n, value in enumerate(hashes, start=1)]


def _verify_hint(kind: str) -> str:
    return _(
        "check it without our code: save it with --format json, then "
        "python docs/verify_proofs.py {kind} FILE"
    ).format(kind=kind)
