"""Every table of the console as CSV and XLSX, by the same writers as `ledger export`."""

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from formats.writers import cruscotto_csv, cruscotto_xlsx
from formats.writers.cruscotto_csv import CsvProfile
from web.errors import bad_request
from web.pages import console, cycle_view

router = APIRouter()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment(data: bytes, name: str, media: str) -> Response:
    return Response(
        data, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


def file_stem(cycle: str, page: str) -> str:
    return f"{page}-{cycle.replace('/', '-')}"


@router.get("/cycles/{cycle:path}/cruscotto.{kind}")
def cruscotto_download(
    request: Request,
    cycle: str,
    kind: str,
    as_of: str | None = None,
    known_at: str | None = None,
    profile: str = "excel",
) -> Response:
    """The cruscotto as `ledger export --format csv|xlsx` writes it, for the same view."""
    view = cycle_view(request, cycle, as_of, known_at)
    if isinstance(view, RedirectResponse):
        return view
    if kind not in ("csv", "xlsx"):
        raise bad_request(f"{kind!r}: csv or xlsx")
    if profile not in ("excel", "opendata"):
        raise bad_request(f"profile {profile!r}: excel or opendata")
    exported = console(request).export(view.cycle, view.when.as_of, view.when.known_at)
    name = f"{file_stem(cycle, 'cruscotto')}-{view.when.as_of.isoformat()}.{kind}"
    if kind == "xlsx":
        return attachment(cruscotto_xlsx.workbook_bytes(exported), name, XLSX)
    data = cruscotto_csv.cruscotto_csv(exported, CsvProfile(profile).value)
    return attachment(data, name, "text/csv; charset=utf-8")
