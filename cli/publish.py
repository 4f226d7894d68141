"""`ledger publish`: the folder the transparency officer uploads, verifiable by anyone."""

import os
import shutil
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from cli.context import settings, today
from cli.errors import EXIT_USAGE, fail
from cli.options import AsOfOption, CycleOption, KnownAtOption
from cli.terminal import echo
from events.errors import UsageError
from events.i18n import _
from formats.writers import bundle
from formats.writers.cruscotto_data import gather
from projections import acts
from projections.transparency import publishing_key


def register(app: typer.Typer) -> None:
    app.command("publish")(publish)


def publish(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", help="The folder to write (new or empty).")],
    as_of: AsOfOption = None,
    known_at: KnownAtOption = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace the files of a folder that is not empty.")
    ] = False,
    cycle: CycleOption = None,
) -> None:
    """Write the transparency bundle: page, CSV + CSVW, JSON, XLSX, PDF/A, signed digest,
    signed tree head, proofs of every figure and a manifest of SHA-256, signed with --sign-key.

    Example: ledger --sign-key trasparenza.pem publish --as-of 30/06/2021 --out pubblicazione
    """
    chosen = settings(ctx)
    key = chosen.signing_key()
    if key is None:
        raise fail(
            _(
                "publish signs the bundle: give the administration's registered key with "
                "--sign-key FILE or LEDGER_SIGNING_KEY"
            ),
            EXIT_USAGE,
        )
    if out.exists() and not out.is_dir():
        raise fail(_("{out} is a file, not a folder").format(out=out), EXIT_USAGE)
    folder = out.resolve()
    for ledger_file in chosen.ledger_files():
        if ledger_file.exists() and folder in ledger_file.resolve().parents:
            raise fail(
                _(
                    "{out} holds the ledger {ledger}: the bundle replaces the folder, so it "
                    "goes elsewhere (choose another --out)"
                ).format(out=out, ledger=ledger_file),
                EXIT_USAGE,
            )
    if out.is_dir() and any(out.iterdir()) and not force:
        raise fail(
            _("{out} is not empty: choose a new folder, or give --force to replace it").format(
                out=out
            ),
            EXIT_USAGE,
        )
    if not out.absolute().parent.is_dir():
        raise fail(_("folder {parent} does not exist").format(parent=out.parent), EXIT_USAGE)
    store = chosen.store()
    try:
        stream = acts.resolve_cycle(store, cycle)
        signer = publishing_key(store, key)
        exported = gather(store, stream, as_of or today(), known_at)
        files = bundle.build(store, exported, signer)
    finally:
        store.close()
    _write_folder(out, files)
    echo(
        _("written {out}: {count} files ({cycle} as of {as_of}, {digest})").format(
            out=out,
            count=len(files),
            cycle=stream,
            as_of=exported.cruscotto.as_of.strftime("%d/%m/%Y"),
            digest=exported.digest.line(),
        )
    )


def _write_folder(out: Path, files: dict[str, bytes]) -> None:
    """All or nothing: the files go into a new folder beside `out`, which then takes its place."""
    parent = out.absolute().parent
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=parent))
        try:
            for name, data in files.items():
                path = staging / name
                path.parent.mkdir(exist_ok=True)
                path.write_bytes(data)
            for folder in (staging, staging / "proofs"):
                folder.chmod(0o755)
            if out.exists():
                old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=parent))
                os.replace(out, old / out.name)
                os.replace(staging, out)
                shutil.rmtree(old)
            else:
                os.replace(staging, out)
        finally:
            if staging.exists():
                shutil.rmtree(staging)
    except OSError as error:
        raise UsageError(
            _("{out}: {reason}").format(out=out, reason=error.strerror or str(error))
        ) from None
