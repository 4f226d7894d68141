"""The JSON API beside the pages: the same reads, for scripts and the transparency officer.

Every page has its twin under `/api/` with the same path and parameters. The cruscotto is the
replay contract (`ledger replay --format json`, docs/contract.md); the other reads are the
rows of the page's table, under the column names of its CSV (`--profile opendata`).
Documented by OpenAPI at `/api/openapi.json`.
"""

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from formats.serial import to_json
from projections.contract import cruscotto_contract
from projections.plan_state import OverrideInfo
from web import reviews
from web.pages import CycleView, View, console
from web.pages_cycle import cycle_list, node_context, replayed
from web.pages_review import cycle_entry, event_context, integrity_context

router = APIRouter(prefix="/api")


def answer(data: Any) -> Response:
    return Response(to_json(data), media_type="application/json")


def about(view: CycleView) -> dict[str, Any]:
    return {"cycle": view.cycle, "as_of": view.when.as_of, "known_at": view.when.known_at}


@router.get("/cycles")
def cycles_api(request: Request, after: str = "") -> Response:
    """The cycles with their state, 50 at a time after the cycle `after`."""
    states = cycle_list(console(request), after=after, limit=50)
    return answer({"cycles": [{**asdict(s), "stage": s.stage} for s in states]})


@router.get("/cycles/{cycle:path}/cruscotto")
def cruscotto_api(
    request: Request,
    view: View,
) -> Response:
    """The replay contract of the cruscotto as of a date, as known at a time."""
    return answer(cruscotto_contract(replayed(request, view)[1]))


def _override(override: OverrideInfo) -> dict[str, Any]:
    """An override as the API shows it: the entry that recorded it by its seq.

    Built field by field rather than with `asdict`, which would recurse into the entry (a
    tuple of the driver's row) and try to rebuild it."""
    return {
        "achievement": override.achievement,
        "rationale": override.rationale,
        "oiv_heard_on": override.oiv_heard_on,
        "entry": override.entry.seq,
    }


@router.get("/cycles/{cycle:path}/nodes/{node}")
def node_api(
    request: Request,
    view: View,
    node: str,
) -> Response:
    """A node's figures and its whole history."""
    context = node_context(request, view, node)
    found = context["n"]
    return answer(
        {
            **about(view),
            "node": {
                "key": found.key,
                "code": found.code,
                "title": found.title,
                "computed": found.computed,
                "override": _override(found.override) if found.override else None,
                "result": found.result,
            },
            "events": [
                {**asdict(e.row), "evidence": e.evidence, "signed": e.signed}
                for e in context["events"]
            ],
        }
    )


@router.get("/cycles/{cycle:path}/audit")
def audit_api(
    request: Request,
    view: View,
    severity: str | None = None,
    kind: str | None = None,
) -> Response:
    """The audit findings, filtered by severity and kind."""
    found = reviews.audit_view(console(request), view, severity, kind)
    findings = [asdict(f) for f in found.shown]
    return answer({**about(view), "findings": findings})


@router.get("/cycles/{cycle:path}/trail")
def trail_api(
    request: Request,
    view: View,
) -> Response:
    """One page of the trail after seq `after` (or before seq `before`), with `next_after` to
    continue and `previous_before` to go back."""
    page = reviews.trail_view(console(request), view, dict(request.query_params))
    rows = [reviews.trail_row(row) for row in page.rows]
    return answer(
        {
            **about(view),
            "events": rows,
            "next_after": page.next_after,
            "previous_before": page.previous_before,
        }
    )


@router.get("/cycles/{cycle:path}/diff")
def diff_api(
    request: Request,
    view: View,
) -> Response:
    """What changed in the cruscotto from `from` to `as_of`."""
    found = reviews.diff_view(console(request), view, request.query_params.get("from"))
    return answer(
        {**about(view), "from": found.date_from, "nodes": [asdict(n) for n in found.nodes]}
    )


@router.get("/cycles/{cycle:path}/events/{seq}")
def event_api(
    request: Request,
    view: View,
    seq: str,
) -> Response:
    """One event as stored, with its hashed fields."""
    context = event_context(cycle_entry(request, view.cycle, seq))
    row = context["e"].row
    return answer(
        {
            **asdict(row),
            "prev_hash": row.prev_hash.hex(),
            "hash": row.hash.hex(),
            "hashed_fields": context["framed"],
            "hash_matches": context["matches"],
        }
    )


@router.get("/cycles/{cycle:path}/integrity")
def integrity_api(
    request: Request,
) -> Response:
    """The result of verify and the head digest."""
    context = integrity_context(request)
    verdict, check = context["verdict"], context["check"]
    return answer(
        {
            "ok": verdict.ok,
            "checked": verdict.checked,
            "verified_to": verdict.head.seq,
            "full": check.full,
            "since": check.since,
            "checked_at": check.at,
            "full_verify_at": check.full_at,
            "broken_seq": verdict.broken_seq,
            "reason": verdict.reason,
            "signatures": context["signed"],
            "digest": context["digest"].line(),
        }
    )
