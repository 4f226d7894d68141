"""Values outside what the store, the model or a later read can hold are refused at entry:
one line naming the value and its range, exit 2, nothing written."""

import json
from pathlib import Path

import openpyxl
import pytest
import yaml

from cli.example import EXAMPLES
from tests.badinput.conftest import events_in, one_line, run

HEARD = ("--rationale", "sentito l'OIV", "--oiv-heard", "01/06/2021")

CASES = [
    (
        ("record", "measurement", "3.3.1", "12345678901234567890123456789,5", "--period", "2020"),
        "Error: value: 1.23456789012345678901234567895E+28 is too large (less than 10^18 expected)",
    ),
    (
        ("record", "measurement", "3.3.1", "9" * 300, "--period", "2020"),
        "Error: value: 9.99999999999999999999999999999999999... is too large (less than 10^18 "
        "expected)",
    ),
    (
        ("record", "measurement", "3.3.1", "0,12345678901234", "--period", "2020"),
        "Error: value: 0.12345678901234 has more than 10 decimals",
    ),
    (
        ("record", "correction", "9223372036854775808", "--reason", "x", "--value", "5"),
        "Error: there is no event 9223372036854775808 in cciaa-so/2020 to correct (see: "
        "ledger log)",
    ),
    (
        ("record", "assessment", "3.3.1", "--achievement", "-10"),
        "Error: achievement: Input should be greater than or equal to 0 (given: -10)",
    ),
    (
        ("record", "assessment", "3.3.1", "--achievement", "101"),
        "Error: achievement: Input should be less than or equal to 100 (given: 101)",
    ),
    (
        ("record", "assessment", "3.3.1", "--achievement", "100,0000001"),
        "Error: achievement: Input should be less than or equal to 100 (given: 100.0000001)",
    ),
    (
        ("record", "override", "3.3.1", "101", *HEARD),
        "Error: achievement: Input should be less than or equal to 100 (given: 101)",
    ),
    (
        ("record", "amendment", "3.3.1", "--weight", "150", "--reason", "x"),
        "Error: weight: Input should be less than or equal to 100 (given: 150)",
    ),
    (
        ("actors", "register", "   ", "--as", "oiv"),
        "Error: actor: an actor and a role must be named (given: '   ')",
    ),
    (
        (
            "record",
            "override",
            "3.3.1",
            "50",
            "--rationale",
            "bad\x07title",
            "--oiv-heard",
            "01/06/2021",
        ),
        "Error: rationale: 'bad\\x07title' holds a control character (U+0007) at position 4",
    ),
]


@pytest.mark.parametrize(("args", "message"), CASES, ids=[" ".join(c[0][:3]) for c in CASES])
def test_a_value_out_of_limits_is_one_line_and_nothing_is_written(
    planned: str, args: tuple[str, ...], message: str
) -> None:
    before = events_in(Path(planned.removeprefix("sqlite:///")))
    code, output = run("--db", planned, *args)
    assert code in (1, 2), output
    assert one_line(output) == message
    assert events_in(Path(planned.removeprefix("sqlite:///"))) == before


def test_a_latin_1_argument_is_one_line(planned: str) -> None:
    code, output = run("--db", planned, "replay", "--cycle", "caf\udce9")
    assert code == 2, output
    assert one_line(output) == (
        "Error: the argument 'café' is not UTF-8 text (bytes in another encoding?): type it "
        "again in a UTF-8 terminal"
    )


def test_a_plan_json_with_a_300_digit_number_is_one_line(planned: str, tmp_path: Path) -> None:
    plan = tmp_path / "piano.json"
    plan.write_text('{"cycle": "x/2020", "target": 1' + "0" * 300 + "}", encoding="utf-8")
    code, output = run("--db", planned, "plan", "import", str(plan))
    assert code == 2, output
    assert one_line(output).startswith(f"Error: {plan}: 10000")
    assert one_line(output).endswith("...: a number of more than 40 digits")


def test_a_newline_inside_a_node_code_stays_in_one_line(planned: str) -> None:
    code, output = run("--db", planned, "record", "measurement", "3.3\n1", "5", "--period", "2020")
    assert code == 1, output
    assert one_line(output).startswith("Error: 3.3\\n1 is not in the plan of cciaa-so/2020")


PLAN = EXAMPLES / "sondrio-2020-plan.yaml"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("year: 2020", "year: 0", "year: year 0 is outside 1900-2199"),
        ("year: 2020", "year: 10000", "year: year 10000 is outside 1900-2199"),
        ("target: 80\n", "target: 1.0e+400\n", "target: 1.0E+400 is too large (less than "
         "10^18 expected)"),
        ("deadline: 2020-12-31", "deadline: 2020-02-31", "line 339: 2020-02-31 is not a real "
         "date"),
    ],
    ids=["year-0", "year-10000", "target-1e400", "deadline-31-02"],
)  # fmt: skip
def test_a_plan_value_out_of_limits_is_one_line(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    text = PLAN.read_text(encoding="utf-8")
    assert old in text
    plan = tmp_path / "piano.yaml"
    plan.write_text(text.replace(old, new, 1), encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'l.db'}"
    run("--db", db, "init")
    code, output = run("--db", db, "plan", "import", str(plan))
    assert code == 2, output
    assert one_line(output) == f"Error: {plan}: {message}" or one_line(output) == (
        f"Error: {message}"
    )
    assert events_in(tmp_path / "l.db") == 0


def test_a_plan_json_with_1e999_is_one_line(tmp_path: Path) -> None:
    document = yaml.safe_load(PLAN.read_text(encoding="utf-8"))
    text = json.dumps(document, default=str).replace('"target": 80', '"target": 1e999', 1)
    plan = tmp_path / "piano.json"
    plan.write_text(text, encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'l.db'}"
    run("--db", db, "init")
    code, output = run("--db", db, "plan", "import", str(plan))
    assert (code, one_line(output)) == (
        2,
        "Error: target: 1E+999 is too large (less than 10^18 expected)",
    )


@pytest.mark.parametrize("period", ["0", "10000"])
def test_a_period_of_0_or_10000_is_one_line(planned: str, period: str) -> None:
    code, output = run("--db", planned, "record", "measurement", "3.3.1", "5", "--period", period)
    assert code == 2, output
    assert one_line(output).startswith(f"Error: '{period}'")


def test_a_negative_weight_in_an_amendment_is_one_line(planned: str) -> None:
    code, output = run(
        "--db", planned, "record", "amendment", "3.3.1", "--weight", "-5", "--reason", "x"
    )
    assert (code, one_line(output)) == (
        2,
        "Error: weight: Input should be greater than or equal to 0 (given: -5)",
    )


def test_a_huge_float_in_an_xlsx_cell_is_one_line(planned: str, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Misure"
    sheet.append(["Codice", "Valore", "Data"])
    sheet.append(["3.3.1", 1.5e308, "30/04/2021"])
    book.save(tmp_path / "misure.xlsx")
    code, output = run("--db", planned, "record", "measurements", "misure.xlsx")
    assert code in (1, 2), output
    assert "is too large" in output
    assert "Traceback" not in output
