"""Who gets in: with a users file every page asks for a session; the login is slowed down."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from formats.users import add_user
from tests.web.conftest import REFERENCE
from web.app import ConsoleConfig, create_app
from web.auth import MAX_FAILURES

PASSWORD = "una password lunga e segreta"  # noqa: S105 - a test user


@pytest.fixture
def guarded(served: tuple[str, str], tmp_path: Path) -> Iterator[TestClient]:
    users = tmp_path / "users.txt"
    add_user(users, "oiv.rossi", PASSWORD)
    app = create_app(ConsoleConfig(db=served[1], users_file=users))
    with TestClient(app, base_url="https://console.example", follow_redirects=False) as client:
        yield client


def _login(client: TestClient, password: str, name: str = "oiv.rossi") -> Any:
    return client.post(
        "/login",
        content=f"name={name}&password={password.replace(' ', '+')}&next=/",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )


def test_every_page_sends_a_stranger_to_the_login(guarded: TestClient) -> None:
    answer = guarded.get(f"{REFERENCE}/cruscotto?as_of=2021-06-30")
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/login?next=")
    assert guarded.get(f"/api{REFERENCE}/cruscotto?as_of=2021-06-30").status_code == 401
    assert guarded.get("/login").status_code == 200


def test_a_wrong_password_is_refused(guarded: TestClient) -> None:
    answer = _login(guarded, "non la password giusta")
    assert answer.status_code == 401
    assert "wrong name or password" in answer.text
    assert "set-cookie" not in answer.headers
    assert guarded.get("/").status_code == 303


def test_the_session_cookie_is_httponly_strict_and_secure_under_https(
    guarded: TestClient,
) -> None:
    answer = _login(guarded, PASSWORD)
    assert answer.status_code == 303
    cookie = answer.headers["set-cookie"].lower()
    assert cookie.startswith("ledger_session=")
    for flag in ("httponly", "samesite=strict", "secure", "path=/"):
        assert flag in cookie
    page = guarded.get(f"{REFERENCE}/cruscotto?as_of=2021-06-30")
    assert page.status_code == 200
    assert "96,67 %" in page.text


def test_the_cookie_is_not_secure_over_plain_http(served: tuple[str, str], tmp_path: Path) -> None:
    users = tmp_path / "users.txt"
    add_user(users, "oiv.rossi", PASSWORD)
    app = create_app(ConsoleConfig(db=served[1], users_file=users))
    with TestClient(app, follow_redirects=False) as client:
        cookie = _login(client, PASSWORD).headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "secure" not in cookie


def test_failed_logins_are_rate_limited_even_for_the_right_password(guarded: TestClient) -> None:
    for _ in range(MAX_FAILURES):
        assert _login(guarded, "tentativo sbagliato").status_code == 401
    answer = _login(guarded, PASSWORD)
    assert answer.status_code == 429
    assert "set-cookie" not in answer.headers


def test_the_login_never_sends_elsewhere(guarded: TestClient) -> None:
    answer = guarded.post(
        "/login",
        content=f"name=oiv.rossi&password={PASSWORD.replace(' ', '+')}&next=//evil.example/",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert answer.headers["location"] == "/"


def test_signing_out_ends_the_session(guarded: TestClient) -> None:
    _login(guarded, PASSWORD)
    assert guarded.get("/").status_code == 200
    assert guarded.post("/logout").status_code == 303
    assert guarded.get("/").status_code == 303
