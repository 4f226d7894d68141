"""Progress on stderr during long work, only when stderr is a terminal (never in a pipe or a
log file): a bar while a long file is read, a spinner while the ledger is verified, loaded or
exported. rich is imported only when there is something to show."""

import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from formats.inert import terminal_text

if TYPE_CHECKING:  # openpyxl's world: only for the commands that read a file
    from formats.readers.measurements import Tracker
    from formats.readers.sheets import Cell

T = TypeVar("T")

LONG_FILE = 256 * 1024
"""Bytes from which reading a file takes long enough (about 5.000 rows) to show progress."""


def progress_tracker(path: Path) -> "Tracker[tuple[int, list[Cell]]]":
    """A progress bar on stderr while a long file is read, when stderr is a terminal."""

    def track(rows: Iterable[T], total: int | None) -> Iterable[T]:
        import rich.progress
        from rich.console import Console

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


@contextmanager
def working(description: str) -> Iterator[None]:
    """A spinner with `description` on stderr while the block runs, if stderr is a terminal."""
    if not sys.stderr.isatty():
        yield
        return
    from rich.console import Console

    with Console(stderr=True).status(terminal_text(description)):
        yield
