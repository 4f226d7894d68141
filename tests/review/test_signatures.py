"""Signed acts: a key file, a missing, forged, stripped or revoked signature.

`ledger verify` checks every signature against the key the actor held at the row's seq.
"""

import stat
from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from events.acts import ValidationRecorded
from ledger.records import NewEvent
from ledger.store import SqlEventStore
from projections.signatures import SigningKey
from tests.builders import STREAM
from tests.ledger.builders import execute_as_intruder, remove_protection
from tests.review.cycles import run
from tests.review.registered import DAY, REPORTED, generate_key, key_id, last_seq, refused

# -- keys ----------------------------------------------------------------------------------------


def test_a_generated_private_key_is_readable_only_by_its_owner(oiv_key: Path) -> None:
    assert stat.S_IMODE(oiv_key.stat().st_mode) == 0o600
    assert oiv_key.read_text().startswith("-----BEGIN PRIVATE KEY-----")


def test_a_key_is_never_overwritten(oiv_key: Path) -> None:
    result = run("sqlite:///unused.db", "keys", "generate", "--out", str(oiv_key))
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        f"Error: {oiv_key} exists already: a key is never overwritten (choose another --out)\n"
    )


def test_a_key_file_others_can_read_is_a_usage_error(
    registered: SqlEventStore, db_url: str, oiv_key: Path
) -> None:
    oiv_key.chmod(0o644)
    refused(
        registered,
        db_url,
        "--actor",
        "oiv-1",
        "--sign-key",
        str(oiv_key),
        "keys",
        "register",
        code=2,
        line=f"key file {oiv_key} can be read by others (mode 0644): chmod 600 {oiv_key}",
    )


def test_a_key_is_registered_only_with_its_private_half(
    registered: SqlEventStore, db_url: str
) -> None:
    refused(
        registered,
        db_url,
        "--actor",
        "oiv-1",
        "keys",
        "register",
        code=2,
        line="give the key to register: --sign-key FILE or LEDGER_SIGNING_KEY",
    )


# -- signatures ----------------------------------------------------------------------------------


def register_key(url: str, key: Path, actor: str = "oiv-1") -> None:
    result = run(url, "--actor", actor, "--sign-key", str(key), "keys", "register")
    assert result.exit_code == 0, result.output
    assert result.stdout.rstrip().endswith("signed")


def test_signed_acts_verify_and_verify_counts_them(
    registered: SqlEventStore, db_url: str, oiv_key: Path
) -> None:
    register_key(db_url, oiv_key)
    result = run(db_url, "--actor", "oiv-1", "--sign-key", str(oiv_key), *REPORTED)
    assert result.exit_code == 0, result.output
    head = registered.head()
    assert head is not None
    assert head.signature is not None
    assert head.signature.startswith(f"ed25519:{key_id(oiv_key)}:")
    verified = run(db_url, "verify")
    assert verified.exit_code == 0, verified.output
    assert verified.stdout.rstrip().endswith("; 2 signatures valid")


def test_the_key_may_come_from_the_environment_as_pem_text(
    registered: SqlEventStore, db_url: str, oiv_key: Path
) -> None:
    from cli.app import app

    result = CliRunner().invoke(
        app,
        ["--db", db_url, "--actor", "oiv-1", "keys", "register"],
        env={"LEDGER_SIGNING_KEY": oiv_key.read_text()},
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert "KeyRegistered" in result.stdout


def test_an_unsigned_act_by_an_actor_holding_a_key_is_refused(
    registered: SqlEventStore, db_url: str, oiv_key: Path
) -> None:
    register_key(db_url, oiv_key)
    refused(
        registered,
        db_url,
        "--actor",
        "oiv-1",
        *REPORTED,
        line=f"'oiv-1' holds key {key_id(oiv_key)} in test-ente/2020: sign the act "
        "(--sign-key FILE or LEDGER_SIGNING_KEY)",
    )


def test_an_unsigned_act_is_refused_once_the_cycle_requires_signatures(
    registered: SqlEventStore, db_url: str
) -> None:
    result = run(db_url, "--actor", "admin", "keys", "require", "--date", "01/02/2020")
    assert result.exit_code == 0, result.output
    required = last_seq(registered)
    refused(
        registered,
        db_url,
        "--actor",
        "controller-1",
        "record",
        "measurement",
        "1.1.1",
        "95",
        "--date",
        DAY,
        line=f"cycle test-ente/2020 requires signed acts since seq {required}: give "
        "--sign-key FILE or LEDGER_SIGNING_KEY",
    )


def test_a_key_signing_for_another_actor_is_refused(
    registered: SqlEventStore, db_url: str, oiv_key: Path
) -> None:
    register_key(db_url, oiv_key)
    refused(
        registered,
        db_url,
        "--actor",
        "controller-1",
        "--sign-key",
        str(oiv_key),
        "record",
        "measurement",
        "1.1.1",
        "95",
        "--date",
        DAY,
        line=f"key {key_id(oiv_key)} belongs to 'oiv-1', not 'controller-1'",
    )


def test_a_forged_signature_is_named_by_verify(
    registered: SqlEventStore, db_url: str, oiv_key: Path
) -> None:
    register_key(db_url, oiv_key)
    assert run(db_url, "--actor", "oiv-1", "--sign-key", str(oiv_key), *REPORTED).exit_code == 0
    registration, act = last_seq(registered) - 1, last_seq(registered)
    stolen = registered.entry(seq=registration)
    assert stolen is not None
    # An intruder copies a real signature of the same key onto another row.
    remove_protection(registered)
    execute_as_intruder(
        registered,
        "UPDATE events SET signature = :s WHERE seq = :q",
        {"s": stolen.signature, "q": act},
    )
    result = run(db_url, "verify")
    assert result.exit_code == 1, result.output
    assert result.stderr == (
        f"Error: signature refused at seq {act}: its signature does not match its hash "
        f"(key {key_id(oiv_key)})\n"
    )


def test_a_stripped_signature_is_named_by_verify(
    registered: SqlEventStore, db_url: str, oiv_key: Path
) -> None:
    register_key(db_url, oiv_key)
    registration = last_seq(registered)
    assert run(db_url, "--actor", "oiv-1", "--sign-key", str(oiv_key), *REPORTED).exit_code == 0
    act = last_seq(registered)
    remove_protection(registered)
    execute_as_intruder(registered, "UPDATE events SET signature = NULL WHERE seq = :q", {"q": act})
    result = run(db_url, "verify")
    assert result.exit_code == 1, result.output
    assert registration == act - 1
    assert result.stderr == (
        f"Error: signature refused at seq {act}: 'oiv-1' holds key {key_id(oiv_key)} in "
        "test-ente/2020: sign the act (--sign-key FILE or LEDGER_SIGNING_KEY)\n"
    )


def test_a_revoked_key_cannot_sign_a_later_act(
    registered: SqlEventStore, db_url: str, oiv_key: Path
) -> None:
    register_key(db_url, oiv_key)
    kid = key_id(oiv_key)
    result = run(db_url, "--actor", "admin", "keys", "revoke", kid, "--reason", "laptop lost")
    assert result.exit_code == 0, result.output
    revoked = last_seq(registered)
    refused(
        registered,
        db_url,
        "--actor",
        "oiv-1",
        "--sign-key",
        str(oiv_key),
        *REPORTED,
        line=f"key {kid} of 'oiv-1' is no longer in force in test-ente/2020 "
        f"(revoked: laptop lost, seq {revoked})",
    )


def test_a_signature_by_a_revoked_key_is_named_by_verify(
    registered: SqlEventStore, db_url: str, oiv_key: Path
) -> None:
    register_key(db_url, oiv_key)
    kid = key_id(oiv_key)
    assert run(db_url, "--actor", "admin", "keys", "revoke", kid, "--reason", "lost").exit_code == 0
    revoked = last_seq(registered)
    # Written around the use cases, straight through the store's own signer hook.
    key = SigningKey.from_pem(oiv_key.read_text(), "oiv key")
    validation = ValidationRecorded(act="verbale n. 3/2021")
    [entry] = registered.append(
        STREAM,
        [NewEvent(validation, date(2021, 6, 30), "oiv-1", "oiv", signer=key.sign)],
        expected_version=registered.stream_version(STREAM),
    )
    result = run(db_url, "verify")
    assert result.exit_code == 1, result.output
    assert result.stderr == (
        f"Error: signature refused at seq {entry.seq}: key {kid} of 'oiv-1' is no longer in "
        f"force in test-ente/2020 (revoked: lost, seq {revoked})\n"
    )


def test_signatures_made_before_a_revocation_still_verify(
    registered: SqlEventStore, db_url: str, oiv_key: Path
) -> None:
    register_key(db_url, oiv_key)
    assert run(db_url, "--actor", "oiv-1", "--sign-key", str(oiv_key), *REPORTED).exit_code == 0
    kid = key_id(oiv_key)
    revoke = ("--actor", "oiv-1", "--sign-key", str(oiv_key), "keys", "revoke", kid)
    assert run(db_url, *revoke, "--reason", "rotated").exit_code == 0
    result = run(db_url, "verify")
    assert result.exit_code == 0, result.output
    assert result.stdout.rstrip().endswith("; 3 signatures valid")


def test_a_new_key_replaces_the_one_the_actor_held(
    registered: SqlEventStore, db_url: str, oiv_key: Path, tmp_path: Path
) -> None:
    register_key(db_url, oiv_key)
    second = generate_key(tmp_path / "oiv-2.pem")
    # Rotation: the act that registers the new key is signed with the key in force.
    new_public = SigningKey.from_pem(second.read_text(), str(second)).public_key
    rotate = ("--actor", "oiv-1", "--sign-key", str(oiv_key), "keys", "register")
    result = run(db_url, *rotate, "--public-key", new_public)
    assert result.exit_code == 0, result.output
    listed = run(db_url, "keys", "list", "--format", "csv").stdout.splitlines()
    assert [line.split(",")[0] for line in listed[1:]] == [key_id(oiv_key), key_id(second)]
    assert listed[1].endswith(f",replaced by {key_id(second)}")
    refused(
        registered,
        db_url,
        "--actor",
        "oiv-1",
        "--sign-key",
        str(oiv_key),
        *REPORTED,
        line=f"key {key_id(oiv_key)} of 'oiv-1' is no longer in force in test-ente/2020 "
        f"(replaced by {key_id(second)}, seq {last_seq(registered)})",
    )


def test_a_missing_key_file_is_a_usage_error(
    registered: SqlEventStore, db_url: str, tmp_path: Path
) -> None:
    missing = tmp_path / "nope.pem"
    refused(
        registered,
        db_url,
        "--actor",
        "oiv-1",
        "--sign-key",
        str(missing),
        *REPORTED,
        code=2,
        line=f"key file {missing} does not exist (make one: ledger keys generate --out FILE)",
    )
