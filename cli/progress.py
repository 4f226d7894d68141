"""Progress on stderr while a long file is read, only when stderr is a terminal."""

from collections.abc import Iterable
from pathlib import Path
from typing import TypeVar

import rich.progress
from rich.console import Console

from formats.inert import terminal_text
from formats.readers.measurements import Tracker
from formats.readers.sheets import Cell

T = TypeVar("T")

LONG_FILE = 256 * 1024
"""Bytes from which reading a file takes long enough (about 5.000 rows) to show progress."""


def progress_tracker(path: Path) -> Tracker[tuple[int, list[Cell]]]:
    """A progress bar on stderr while a long file is read, when stderr is a terminal."""

    def track(rows: Iterable[T], total: int | None) -> Iterable[T]:
        console = Console(stderr=True)
        try:
            size = path.stat().st_size
        except OSError:
            size = 0
        if size < LONG_FILE or not console.is_terminal:
            return rows
        return rich.progress.track(
            rows,
            total=total,
            description=f"lettura di {terminal_text(path.name)}",
            console=console,
            transient=True,
        )

    return track
