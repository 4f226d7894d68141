"""`ledger init`, `ledger verify` and `ledger digest`: exit codes and the exact lines printed.

Every error is one line on stderr that names the value at fault, with exit code 1 for a
refusal and 2 for bad usage; no command prints a traceback for a user's mistake.
"""

import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from typer.testing import CliRunner, Result

from cli.app import app
from events.cycle import CycleReopened
from ledger.connect import open_store
from ledger.records import NewEvent
from tests.ledger.test_merkle_properties import mth

GENESIS_HEX = "0" * 64
DIGEST_LINE = re.compile(
    r"^ledger-digest/2 seq=(\d+) sha256=([0-9a-f]{64}) tree_size=(\d+) root=([0-9a-f]{64})\n$"
)
EMPTY_TREE_ROOT = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
UNREACHABLE = "postgresql+psycopg://nobody@127.0.0.1:1/x"


def ledger(args: Sequence[str], env: dict[str, str] | None = None) -> Result:
    # catch_exceptions=False: a bug must fail the test with its traceback, not pass as exit 1.
    result = CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)
    assert "Traceback" not in result.output, result.output
    return result


def one_error_line(result: Result, code: int) -> str:
    """The single `Error: ...` line a failed command printed on stderr, after checking the code."""
    assert result.exit_code == code, result.output
    assert result.stdout == "", result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    return lines[0]


def shown(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def append_events(url: str, count: int) -> str:
    """Append `count` events through the store; return the head hash."""
    return append_hashes(url, count)[-1]


def append_hashes(url: str, count: int) -> list[str]:
    """Append `count` events through the store; return every event's hash, in seq order."""
    store = open_store(url)
    try:
        new = [
            NewEvent(CycleReopened(reason=f"r{n}"), date(2021, 4, 30), "controller", "controller")
            for n in range(count)
        ]
        return [entry.hash for entry in store.append("cciaa-so/2020", new, expected_version=0)]
    finally:
        store.close()


def tree_root(hashes: Sequence[str]) -> str:
    """RFC 9162 MTH over the events' hashes, as docs/integrity.md writes it (recursive form)."""
    return mth([bytes.fromhex(h) for h in hashes]).hex()


def digest_line(hashes: Sequence[str]) -> str:
    n = len(hashes)
    head = hashes[-1] if hashes else GENESIS_HEX
    return f"ledger-digest/2 seq={n} sha256={head} tree_size={n} root={tree_root(hashes)}"


# -- init ---------------------------------------------------------------------------------------


def test_init_creates_the_ledger_and_says_where(db_url: str) -> None:
    result = ledger(["--db", db_url, "init"])

    assert result.exit_code == 0, result.output
    assert result.stdout == f"ledger ready at {shown(db_url)} (0 events)\n"
    assert result.stderr == ""


def test_init_twice_is_safe_and_keeps_the_events(db_url: str) -> None:
    assert ledger(["--db", db_url, "init"]).exit_code == 0
    head = append_events(db_url, 2)

    again = ledger(["--db", db_url, "init"])

    assert again.exit_code == 0, again.output
    assert again.stdout == f"ledger ready at {shown(db_url)} (2 events)\n"
    assert ledger(["--db", db_url, "digest"]).stdout.startswith(
        f"ledger-digest/2 seq=2 sha256={head} tree_size=2 root="
    )


def test_init_accepts_a_plain_file_path(tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"

    result = ledger(["--db", str(path), "init"])

    assert result.exit_code == 0, result.output
    assert result.stdout == f"ledger ready at sqlite:///{path} (0 events)\n"
    assert path.exists()


def test_init_in_a_folder_that_does_not_exist_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    result = ledger(["--db", "sqlite:///no/such/folder/l.db", "init"])

    assert one_error_line(result, 2) == (
        "Error: 'sqlite:///no/such/folder/l.db': folder no/such/folder does not exist"
    )
    assert not (tmp_path / "no").exists()


# -- verify and digest --------------------------------------------------------------------------


def test_verify_prints_a_one_line_summary_and_exits_0(db_url: str) -> None:
    ledger(["--db", db_url, "init"])
    head = append_events(db_url, 3)

    result = ledger(["--db", db_url, "verify"])

    assert result.exit_code == 0, result.output
    assert result.stdout == f"ok: 3 events checked, head seq 3 sha256 {head}\n"
    assert result.stderr == ""


def test_verify_of_an_empty_ledger_passes(db_url: str) -> None:
    ledger(["--db", db_url, "init"])

    result = ledger(["--db", db_url, "verify"])

    assert result.exit_code == 0, result.output
    assert result.stdout == f"ok: 0 events checked, head seq 0 sha256 {GENESIS_HEX}\n"


def test_digest_prints_the_head_as_one_line_to_publish(db_url: str) -> None:
    ledger(["--db", db_url, "init"])
    hashes = append_hashes(db_url, 3)

    result = ledger(["--db", db_url, "digest"])

    assert result.exit_code == 0, result.output
    assert result.stdout == digest_line(hashes) + "\n"
    assert DIGEST_LINE.match(result.stdout)


def test_digest_of_an_empty_ledger_is_seq_0_and_the_genesis_hash(db_url: str) -> None:
    ledger(["--db", db_url, "init"])

    result = ledger(["--db", db_url, "digest"])

    assert result.stdout == (
        f"ledger-digest/2 seq=0 sha256={GENESIS_HEX} tree_size=0 root={EMPTY_TREE_ROOT}\n"
    )
    assert ledger(["--db", db_url, "verify", "--digest", result.stdout.strip()]).exit_code == 0


def test_verify_with_the_digest_it_printed_says_the_ledger_extends_it(db_url: str) -> None:
    ledger(["--db", db_url, "init"])
    head = append_events(db_url, 3)
    line = ledger(["--db", db_url, "digest"]).stdout.strip()

    result = ledger(["--db", db_url, "verify", "--digest", line])

    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"ok: 3 events checked, head seq 3 sha256 {head}; extends digest seq 3\n"
    )


def test_the_digest_is_read_from_the_environment_too(db_url: str) -> None:
    ledger(["--db", db_url, "init"])
    hashes = append_hashes(db_url, 1)

    result = ledger(["digest"], env={"LEDGER_DB": db_url})

    assert result.stdout == digest_line(hashes) + "\n"


@pytest.mark.parametrize(
    "line",
    [
        "garbage",
        "ledger-digest seq=3",
        f"ledger-digest seq=3 sha256={'A' * 64}",
        f"ledger-digest seq=-1 sha256={'0' * 64}",
        f"ledger-digest seq=3 sha256={'0' * 63}",
        f"ledger-digest seq=3 sha256={'0' * 64} extra",
    ],
)
def test_a_malformed_digest_line_is_a_usage_error(db_url: str, line: str) -> None:
    ledger(["--db", db_url, "init"])

    result = ledger(["--db", db_url, "verify", "--digest", line])

    assert one_error_line(result, 2) == (
        f"Error: {line!r} is not a digest line "
        "(expected: ledger-digest/2 seq=N sha256=<64 hex digits> tree_size=N "
        "root=<64 hex digits>, as `ledger digest` prints, or the older "
        "ledger-digest seq=N sha256=<64 hex digits>)"
    )


# -- a ledger that is not there, or a URL that is not one ----------------------------------------


@pytest.mark.parametrize("command", ["verify", "digest"])
def test_a_missing_sqlite_file_is_refused_and_not_created(tmp_path: Path, command: str) -> None:
    path = tmp_path / "missing.db"

    result = ledger(["--db", f"sqlite:///{path}", command])

    assert one_error_line(result, 1) == f"Error: no ledger at {path} (create it with: ledger init)"
    assert not path.exists()
    assert list(tmp_path.iterdir()) == []


def test_verify_without_db_looks_for_ledger_db_in_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LEDGER_DB", raising=False)

    result = ledger(["verify"])

    assert (
        one_error_line(result, 1) == "Error: no ledger at ledger.db (create it with: ledger init)"
    )
    assert list(tmp_path.iterdir()) == []


def test_verify_on_an_empty_database_says_to_run_init(db_url: str, backend: str) -> None:
    result = ledger(["--db", db_url, "verify"])

    where = db_url.removeprefix("sqlite:///") if backend == "sqlite" else shown(db_url)
    assert one_error_line(result, 1) == f"Error: no ledger at {where} (create it with: ledger init)"


@pytest.mark.parametrize("command", ["init", "verify", "digest"])
def test_an_unreachable_server_is_one_line_naming_the_url(command: str) -> None:
    result = ledger(["--db", UNREACHABLE, command])

    line = one_error_line(result, 1)
    assert line.startswith(f"Error: cannot use the database {UNREACHABLE}: "), line


@pytest.mark.parametrize(
    ("url", "code"),
    [
        pytest.param("postgresql+psycopg://nobody:s3cret@127.0.0.1:1/x", 1, id="unreachable"),
        pytest.param("notadialect://nobody:s3cret@127.0.0.1/x", 2, id="unsupported"),
        pytest.param("sqlite://nobody:s3cret@/", 2, id="memory"),
    ],
)
def test_a_password_in_the_url_never_appears_in_an_error(url: str, code: int) -> None:
    # Error lines end up in terminals, CI logs and tickets: they must not carry credentials.
    result = ledger(["--db", url, "verify"])

    line = one_error_line(result, code)
    assert "s3cret" not in line


def test_an_unsupported_database_is_a_usage_error() -> None:
    result = ledger(["--db", "notadialect://x", "init"])

    assert one_error_line(result, 2) == (
        "Error: 'notadialect://x': unsupported database 'notadialect' (use sqlite or postgresql)"
    )


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "Error: the database URL is empty (try sqlite:///ledger.db)"),
        (
            "sqlite://",
            "Error: 'sqlite://': the ledger needs a SQLite file, not a memory database",
        ),
        (
            "sqlite:///:memory:",
            "Error: 'sqlite:///:memory:': the ledger needs a SQLite file, not a memory database",
        ),
    ],
)
def test_a_url_that_names_no_file_is_a_usage_error(url: str, message: str) -> None:
    assert one_error_line(ledger(["--db", url, "init"]), 2) == message


@pytest.mark.parametrize(
    "url",
    ["postgresql+psycopg://nobody@127.0.0.1:port/x", "postgresql+psycopg://nobody@[::1/x"],
)
def test_a_url_that_does_not_parse_is_a_usage_error_naming_it(url: str) -> None:
    line = one_error_line(ledger(["--db", url, "verify"]), 2)

    assert url in line
