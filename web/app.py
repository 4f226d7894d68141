"""The console's ASGI application: routes, templates, security headers and error pages.

`create_app` is the one place that builds the console's dependencies (the read-only store,
the users file); routes stay as thin as commands: they parse the request, call the same
projection the command calls, and render a template or a writer of formats/.
"""

import logging
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from events.errors import LedgerError
from events.i18n import _, language, ngettext
from ledger.connect import open_reader
from ledger.errors import DatabaseUnavailable
from ledger.store import SqlEventStore
from projections.errors import UnknownNode
from web import api, auth, downloads, pages_cycle, pages_review
from web.errors import PageError, unknown_page
from web.pages import Redirected
from web.state import ConsoleState
from web.view import FILTERS, path, visible

LOG = logging.getLogger("ledger.web")
TEMPLATES = Path(str(files("web").joinpath("templates")))
STATIC = Path(str(files("web").joinpath("static")))
PUBLISHED_CSS = files("formats.writers").joinpath("templates/cruscotto.css")

SECURITY_HEADERS = {
    # Nothing inline, nothing from another origin: every style and image is our own file.
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


@dataclass
class ConsoleConfig:
    """What `ledger serve` was given: the ledger, and who may come in."""

    db: str
    users_file: Path | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def environment() -> Environment:
    """Jinja2 with autoescaping on every template, Italian filters and `_` for messages."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=visible,
    )
    env.filters.update(FILTERS)
    env.filters["path"] = path
    env.globals.update({"_": _, "ngettext": ngettext, "language": language})
    return env


class SecurityHeaders:
    """The headers every answer carries, error pages and downloads included.

    A plain ASGI middleware (Starlette's BaseHTTPMiddleware costs a task and a stream per
    request): it only adds headers to the response's start message, as raw pairs encoded once
    at start (a header the route set itself is kept).
    """

    RAW = tuple(
        (name.lower().encode("latin-1"), value.encode("latin-1"))
        for name, value in {**SECURITY_HEADERS, "Cache-Control": "no-store"}.items()
    )

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                present = {name.lower() for name, _value in headers}
                headers += [pair for pair in self.RAW if pair[0] not in present]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


def create_app(config: ConsoleConfig, store: SqlEventStore | None = None) -> FastAPI:
    """The console over the ledger at `config.db`, opened read-only (or the `store` given)."""
    app = FastAPI(
        title="Performance ledger: console",
        description=_("The read-only console of the performance ledger: pages and JSON API."),
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    state = ConsoleState(
        store=store or open_reader(config.db),
        env=environment(),
        users=auth.load_users(config.users_file) if config.users_file else None,
        sessions=auth.Sessions(),
    )
    app.state.console = state
    app.add_middleware(auth.LoginRequired)
    app.add_middleware(SecurityHeaders)

    @app.get("/static/cruscotto.css", include_in_schema=False)
    def published_stylesheet() -> Response:
        """The published page's own stylesheet: the console looks like the published page."""
        return Response(PUBLISHED_CSS.read_text(encoding="utf-8"), media_type="text/css")

    # Order matters: a cycle's name may hold `/`, so its catch-all address comes last.
    for router in (auth.router, api.router, downloads.router, pages_review.router):
        app.include_router(router)
    app.include_router(pages_cycle.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _errors(app, state)
    app.router.on_shutdown.append(state.close)
    return app


def _errors(app: FastAPI, state: ConsoleState) -> None:
    """400, 404 and 405 as one Italian line naming the value; 500 plain, logged on the server."""

    def answer(request: Request, status: int, message: str) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": message}, status_code=status)
        return HTMLResponse(
            state.env.get_template("error.html").render(status=status, message=message),
            status_code=status,
        )

    @app.exception_handler(PageError)
    async def page_error(request: Request, error: PageError) -> Response:
        return answer(request, error.status, error.message)

    @app.exception_handler(Redirected)
    async def redirected(request: Request, redirect: Redirected) -> Response:
        return redirect.response

    @app.exception_handler(LedgerError)
    async def refusal(request: Request, error: LedgerError) -> Response:
        """A node or cycle the ledger does not hold is a 404; any other refusal a 400."""
        if isinstance(error, DatabaseUnavailable):
            LOG.error("database unavailable on %s: %s", request.url.path, error)
            return answer(request, 503, str(error))
        return answer(request, 404 if isinstance(error, UnknownNode) else 400, str(error))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        if error.status_code == 404:
            return answer(request, 404, unknown_page(request.url.path).message)
        if error.status_code == 405:
            response = answer(
                request,
                405,
                _("the console only reads: {method} is not accepted").format(method=request.method),
            )
            response.headers["Allow"] = (error.headers or {}).get("Allow", "GET, HEAD")
            return response
        return answer(request, error.status_code, str(error.detail))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}"
            for e in error.errors()
        )
        return answer(request, 400, problems)

    @app.exception_handler(Exception)
    async def server_error(request: Request, error: Exception) -> Response:
        LOG.exception("internal error on %s %s", request.method, request.url.path)
        return PlainTextResponse(
            _("internal error: the server logged it; nothing was changed"), status_code=500
        )
