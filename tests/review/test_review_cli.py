"""`ledger history`, `trail`, `diff` and `audit` on a live cycle, in every format, with --known-at.

The cycle (tests/review/cycles.py) measures 1.1.1 at 95 on 30/04/2021 and corrects it to 100
on 10/05/2021: known at 01/05/2021 the ledger still holds the 95, and every review must say so.
"""

import csv
import io
import json
from typing import Any

import pytest

from events.i18n import set_language
from ledger.store import SqlEventStore
from tests.review.cycles import SEQS, run

BEFORE_CORRECTION = "2021-05-01"


def ok(url: str, *args: str) -> str:
    result = run(url, *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def as_json(url: str, *args: str) -> Any:
    return json.loads(ok(url, *args, "--format", "json"))


def as_csv(url: str, *args: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(ok(url, *args, "--format", "csv"))))


# -- history -------------------------------------------------------------------------------------


def test_history_of_an_action_shows_its_trajectory_in_json(
    reviewed: SqlEventStore, db_url: str
) -> None:
    found = as_json(db_url, "history", "1.1.1")
    assert found["node"] == {"key": "1.1.1", "code": "1.1.1", "title": "Soglie", "level": "action"}
    rows = [
        (e["seq"], e["type"], e["before"], e["after"], e["result_after"]) for e in found["events"]
    ]
    assert rows == [
        (5, "ObjectiveDefined", "non in vigore", "definito (in attesa di approvazione)", None),
        (SEQS.approval, "ApprovalRecorded", "non in vigore", "Soglie, peso 50 %", None),
        (SEQS.first_measure, "MeasurementRecorded", "—", "95", 80),
        (SEQS.correction, "MeasurementCorrected", "95", "100", 100),
    ]
    assert found["events"][0]["in_force_by"] == "delibera n. 5/GC del 27/01/2020 (seq 18)"
    assert found["events"][3]["summary"] == (
        f"correction of seq {SEQS.corrected}: value 100 (recount of the files)"
    )


def test_history_known_at_a_time_before_the_correction_ends_at_the_measurement(
    reviewed: SqlEventStore, db_url: str
) -> None:
    rows = as_csv(db_url, "history", "1.1.1", "--known-at", BEFORE_CORRECTION)
    assert [(r["seq"], r["after"], r["result_after"]) for r in rows][-1] == (
        str(SEQS.first_measure),
        "95",
        "80",
    )
    assert str(SEQS.correction) not in [r["seq"] for r in rows]


def test_history_as_a_table_names_the_node_and_the_time_it_was_known(
    reviewed: SqlEventStore, db_url: str
) -> None:
    out = ok(db_url, "history", "1.1.1", "--known-at", BEFORE_CORRECTION)
    lines = out.splitlines()
    assert lines[0] == "History of 1.1.1 Soglie (test-ente/2020), as known at 01/05/2021 23:59 CEST"
    assert lines[-1].split()[0] == str(SEQS.first_measure)
    assert lines[-1].endswith("80,00 %")


def test_history_of_an_operational_objective_includes_its_actions_events(
    reviewed: SqlEventStore, db_url: str
) -> None:
    found = as_json(db_url, "history", "1.1")
    about = {(e["seq"], e["about"]) for e in found["events"]}
    assert (SEQS.amendments[0], "1.1") in about
    assert (SEQS.first_measure, "1.1.1") in about
    amended = next(e for e in found["events"] if e["seq"] == SEQS.amendments[0])
    assert amended["before"] == "Operativo 1.1, peso 60 %"
    assert amended["in_force_by"] == f"delibera n. 54/GC del 14/07/2020 (seq {SEQS.plan_update})"


def test_history_without_a_code_is_the_performance_di_ente(
    reviewed: SqlEventStore, db_url: str
) -> None:
    found = as_json(db_url, "history")
    assert found["node"]["title"] == "Performance di ente"
    last = found["events"][-1]
    assert (last["seq"], last["type"], last["result_after"]) == (
        SEQS.relazione,
        "ApprovalRecorded",
        98,
    )
    # The late entry takes its place at its effective date, not at the end.
    order = [e["seq"] for e in found["events"]]
    assert order.index(SEQS.late) < order.index(SEQS.correction)


def test_history_of_an_unknown_node_exits_1_naming_it(reviewed: SqlEventStore, db_url: str) -> None:
    result = run(db_url, "history", "9.9.9")
    assert result.exit_code == 1, result.output
    assert result.stderr == (
        "Error: 9.9.9 is not in the plan of test-ente/2020 (see: ledger plan show)\n"
    )


# -- trail ---------------------------------------------------------------------------------------


def test_trail_filters_by_node_and_known_at_in_every_format(
    reviewed: SqlEventStore, db_url: str
) -> None:
    options = ("trail", "--node", "1.1.1", "--known-at", BEFORE_CORRECTION)
    found = as_json(db_url, *options)
    assert [(r["seq"], r["summary"]) for r in found] == [
        (5, "azione 1.1.1 defined: Soglie (peso 50 %)"),
        (SEQS.first_measure, "measurement 1.1.1 = 95 n."),
    ]
    assert [r["seq"] for r in as_csv(db_url, *options)] == ["5", str(SEQS.first_measure)]
    table = ok(db_url, *options).splitlines()
    assert table[0].split() == ["seq", "date", "recorded", "actor", "role", "node", "act"]
    assert len(table) == 4


def test_trail_filters_by_role_type_and_effective_dates(
    reviewed: SqlEventStore, db_url: str
) -> None:
    found = as_json(
        db_url,
        "trail",
        "--role",
        "giunta-secretariat",
        "--from",
        "01/07/2020",
        "--to",
        "31/12/2020",
    )
    assert [(r["seq"], r["actor"]) for r in found] == [(SEQS.plan_update, "segreteria")]
    typed = as_json(db_url, "trail", "--type", "MeasurementCorrected")
    assert [r["seq"] for r in typed] == [SEQS.correction]


def test_trail_filters_by_recorded_time(reviewed: SqlEventStore, db_url: str) -> None:
    found = as_csv(db_url, "trail", "--recorded-from", "2021-07-01", "--actor", "controller-1")
    assert [(r["seq"], r["effective_date"]) for r in found] == [(str(SEQS.late), "2021-04-30")]


def test_an_empty_trail_says_so(reviewed: SqlEventStore, db_url: str) -> None:
    assert ok(db_url, "trail", "--actor", "nobody") == "no events\n"


# -- diff ----------------------------------------------------------------------------------------


def test_diff_names_the_changed_nodes_and_the_events_that_changed_them(
    reviewed: SqlEventStore, db_url: str
) -> None:
    found = as_json(db_url, "diff", "--from", "2021-05-01", "--to", "2021-05-31")
    nodes = {n["key"]: n for n in found["nodes"]}
    soglie = nodes["1.1.1"]
    assert soglie["changes"] == [
        {"field": "measured", "before": "95", "after": "100"},
        {"field": "computed", "before": "80,00 %", "after": "100,00 %"},
        {"field": "result", "before": "80,00 %", "after": "100,00 %"},
    ]
    assert soglie["seqs"] == [SEQS.correction]
    assert (nodes["s1"]["result_before"], nodes["s1"]["result_after"]) == (95, 100)
    # Its achievement was capped at 100 % before and after: the ente did not change.
    assert None not in nodes


def test_diff_known_at_a_time_before_the_correction_sees_no_change_in_may(
    reviewed: SqlEventStore, db_url: str
) -> None:
    options = (
        "diff",
        "--from",
        "2021-05-01",
        "--to",
        "2021-05-31",
        "--known-at",
        BEFORE_CORRECTION,
    )
    assert as_json(db_url, *options)["nodes"] == []
    assert as_csv(db_url, *options) == []
    assert ok(db_url, *options).splitlines()[-1] == "no changes"


def test_diff_as_a_table_and_csv(reviewed: SqlEventStore, db_url: str) -> None:
    options = ("diff", "--from", "01/05/2021", "--to", "31/05/2021")
    lines = ok(db_url, *options).splitlines()
    assert lines[0] == "Cruscotto test-ente/2020: from 01/05/2021 to 31/05/2021"
    rows = as_csv(db_url, *options)
    assert {
        "key": "1.1.1",
        "code": "1.1.1",
        "level": "action",
        "title": "Soglie",
        "field": "measured",
        "before": "95",
        "after": "100",
        "seqs": str(SEQS.correction),
    } in rows


def test_diff_with_the_dates_the_wrong_way_round_is_a_usage_error(
    reviewed: SqlEventStore, db_url: str
) -> None:
    result = run(db_url, "diff", "--from", "2021-06-01", "--to", "2021-05-01")
    assert result.exit_code == 2, result.output
    assert "--to 2021-05-01 is before --from 2021-06-01" in result.stderr


# -- audit ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("output", ["table", "json", "csv"])
def test_audit_shows_every_finding_in_every_format(
    reviewed: SqlEventStore, db_url: str, output: str
) -> None:
    out = ok(db_url, "audit", "--as-of", "2021-12-31", "--format", output)
    if output == "json":
        found = json.loads(out)
        kinds = [(f["severity"], f["kind"], f["node"], f["seqs"]) for f in found["findings"]]
        assert kinds == [
            ("alta", "after_relazione", "3.1.1", [SEQS.relazione, SEQS.late]),
            ("media", "backdated", "3.1.1", [SEQS.late]),
            ("nota", "deadline", None, [SEQS.approval]),
            ("nota", "deadline", None, [SEQS.relazione]),
            ("nota", "correction", "1.1.1", [SEQS.corrected, SEQS.correction]),
        ]
    elif output == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert [r["kind"] for r in rows][:2] == ["after_relazione", "backdated"]
        assert rows[1]["seqs"] == str(SEQS.late)
    else:
        lines = out.splitlines()
        assert lines[0] == "Audit of test-ente/2020 as of 31/12/2021"
        assert lines[-1] == "5 findings: 1 high, 1 medium, 3 note"
        assert "back-dated entry" in out


def test_audit_table_in_italian(reviewed: SqlEventStore, db_url: str) -> None:
    """The table a controller reads: Italian words for the severities and kinds; the
    identifiers (`after_relazione`) stay in JSON and CSV only."""
    try:
        lines = ok(db_url, "--lang", "it", "audit", "--as-of", "2021-12-31").splitlines()
    finally:
        set_language("en")
    assert lines[0] == "Audit di test-ente/2020 al 31/12/2021"
    assert lines[-1] == "5 rilievi: 1 alta, 1 media, 3 nota"
    assert any("dopo la Relazione" in line for line in lines)
    assert not any("after_relazione" in line for line in lines)


def test_audit_known_at_reviews_the_ledger_as_it_was(reviewed: SqlEventStore, db_url: str) -> None:
    found = as_json(db_url, "audit", "--as-of", "2021-12-31", "--known-at", "2021-07-01")
    assert "backdated" not in [f["kind"] for f in found["findings"]]
    assert found["known_at"].startswith("2021-07-01")


@pytest.mark.usefixtures("italian")
def test_history_and_diff_headings_in_italian(reviewed: SqlEventStore, db_url: str) -> None:
    """The users' language words the headings of the tables, the domain's terms kept."""
    lines = ok(db_url, "history", "1.1.1", "--known-at", BEFORE_CORRECTION).splitlines()
    assert lines[0] == "Storia di 1.1.1 Soglie (test-ente/2020), come noto il 01/05/2021 23:59 CEST"
    assert lines[2].split()[:5] == ["seq", "data", "registrato", "attore", "(ruolo)"]
    lines = ok(db_url, "diff", "--from", "01/05/2021", "--to", "31/05/2021").splitlines()
    assert lines[0] == "Cruscotto test-ente/2020: dal 01/05/2021 al 31/05/2021"
    assert lines[2].split() == ["nodo", "titolo", "campo", "prima", "dopo", "eventi", "(seq)"]
    table = ok(db_url, "trail", "--node", "1.1.1").splitlines()
    assert table[0].split() == ["seq", "data", "registrato", "attore", "ruolo", "nodo", "atto"]
    lines = ok(db_url, "audit", "--as-of", "2021-12-31").splitlines()
    assert lines[0] == "Audit di test-ente/2020 al 31/12/2021"
    assert lines[-1] == "5 rilievi: 1 alta, 1 media, 3 nota"
