"""The transparency bundle: one folder to upload to "Amministrazione Trasparente".

From one replay of the ledger it holds the page (index.html), the open data CSV with its CSVW
metadata, the JSON contract, the XLSX, the A4 PDF/A (CSV and JSON inside), the licence, the
digest the figures come from (signed), the signed tree head, the proof of the signing key and
of every figure on the page, and a manifest of every file's SHA-256. Each file is linked from
the page; docs/verify_proofs.py checks the whole folder with Python's standard library.

Its words (the page, the documents' descriptions, the licence) are the reader's language; the
file names are identifiers. The files are returned as bytes by name (`proofs/` is the one
sub-folder): writing them is the front end's job, all or nothing.
"""

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from events.i18n import N_, _
from formats.serial import to_json
from formats.writers import cruscotto_csv, cruscotto_html, cruscotto_pdf, cruscotto_xlsx
from formats.writers.cruscotto_data import CruscottoExport
from formats.writers.cruscotto_html import e, table
from formats.writers.cruscotto_html import text as _t
from ledger.store import SqlEventStore
from projections.contract import cruscotto_contract
from projections.numbers import italian_percent
from projections.transparency import (
    PublishingKey,
    figure_proofs,
    key_proof,
    signed_digest,
    signed_tree_head,
)

BUNDLE_FORMAT = 1
LICENCE_TEXT = N_("""Data licence

The data of this folder ({entity}, cycle {cycle}, situation as of {as_of}) are published
under the Creative Commons Attribution 4.0 International licence (CC BY 4.0):
https://creativecommons.org/licenses/by/4.0/legalcode

They may be copied, distributed and changed, commercial use included, citing the source:
"{entity}, Performance cruscotto {year}, data as of {as_of}".

The figures come from the performance ledger up to event {seq}:
{digest}
""")
"""The licenza.txt of the bundle, in the reader's language (the Italian points to the Italian
legal code)."""


@dataclass(frozen=True)
class Document:
    """One file of the bundle as the page and the manifest describe it."""

    path: str
    description: str
    media_type: str


DOCUMENTS = (
    Document(
        "cruscotto.pdf",
        N_("The cruscotto as PDF/A, A4 (with the CSV and the JSON attached)"),
        "application/pdf",
    ),
    Document(
        "cruscotto.csv",
        N_("Open data: one row per objective and action (CSV, RFC 4180)"),
        "text/csv",
    ),
    Document(
        "cruscotto.csv-metadata.json",
        N_("Description of the open data's columns (W3C CSV on the Web)"),
        "application/csvm+json",
    ),
    Document(
        "cruscotto.json", N_("The cruscotto as JSON (documented contract)"), "application/json"
    ),
    Document(
        "cruscotto.xlsx",
        N_("The cruscotto for Excel"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    Document("licenza.txt", N_("Data licence (CC BY 4.0)"), "text/plain"),
    Document("digest.txt", N_("The digest of the ledger the figures come from"), "text/plain"),
    Document(
        "digest.json",
        N_("The digest signed by the administration (Ed25519)"),
        "application/json",
    ),
    Document(
        "tree-head.json", N_("The signed head of the Merkle tree (RFC 6962)"), "application/json"
    ),
    Document(
        "key.json",
        N_("The proof that the signing key is registered in the ledger"),
        "application/json",
    ),
)
"""The bundle's files; each description is translated when the page is written."""
MANIFEST = Document(
    "manifest.json", N_("The SHA-256 fingerprint of every file of the folder"), "application/json"
)


def build(
    store: SqlEventStore, exported: CruscottoExport, signer: PublishingKey
) -> dict[str, bytes]:
    """Every file of the bundle, by its path in the folder."""
    digest = exported.digest
    cruscotto = exported.cruscotto
    csv = cruscotto_csv.cruscotto_csv(exported, "opendata")
    contract = (to_json(cruscotto_contract(cruscotto)) + "\n").encode("utf-8")
    proofs = list(figure_proofs(store, cruscotto, exported.entries, digest))
    proof_paths = {key: f"proofs/{_file_name(key)}.json" for key, _ in proofs}
    footer = _footer(exported, signer)
    files: dict[str, bytes] = {}
    files["index.html"] = cruscotto_html.page(
        exported, sections=_sections(exported, proof_paths), footer=footer
    ).encode("utf-8")
    files["cruscotto.pdf"] = cruscotto_pdf.pdf_bytes(
        exported,
        [
            cruscotto_pdf.Attached("cruscotto.csv", csv, _("Open data of the cruscotto (CSV)")),
            cruscotto_pdf.Attached("cruscotto.json", contract, _("The cruscotto as JSON")),
        ],
        footer=footer,
    )
    files["cruscotto.csv"] = csv
    files["cruscotto.csv-metadata.json"] = cruscotto_csv.metadata_bytes(exported, "cruscotto.csv")
    files["cruscotto.json"] = contract
    files["cruscotto.xlsx"] = cruscotto_xlsx.workbook_bytes(exported)
    files["licenza.txt"] = (
        _(LICENCE_TEXT)
        .format(
            entity=cruscotto.entity_name,
            cycle=cruscotto.stream,
            as_of=cruscotto.as_of.strftime("%d/%m/%Y"),
            year=cruscotto.year or "",
            seq=digest.seq,
            digest=digest.line(),
        )
        .encode("utf-8")
    )
    files["digest.txt"] = (digest.line() + "\n").encode("ascii")
    files["digest.json"] = _json(signed_digest(signer, digest))
    files["tree-head.json"] = _json(signed_tree_head(store, signer, digest))
    files["key.json"] = _json(key_proof(store, signer, digest))
    for key, proof in proofs:
        files[proof_paths[key]] = _json(proof)
    files[MANIFEST.path] = _json(manifest(exported, files))
    return files


def manifest(exported: CruscottoExport, files: dict[str, bytes]) -> dict[str, Any]:
    """Every file's size and SHA-256 (the manifest does not list itself)."""
    described = {d.path: d for d in DOCUMENTS}
    cruscotto = exported.cruscotto
    return {
        "bundle": BUNDLE_FORMAT,
        "entity": cruscotto.entity_name,
        "cycle": cruscotto.stream,
        "as_of": cruscotto.as_of.isoformat(),
        "known_at": cruscotto.known_at.isoformat() if cruscotto.known_at else None,
        "digest": exported.digest.line(),
        "licence": {"name": cruscotto_csv.LICENCE_NAME, "url": cruscotto_csv.LICENCE_URL},
        "files": [
            {
                "path": path,
                "bytes": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
                "media_type": described[path].media_type if path in described else _media(path),
            }
            for path, data in sorted(files.items())
            if path != MANIFEST.path
        ],
    }


def _media(path: str) -> str:
    return "text/html" if path.endswith(".html") else "application/json"


def _json(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, default=_number) + "\n").encode("utf-8")


def _number(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _file_name(key: str | None) -> str:
    """A node's key as a file name: `ente` for the ente, anything unsafe replaced."""
    return "ente" if key is None else re.sub(r"[^A-Za-z0-9._-]", "_", key)


def _sections(exported: CruscottoExport, proof_paths: dict[str | None, str]) -> list[str]:
    cruscotto = exported.cruscotto
    documents = [
        f'<tr><th scope="row"><a href="{e(d.path)}">{e(d.path)}</a></th>'
        f"<td>{e(_(d.description))}</td></tr>"
        for d in (*DOCUMENTS, MANIFEST)
    ]
    rows = [_proof_row("ente", _("Performance di ente"), cruscotto.result, proof_paths[None])]
    rows += [
        _proof_row(node.code or node.key, node.title, node.result, proof_paths[node.key])
        for node in cruscotto.nodes()
    ]
    return [
        '<section aria-labelledby="h-documenti">',
        '<h2 id="h-documenti">{}</h2>'.format(_t(_("Published documents"))),
        "<p>{}</p>".format(
            _t(_("Data as of {date}, from the performance ledger up to event {seq}.")).format(
                date=cruscotto.as_of.strftime("%d/%m/%Y"), seq=exported.digest.seq
            )
        ),
        *table(
            "t-documenti",
            _("The files of this publication"),
            [(_("File"), False), (_("Content"), False)],
            documents,
        ),
        "</section>",
        '<section aria-labelledby="h-prove">',
        '<h2 id="h-prove">{}</h2>'.format(_t(_("Proofs of the figures"))),
        "<p>{}</p>".format(
            _t(
                _(
                    "For each figure, the events of the ledger it is computed from, each with "
                    "the proof of its inclusion in the Merkle tree of the published digest."
                )
            )
        ),
        *table(
            "t-prove",
            _("The proofs of every published figure"),
            [(_("Code"), False), (_("Title"), False), (_("Result"), True), (_("Proof"), False)],
            rows,
        ),
        "</section>",
    ]


def _proof_row(code: str, title: str, result: Decimal | None, path: str) -> str:
    return (
        f'<tr><th scope="row">{e(code)}</th><td>{e(title)}</td>'
        f'<td class="num">{italian_percent(result)}</td>'
        f'<td><a href="{e(path)}">{e(path)}</a></td></tr>'
    )


def _footer(exported: CruscottoExport, signer: PublishingKey) -> Sequence[str]:
    digest = exported.digest
    return [
        '<footer class="it-footer"><div class="container">',
        "<p>{}</p>".format(
            _t(
                _(
                    "Data from the performance ledger (a hash-chained, append-only ledger). The "
                    "figures of this page come from the ledger up to event {seq}:"
                )
            ).format(seq=digest.seq)
        ),
        f'<p class="digest">{e(digest.line())}</p>',
        "<p>{} <code>python verify_proofs.py bundle .</code></p>".format(
            _t(
                _(
                    "The digest and the tree head are signed with the key {key} of {actor}, "
                    "registered in the ledger (event {seq}). Anyone can check this folder "
                    "without the ledger, with the verify_proofs.py program of the performance "
                    "ledger:"
                )
            ).format(key=e(signer.key.key_id), actor=e(signer.actor), seq=signer.seq)
        ),
        '<p>{} (<a href="licenza.txt">licenza.txt</a>).</p>'.format(
            _t(_("Data published under the {licence} licence.")).format(licence="CC BY 4.0")
        ),
        "</div></footer>",
    ]
