"""Output that can only be read, never run: spreadsheet cells, CSV cells and terminal text.

Everything the ledger prints or writes carries text that people typed (titles, rationales,
evidence, actor names), and text is not always harmless where it lands:

- a spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula (and a tab or a
  carriage return in front hides the character that follows): `=HYPERLINK(...)` in a title
  would become a live link in the published workbook. OWASP's advice ("CSV Injection") is to
  write such cells as text behind a leading apostrophe;
- a terminal obeys escape sequences: `ESC ] 0;title BEL` renames the window, `ESC [ 2 J` clears
  it, others rewrite what was printed above. Control characters are shown as `\\xNN` instead,
  so that what an auditor reads is what the ledger holds.

The HTML writers rely on Jinja2's autoescaping instead (formats/writers/cruscotto_html.py).
"""

import re
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet may take for the start of a formula (OWASP, CSV Injection)."""

NEUTRALISER = "'"
"""The character written before such a text: spreadsheets show the text, and run nothing."""

_CONTROL = re.compile(
    # C0 controls but tab and newline, DEL, C1 controls (0x9b is a one-byte CSI), and the
    # bidirectional overrides that reorder what a reader sees (CVE-2021-42574).
    # A CR ending a line (CSV's CRLF) is harmless; a lone one rewrites the line it is on.
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]|\r(?!\n)"
)


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_text(text: str) -> str:
    """`text` with every control character and escape sequence made visible (`\\x1b`).

    Tabs, newlines and CRLF stay: they lay out tables and lines. Everything else that a terminal
    would obey (ESC, BEL, CR, backspace, C1 controls, bidirectional overrides) is shown as
    its code, so an escape sequence in a title is printed, not run.
    """
    return _CONTROL.sub(_visible, text)


def spreadsheet_text(text: str) -> str:
    """A text cell for a spreadsheet's CSV (the `excel` profile): a would-be formula is put
    behind an apostrophe, which Excel shows and never runs."""
    return NEUTRALISER + text if text.startswith(FORMULA_START) else text


def exact_text(text: str) -> str:
    """A text cell of a CSV read by programs as well as by spreadsheets (open data, `--format
    csv`): neutralised as `spreadsheet_text` does, and exact both ways.

    A text that already starts with the apostrophe gets one more, so that the rule a reader
    applies is simple (`original_text`): a text cell that starts with an apostrophe had one
    added, and nothing else was changed. Numbers and dates are never touched.
    """
    if text.startswith(FORMULA_START) or text.startswith(NEUTRALISER):
        return NEUTRALISER + text
    return text


def original_text(cell: str) -> str:
    """The text `exact_text` was given: what a reader of our open-data CSV does to a text cell."""
    return cell[1:] if cell.startswith(NEUTRALISER) else cell


def sheet_value(value: Any) -> Any:
    """A value ready for an .xlsx cell: text with its control characters made visible.

    XML 1.0 cannot carry most C0 controls (openpyxl refuses them with IllegalCharacterError,
    which made a title holding an escape sequence crash the export); they are shown as
    `\\x1b` as on a terminal. Numbers, dates and None pass as they are.
    """
    return terminal_text(value) if isinstance(value, str) else value


def inert_cell(cell: Any) -> Any:
    """An openpyxl cell (normal or write-only) holding a value, never a formula.

    openpyxl stores any string that starts with `=` as a formula; such a string is set back
    to a plain string, and every would-be formula is also given Excel's "quote prefix", so
    that editing the cell in Excel keeps it text.
    """
    value = cell.value
    if isinstance(value, str):
        if cell.data_type == "f":
            cell.data_type = "s"
        if value.startswith(FORMULA_START):
            cell.quotePrefix = True
    return cell


def inert_workbook(workbook: Any) -> None:
    """Make every cell of a (normal, not write-only) openpyxl workbook inert before saving."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                inert_cell(cell)
