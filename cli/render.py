"""Output for a terminal: a plain-text table (the machine formats are in formats.serial)."""

from collections.abc import Sequence
from typing import Any

from tabulate import tabulate

from formats.inert import terminal_text


def to_table(rows: Sequence[Sequence[Any]], headers: Sequence[str]) -> str:
    """A plain-text table; leading spaces are kept, since they show the depth of the tree."""
    return tabulate(
        # Cells made inert before the widths are measured, so that the columns still align.
        [[terminal_text(c) if isinstance(c, str) else c for c in row] for row in rows],
        headers=list(headers),
        tablefmt="simple",
        disable_numparse=True,
        preserve_whitespace=True,
    )
