"""Values outside what the store, the model or a later read can hold are refused at entry:
one line naming the value and its range, exit 2, nothing written."""

from pathlib import Path

import pytest

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


def test_a_plan_with_a_huge_target_or_a_false_date_is_one_line(
    planned: str, tmp_path: Path
) -> None:
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
