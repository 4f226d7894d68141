"""`ledger serve` and `ledger users add`: who may start the console, and where."""

import os
import subprocess
from pathlib import Path

from formats.users import check_password, read_users


def _run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LEDGER_LANG": "en"}
    return subprocess.run(
        ["ledger", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_a_non_loopback_address_without_a_users_file_is_refused(tmp_path: Path) -> None:
    result = _run("--db", str(tmp_path / "ledger.db"), "serve", "--host", "0.0.0.0")  # noqa: S104
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().splitlines() == [
        "Error: --host 0.0.0.0 is not a loopback address: give --users FILE (make it with "
        "ledger users add NAME --users FILE), or serve on 127.0.0.1"
    ]


def test_a_missing_ledger_is_said_in_one_line_before_the_server_starts(tmp_path: Path) -> None:
    result = _run("--db", str(tmp_path / "none.db"), "serve", "--port", "8765")
    assert result.returncode == 1, result.stderr
    assert result.stderr.strip().splitlines() == [
        f"Error: no ledger at {tmp_path / 'none.db'} (create it with: ledger init)"
    ]


def test_users_add_keeps_an_argon2_hash_only_in_a_file_only_its_owner_reads(
    tmp_path: Path,
) -> None:
    users = tmp_path / "users.txt"
    result = _run(
        "users",
        "add",
        "oiv.rossi",
        "--users",
        str(users),
        "--password-stdin",
        stdin="una password lunga\n",
    )
    assert result.returncode == 0, result.stderr
    assert "una password lunga" not in users.read_text()
    assert users.stat().st_mode & 0o077 == 0
    hashes = read_users(users)
    assert hashes["oiv.rossi"].startswith("$argon2id$")
    assert check_password(hashes, "oiv.rossi", "una password lunga")
    assert not check_password(hashes, "oiv.rossi", "una password sbagliata")
    assert not check_password(hashes, "nessuno", "una password lunga")


def test_users_add_without_a_terminal_asks_for_password_stdin_and_writes_nothing(
    tmp_path: Path,
) -> None:
    users = tmp_path / "users.txt"
    result = _run("users", "add", "oiv.rossi", "--users", str(users), stdin="segreta\n")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "Error: no terminal to ask the password on: give it with --password-stdin"
    ]
    assert not users.exists()
