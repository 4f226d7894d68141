"""The review pages: audit findings, the trail, the diff, one event, the integrity."""

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from events.i18n import _
from ledger.chain import link_hash, row_fields
from ledger.proofs import HASHED_FIELDS
from ledger.records import Entry
from projections.findings import SEVERITIES
from web import reviews
from web.errors import not_found
from web.pages import View, console, render
from web.params import seq_param

router = APIRouter()


@router.get("/cycles/{cycle:path}/audit", response_class=HTMLResponse)
def audit_page(
    request: Request,
    view: View,
    severity: str | None = None,
    kind: str | None = None,
) -> Response:
    """The audit findings, filterable by severity and kind, each linking to its events."""
    found = reviews.audit_view(console(request), view, severity, kind)
    key = (view.when, found.severity, found.kind)
    return render(
        request, "audit.html", cached=(view, key), view=view, a=found, severities=SEVERITIES
    )


@router.get("/cycles/{cycle:path}/trail", response_class=HTMLResponse)
def trail_page(
    request: Request,
    view: View,
) -> Response:
    """The trail in seq order, 50 events a page (keyset on seq), filterable."""
    page = reviews.trail_view(console(request), view, dict(request.query_params))
    # The page's links carry its as_of and its filters as typed: both are in the key.
    key = (view.when, page.wanted, page.after, page.before, tuple(page.filters.items()))
    return render(request, "trail.html", cached=(view, key), view=view, t=page)


@router.get("/cycles/{cycle:path}/diff", response_class=HTMLResponse)
def diff_page(
    request: Request,
    view: View,
    date_from: Annotated[str | None, Query(alias="from")] = None,
) -> Response:
    """What changed in the cruscotto between two dates, each change with its events."""
    found = reviews.diff_view(console(request), view, date_from)
    key = (view.when, found.date_from)
    return render(request, "diff.html", cached=(view, key), view=view, d=found)


@router.get("/cycles/{cycle:path}/events/{seq}", response_class=HTMLResponse)
def event_page(
    request: Request,
    view: View,
    seq: str,
) -> Response:
    """One event: envelope, payload, hash, previous hash, signature, its canonical bytes."""
    entry = cycle_entry(request, view.cycle, seq)
    return render(request, "event.html", view=view, **event_context(entry))


@router.get("/cycles/{cycle:path}/integrity", response_class=HTMLResponse)
def integrity_page(
    request: Request,
    view: View,
    full: str | None = None,
) -> Response:
    """The result of verify, the head digest, and how anyone can check it themselves.

    `full=1` verifies the whole chain again now, then leads back to the page's own address
    (a reload of it does not start another full verify).
    """
    if full:
        console(request).verdict(full=True)
        return RedirectResponse(view.url("integrity"), status_code=303)
    return render(request, "integrity.html", view=view, **integrity_context(request))


def cycle_entry(request: Request, cycle: str, seq: str) -> Entry:
    """The event `seq` of `cycle`, or a 404 naming it."""
    number = seq_param("seq", seq)
    entry = console(request).store.entry(seq=number) if number is not None else None
    if entry is None or entry.stream != cycle:
        raise not_found(
            _("seq {seq} is not an event of the cycle {cycle}").format(seq=seq, cycle=cycle)
        )
    return entry


FIELD_NAMES = HASHED_FIELDS


def event_context(entry: Entry) -> dict[str, Any]:
    """The event as stored, and the bytes its hash is computed over, field by field."""
    row = entry.row
    fields = row_fields(
        row.seq,
        row.event_id,
        row.stream,
        row.version,
        row.type,
        row.schema_version,
        row.effective_date,
        row.recorded_at,
        row.actor,
        row.role,
        row.idempotency_key,
        row.payload,
    )
    recomputed = link_hash(entry.prev_hash, fields).hex()
    framed = [
        ("prev_hash", entry.prev_hash.encode("ascii")),
        *list(zip(FIELD_NAMES, fields, strict=True)),
    ]
    return {
        "e": entry,
        "payload": json.dumps(json.loads(row.payload), ensure_ascii=False, indent=2),
        "framed": [
            {"name": name, "length": len(data), "text": data.decode("utf-8")}
            for name, data in framed
        ],
        "recomputed": recomputed,
        "matches": recomputed == entry.hash,
    }


def integrity_context(request: Request) -> dict[str, Any]:
    """`ledger verify` and `ledger digest` as the page shows them."""
    state = console(request)
    check = state.verdict()
    verdict = check.verdict
    digest = verdict.head_digest if verdict.ok else state.digest(state.store.head())
    return {"verdict": verdict, "signed": check.signed, "digest": digest, "check": check}
