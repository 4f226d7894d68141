"""Text a spreadsheet cell can hold: what an older version let into the ledger still exports.

The ledger now refuses control characters in text at entry (events/limits.py), but a ledger
written before may hold one in a title or a rationale, and openpyxl refuses to put it in a
cell (the XML of a worksheet cannot carry it), which made every xlsx export fail for good.
Each such character is written as U+FFFD, the replacement character, so that the cell shows
that something unreadable was there instead of hiding it.
"""

from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

REPLACEMENT = "\ufffd"


def cell_value(value: Any) -> Any:
    """`value` with every character a worksheet cannot hold replaced (other values as given)."""
    if isinstance(value, str) and ILLEGAL_CHARACTERS_RE.search(value):
        return ILLEGAL_CHARACTERS_RE.sub(REPLACEMENT, value)
    return value
