"""Terminal tables fit the width they are given, whatever their cells.

The tmux tests (test_terminal.py) read real screens; these hold the folding itself on tables
built to be hard: more columns than 80 characters can hold at the usual minimum, long words,
figures that must not fold while prose can.
"""

from cli.render import to_table

HEADERS = ["seq", "data", "registrato", "attore (ruolo)", "atto", "prima → dopo", "esito"]
ROW = [
    "146",
    "07/06/2021",
    "07/06/2021 10:05 CEST",
    "segretario-generale (direzione)",
    "override 3.3.1 al 60,00 %, sentito l'OIV il 07/06/2021: tempi di istruttoria",
    "— → 60,00 %",
    "60,00 %",
]


def widest(table: str) -> int:
    return max(len(line) for line in table.split("\n"))


def test_a_table_too_wide_to_fold_still_fits_80_columns() -> None:
    table = to_table([ROW, ROW], HEADERS, width=80)
    assert widest(table) <= 80
    # every word of the prose is still there, folded, not lost
    text = " ".join(table.split())
    for word in ("override", "sentito", "l'OIV", "istruttoria", "60,00"):
        assert word in text


def test_a_squeezed_table_folds_at_spaces_where_its_words_fit() -> None:
    """At 80 columns the longest words (11 characters) fit their columns: none is broken
    (a hyphenated name may fold at its hyphen, as prose does)."""
    table = to_table([ROW], HEADERS, width=80)
    tokens = set(table.split())
    assert {"istruttoria", "07/06/2021", "(direzione)", "CEST"} <= tokens


def test_a_very_narrow_terminal_breaks_words_but_no_line_is_wider() -> None:
    table = to_table([ROW], HEADERS, width=40)
    assert widest(table) <= 40


def test_a_table_that_fits_is_drawn_at_its_natural_width() -> None:
    table = to_table([["1", "2,00 %"]], ["seq", "esito"], width=80)
    assert table.split("\n")[0].split() == ["seq", "esito"]
    assert widest(table) < 20
