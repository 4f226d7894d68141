"""The cruscotto as an A4 PDF/A-3b, the form a Relazione is archived and signed in.

WeasyPrint lays out the same page as the transparency page (its print styles: `@page` A4,
tables that never run past the margin), with the DejaVu fonts of Debian's fonts-dejavu-core
package, which it embeds (subset) as PDF/A requires; no font is ever fetched. The open data
CSV and the JSON contract travel inside the PDF as associated files (PDF/A-3 allows any
file, PDF/A-2 only other PDF/A ones), so the archived document carries its own data.

Why WeasyPrint: it renders our HTML and CSS (paged media included) and writes the PDF/A
variants itself; the alternatives either need a browser or redraw the tables by hand.
"""

import gc
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time
from io import BytesIO

from formats.writers import cruscotto_html
from formats.writers.cruscotto_data import CruscottoExport

PDF_VARIANT = "pdf/a-3b"
FONTS = """
body, .it-header .ente { font-family: "DejaVu Sans", sans-serif; }
.digest, code, .hash { font-family: "DejaVu Sans Mono", monospace; }
"""
"""Fonts of Debian's fonts-dejavu-core (installed by .ci/run), found by fontconfig."""


@dataclass(frozen=True)
class Attached:
    """A file carried inside the PDF."""

    name: str
    data: bytes
    description: str
    relationship: str = "Data"


def pdf_bytes(
    exported: CruscottoExport,
    attached: Sequence[Attached] = (),
    footer: Sequence[str] | None = None,
) -> bytes:
    """The PDF/A-3b of the cruscotto's page, with `attached` files embedded."""
    from weasyprint import HTML, Attachment  # heavy: imported only when a PDF is made

    html = cruscotto_html.page(exported, footer=footer, stylesheet=FONTS)
    # The files are dated by the cruscotto's date, not by the clock: same input, same bytes.
    as_of = datetime.combine(exported.cruscotto.as_of, time(), tzinfo=UTC)
    attachments = [
        Attachment(
            file_obj=BytesIO(item.data),
            name=item.name,
            description=item.description,
            relationship=item.relationship,
            created=as_of,
            modified=as_of,
        )
        for item in attached
    ]
    with warnings.catch_warnings():
        # WeasyPrint 70 opens its sRGB profile without closing it (weasyprint/pdf/__init__.py);
        # the file is collected here, where that is known, not at some later moment.
        warnings.simplefilter("ignore", ResourceWarning)
        # A fixed identifier: the same ledger, date and files give the same PDF bytes.
        result = HTML(string=html, base_url=None).write_pdf(
            pdf_variant=PDF_VARIANT,
            attachments=attachments,
            pdf_identifier=exported.digest.hash[:32].encode("ascii"),
        )
        gc.collect()
    if result is None:  # pragma: no cover - write_pdf returns the bytes without a target
        raise RuntimeError("WeasyPrint wrote no PDF")
    return bytes(result)
