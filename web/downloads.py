"""Every table of the console as CSV and XLSX, by the same writers as `ledger export`.

The cruscotto goes through the export's own writers (`ledger export --format csv|xlsx`); the
other tables through the trail's writer (`formats/writers/trail.py`), whose CSV has the two
profiles of every export (`excel`: `;`, decimal comma, BOM; `opendata`: RFC 4180) and whose
cells are inert (no formula runs). A download names the same view as its page: same cycle,
`as_of`, `known_at` and filters.
"""

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.convertors import Convertor, register_url_convertor

from events.i18n import _
from formats.writers import cruscotto_csv, cruscotto_xlsx
from formats.writers.cruscotto_csv import CsvProfile
from formats.writers.trail import TrailFormat, write_rows
from ledger.records import format_recorded_at
from web import reviews
from web.errors import bad_request
from web.pages import CycleView, View, console, today
from web.pages_cycle import cycle_list, node_context
from web.params import When

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class KindConvertor(Convertor[str]):
    """`csv` or `xlsx`: `/nodes/3.3.1` stays a page, `/nodes/3.3.1.csv` is its download."""

    regex = "csv|xlsx"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("kind", KindConvertor())
router = APIRouter()


def _profile(text: str) -> CsvProfile:
    if text not in ("excel", "opendata"):
        raise bad_request(_("profile {text}: excel or opendata").format(text=repr(text)))
    return CsvProfile(text)


def send(data: bytes, name: str, kind: str) -> Response:
    media = XLSX if kind == "xlsx" else "text/csv; charset=utf-8"
    disposition = {"Content-Disposition": f'attachment; filename="{name}.{kind}"'}
    return Response(data, media_type=media, headers=disposition)


def send_table(table: reviews.Table, stem: str, kind: str, profile: str) -> Response:
    data = write_rows(table.rows, table.columns, TrailFormat(kind), _profile(profile), stem)
    return send(data, stem, kind)


def stem(view: CycleView, page: str) -> str:
    return f"{page}-{view.cycle.replace('/', '-')}-{view.when.as_of.isoformat()}"


@router.get("/cycles.{kind:kind}")
def cycles_download(request: Request, kind: str, profile: str = "excel") -> Response:
    """The cycles and their state (every cycle, not only the first page)."""
    states = cycle_list(console(request), limit=10**9)
    rows: list[dict[str, Any]] = [{**asdict(s), "stage": s.stage} for s in states]
    table = reviews.Table("cycles", reviews.CYCLE_COLUMNS, rows)
    return send_table(table, f"cicli-{When(today(), None).as_of.isoformat()}", kind, profile)


@router.get("/cycles/{cycle:path}/cruscotto.{kind:kind}")
def cruscotto_download(
    request: Request,
    view: View,
    kind: str,
    profile: str = "excel",
) -> Response:
    """The cruscotto as `ledger export --format csv|xlsx` writes it, for the same view."""
    exported = console(request).export(view.cycle, view.when.as_of, view.when.known_at)
    if kind == "xlsx":
        return send(cruscotto_xlsx.workbook_bytes(exported), stem(view, "cruscotto"), kind)
    data = cruscotto_csv.cruscotto_csv(exported, _profile(profile).value)
    return send(data, stem(view, "cruscotto"), kind)


@router.get("/cycles/{cycle:path}/nodes/{node}.{kind:kind}")
def history_download(
    request: Request,
    view: View,
    node: str,
    kind: str,
    profile: str = "excel",
) -> Response:
    """A node's history, as the node page lists it."""
    context = node_context(request, view, node)
    # Excel holds no time zones: the recorded time goes as its stored UTC text.
    rows = [
        {
            **asdict(e.row),
            "recorded_at": format_recorded_at(e.row.recorded_at),
            "evidence": e.evidence,
            "signed": e.signed,
        }
        for e in context["events"]
    ]
    table = reviews.Table("history", reviews.HISTORY_COLUMNS, rows)
    return send_table(table, stem(view, f"storia-{node}"), kind, profile)


@router.get("/cycles/{cycle:path}/{page}.{kind:kind}")
def review_download(
    request: Request,
    view: View,
    page: str,
    kind: str,
    profile: str = "excel",
) -> Response:
    """The audit, the trail (all of it, filtered) or the diff, as its page shows it."""
    given = dict(request.query_params)
    state = console(request)
    if page == "audit":
        found = reviews.audit_view(state, view, given.get("severity"), given.get("kind"))
        table = reviews.audit_table(found)
    elif page == "trail":
        table = reviews.trail_table(state, view, given)
    elif page == "diff":
        table = reviews.diff_table(reviews.diff_view(state, view, given.get("from")))
    else:
        raise bad_request(
            _("{page}.{kind}: audit, trail, diff, cruscotto or nodes/CODE").format(
                page=page, kind=kind
            )
        )
    return send_table(table, stem(view, page), kind, profile)
