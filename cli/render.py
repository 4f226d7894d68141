"""Output for a terminal: plain-text tables that fit its width, and a pager for long pages.

A table is drawn at its natural width when it fits, and always when the output is piped (for
the programs and files that read it, nothing is folded). When it does
not fit the terminal, the headers fold at their spaces, the long text columns (titles, KPIs)
fold onto more lines, sharing what the figures leave, and a column the caller marks as optional
(the KPI text of the cruscotto, which `ledger plan show` and the JSON carry) is left out only
when folding cannot make room. No line is wider than the terminal.

The machine formats are in formats.serial.
"""

import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

import tabulate as tabulate_module
from tabulate import DataRow, Line, TableFormat, tabulate

from cli.terminal import echo
from formats.inert import terminal_text

GAP = 2
"""Spaces between columns (tabulate's `simple` format); one when a table is short of room."""
NARROW = TableFormat(
    lineabove=Line("", "-", " ", ""),
    linebelowheader=Line("", "-", " ", ""),
    linebetweenrows=None,
    linebelow=Line("", "-", " ", ""),
    headerrow=DataRow("", " ", ""),
    datarow=DataRow("", " ", ""),
    padding=0,
    with_header_hide=["lineabove", "linebelow"],
)
"""tabulate's `simple` with one space between columns."""
tabulate_module._table_formats["narrow"] = NARROW  # type: ignore[attr-defined]
tabulate_module.multiline_formats["narrow"] = "narrow"  # cells of several lines, as `simple`
FOLDED_AT_LEAST = 12
"""A text column is folded to no fewer characters than this."""
SQUEEZED_AT_LEAST = 4
"""The narrowest a column becomes when nothing else makes the table fit."""
FIXED_UP_TO = 12
"""A column whose widest cell is no wider than this (figures, dates, codes) is never folded."""


def output_width() -> int | None:
    """The width to fit: the terminal's (COLUMNS overrides it); None when piped (natural)."""
    if sys.stdout.isatty():
        return shutil.get_terminal_size((80, 24)).columns
    return None


def _cell_width(text: str) -> int:
    return max((len(line) for line in text.split("\n")), default=0)


def _word_width(text: str) -> int:
    return max((len(word) for word in text.split()), default=0)


def _render(
    rows: Sequence[Sequence[str]],
    headers: Sequence[str],
    widths: list[int] | None,
    gap: int = GAP,
) -> str:
    if widths is not None:
        natural = [
            max([_cell_width(row[i]) for row in rows] + [_cell_width(headers[i])])
            for i in range(len(headers))
        ]
        # A column left at its width is not passed to the folding (it would lose its indent).
        folded: list[int | None] | None = [
            None if widths[i] >= natural[i] else widths[i] for i in range(len(headers))
        ]
    else:
        folded = None
    # Folded, a column is as wide as its widest line: tabulate's two spaces of padding beyond
    # the header would push the table past the width it was fitted to.
    padding, tabulate_module.MIN_PADDING = tabulate_module.MIN_PADDING, 0 if folded else 2
    try:
        return tabulate(
            rows,
            headers=list(headers),
            tablefmt="simple" if gap == GAP else "narrow",
            disable_numparse=True,
            preserve_whitespace=True,
            maxcolwidths=folded,
            maxheadercolwidths=folded,  # type: ignore[arg-type]
        )
    finally:
        tabulate_module.MIN_PADDING = padding


def _widest(table: str) -> int:
    return max((len(line) for line in table.split("\n")), default=0)


def _fitted_widths(
    rows: list[list[str]], headers: list[str], width: int, gap: int
) -> list[int] | None:
    """Column widths that make the table fit `width`; None when even folding cannot."""
    count = len(headers)
    body = [max([_cell_width(row[i]) for row in rows] + [0]) for i in range(count)]
    heads = [max(_word_width(headers[i]), 1) for i in range(count)]
    fixed = [i for i in range(count) if body[i] <= FIXED_UP_TO]
    flexible = [i for i in range(count) if i not in fixed]
    widths = [max(body[i], heads[i]) for i in range(count)]
    room = width - gap * (count - 1) - sum(widths[i] for i in fixed)
    if flexible:
        natural = sum(widths[i] for i in flexible)
        if room < FOLDED_AT_LEAST * len(flexible) and room < natural:
            return None
        for i in flexible:
            share = room * widths[i] // natural if natural > room else widths[i]
            widths[i] = max(min(widths[i], share), min(FOLDED_AT_LEAST, widths[i]))
    elif room < 0:
        return None
    return widths


def to_table(
    rows: Sequence[Sequence[Any]],
    headers: Sequence[str],
    *,
    optional: Sequence[int] = (),
    short: Mapping[int, str] | None = None,
    width: int | None = None,
) -> str:
    """A plain-text table that fits the output's width; leading spaces (the tree's depth) kept.

    When the table is too wide its headers fold, then take their `short` form (by column
    index), then its columns are one space apart, then the `optional` columns are left out,
    first to last. `width` defaults to `output_width()`.
    """
    # Cells made inert before the widths are measured, so that the columns still align.
    text_rows = [["" if cell is None else terminal_text(str(cell)) for cell in row] for row in rows]
    heads = [str(header) for header in headers]
    limit = width if width is not None else output_width()
    natural = _render(text_rows, heads, None)
    if limit is None or _widest(natural) <= limit:
        return natural
    shorter = [(short or {}).get(i, head) for i, head in enumerate(heads)]
    left_out = list(optional)
    while True:
        for names, gap in ((heads, GAP), (shorter, GAP), (shorter, 1)):
            table = _fitted(text_rows, names, limit, gap)
            if table is not None:
                return table
        if not left_out:
            return _squeezed(text_rows, shorter, limit)
        drop = left_out.pop(0)
        left_out = [i - 1 if i > drop else i for i in left_out]
        heads, shorter = heads[:drop] + heads[drop + 1 :], shorter[:drop] + shorter[drop + 1 :]
        text_rows = [row[:drop] + row[drop + 1 :] for row in text_rows]


def _fitted(rows: list[list[str]], headers: list[str], limit: int, gap: int) -> str | None:
    """The table folded to `limit` with this gap, or None when it cannot fit."""
    widths = _fitted_widths(rows, headers, limit, gap)
    if widths is None:
        return None
    table = _render(rows, headers, widths, gap)
    while _widest(table) > limit and any(w > FOLDED_AT_LEAST for w in widths):
        widest = max(range(len(widths)), key=lambda i: widths[i])
        widths[widest] -= 1
        table = _render(rows, headers, widths, gap)
    return table if _widest(table) <= limit else None


def _squeezed(rows: list[list[str]], headers: list[str], limit: int) -> str:
    """The last resort, when folding at FOLDED_AT_LEAST cannot fit: the columns, one space
    apart, fold the widest first down to their longest word (so they fold at spaces), then, if
    that is still too wide, down to SQUEEZED_AT_LEAST (words longer than their column break):
    no line is wider than the terminal."""
    count = len(headers)
    cells = [[row[i] for row in rows] + [headers[i]] for i in range(count)]
    widths = [max(max(_cell_width(cell) for cell in column), 1) for column in cells]
    words = [
        min(width, max(SQUEEZED_AT_LEAST, *(_word_width(cell) for cell in column)))
        for width, column in zip(widths, cells, strict=True)
    ]
    room = limit - (count - 1)
    for floors in (words, [min(SQUEEZED_AT_LEAST, width) for width in widths]):
        while sum(widths) > room:
            slack = [width - floor for width, floor in zip(widths, floors, strict=True)]
            if max(slack) <= 0:
                break
            widest = max((i for i in range(count) if slack[i] > 0), key=lambda i: widths[i])
            widths[widest] -= 1
    table = _render(rows, headers, widths, 1)
    while _widest(table) > limit and max(widths) > SQUEEZED_AT_LEAST:
        widths[widths.index(max(widths))] -= 1
        table = _render(rows, headers, widths, 1)
    return table


def fold(text: str, width: int | None = None) -> str:
    """A line of prose (a title, a total) folded at spaces to the output's width."""
    limit = width if width is not None else output_width()
    if limit is None or len(text) <= limit:
        return text
    return textwrap.fill(text, limit, break_on_hyphens=False)


def show(text: str) -> None:
    """Print a page; through a pager when it is longer than the terminal, as git does.

    The pager is $PAGER (default `less`), with LESS=FRX unless LESS is set: it quits at once
    when the page fits the screen, keeps the page on screen when it quits, and passes colours.
    Piped output, a dumb terminal or PAGER=cat print the text as it is.
    """
    if not (sys.stdout.isatty() and sys.stdin.isatty()):
        echo(text)
        return
    size = shutil.get_terminal_size((80, 24))
    pager = os.environ.get("LEDGER_PAGER") or os.environ.get("PAGER") or "less"
    lines = text.split("\n")
    if (
        (len(lines) < size.lines and _widest(text) <= size.columns)
        or pager in ("", "cat")
        or os.environ.get("TERM") == "dumb"
    ):
        echo(text)
        return
    environment = dict(os.environ)
    environment.setdefault("LESS", "FRX")
    try:
        process = subprocess.Popen(  # noqa: S602 (the user's own $PAGER, as git runs it)
            pager, shell=True, stdin=subprocess.PIPE, env=environment
        )
    except OSError:
        echo(text)
        return
    try:
        if process.stdin is not None:
            process.stdin.write((terminal_text(text) + "\n").encode("utf-8"))
            process.stdin.close()
    except (BrokenPipeError, KeyboardInterrupt):
        pass
    while True:
        try:
            process.wait()
            break
        except KeyboardInterrupt:
            continue
