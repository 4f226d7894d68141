"""Who gets in: a login page, sessions in strict cookies, and a brake on guessing.

On a loopback address the console may run open; on any other `ledger serve` refuses to
start without a users file (formats/users.py). A session is a random token kept in the
server's memory (a restart signs everyone out), sent back in an HttpOnly, SameSite=Strict
cookie, Secure when the request came over https. Failed logins are counted per client
address and per name: past `MAX_FAILURES` in `WINDOW_SECONDS` the login answers 429.

The login form is the console's only POST (with the logout): it changes nothing in the
ledger, and every other method on every other route is answered 405.
"""

import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from events.i18n import _
from formats.users import check_password, read_users

COOKIE = "ledger_session"
SESSION_SECONDS = 8 * 3600
MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60
OPEN_PATHS = ("/login", "/static/")

router = APIRouter()


@dataclass
class Users:
    """The users file, read once at start."""

    hashes: dict[str, str]

    def check(self, name: str, password: str) -> bool:
        return check_password(self.hashes, name, password)


def load_users(path: Path) -> Users:
    return Users(read_users(path))


@dataclass
class Sessions:
    """Signed-in people by token, and the failed attempts that slow guessing down."""

    tokens: dict[str, tuple[str, float]] = field(default_factory=dict)
    failures: dict[str, deque[float]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def open(self, name: str) -> str:
        token = secrets.token_urlsafe(32)
        with self.lock:
            self.tokens[token] = (name, time.monotonic() + SESSION_SECONDS)
        return token

    def who(self, token: str | None) -> str | None:
        if not token:
            return None
        with self.lock:
            found = self.tokens.get(token)
            if found is None:
                return None
            if found[1] < time.monotonic():
                del self.tokens[token]
                return None
            return found[0]

    def close(self, token: str | None) -> None:
        with self.lock:
            self.tokens.pop(token or "", None)

    def blocked(self, *keys: str) -> bool:
        now = time.monotonic()
        with self.lock:
            for key in keys:
                seen = self.failures.get(key)
                while seen and seen[0] < now - WINDOW_SECONDS:
                    seen.popleft()
                if seen and len(seen) >= MAX_FAILURES:
                    return True
        return False

    def failed(self, *keys: str) -> None:
        with self.lock:
            for key in keys:
                self.failures.setdefault(key, deque()).append(time.monotonic())


def _console(request: Request) -> Any:
    return request.app.state.console


class LoginRequired:
    """With a users file, every page but the login asks for a session (a plain ASGI
    middleware: nothing to do on an open console)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # An open console (loopback, no users file) checks nothing: not even a Request is made.
        if scope["type"] != "http" or scope["app"].state.console.users is None:
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        console = _console(request)
        path = request.url.path
        if path.startswith(OPEN_PATHS):
            await self.app(scope, receive, send)
            return
        user = console.sessions.who(request.cookies.get(COOKIE))
        if user is not None:
            request.state.user = user
            await self.app(scope, receive, send)
            return
        response: Response
        if path.startswith("/api/"):
            response = JSONResponse({"error": _("sign in first (/login)")}, status_code=401)
        else:
            target = path + (f"?{request.url.query}" if request.url.query else "")
            response = RedirectResponse(f"/login?next={quote(target)}", status_code=303)
        await response(scope, receive, send)


def _safe_next(target: str | None) -> str:
    """Only a path of this site: never `//elsewhere` or a full URL (an open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _form(request: Request, status: int, message: str | None, target: str) -> HTMLResponse:
    page = _console(request).env.get_template("login.html")
    html = page.render(message=message, next=target, user=None, open_console=False)
    return HTMLResponse(html, status_code=status)


@router.get("/login", response_class=HTMLResponse, include_in_schema=False)
def login_page(request: Request, next: str | None = None) -> Response:
    """The login form (on an open console, straight to the cycles)."""
    if _console(request).users is None:
        return RedirectResponse("/", status_code=303)
    return _form(request, 200, None, _safe_next(next))


@router.post("/login", include_in_schema=False)
async def login(request: Request) -> Response:
    """Check the name and password; open a session, or count the failure."""
    console = _console(request)
    if console.users is None:
        return RedirectResponse("/", status_code=303)
    fields = parse_qs((await request.body()).decode("utf-8", errors="replace"))
    name = (fields.get("name") or [""])[0][:64]
    password = (fields.get("password") or [""])[0][:1024]
    target = _safe_next((fields.get("next") or ["/"])[0])
    client = request.client.host if request.client else "?"
    keys = (f"address:{client}", f"name:{name}")
    if console.sessions.blocked(*keys):
        return _form(request, 429, _("too many failed attempts: try again in 15 minutes"), target)
    if not console.users.check(name, password):
        console.sessions.failed(*keys)
        return _form(request, 401, _("wrong name or password"), target)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        COOKIE,
        console.sessions.open(name),
        max_age=SESSION_SECONDS,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


@router.post("/logout", include_in_schema=False)
def logout(request: Request) -> Response:
    """Close the session."""
    _console(request).sessions.close(request.cookies.get(COOKIE))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response
