"""`ledger keys ...`: Ed25519 keys that sign the acts; private keys never enter the ledger."""

import os
from pathlib import Path
from typing import Annotated, Any

import typer

from cli.actors import cycle_for_registry, registry, report
from cli.context import Settings, settings, today
from cli.errors import fail
from cli.options import CycleOption, EffectiveOption, FormatOption, NoteOption, OutputFormat
from cli.render import to_table
from cli.terminal import echo
from events.i18n import _
from formats.serial import to_csv, to_json
from ledger.store import SqlEventStore
from projections import acts, registration
from projections.signatures import SigningKey

app = typer.Typer(help="Make, register and revoke the keys that sign acts.", no_args_is_help=True)

COLUMNS = ("key_id", "actor", "public_key", "seq", "ended", "ended_by")


@app.command("generate")
def generate(
    out: Annotated[Path, typer.Option("--out", help="Where to write the private key (mode 0600).")],
) -> None:
    """Make a new Ed25519 key pair: the private key goes to a file only you can read.

    Example: ledger keys generate --out ~/.ledger/oiv.pem
    """
    if out.exists():
        raise fail(
            _("{out} exists already: a key is never overwritten (choose another --out)").format(
                out=out
            ),
            2,
        )
    if not out.parent.is_dir():
        raise fail(_("folder {parent} does not exist").format(parent=out.parent), 2)
    key = SigningKey.generate()
    descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(key.pem())
    echo(_("key {key} written to {out} (mode 0600)").format(key=key.key_id, out=out))
    echo(_("public key: {key}").format(key=key.public_key))
    echo(_("register it: ledger --actor NAME --sign-key {out} keys register").format(out=out))


@app.command("register")
def register(
    ctx: typer.Context,
    public_key: Annotated[
        str | None,
        typer.Option(
            "--public-key",
            help="The new key (base64, as `keys generate` prints it) when the act is signed "
            "with the key in force (rotation) or by an administrator (--for).",
        ),
    ] = None,
    holder: Annotated[
        str | None,
        typer.Option(
            "--for", help="The actor the key is for (an administrator's act, with --note)."
        ),
    ] = None,
    on: EffectiveOption = None,
    note: NoteOption = None,
    cycle: CycleOption = None,
) -> None:
    """Register a public key: your first one is your --sign-key, and the act is signed with it.

    A new key for an actor who holds one is registered by an act signed with the key in force
    (--public-key the new one), or by an administrator's signed act with a reason.

    Example: ledger --actor oiv --sign-key oiv.pem keys register
    """
    chosen = settings(ctx)
    if chosen.sign_key is None and public_key is None:
        raise fail(_("give the key to register: --sign-key FILE or LEDGER_SIGNING_KEY"), 2)
    store = chosen.store()
    try:
        stream = cycle_for_registry(store, cycle)
        actor = _actor(chosen, store, stream)
        report(
            registration.register_key(
                store, stream, on or today(), actor, note=note, public_key=public_key, holder=holder
            )
        )
    finally:
        store.close()


@app.command("revoke")
def revoke(
    ctx: typer.Context,
    key_id: Annotated[str, typer.Argument(help="The key's id, as `ledger keys list` shows it.")],
    reason: Annotated[str, typer.Option(help="Why: lost, compromised, the actor left.")],
    on: EffectiveOption = None,
    cycle: CycleOption = None,
) -> None:
    """Revoke a key (yours, or anyone's as administrator); its earlier signatures stand.

    Example: ledger --actor oiv keys revoke 3f9a0c1d2e4b5a69 --reason "laptop lost"
    """
    chosen = settings(ctx)
    store = chosen.store()
    try:
        stream = acts.resolve_cycle(store, cycle)
        actor = _actor(chosen, store, stream)
        report(registration.revoke_key(store, stream, key_id, reason, on or today(), actor))
    finally:
        store.close()


@app.command("require")
def require(
    ctx: typer.Context,
    on: EffectiveOption = None,
    note: NoteOption = None,
    cycle: CycleOption = None,
) -> None:
    """From now on every act of the cycle must be signed (an administrator's act).

    Example: ledger --actor amministratore keys require
    """
    chosen = settings(ctx)
    store = chosen.store()
    try:
        stream = acts.resolve_cycle(store, cycle)
        report(
            registration.require_signatures(
                store, stream, on or today(), chosen.acting("administrator"), note=note
            )
        )
    finally:
        store.close()


@app.command("list")
def list_keys(
    ctx: typer.Context, cycle: CycleOption = None, output: FormatOption = OutputFormat.table
) -> None:
    """Every key registered in the cycle, and whether it is still in force.

    Example: ledger keys list --format csv
    """
    store = settings(ctx).store()
    try:
        identity = registry(store, acts.resolve_cycle(store, cycle))
    finally:
        store.close()
    rows: list[dict[str, Any]] = [
        {
            "key_id": k.key_id,
            "actor": k.actor,
            "public_key": k.public_key,
            "seq": k.seq,
            "ended": k.ended,
            "ended_by": k.ended_by,
        }
        for k in identity.keys.values()
    ]
    if output is OutputFormat.json:
        echo(
            to_json({"signatures_required_since": identity.signatures_required_since, "keys": rows})
        )
    elif output is OutputFormat.csv:
        echo(to_csv(rows, COLUMNS), nl=False)
    elif not rows:
        echo(_("no keys registered"))
    else:
        echo(
            to_table(
                [
                    [
                        r["key_id"],
                        r["actor"],
                        r["seq"],
                        _("in force")
                        if r["ended"] is None
                        else f"{r['ended_by']} (seq {r['ended']})",
                    ]
                    for r in rows
                ],
                [_("key"), _("actor"), _("key registered (seq)"), _("state")],
            )
        )


def _actor(chosen: Settings, store: SqlEventStore, stream: str) -> acts.Actor:
    """The acting identity for a key act: its registered role, else the one given with --role."""
    known = registry(store, stream).actors.get(chosen.actor_name())
    if known is None and chosen.role is None:
        raise fail(
            _("{actor!r} is not registered in {stream}: give --role").format(
                actor=chosen.actor_name(), stream=stream
            ),
            2,
        )
    return chosen.acting(known.role if known else chosen.role or "")
