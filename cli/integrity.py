"""`ledger init`, `ledger verify` and `ledger digest`: the ledger's integrity, for anyone."""

from typing import Annotated

import typer

from cli.context import settings
from cli.errors import EXIT_REFUSED, EXIT_USAGE, fail
from cli.options import FormatOption, OutputFormat
from cli.progress import working
from cli.terminal import echo
from events.i18n import _
from formats.serial import to_csv, to_json
from ledger.postgresql import PostgresEventStore, grant_reader
from ledger.tree import CACHE_LEVEL, CacheAudit, digest_of
from ledger.verify import Digest, verify_rows
from projections.verification import RowChecker


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("verify")(verify)
    app.command("digest")(digest)


def init(
    ctx: typer.Context,
    reader_role: Annotated[
        str | None,
        typer.Option(
            "--reader-role",
            metavar="NAME",
            help="PostgreSQL: also create the role NAME that may only read the ledger "
            "(the one `ledger serve` connects as); safe to repeat.",
        ),
    ] = None,
) -> None:
    """Create the ledger (table, indexes, append-only triggers); safe to run twice.

    Example: ledger --db sqlite:///ledger.db init
    """
    store = settings(ctx).store(create=True)
    try:
        if reader_role is not None:
            if not isinstance(store, PostgresEventStore):
                raise fail(
                    _(
                        "--reader-role is for PostgreSQL; ledger serve opens a SQLite file "
                        "read-only by itself"
                    ),
                    EXIT_USAGE,
                )
            grant_reader(store, reader_role)
        head = store.head()
    finally:
        store.close()
    echo(
        _("ledger ready at {url} ({count} events)").format(
            url=store.display_url, count=head.seq if head else 0
        )
    )
    if reader_role is not None:
        echo(_("reader role {role}: SELECT only").format(role=reader_role))


def verify(
    ctx: typer.Context,
    digest: Annotated[
        str | None,
        typer.Option(
            "--digest",
            help="A line printed earlier by `ledger digest`: also check the ledger extends it.",
        ),
    ] = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Recompute the hash chain and check every signature; exit 1 naming the first bad seq.

    Example: ledger verify --digest "ledger-digest seq=120 sha256=..."
    """
    published = Digest.parse(digest) if digest is not None else None
    store = settings(ctx).store()
    damaged = store.storage_problem()
    if damaged is not None:
        store.close()
        raise fail(
            _("the database file is damaged ({problem}): restore it from a copy").format(
                problem=damaged
            )
        )
    signatures = RowChecker()
    audit = CacheAudit(store)
    try:
        missing = store.protection_missing()
        with working(_("verifying the chain of hashes and the signatures")):
            verdict = verify_rows(
                store.read_rows(),
                digest=published,
                check_signature=signatures,
                tree_nodes=audit,
                tree_nodes_from=CACHE_LEVEL,
            )
        wrong_cache = None
        if verdict.broken_seq is None:
            wrong_cache = audit.finish()
        else:
            audit.close()
    finally:
        store.close()
    failed = verdict.broken_seq is not None or wrong_cache is not None or verdict.flagged
    if failed:
        _report_protection(missing)
    for _seq, problem in verdict.flagged:
        echo(_("Error: {message}").format(message=problem), err=True)
    if verdict.broken_seq is not None:
        raise fail(
            _("chain broken at seq {seq}: {reason}").format(
                seq=verdict.broken_seq, reason=verdict.reason
            )
        )
    if wrong_cache is not None:
        raise fail(
            _(
                "{node} disagrees with the chain: the tree cache is not part of the ledger and "
                "was discarded (it is rebuilt from the events on next use); a digest printed "
                "before now may carry a wrong root: check it with ledger verify --digest"
            ).format(node=wrong_cache)
        )
    if verdict.flagged:
        raise typer.Exit(EXIT_REFUSED)
    head = verdict.head
    if output is not OutputFormat.table:
        fields = {
            "ok": True,
            "checked": verdict.checked,
            "head_seq": head.seq,
            "head_sha256": head.hash,
            "extends_digest_seq": published.seq if published is not None else None,
            "signatures_valid": signatures.signed,
            "protection_missing": ", ".join(missing),
        }
        if output is OutputFormat.json:
            echo(to_json(fields))
        else:
            echo(to_csv([fields], list(fields)), nl=False)
        return
    summary = _("ok: {count} events checked, head seq {seq} sha256 {hash}").format(
        count=verdict.checked, seq=head.seq, hash=head.hash
    )
    if published is not None:
        summary += _("; extends digest seq {seq}").format(seq=published.seq)
    if signatures.signed:
        summary += _("; {count} signatures valid").format(count=signatures.signed)
    echo(summary)
    _report_protection(missing)


def _report_protection(missing: list[str]) -> None:
    """Say what of the append-only protection is off, whatever the rows say: a report, since
    the rows are checked anyway, but the database no longer refuses an edit."""
    if missing:
        echo(
            _(
                "append-only protection NOT in force: {missing} (the database no longer refuses "
                "UPDATE and DELETE; ledger init reinstalls it)"
            ).format(missing=", ".join(missing))
        )


def digest(ctx: typer.Context, output: FormatOption = OutputFormat.table) -> None:
    """Print the head seq and hash and the Merkle tree's size and root: the line to publish.

    Example: ledger digest >> digests-published.txt
    """
    store = settings(ctx).store()
    try:
        found = digest_of(store, store.head())
    finally:
        store.close()
    fields = {
        "line": found.line(),
        "seq": found.seq,
        "sha256": found.hash,
        "tree_size": found.tree_size,
        "root": found.root,
    }
    if output is OutputFormat.json:
        echo(to_json(fields))
    elif output is OutputFormat.csv:
        echo(to_csv([fields], list(fields)), nl=False)
    else:
        echo(found.line())
