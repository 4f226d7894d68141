"""The review pages over the reference case: audit, trail, diff, event, integrity, downloads."""

import csv
import io
import re

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from tests.web.conftest import REFERENCE

AS_OF = "as_of=2021-06-30"


def test_the_audit_filters_by_severity_and_links_each_finding_to_its_events(
    console: TestClient,
) -> None:
    page = console.get(f"{REFERENCE}/audit?{AS_OF}&severity=alta&kind=reported_mismatch").text
    assert "printed 90,00 %, the evidence gives 90,40 %" in page
    assert f'href="{REFERENCE}/events/151?{AS_OF}"' in page
    assert "deadline" not in re.sub(r"<select.*?</select>", "", page, flags=re.S)


def test_the_event_of_the_finding_shows_its_envelope_payload_and_the_bytes_it_hashes(
    console: TestClient,
) -> None:
    page = console.get(f"{REFERENCE}/events/151?{AS_OF}").text
    assert "ReportedFigureRecorded" in page
    assert "Recomputed here: it matches the stored hash." in page
    assert "90.00" in page or "90,00" in page
    for name in ("prev_hash", "payload", "recorded_at", "idempotency_key"):
        assert f'<th scope="row">{name}</th>' in page


def test_the_trail_is_paged_by_seq(console: TestClient) -> None:
    first = console.get(f"{REFERENCE}/trail?{AS_OF}").text
    seqs = [int(s) for s in re.findall(r'<th scope="row"><a href="[^"]*events/(\d+)\?', first)]
    assert seqs == list(range(1, 51))
    assert "after=50" in first
    second = console.get(f"{REFERENCE}/trail?{AS_OF}&after=50").text
    seqs = [int(s) for s in re.findall(r'<th scope="row"><a href="[^"]*events/(\d+)\?', second)]
    assert seqs == list(range(51, 101))


def test_the_trail_goes_back_a_page_by_seq(console: TestClient) -> None:
    third = console.get(f"{REFERENCE}/trail?{AS_OF}&after=100").text
    assert f'href="{REFERENCE}/trail?{AS_OF}&amp;before=101" rel="prev">Previous page<' in third
    second = console.get(f"{REFERENCE}/trail?{AS_OF}&before=101").text
    seqs = [int(s) for s in re.findall(r'<th scope="row"><a href="[^"]*events/(\d+)\?', second)]
    assert seqs == list(range(51, 101))
    assert "Events before seq 101" in second
    assert "before=51" in second and "after=100" in second
    first = console.get(f"{REFERENCE}/trail?{AS_OF}&before=51").text
    assert "Previous page" not in first and "First page" not in first
    page = console.get(f"/api{REFERENCE}/trail?{AS_OF}&before=101").json()
    assert [e["seq"] for e in page["events"]] == list(range(51, 101))
    assert (page["previous_before"], page["next_after"]) == (51, 100)


def test_each_trail_page_links_to_events_as_of_its_own_date(console: TestClient) -> None:
    for day in ("2021-06-30", "2021-04-30"):
        page = console.get(f"{REFERENCE}/trail?as_of={day}").text
        assert f'href="{REFERENCE}/events/1?as_of={day}"' in page


def test_the_trail_filters_by_node_and_role(console: TestClient) -> None:
    page = console.get(f"{REFERENCE}/trail?{AS_OF}&node=3.3.1&role=direzione").text
    seqs = [int(s) for s in re.findall(r'<th scope="row"><a href="[^"]*events/(\d+)\?', page)]
    assert seqs == [146]
    assert "Next page" not in page


def test_the_diff_names_the_changes_between_two_dates_with_their_events(
    console: TestClient,
) -> None:
    page = console.get(f"{REFERENCE}/diff?from=2021-04-30&{AS_OF}").text
    assert "93,33 %" in page and "96,67 %" in page
    assert f'href="{REFERENCE}/events/146?{AS_OF}"' in page


def test_the_integrity_page_gives_the_verdict_and_the_digest_to_check(
    console: TestClient,
) -> None:
    page = console.get(f"{REFERENCE}/integrity?{AS_OF}").text
    assert "The chain holds: 180 events checked" in page
    assert re.search(r"ledger-digest/2 seq=180 sha256=[0-9a-f]{64} tree_size=180 root=", page)
    assert "verify_chain.py" in page


@pytest.mark.usefixtures("italian")  # the Italian headers of the Excel profile
def test_the_cruscotto_csv_is_the_export_of_the_same_view(console: TestClient) -> None:
    answer = console.get(f"{REFERENCE}/cruscotto.csv?{AS_OF}")
    assert answer.status_code == 200
    assert answer.headers["content-disposition"].endswith('2021-06-30.csv"')
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig")), delimiter=";"))
    row = next(r for r in rows if r["Codice"] == "3.3.1")
    assert (row["Calcolato"], row["Override"], row["Risultato"]) == ("0,00", "60,00", "60,00")


@pytest.mark.parametrize("page", ["audit", "trail", "diff", "nodes/3.3.1"])
def test_every_table_downloads_as_csv_and_xlsx(console: TestClient, page: str) -> None:
    for kind in ("csv", "xlsx"):
        answer = console.get(f"{REFERENCE}/{page}.{kind}?{AS_OF}&from=2021-04-30")
        assert answer.status_code == 200, answer.text
        assert "attachment" in answer.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(answer.content)).worksheets[0]
    assert sheet.max_row > 1


@pytest.mark.parametrize(
    "page",
    [
        "cycles",
        "cycles/cciaa-so/2020/cruscotto",
        "cycles/cciaa-so/2020/audit",
        "cycles/cciaa-so/2020/trail",
        "cycles/cciaa-so/2020/diff",
        "cycles/cciaa-so/2020/nodes/3.3.1",
        "cycles/cciaa-so/2020/events/146",
        "cycles/cciaa-so/2020/integrity",
    ],
)
def test_every_page_has_a_json_twin(console: TestClient, page: str) -> None:
    answer = console.get(f"/api/{page}?{AS_OF}&from=2021-04-30")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/json"
    assert answer.json()


def test_the_json_cruscotto_is_the_replay_contract(console: TestClient) -> None:
    data = console.get(f"/api{REFERENCE}/cruscotto?{AS_OF}").json()
    assert data["cycle"] == "cciaa-so/2020"
    assert data["ente"]["result"] == 96.67


@pytest.mark.parametrize(
    ("url", "status", "named"),
    [
        (f"{REFERENCE}/events/9999?{AS_OF}", 404, "9999"),
        (f"{REFERENCE}/events/abc?{AS_OF}", 400, "abc"),
        (f"{REFERENCE}/audit?{AS_OF}&severity=grave", 400, "grave"),
        (f"{REFERENCE}/trail?{AS_OF}&after=-3", 400, "-3"),
        (f"{REFERENCE}/trail?{AS_OF}&before=x1", 400, "x1"),
        (f"{REFERENCE}/trail?{AS_OF}&after=50&before=120", 400, "before=120"),
        (f"{REFERENCE}/trail?{AS_OF}&node=9.9.9", 404, "9.9.9"),
        (f"{REFERENCE}/diff?{AS_OF}&from=2021-13-01", 400, "2021-13-01"),
        ("/nessuna-pagina", 404, "/nessuna-pagina"),
        (f"/api{REFERENCE}/events/9999?{AS_OF}", 404, "9999"),
    ],
)
def test_a_bad_request_is_answered_in_one_line_naming_the_value(
    console: TestClient, url: str, status: int, named: str
) -> None:
    answer = console.get(url)
    assert answer.status_code == status, answer.text
    if url.startswith("/api/"):
        line = answer.json()["error"]
    else:
        line = re.search(r'<p class="errore">(.*?)</p>', answer.text, flags=re.S).group(1)
    assert "\n" not in line and named in line
