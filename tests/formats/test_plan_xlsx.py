"""A plan typed into Excel the way the Relazione prints its cruscotto, and broken workbooks.

The hand-made sheets follow the seed's layout: a row of group headers (`Obiettivi operativi`,
`Azioni`) above the labels, perspective and objective cells merged over their actions.
"""

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from ledger.connect import open_store
from projections.plan_state import CycleState, fold
from tests.formats.conftest import count, ledger, lines, write_workbook

CYCLE: list[list[Any]] = [
    ["ciclo", "cciaa-so/2021"],
    ["ente", "cciaa-so"],
    ["denominazione", "Camera di commercio di Sondrio"],
    ["anno", 2021],
]
GROUPS = [
    "Prospettiva BSC",
    "Obiettivo Strategico",
    "Obiettivi operativi",
    None,
    None,
    "Azioni",
    None,
    None,
    None,
    None,
    None,
    None,
    None,
]
LABELS = [
    None,
    None,
    "cod.",
    "titolo / descrizione",
    "peso",
    "cod.",
    "titolo / descrizione",
    "Peso",
    "kpi",
    "target",
    "soglia medio",
    "soglia minimo",
    "direzione",
]
ROWS: list[list[Any]] = [
    [
        "TESSUTO ECONOMICO LOCALE",
        "Competitività del territorio",
        "1.1",
        "Capitale Umano",
        1,
        "1.1.1",
        "Progetti attivati",
        0.5,
        "numero di iniziative attivate",
        "4",
        None,
        None,
        "più alto",
    ],
    [
        None,
        None,
        None,
        None,
        None,
        "1.1.2",
        "Soggetti coinvolti",
        0.5,
        "numero di soggetti coinvolti",
        "880",
        "750",
        "600",
        None,
    ],
    [
        "PROCESSI INTERNI",
        "La qualità dei processi",
        "3.3",
        "Tempi istruttori",
        "100%",
        "3.3.1",
        "Tempi di istruttoria",
        "60%",
        "durata istruttoria (gg.)",
        "28 gg",
        "29",
        "30",
        None,
    ],
    [
        None,
        None,
        None,
        None,
        None,
        "3.3.5",
        "Emissione ruoli esattoriali",
        "20%",
        "tempi di emissione",
        "dicembre",
        None,
        None,
        None,
    ],
    [
        None,
        None,
        None,
        None,
        None,
        "3.3.8",
        "Gestione diretta SUAP",
        "20%",
        "livello del servizio",
        "qualitativo",
        None,
        None,
        None,
    ],
]
MERGES = [
    "A1:A2",
    "B1:B2",
    "C1:E1",
    "F1:M1",
    "A3:A4",
    "B3:B4",
    "C3:C4",
    "D3:D4",
    "E3:E4",
    "A5:A7",
    "B5:B7",
    "C5:C7",
    "D5:D7",
    "E5:E7",
]


def seed_like(path: Path, rows: list[list[Any]] | None = None, **changes: Any) -> Path:
    """The hand-made workbook; `changes` replace whole sheets (None drops one)."""
    sheets: dict[str, Any] = {"Ciclo": CYCLE, "Cruscotto": [GROUPS, LABELS, *(rows or ROWS)]}
    for name, rows_of in changes.items():
        if rows_of is None:
            sheets.pop(name)
        else:
            sheets[name] = rows_of
    formats = {"Cruscotto": {"E3": "0%", "H3": "0%", "H4": "0%"}}
    return write_workbook(path, sheets, {"Cruscotto": MERGES}, formats)


def plan_of(db: str, stream: str = "cciaa-so/2021") -> CycleState:
    store = open_store(db)
    try:
        return fold(store.read_stream(stream), stream)
    finally:
        store.close()


@pytest.fixture
def empty_db(db_url: str) -> str:
    assert ledger(db_url, "init")[0] == 0
    return db_url


def test_a_plan_laid_out_like_the_seed_with_merged_cells_is_imported(
    empty_db: str, here: Path
) -> None:
    seed_like(here / "piano.xlsx")
    code, out = ledger(empty_db, "plan", "import", "piano.xlsx", "--date", "20/01/2021")
    assert code == 0, out
    assert out.startswith("recorded 12 events in cciaa-so/2021: the plan is pending")
    code, out = ledger(empty_db, "record", "approval", "plan", "--date", "27/01/2021")
    assert code == 0, out
    nodes = plan_of(empty_db).nodes
    assert [(n.key, n.level, n.parent) for n in nodes.values()] == [
        ("tessuto-economico-locale", "perspective", None),
        ("competitivita-del-territorio", "strategic", "tessuto-economico-locale"),
        ("1.1", "operational", "competitivita-del-territorio"),
        ("1.1.1", "action", "1.1"),
        ("1.1.2", "action", "1.1"),
        ("processi-interni", "perspective", None),
        ("la-qualita-dei-processi", "strategic", "processi-interni"),
        ("3.3", "operational", "la-qualita-dei-processi"),
        ("3.3.1", "action", "3.3"),
        ("3.3.5", "action", "3.3"),
        ("3.3.8", "action", "3.3"),
    ]
    assert nodes["tessuto-economico-locale"].title == "TESSUTO ECONOMICO LOCALE"
    weights = (nodes["1.1"].weight, nodes["1.1.1"].weight, nodes["3.3.1"].weight)
    assert weights == (Decimal(100), Decimal(50), Decimal(60))
    days = nodes["3.3.1"].kpi
    assert days is not None
    assert (days.kind, days.unit, days.direction, days.target, days.target_label) == (
        "threshold",
        "giorni",
        "lower",
        Decimal(28),
        "28 gg",
    )
    assert [(t.level, t.value) for t in days.thresholds] == [
        ("medio", Decimal(29)),
        ("minimo", Decimal(30)),
    ]
    people = nodes["1.1.2"].kpi
    assert people is not None
    assert (people.direction, people.target) == ("higher", Decimal(880))
    deadline = nodes["3.3.5"].kpi
    assert deadline is not None
    assert (deadline.kind, deadline.deadline) == ("deadline", date(2021, 12, 31))
    level = nodes["3.3.8"].kpi
    assert level is not None
    assert (level.kind, level.target_label) == ("qualitative", "qualitativo")


def test_cells_left_blank_below_mean_the_same_as_merged_ones(empty_db: str, here: Path) -> None:
    write_workbook(here / "piano.xlsx", {"Ciclo": CYCLE, "Cruscotto": [GROUPS, LABELS, *ROWS]})
    code, out = ledger(empty_db, "plan", "import", "piano.xlsx", "--date", "20/01/2021")
    assert code == 0, out
    assert out.startswith("recorded 12 events in cciaa-so/2021")


def test_a_single_header_row_takes_the_first_cod_for_the_operational_objective(
    empty_db: str, here: Path
) -> None:
    header = ["Prospettiva", "Obiettivo strategico", *LABELS[2:]]
    write_workbook(here / "piano.xlsx", {"Ciclo": CYCLE, "Cruscotto": [header, *ROWS]})
    code, out = ledger(empty_db, "plan", "import", "piano.xlsx", "--date", "20/01/2021")
    assert code == 0, out
    assert plan_of(empty_db).pending[2].event.model_dump()["key"] == "1.1"


def test_the_same_workbook_again_records_nothing(empty_db: str, here: Path) -> None:
    seed_like(here / "piano.xlsx")
    assert ledger(empty_db, "plan", "import", "piano.xlsx", "--date", "20/01/2021")[0] == 0
    before = count(empty_db)
    seed_like(here / "piano.xlsx")  # saved again: other bytes, same plan
    code, out = ledger(empty_db, "plan", "import", "piano.xlsx", "--date", "20/01/2021")
    assert (code, out) == (0, "piano.xlsx: already recorded in cciaa-so/2021; nothing to do\n")
    assert count(empty_db) == before


def test_every_bad_cell_is_reported_in_one_pass_and_nothing_is_written(
    empty_db: str, here: Path
) -> None:
    rows = [list(row) for row in ROWS]
    rows[0][7] = "dieci"  # H3: text in a number cell
    rows[1][9] = "1.10"  # J4: an ambiguous target
    rows[2][12] = "a caso"  # M5: not a direction
    rows[4][8] = None  # I7: no kpi
    seed_like(here / "piano.xlsx", rows)
    before = count(empty_db)
    code, out = ledger(empty_db, "plan", "import", "piano.xlsx", "--date", "20/01/2021")
    assert code == 1, out
    assert lines(out) == [
        "Error: piano.xlsx:Cruscotto:H3: 'dieci' is not a number: write it like 1.234,56 "
        "(dot for thousands, comma for decimals), optionally with a sign, €, % or a unit "
        "such as gg",
        "Error: piano.xlsx:Cruscotto:J4: '1.10' is ambiguous: write 1,10 for a decimal number "
        "or 1.100 for thousands (in Italian the comma is the decimal separator)",
        "Error: piano.xlsx:Cruscotto:M5: direzione 'a caso': write più alto or più basso",
        "Error: piano.xlsx:Cruscotto:I7: kpi of action 3.3.8 is empty: write what is measured",
        "Error: 4 of 5 rows refused in piano.xlsx; nothing was written",
    ]
    assert count(empty_db) == before


def test_a_numeric_kpi_without_direction_or_thresholds_is_refused_not_guessed(
    empty_db: str, here: Path
) -> None:
    rows = [list(row) for row in ROWS]
    rows[0][12] = None
    seed_like(here / "piano.xlsx", rows)
    code, out = ledger(empty_db, "plan", "import", "piano.xlsx", "--date", "20/01/2021")
    assert code == 1, out
    assert lines(out)[0] == (
        "Error: piano.xlsx:Cruscotto:M3: the KPI of action 1.1.1 has no direction: write più "
        "alto or più basso in a column 'direzione' (no thresholds show which way is better)"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "piano.xlsx: the file is empty (an Excel workbook (.xlsx) was expected)"),
        (
            b"prospettiva;obiettivo\n",
            "piano.xlsx: not an Excel workbook (.xlsx): the file is not a spreadsheet",
        ),
        (
            b"PK\x03\x04 not really a zip",
            "piano.xlsx: not an Excel workbook (.xlsx): the file is not a spreadsheet",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64,
            "piano.xlsx: an old Excel 97-2003 (.xls) workbook: save it as .xlsx (Excel Workbook)",
        ),
    ],
    ids=["empty", "text", "broken-zip", "xls"],
)
def test_a_file_that_is_not_a_workbook_is_one_usage_error(
    empty_db: str, here: Path, content: bytes, message: str
) -> None:
    (here / "piano.xlsx").write_bytes(content)
    code, out = ledger(empty_db, "plan", "import", "piano.xlsx")
    assert (code, lines(out)) == (2, [f"Error: {message}"])
    assert count(empty_db) == 0


def test_a_missing_cycle_sheet_is_named_with_the_sheets_there_are(
    empty_db: str, here: Path
) -> None:
    seed_like(here / "piano.xlsx", Ciclo=None)
    code, out = ledger(empty_db, "plan", "import", "piano.xlsx")
    assert (code, lines(out)) == (
        2,
        [
            "Error: piano.xlsx: no sheet named 'Ciclo' (the workbook has 'Cruscotto'): "
            "rename the sheet"
        ],
    )


def test_a_plan_on_a_wrongly_named_sheet_is_refused(empty_db: str, here: Path) -> None:
    write_workbook(here / "piano.xlsx", {"Ciclo": CYCLE, "Foglio1": [GROUPS, LABELS, *ROWS]})
    code, out = ledger(empty_db, "plan", "import", "piano.xlsx")
    assert (code, lines(out)) == (
        2,
        [
            "Error: piano.xlsx: no sheet named 'Cruscotto' (the workbook has 'Ciclo', 'Foglio1'): "
            "rename the sheet"
        ],
    )


def test_a_missing_column_is_named_with_the_header_there_is(empty_db: str, here: Path) -> None:
    labels = [label if label != "kpi" else "indicatore?" for label in LABELS]
    write_workbook(here / "piano.xlsx", {"Ciclo": CYCLE, "Cruscotto": [GROUPS, labels, *ROWS]})
    code, out = ledger(empty_db, "plan", "import", "piano.xlsx")
    assert code == 2, out
    assert lines(out) == [
        "Error: piano.xlsx:Cruscotto: no column for kpi (the header in row 2 has: cod., "
        "titolo / descrizione, peso, cod., titolo / descrizione, Peso, indicatore?, target, "
        "soglia medio, soglia minimo, direzione)"
    ]


def test_a_sheet_without_the_cruscotto_header_is_refused(empty_db: str, here: Path) -> None:
    write_workbook(here / "piano.xlsx", {"Ciclo": CYCLE, "Cruscotto": [["a", "b"], [1, 2]]})
    code, out = ledger(empty_db, "plan", "import", "piano.xlsx")
    assert (code, lines(out)) == (
        2,
        [
            "Error: piano.xlsx:Cruscotto: no header row with 'cod.' and 'kpi' in the first 15 rows "
            "(is this the cruscotto?)"
        ],
    )


def test_an_empty_plan_sheet_is_named(empty_db: str, here: Path) -> None:
    write_workbook(here / "piano.xlsx", {"Ciclo": CYCLE, "Cruscotto": []})
    code, out = ledger(empty_db, "plan", "import", "piano.xlsx")
    assert (code, lines(out)) == (2, ["Error: piano.xlsx:Cruscotto: the sheet is empty"])


def test_a_cycle_sheet_without_its_year_is_refused(empty_db: str, here: Path) -> None:
    seed_like(here / "piano.xlsx", Ciclo=CYCLE[:3])
    code, out = ledger(empty_db, "plan", "import", "piano.xlsx")
    assert (code, lines(out)) == (
        2,
        [
            "Error: piano.xlsx:Ciclo: no row 'anno' (the sheet needs ciclo, ente, denominazione "
            "and anno, one per row with its value beside it)"
        ],
    )
