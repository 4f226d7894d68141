"""The cycle pages: the cycles with their state, the cruscotto as of a date, one node."""

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from events.i18n import _
from events.measurement import AssessmentRecorded, MeasurementCorrected, MeasurementRecorded
from projections.cruscotto import Cruscotto, NodeResult, build
from projections.cycle_states import CycleState as CycleStage
from projections.cycle_states import cycle_state
from projections.errors import UnknownNode
from projections.history import HistoryRow, node_history
from projections.plan_state import CycleState, fold
from web.errors import not_found
from web.pages import CycleView, View, console, render
from web.state import ConsoleState
from web.view import path

router = APIRouter()


@dataclass(frozen=True)
class HistoryEvent:
    """A row of the node's history, with its evidence and whether it is signed."""

    row: HistoryRow
    evidence: str | None
    signed: bool


MEASUREMENT_TYPES = {
    MeasurementRecorded.type_name,
    AssessmentRecorded.type_name,
    MeasurementCorrected.type_name,
}


@router.get("/", response_class=HTMLResponse)
def cycles_page(request: Request, after: str = "") -> Response:
    """The cycles in the ledger with their state, 50 to a page in name order."""
    states = cycle_list(console(request), after=after, limit=51)
    return render(
        request,
        "cycles.html",
        cycles=states[:50],
        next_after=states[49].stream if len(states) > 50 else None,
    )


@router.get("/cycles/{cycle:path}/cruscotto", response_class=HTMLResponse)
def cruscotto_page(
    request: Request,
    view: View,
) -> Response:
    """The cruscotto as of a date, as known at a time: the page the OIV cites."""
    _state, cruscotto = replayed(request, view)
    rows = console(request).view(
        view.cycle, ("rows", view.when), lambda: tree_rows(cruscotto), version=view.version
    )
    return render(
        request, "cruscotto.html", cached=(view, view.when), view=view, c=cruscotto, rows=rows
    )


@router.get("/cycles/{cycle:path}/nodes/{node}", response_class=HTMLResponse)
def node_page(
    request: Request,
    view: View,
    node: str,
) -> Response:
    """One node: its KPI, target, thresholds, measurements, and its whole history."""
    context = node_context(request, view, node)
    return render(request, "node.html", cached=(view, (view.when, node)), view=view, **context)


@router.get("/cycles/{cycle:path}", include_in_schema=False)
def cycle_home(request: Request, cycle: str) -> Response:
    """A cycle's address leads to its cruscotto."""
    return RedirectResponse(f"/cycles/{path(cycle)}/cruscotto", status_code=307)


def cycle_list(state: ConsoleState, *, after: str = "", limit: int = 50) -> list[CycleStage]:
    """The cycles after `after` with their state, each computed once per version."""
    streams = [stream for stream in state.store.streams() if stream > after][:limit]
    return [
        state.view(stream, ("state",), lambda stream=stream: cycle_state(state.store, stream))  # type: ignore[misc]
        for stream in streams
    ]


def replayed(request: Request, view: CycleView) -> tuple[CycleState, Cruscotto]:
    """The plan state and the cruscotto of the view, from the cycle's own events."""
    store = console(request).store

    def compute() -> tuple[CycleState, Cruscotto]:
        entries = list(store.read_stream(view.cycle, known_at=view.when.known_at))
        state = fold(entries, view.cycle, as_of=view.when.as_of, known_at=view.when.known_at)
        return state, build(state, view.when.as_of, view.when.known_at)

    return console(request).view(view.cycle, ("replay", view.when), compute, version=view.version)


def tree_rows(cruscotto: Cruscotto) -> list[dict[str, Any]]:
    """The cruscotto's nodes, parents first, with their depth in the tree."""
    depth = {rule.key: index for index, rule in enumerate(cruscotto.levels)}
    return [{"node": node, "depth": depth.get(node.level, 0)} for node in cruscotto.nodes()]


def find_node(cruscotto: Cruscotto, node: str) -> NodeResult:
    try:
        return cruscotto.node(node)
    except KeyError:
        raise not_found(
            _("the node {node} is not in the plan of {cycle} as of {day}").format(
                node=node, cycle=cruscotto.stream, day=cruscotto.as_of.strftime("%d/%m/%Y")
            )
        ) from None


def node_context(request: Request, view: CycleView, node: str) -> dict[str, Any]:
    """Everything the node page shows (and its JSON twin returns)."""
    return console(request).view(
        view.cycle,
        ("node", view.when, node),
        lambda: _node_context(request, view, node),
        version=view.version,
    )


def _node_context(request: Request, view: CycleView, node: str) -> dict[str, Any]:
    store = console(request).store
    entries = list(store.read_stream(view.cycle, known_at=view.when.known_at))
    state, cruscotto = replayed(request, view)
    found = find_node(cruscotto, node)
    try:
        history = node_history(entries, view.cycle, found.key, known_at=view.when.known_at)
    except UnknownNode as error:
        raise not_found(str(error)) from None
    by_seq = {entry.seq: entry for entry in entries}
    events = [
        HistoryEvent(
            row,
            getattr(by_seq[row.seq].event, "evidence", None) or by_seq[row.seq].event.source,
            by_seq[row.seq].signature is not None,
        )
        for row in history.rows
    ]
    plan_node = state.nodes.get(found.key)
    return {
        "c": cruscotto,
        "n": found,
        "kpi": plan_node.kpi if plan_node else None,
        "children": found.children,
        "events": events,
        "measurements": [e for e in events if e.row.type in MEASUREMENT_TYPES],
    }
