"""`ledger publish` on the reference: the folder a transparency officer uploads, checked as a
citizen and an archivist would check it.

- the page in Debian's chromium (Playwright with the system binary): every link opens a file
  of the folder, axe-core finds no violation, no request leaves the folder;
- the PDF with pypdf: PDF/A identification, every font embedded, A4 pages, the CSV and JSON
  attached; one page rendered to PNG by poppler's pdftoppm and saved under tests/artifacts;
- the manifest's SHA-256 against every file, and the whole folder by docs/verify_proofs.py in
  a process with none of our code;
- the CSVW metadata validated against the CSV by the `csvw` package (cldf's validator).
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import BACKENDS
from tests.formats.conftest import ledger, reference_database
from tests.formats.test_html_page import ARTIFACTS, axe_source, browser  # noqa: F401

SCRIPT = Path(__file__).resolve().parents[2] / "docs" / "verify_proofs.py"
PUBLISH = ("publish", "--as-of", "30/06/2021", "--cycle", "cciaa-so/2020")
TOP_LEVEL = [
    "cruscotto.csv",
    "cruscotto.csv-metadata.json",
    "cruscotto.json",
    "cruscotto.pdf",
    "cruscotto.xlsx",
    "digest.json",
    "digest.txt",
    "index.html",
    "key.json",
    "licenza.txt",
    "manifest.json",
    "proofs",
    "tree-head.json",
]
A4 = (595.28, 841.89)  # points


def register_publisher(db: str, folder: Path) -> Path:
    """The transparency officer's key, registered in the cycle the administration works in."""
    key = folder / "trasparenza.pem"
    assert ledger(db, "keys", "generate", "--out", str(key))[0] == 0
    for args in (
        (
            "--actor",
            "amministratore",
            "actors",
            "register",
            "amministratore",
            "--as",
            "administrator",
        ),
        (
            "--actor",
            "amministratore",
            "actors",
            "register",
            "ufficio-trasparenza",
            "--as",
            "publisher",
        ),
    ):
        code, out = ledger(db, *args, "--cycle", "cciaa-so/2021", "--date", "04/01/2021")
        assert code == 0, out
    code, out = ledger(
        db, "--actor", "ufficio-trasparenza", "--sign-key", str(key), "keys", "register",
        "--cycle", "cciaa-so/2021", "--date", "04/01/2021",
    )  # fmt: skip
    assert code == 0, out
    return key


@pytest.fixture(scope="module", params=BACKENDS)
def reference_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("bundle")
    with reference_database(request.param, folder) as url:
        yield url, register_publisher(url, folder)


@pytest.fixture(scope="module")
def bundle(reference_db: tuple[str, Path]) -> Path:
    db, key = reference_db
    out = key.parent / "pubblicazione"
    code, said = ledger(db, "--sign-key", str(key), *PUBLISH, "--out", str(out))
    assert code == 0, said
    assert said.startswith(f"written {out}: ")
    return out


def test_the_folder_holds_every_document_and_a_proof_of_every_figure(bundle: Path) -> None:
    assert sorted(p.name for p in bundle.iterdir()) == TOP_LEVEL
    contract = json.loads((bundle / "cruscotto.json").read_text(encoding="utf-8"))
    keys = [node["key"] for node in walk(contract["ente"]["perspectives"])]
    assert sorted(p.name for p in (bundle / "proofs").iterdir()) == sorted(
        ["ente.json", *(f"{key}.json" for key in keys)]
    )
    ente = json.loads((bundle / "proofs" / "ente.json").read_text(encoding="utf-8"))
    assert ente["result"] == 96.67  # the Relazione's performance di ente


def walk(nodes: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Every node of the JSON contract, whatever the levels (children under any list key)."""
    for node in nodes:
        yield node
        for value in node.values():
            if (
                isinstance(value, list)
                and value
                and isinstance(value[0], dict)
                and "key" in value[0]
            ):
                yield from walk(value)


def test_the_manifest_names_every_file_with_its_sha256(bundle: Path) -> None:
    manifest = json.loads((bundle / "manifest.json").read_text(encoding="utf-8"))
    on_disk = sorted(
        str(p.relative_to(bundle))
        for p in bundle.rglob("*")
        if p.is_file() and p.name != "manifest.json"
    )

    assert [item["path"] for item in manifest["files"]] == on_disk
    for item in manifest["files"]:
        data = (bundle / item["path"]).read_bytes()
        assert (item["bytes"], item["sha256"]) == (len(data), hashlib.sha256(data).hexdigest())
    assert manifest["digest"] == (bundle / "digest.txt").read_text(encoding="ascii").strip()
    assert manifest["licence"] == {
        "name": "CC BY 4.0",
        "url": "https://creativecommons.org/licenses/by/4.0/",
    }


def test_anyone_can_check_the_folder_without_our_code(bundle: Path, tmp_path: Path) -> None:
    checked = subprocess.run(
        [sys.executable, "-I", str(SCRIPT), "bundle", str(bundle)],
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stdout + checked.stderr
    lines = checked.stdout.splitlines()
    assert lines[0] == f"ok: {len(list(bundle.rglob('*.*'))) - 1} files match the manifest"
    assert lines[1].startswith("ok: digest signed by key ")
    assert lines[2].startswith("ok: tree head of ")
    assert (
        lines[3].startswith("ok: key ") and " of ufficio-trasparenza registered at seq " in lines[3]
    )

    copy = tmp_path / "copia"
    shutil.copytree(bundle, copy)
    csv = copy / "cruscotto.csv"
    csv.write_bytes(csv.read_bytes().replace(b",93.8,", b",99.8,", 1))
    tampered = subprocess.run(
        [sys.executable, "-I", str(SCRIPT), "bundle", str(copy)],
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert tampered.returncode == 1
    assert tampered.stdout == "REFUSED: cruscotto.csv: its SHA-256 is not the manifest's\n"


def test_the_csvw_metadata_describes_the_csv(bundle: Path, tmp_path: Path) -> None:
    from csvw import Table

    table = Table.from_file(bundle / "cruscotto.csv-metadata.json")
    rows = list(table.iterdicts(strict=True))
    # One row per node (each has its proof; the other proof is the ente's), then the
    # obiettivi dirigenziali and the performance di ente (#13).
    nodes = [r for r in rows if r["level"] not in ("manager", "manager_objective", "ente")]
    assert len(nodes) == len(list((bundle / "proofs").iterdir())) - 1
    assert (bundle / "proofs" / "ente.json").is_file()
    assert [str(r["result"]) for r in rows if r["level"] == "ente"] == ["96.67"]
    assert sum(r["level"] == "manager_objective" for r in rows) == 4
    assert table.check_primary_key()
    row = next(r for r in rows if r["code"] == "3.3.1")
    assert (str(row["computed"]), str(row["result"])) == ("0", "60")

    copy = tmp_path / "copia"
    shutil.copytree(bundle, copy)
    csv = copy / "cruscotto.csv"
    csv.write_bytes(csv.read_bytes().replace(b",93.8,", b",novanta,", 1))
    with pytest.raises(ValueError, match=r"cruscotto\.csv:2:11 computed: .*decimal"):
        list(Table.from_file(copy / "cruscotto.csv-metadata.json").iterdicts(strict=True))


def test_the_pdf_is_pdf_a_with_embedded_fonts_a4_pages_and_its_data_attached(bundle: Path) -> None:
    from pypdf import PdfReader

    reader = PdfReader(bundle / "cruscotto.pdf")
    xmp = reader.xmp_metadata
    assert xmp is not None
    identification = xmp.stream.get_data().decode("utf-8")
    assert 'pdfaid:part="3"' in identification and 'pdfaid:conformance="B"' in identification
    assert len(reader.pages) > 1
    for page in reader.pages:
        assert (round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2)) == A4
        for font in fonts_of(page):
            descriptor = font["/FontDescriptor"]
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font
    attached = {name: data[0] for name, data in reader.attachments.items()}
    assert attached == {
        "cruscotto.csv": (bundle / "cruscotto.csv").read_bytes(),
        "cruscotto.json": (bundle / "cruscotto.json").read_bytes(),
    }


def fonts_of(page: Any) -> Iterator[Any]:
    """Every font a page uses, descendant fonts of composite (Type0) fonts included."""
    fonts = page["/Resources"].get("/Font", {})
    for reference in fonts.values():
        font = reference.get_object()
        if font["/Subtype"] == "/Type0":
            yield from (d.get_object() for d in font["/DescendantFonts"])
        else:
            yield font


def test_a_page_of_the_pdf_renders_to_png(bundle: Path) -> None:
    if shutil.which("pdftoppm") is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("pdftoppm must run in CI (.ci/run installs poppler-utils)")
        pytest.skip("pdftoppm is missing (apt-get install -y poppler-utils)")
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / "cruscotto-pdf"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile",
         str(bundle / "cruscotto.pdf"), str(target)],
        check=True, timeout=120,
    )  # fmt: skip
    png = target.with_suffix(".png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    from PIL import Image

    with Image.open(BytesIO(png)) as image:
        width, height = image.size
    assert abs(width / height - A4[0] / A4[1]) < 0.01


def test_the_page_links_every_file_passes_axe_and_fetches_nothing(
    browser: Any,  # noqa: F811 - the fixture of test_html_page, Debian's chromium
    bundle: Path,
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requested: list[str] = []

    def note_and_continue(route: Any) -> None:
        requested.append(route.request.url)
        route.continue_()

    page.route("**/*", note_and_continue)
    index = (bundle / "index.html").as_uri()
    page.goto(index)

    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
    targets = sorted({h for h in hrefs if not h.startswith("#")})
    listed = [
        i["path"]
        for i in json.loads((bundle / "manifest.json").read_text(encoding="utf-8"))["files"]
    ]
    assert targets == sorted({*listed, "manifest.json"} - {"index.html"})
    for href in targets:
        assert (bundle / href).is_file(), href
    assert page.locator(".ente-result .cifra").inner_text() == "96,67 %"

    page.evaluate(axe_source())
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in results["violations"]] == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "bundle.png"), full_page=True)
    assert requested == [index]

    page.click("a[href='manifest.json']")
    page.wait_for_load_state()
    assert page.url == (bundle / "manifest.json").as_uri()
    assert json.loads(page.locator("body").inner_text())["bundle"] == 1
    assert all(url.startswith(bundle.as_uri() + "/") for url in requested)
    page.close()


def test_a_folder_that_is_not_empty_is_refused_unless_forced(
    reference_db: tuple[str, Path],
) -> None:
    db, key = reference_db
    out = key.parent / "occupata"
    out.mkdir()
    (out / "vecchio.txt").write_text("da non perdere", encoding="utf-8")

    code, said = ledger(db, "--sign-key", str(key), *PUBLISH, "--out", str(out))

    assert code == 2
    assert (
        said.strip()
        == f"Error: {out} is not empty: choose a new folder, or give --force to replace it"
    )
    assert sorted(p.name for p in out.iterdir()) == ["vecchio.txt"]
    code, said = ledger(db, "--sign-key", str(key), *PUBLISH, "--out", str(out), "--force")
    assert code == 0, said
    assert sorted(p.name for p in out.iterdir()) == TOP_LEVEL
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".occupata")]


def test_publishing_needs_a_key_the_ledger_registered(
    reference_db: tuple[str, Path], tmp_path: Path
) -> None:
    db, _ = reference_db
    out = tmp_path / "pubblicazione"

    code, said = ledger(db, *PUBLISH, "--out", str(out))
    assert code == 2
    assert said.strip() == (
        "Error: publish signs the bundle: give the administration's registered key with "
        "--sign-key FILE or LEDGER_SIGNING_KEY"
    )

    stranger = tmp_path / "sconosciuta.pem"
    assert ledger(db, "keys", "generate", "--out", str(stranger))[0] == 0
    code, said = ledger(db, "--sign-key", str(stranger), *PUBLISH, "--out", str(out))
    assert code == 1
    assert said.strip().startswith("Error: key ")
    assert said.strip().endswith(
        " is not registered in the ledger: a publication is signed with the administration's "
        "registered key (ledger --actor NAME --sign-key FILE keys register)"
    )
    assert not out.exists()


def test_the_bundle_published_in_english_is_worded_in_english(bundle: Path) -> None:
    """The tests run in English (`--lang en`): the page, its list of documents and the licence
    are in English; the file names are the same in both languages."""
    index = (bundle / "index.html").read_text(encoding="utf-8")
    assert index.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert "<h1>Performance cruscotto 2020</h1>" in index
    assert '<h2 id="h-documenti">Published documents</h2>' in index
    assert (
        '<tr><th scope="row"><a href="licenza.txt">licenza.txt</a></th>'
        "<td>Data licence (CC BY 4.0)</td></tr>"
    ) in index
    assert '<h2 id="h-prove">Proofs of the figures</h2>' in index
    assert '<th scope="col" class="num">Measured result</th>' in index
    assert "Anyone can check this folder without the ledger" in index
    assert "Documenti pubblicati" not in index
    licence = (bundle / "licenza.txt").read_text(encoding="utf-8")
    assert licence.startswith(
        "Data licence\n\nThe data of this folder (Camera di commercio di Sondrio, cycle "
        "cciaa-so/2020, situation as of 30/06/2021) are published\n"
    )
    assert "https://creativecommons.org/licenses/by/4.0/legalcode\n" in licence


def test_the_csvw_titles_give_each_column_in_both_languages(bundle: Path) -> None:
    """`name` is the identifier the CSV's header holds; `titles` is CSVW's language map."""
    metadata = json.loads((bundle / "cruscotto.csv-metadata.json").read_text(encoding="utf-8"))
    columns = {column["name"]: column for column in metadata["tableSchema"]["columns"]}
    assert columns["level"]["titles"] == {"en": ["level", "Level"], "it": ["Livello"]}
    assert columns["band"]["titles"] == {
        "en": ["band", "Overall rating"],
        "it": ["Valutazione sintetica"],
    }
