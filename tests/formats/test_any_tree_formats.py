"""A five-level plan through every format: the JSON contract, the CSV rows, the page, the
workbook, and the workbook imported back into another cycle as the same plan."""

import csv
import io
import json
import re
from contextlib import chdir
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from ledger.connect import open_store
from projections.plan_state import fold
from tests.cli.conftest import ledger
from tests.trees import END, STREAM, approved, kpi, leaf, level, measure, node, plan

FIVE = [
    level("area", "mean_of_children", plural="Aree"),
    level("obiettivo", "weighted_sum", plural="Obiettivi", achievement={"cap": 100}),
    level("operativo", "mean_of_children", plural="Operativi"),
    level("azione", "mean_of_indicators", plural="Azioni"),
    level("indicatore", "kpi", plural="Indicatori"),
]
AS_OF = END.strftime("%d/%m/%Y")
COPY = "copia/2021"


def run(db_url: str, *args: str) -> str:
    code, out = ledger(db_url, *args)
    assert code == 0, out
    return out


def export(db_url: str, fmt: str, name: str) -> None:
    run(db_url, "export", "--as-of", AS_OF, "--format", fmt, "-o", name)


IMPORT = ("plan", "import", "c.xlsx", "--cycle", COPY, "--date", "20/01/2020")
"""The exported workbook imported as the plan of another cycle."""


def five(db_url: str) -> None:
    """The five-level plan, approved, and its three indicators measured."""
    data = plan(
        FIVE,
        [
            node(
                "a1",
                [
                    node(
                        "o1",
                        [
                            node("op1", [node("az1", [leaf("1.1.1.1"), leaf("1.1.1.2")])],
                                 weight="2/3"),
                            node("op2", [node("az2", [leaf("1.1.2.1", kpi=kpi(target=50))])],
                                 weight="1/3"),
                        ],
                        target=80,
                        code="1",
                    )
                ],
            )
        ],
    )  # fmt: skip
    store = open_store(db_url, create=True)
    try:
        approved(store, data)
        for code, value in (("1.1.1.1", "100"), ("1.1.1.2", "80"), ("1.1.2.1", "40")):
            measure(store, STREAM, code, value)
    finally:
        store.close()


def test_the_contract_nests_any_tree_under_nodes_and_children(db_url: str) -> None:
    five(db_url)
    data = json.loads(ledger(db_url, "replay", "--as-of", AS_OF, "--format", "json")[1])
    assert [rule["key"] for rule in data["levels"]] == [r["key"] for r in FIVE]
    [area] = data["ente"]["nodes"]
    objective = area["children"][0]
    # op1 = az1 = (100 + 80) / 2 = 90; op2 = az2 = 40 / 50 = 80; o1 = 2/3 x 90 + 1/3 x 80
    assert objective["level"] == "obiettivo" and objective["level_name"] == "Obiettivo"
    assert objective["result"] == 86.67 and objective["achievement"] == 100
    assert [child["weight"] for child in objective["children"]] == [66.67, 33.33]
    indicator = objective["children"][0]["children"][0]["children"][0]
    assert (indicator["code"], indicator["measured"], indicator["result"]) == (
        "1.1.1.1",
        "100",
        100,
    )
    assert data["ente"]["result"] == 86.67


def test_the_csv_has_a_row_per_node_with_its_level_name(db_url: str) -> None:
    five(db_url)
    out = ledger(db_url, "replay", "--as-of", AS_OF, "--format", "csv")[1]
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["level"], r["level_name"]) for r in rows[:5]] == [
        ("area", "Area"),
        ("obiettivo", "Obiettivo"),
        ("operativo", "Operativo"),
        ("azione", "Azione"),
        ("indicatore", "Indicatore"),
    ]


@pytest.mark.usefixtures("italian")  # the Italian wording of the documents
def test_the_page_and_the_table_name_the_levels_as_the_smvp_does(
    db_url: str, tmp_path: Path
) -> None:
    five(db_url)
    with chdir(tmp_path):
        export(db_url, "html", "c.html")
        page = (tmp_path / "c.html").read_text(encoding="utf-8")
    assert '<h2 id="h-strategici">Obiettivi</h2>' in page
    assert '<h2 id="h-prospettive">Aree</h2>' in page
    assert "Media semplice dei risultati delle aree" in page
    table = ledger(db_url, "replay", "--as-of", AS_OF)[1]
    assert "Obiettivi\n" in table and "Aree\n" in table
    assert "        1.1.1.1" in table  # the indicators, indented by their depth


def test_the_workbook_of_a_five_level_plan_imports_back_as_the_same_plan(
    db_url: str, tmp_path: Path
) -> None:
    five(db_url)
    with chdir(tmp_path):
        export(db_url, "xlsx", "c.xlsx")
        run(db_url, *IMPORT)
    store = open_store(db_url)
    try:
        original = fold(store.read_stream(STREAM), STREAM)
        copy = fold(store.read_stream(COPY), COPY)
    finally:
        store.close()
    assert copy.opened is not None and original.opened is not None
    assert copy.opened.policy == original.opened.policy

    pending = [entry.event for entry in copy.pending]
    # the same nodes, levels, parents, weights (2/3 and 1/3 kept exact), targets and KPIs
    assert [
        (e.key, e.level, e.parent, e.weight, e.target, e.kpi)
        for e in pending
        if hasattr(e, "level")
    ] == [(n.key, n.level, n.parent, n.weight, n.target, n.kpi) for n in original.nodes.values()]


TWO = [level("obiettivo", "mean_of_children"), level("indicatore", "kpi")]
FORMS = {
    "lin": kpi(target=90, kind="linear", minimum=60, minimum_score=20, unit="%"),
    "flo": kpi(target=200, floor=70, cap=120),
    "rat": kpi(target=90, ratio={"numerator": "evase", "denominator": "ricevute", "scale": 100}),
    "bas": {
        "description": "borse di studio",
        "kind": "proportional",
        "baseline": {"values": {2019: 2100, 2020: 2360}, "statistic": "last", "factor": "11/10"},
    },
    "tri": kpi(target=None, targets={2021: 80, 2022: 85, 2023: 90}),
    "bnd": kpi(target=95, unit="%", bounds="at_bound"),
}


@pytest.mark.usefixtures("italian")  # the Italian wording of the documents
def test_the_workbook_carries_every_kpi_form_and_bounds_and_ratios_back(
    db_url: str, tmp_path: Path
) -> None:
    """A KPI the columns cannot say is written whole in `kpi (JSON)`; a ratio measured and a
    value known only as a bound go to the Misure sheet as `45/50` and `≥ 96`, read back so."""
    tri = {k: v for k, v in FORMS["tri"].items() if k != "target"}
    forms = {"std": kpi(target=100), **FORMS, "tri": tri}  # std: what the columns carry
    store = open_store(db_url, create=True)
    approved(store, plan(TWO, [node("o", [leaf(code, kpi=form) for code, form in forms.items()])]))
    measure(store, STREAM, "rat", "", numerator=Decimal(45), denominator=Decimal(50))
    measure(store, STREAM, "bnd", "96", bound="at_least")
    store.close()
    with chdir(tmp_path):
        export(db_url, "xlsx", "c.xlsx")
        run(db_url, *IMPORT)
        run(db_url, "record", "approval", "plan", "--cycle", COPY, "--date", "27/01/2020")
        run(
            db_url,
            "record",
            "measurements",
            "c.xlsx",
            "--cycle",
            COPY,
            "--source",
            "Relazione 2021",
        )
        kinds = _sheet_column(Path("c.xlsx"), "kpi (JSON)")
    assert [k for k, text in kinds.items() if text] == ["lin", "flo", "rat", "bas", "tri", "bnd"]
    store = open_store(db_url)
    try:
        original = fold(store.read_stream(STREAM), STREAM)
        copy_entries = list(store.read_stream(COPY))
        copy = fold(copy_entries, COPY)
    finally:
        store.close()
    assert {k: n.kpi for k, n in copy.nodes.items()} == {
        k: n.kpi for k, n in original.nodes.items()
    }
    ratio, bound = copy.observation("rat"), copy.observation("bnd")
    assert ratio is not None and (ratio.numerator, ratio.denominator) == (45, 50)
    assert bound is not None and (bound.value, bound.bound) == (96, "at_least")
    sources = {e.event.source for e in copy_entries if e.type == "MeasurementRecorded"}
    assert sources == {"Relazione 2021"}


def _sheet_column(path: Path, label: str) -> dict[str, str | None]:
    """The indicators' codes and their cells in the Cruscotto sheet's column `label`."""
    sheet = openpyxl.load_workbook(path)["Cruscotto"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = next(row for row in rows if label in row)
    code_at, at = len(header) - 1 - header[::-1].index("cod."), header.index(label)  # the last
    return {row[code_at]: row[at] for row in rows[rows.index(header) + 1 :] if row[code_at]}


def test_a_kpi_json_that_is_not_a_kpi_is_refused_at_its_cell_and_nothing_is_written(
    db_url: str, tmp_path: Path
) -> None:
    store = open_store(db_url, create=True)
    approved(store, plan(TWO, [node("o", [leaf("lin", kpi=FORMS["lin"])])]))
    store.close()
    with chdir(tmp_path):
        export(db_url, "xlsx", "c.xlsx")
        workbook = openpyxl.load_workbook("c.xlsx")
        sheet = workbook["Cruscotto"]
        cell = next(c for row in sheet.iter_rows() for c in row if str(c.value).startswith("{"))
        cell.value = '{"kind": "linear", "target": 90}'
        workbook.save("c.xlsx")
        code, out = ledger(db_url, *IMPORT)
    assert code == 1
    assert out.splitlines()[0] == (
        f"Error: c.xlsx:Cruscotto:{cell.coordinate}: the kpi (JSON) of action lin is not valid: "
        "a linear KPI needs its minimum (the value that scores 0)"
    )
    store = open_store(db_url)
    try:
        assert store.streams() == [STREAM]  # nothing of copia/2021 was written
    finally:
        store.close()


@pytest.mark.usefixtures("italian")  # the Italian wording of the documents
def test_a_triennial_plans_targets_by_year_go_to_the_workbook_and_back(
    db_url: str, tmp_path: Path
) -> None:
    tree = [level("obiettivo", "mean_of_children", achievement={"cap": 100}), TWO[1]]
    targets = {2021: 80, 2022: 85, 2023: "92.5"}
    store = open_store(db_url, create=True)
    approved(store, plan(tree, [node("o", [leaf("i")], targets=targets)]))
    store.close()
    with chdir(tmp_path):
        export(db_url, "xlsx", "c.xlsx")
        assert _sheet_column(Path("c.xlsx"), "target per anno") == {
            "i": "2021: 80; 2022: 85; 2023: 92,5"
        }
        run(db_url, *IMPORT)
    store = open_store(db_url)
    try:
        copy = fold(store.read_stream(COPY), COPY)
    finally:
        store.close()
    defined = [e.event for e in copy.pending if getattr(e.event, "key", None) == "o"]
    assert [e.targets for e in defined] == [{2021: 80, 2022: 85, 2023: Decimal("92.5")}]


def test_plan_show_prints_each_weight_as_the_plan_wrote_it(db_url: str) -> None:
    five(db_url)
    table = run(db_url, "plan", "show", "--as-of", AS_OF)
    [op1] = [line for line in table.splitlines() if line.strip().startswith("op1 ")]
    assert "2/3 (66,67 %)" in op1
    shown = json.loads(run(db_url, "plan", "show", "--as-of", AS_OF, "--format", "json"))
    nodes = {node["key"]: node for node in shown["nodes"]}
    assert (nodes["op1"]["weight"], nodes["op1"]["weight_exact"]) == (66.67, "2/3")

    tree = [level("obiettivo", "weighted_sum"), TWO[1]]
    store = open_store(db_url)
    try:
        data = plan(
            tree,
            [node("o", [leaf("a", weight="12.5"), leaf("b", weight=80), leaf("c", weight="7.5")])],
            stream="pesi/2021",
        )
        approved(store, data)
    finally:
        store.close()
    table = run(db_url, "plan", "show", "--cycle", "pesi/2021", "--as-of", AS_OF)
    weights = re.findall(r"Indicatore [abc]\s+(\S+ %)", table)
    assert weights == ["12,5 %", "80 %", "7,5 %"]  # never `12,50 %`
