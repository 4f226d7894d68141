"""The transparency bundle: one folder to upload to "Amministrazione Trasparente".

From one replay of the ledger it holds the page (index.html), the open data CSV with its CSVW
metadata, the JSON contract, the XLSX, the A4 PDF/A (CSV and JSON inside), the licence, the
digest the figures come from (signed), the signed tree head, the proof of the signing key and
of every figure on the page, and a manifest of every file's SHA-256. Each file is linked from
the page; docs/verify_proofs.py checks the whole folder with Python's standard library.

The files are returned as bytes by name (`proofs/` is the one sub-folder): writing them is the
front end's job, all or nothing.
"""

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from formats.serial import to_json
from formats.writers import cruscotto_csv, cruscotto_html, cruscotto_pdf, cruscotto_xlsx
from formats.writers.cruscotto_data import CruscottoExport
from formats.writers.cruscotto_html import e, table
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
LICENCE_TEXT = """Licenza dei dati

I dati di questa cartella ({entity}, ciclo {cycle}, situazione al {as_of}) sono pubblicati
con licenza Creative Commons Attribuzione 4.0 Internazionale (CC BY 4.0):
https://creativecommons.org/licenses/by/4.0/legalcode.it

Si possono copiare, distribuire e modificare, anche a fini commerciali, citando la fonte:
"{entity}, Cruscotto della performance {year}, dati al {as_of}".

Le cifre derivano dal registro della performance fino all'evento {seq}:
{digest}
"""


@dataclass(frozen=True)
class Document:
    """One file of the bundle as the page and the manifest describe it."""

    path: str
    description: str
    media_type: str


DOCUMENTS = (
    Document(
        "cruscotto.pdf",
        "Il cruscotto in PDF/A, formato A4 (con CSV e JSON allegati)",
        "application/pdf",
    ),
    Document(
        "cruscotto.csv", "Dati aperti: una riga per obiettivo e azione (CSV, RFC 4180)", "text/csv"
    ),
    Document(
        "cruscotto.csv-metadata.json",
        "Descrizione delle colonne dei dati aperti (W3C CSV on the Web)",
        "application/csvm+json",
    ),
    Document("cruscotto.json", "Il cruscotto in JSON (contratto documentato)", "application/json"),
    Document(
        "cruscotto.xlsx",
        "Il cruscotto per Excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    Document("licenza.txt", "Licenza dei dati (CC BY 4.0)", "text/plain"),
    Document("digest.txt", "Il digest del registro da cui derivano le cifre", "text/plain"),
    Document("digest.json", "Il digest firmato dall'amministrazione (Ed25519)", "application/json"),
    Document(
        "tree-head.json", "La testa dell'albero di Merkle firmata (RFC 6962)", "application/json"
    ),
    Document(
        "key.json", "La prova che la chiave di firma è registrata nel registro", "application/json"
    ),
)
MANIFEST = Document(
    "manifest.json", "L'impronta SHA-256 di ogni file della cartella", "application/json"
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
            cruscotto_pdf.Attached("cruscotto.csv", csv, "Dati aperti del cruscotto (CSV)"),
            cruscotto_pdf.Attached("cruscotto.json", contract, "Il cruscotto in JSON"),
        ],
        footer=footer,
    )
    files["cruscotto.csv"] = csv
    files["cruscotto.csv-metadata.json"] = cruscotto_csv.metadata_bytes(exported, "cruscotto.csv")
    files["cruscotto.json"] = contract
    files["cruscotto.xlsx"] = cruscotto_xlsx.workbook_bytes(exported)
    files["licenza.txt"] = LICENCE_TEXT.format(
        entity=cruscotto.entity_name,
        cycle=cruscotto.stream,
        as_of=cruscotto.as_of.strftime("%d/%m/%Y"),
        year=cruscotto.year or "",
        seq=digest.seq,
        digest=digest.line(),
    ).encode("utf-8")
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
        f"<td>{e(d.description)}</td></tr>"
        for d in (*DOCUMENTS, MANIFEST)
    ]
    rows = [_proof_row("ente", "Performance di ente", cruscotto.result, proof_paths[None])]
    rows += [
        _proof_row(node.code or node.key, node.title, node.result, proof_paths[node.key])
        for node in cruscotto.nodes()
    ]
    return [
        '<section aria-labelledby="h-documenti">',
        '<h2 id="h-documenti">Documenti pubblicati</h2>',
        f"<p>Dati al {cruscotto.as_of.strftime('%d/%m/%Y')}, tratti dal registro della "
        f"performance fino all'evento {exported.digest.seq}.</p>",
        *table(
            "t-documenti",
            "I file di questa pubblicazione",
            [("File", False), ("Contenuto", False)],
            documents,
        ),
        "</section>",
        '<section aria-labelledby="h-prove">',
        '<h2 id="h-prove">Prove delle cifre</h2>',
        "<p>Per ogni cifra, gli eventi del registro da cui è calcolata, ciascuno con la prova "
        "della sua inclusione nell'albero di Merkle del digest pubblicato.</p>",
        *table(
            "t-prove",
            "Le prove di ogni cifra pubblicata",
            [("Cod.", False), ("Titolo", False), ("Risultato", True), ("Prova", False)],
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
        "<p>Dati tratti dal registro della performance (registro a catena di hash, in sola "
        f"aggiunta). Le cifre di questa pagina derivano dal registro fino all'evento {digest.seq}:"
        "</p>",
        f'<p class="digest">{e(digest.line())}</p>',
        f"<p>Il digest e la testa dell'albero sono firmati con la chiave {e(signer.key.key_id)} "
        f"di {e(signer.actor)}, registrata nel registro (evento {signer.seq}). Chiunque può "
        "verificare questa cartella senza il registro, con il programma verify_proofs.py del "
        "registro della performance: <code>python verify_proofs.py bundle .</code></p>",
        '<p>Dati pubblicati con licenza CC BY 4.0 (<a href="licenza.txt">licenza.txt</a>).</p>',
        "</div></footer>",
    ]
