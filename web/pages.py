"""What every page route shares: the console's state, the request's times, rendering."""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from formats.italian_dates import ROME
from ledger.records import format_recorded_at
from web.params import When, known_cycle, when_of
from web.state import ConsoleState
from web.view import path


def console(request: Request) -> ConsoleState:
    state: ConsoleState = request.app.state.console
    return state


def today() -> date:
    """Today in Italy: the default `as_of`, made explicit in the URL at once."""
    return datetime.now(ROME).date()


@dataclass(frozen=True)
class CycleView:
    """A cycle page's request: the cycle, its times, and the URLs that cite it."""

    cycle: str
    when: When
    version: int = field(default=0, compare=False)
    """The cycle's version when the request came in: what every kept part of the page is
    keyed by (ConsoleState.view), read once a request."""

    @property
    def base(self) -> str:
        return f"/cycles/{path(self.cycle)}"

    def url(self, page: str, **more: str | None) -> str:
        return f"{self.base}/{page}?{self.when.query(**more)}"


def cycle_view(
    request: Request, cycle: str, as_of: str | None, known_at: str | None
) -> CycleView | RedirectResponse:
    """The view a cycle page shows; without `as_of`, a redirect to the URL that names it.

    Every page's URL thus carries its date, and stays the same page when cited tomorrow.
    """
    version = known_cycle(console(request).stream_version, cycle)
    when = when_of(as_of, known_at, today())
    canonical_known = format_recorded_at(when.known_at) if when.known_at else None
    if as_of != when.as_of.isoformat() or (known_at or None) != canonical_known:
        rest = {k: v for k, v in request.query_params.items() if k not in ("as_of", "known_at")}
        target = f"{request.url.path}?{when.query(**rest)}"
        return RedirectResponse(target, status_code=307)
    return CycleView(cycle, when, version)


class Redirected(Exception):
    """A page asked without its date: answered by the redirect to the address that names it."""

    def __init__(self, response: RedirectResponse) -> None:
        super().__init__(response.headers["location"])
        self.response = response


def the_view(
    request: Request, cycle: str, as_of: str | None = None, known_at: str | None = None
) -> CycleView:
    """The dependency of every cycle page: its cycle (404 if unknown) and its times."""
    view = cycle_view(request, cycle, as_of, known_at)
    if isinstance(view, RedirectResponse):
        raise Redirected(view)
    return view


View = Annotated[CycleView, Depends(the_view)]
"""A route's `view: View` parameter: the cycle, `as_of` and `known_at` of its address."""


def render(
    request: Request,
    template: str,
    status: int = 200,
    *,
    cached: tuple[CycleView, Any] | None = None,
    **context: Any,
) -> Response:
    """A page from its template; `user` is who signed in (None on an open console).

    `cached` = (view, key): the page is rendered once per version of the view's cycle (see
    ConsoleState.view), for each signed-in user.
    """
    state = console(request)
    user = getattr(request.state, "user", None)
    context.setdefault("user", user)
    context.setdefault("signed_in", state.users is not None)

    def html() -> str:
        page = state.env.get_template(template)
        return page.render(request_path=request.url.path, **context)

    if cached is None:
        return HTMLResponse(html(), status_code=status)
    view, key = cached
    kept = state.view(view.cycle, ("html", template, user, key), html, version=view.version)
    return HTMLResponse(kept, status_code=status)
