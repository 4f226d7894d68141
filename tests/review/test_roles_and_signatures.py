"""Who may act, and signed acts: a refused role, a missing, forged or revoked signature.

The cycle registers its actors first; from then on every act is checked against the registry,
and `ledger verify` checks every signature against the key in force at the row's seq.
"""

import stat
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from events.acts import ValidationRecorded
from ledger.connect import open_store
from ledger.records import NewEvent
from ledger.store import SqlEventStore
from projections import acts, measuring, registration
from projections.roles import RoleRefused
from projections.signatures import SigningKey
from tests.builders import STREAM, approved_cycle, year_2020
from tests.ledger.builders import execute_as_intruder, remove_protection
from tests.review.cycles import ADMIN, run

DAY = "30/04/2021"
ACTORS = {
    "controller-1": "controller",
    "segreteria": "giunta-secretariat",
    "oiv-1": "oiv",
    "segretario": "direzione",
}
REPORTED = (
    "record",
    "reported",
    "result",
    "96,67 %",
    "--document",
    "Relazione 2020",
    "--where",
    "sezione 3.1",
    "--date",
    "14/06/2021",
)


@pytest.fixture
def registered(db_url: str) -> Iterator[SqlEventStore]:
    """A cycle whose actors are registered by its administrator, with its plan approved."""
    store = open_store(db_url, create=True)
    registration.register_actor(store, STREAM, "admin", "administrator", date(2020, 1, 2), ADMIN)
    for name, role in ACTORS.items():
        registration.register_actor(store, STREAM, name, role, date(2020, 1, 2), ADMIN)
    approved_cycle(store)
    yield store
    store.close()


@pytest.fixture
def oiv_key(tmp_path: Path) -> Path:
    path = tmp_path / "oiv.pem"
    result = run("sqlite:///unused.db", "keys", "generate", "--out", str(path))
    assert result.exit_code == 0, result.output
    return path


def refused(store: SqlEventStore, url: str, *args: str, line: str, code: int = 1) -> None:
    """The command exits with `code`, prints exactly `line` on stderr, and writes nothing."""
    before = store.count()
    result = run(url, *args)
    assert result.exit_code == code, result.output
    assert result.stderr == f"Error: {line}\n"
    assert store.count() == before


def key_id(path: Path) -> str:
    return SigningKey.from_pem(path.read_text(), str(path)).key_id


def last_seq(store: SqlEventStore) -> int:
    head = store.head()
    assert head is not None
    return head.seq


# -- roles ---------------------------------------------------------------------------------------


def test_a_measurement_by_the_oiv_is_refused_naming_the_role_it_needs(
    registered: SqlEventStore, db_url: str
) -> None:
    refused(
        registered,
        db_url,
        "--actor",
        "oiv-1",
        "record",
        "measurement",
        "1.1.1",
        "95",
        "--date",
        DAY,
        line="MeasurementRecorded needs the role controller; 'oiv-1' is registered in "
        "test-ente/2020 as oiv",
    )


def test_an_approval_by_the_controller_is_refused_naming_the_role_it_needs(
    registered: SqlEventStore, db_url: str
) -> None:
    refused(
        registered,
        db_url,
        "--actor",
        "controller-1",
        "record",
        "approval",
        "relazione",
        "--date",
        "14/06/2021",
        line="ApprovalRecorded needs the role giunta-secretariat; 'controller-1' is "
        "registered in test-ente/2020 as controller",
    )


def test_an_unregistered_actor_is_refused(registered: SqlEventStore, db_url: str) -> None:
    refused(
        registered,
        db_url,
        "--actor",
        "stranger",
        "record",
        "measurement",
        "1.1.1",
        "95",
        "--date",
        DAY,
        line="actor 'stranger' is not registered in test-ente/2020 (an administrator "
        "registers it: ledger actors register stranger --as ROLE)",
    )


def test_a_role_stated_other_than_the_registered_one_is_refused(
    registered: SqlEventStore, db_url: str
) -> None:
    refused(
        registered,
        db_url,
        "--actor",
        "controller-1",
        "--role",
        "oiv",
        "record",
        "measurement",
        "1.1.1",
        "95",
        "--date",
        DAY,
        line="actor 'controller-1' is registered in test-ente/2020 as controller, not oiv",
    )


def test_the_registered_role_is_recorded_when_no_role_is_given(
    registered: SqlEventStore, db_url: str
) -> None:
    # `record reported` is usually the OIV's act; a registered controller may do it too.
    result = run(db_url, "--actor", "controller-1", *REPORTED)
    assert result.exit_code == 0, result.output
    head = registered.head()
    assert head is not None
    assert (head.type, head.actor, head.role) == (
        "ReportedFigureRecorded",
        "controller-1",
        "controller",
    )


def test_only_an_administrator_registers_actors(registered: SqlEventStore, db_url: str) -> None:
    refused(
        registered,
        db_url,
        "--actor",
        "oiv-1",
        "actors",
        "register",
        "mallory",
        "--as",
        "oiv",
        line="ActorRegistered needs the role administrator; 'oiv-1' is registered in "
        "test-ente/2020 as oiv",
    )


def test_the_first_actor_registered_is_an_administrator_registering_themselves(
    store: SqlEventStore, db_url: str
) -> None:
    refused(
        store,
        db_url,
        "--actor",
        "someone",
        "actors",
        "register",
        "controller-1",
        "--as",
        "controller",
        "--cycle",
        "nuovo/2021",
        line="the first actor registered in a cycle is an administrator registering "
        "themselves (ledger --actor NAME actors register NAME --as administrator), not "
        "'controller-1' as controller",
    )


def test_an_unknown_role_is_a_usage_error(registered: SqlEventStore, db_url: str) -> None:
    result = run(db_url, "--actor", "admin", "actors", "register", "x", "--as", "boss")
    assert result.exit_code == 2, result.output
    assert (
        "'boss' is not a role (controller, direzione, giunta-secretariat, oiv, publisher, "
        "administrator)" in result.stderr
    )


def test_actors_list_shows_the_registry(registered: SqlEventStore, db_url: str) -> None:
    result = run(db_url, "actors", "list", "--format", "csv")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "actor,role,display_name,seq,key_id"
    assert lines[1] == "admin,administrator,,1,"
    assert len(lines) == 1 + 1 + len(ACTORS)


def test_the_use_case_refuses_a_role_with_the_same_message(registered: SqlEventStore) -> None:
    with pytest.raises(RoleRefused) as raised:
        measuring.record_measurement(
            registered,
            STREAM,
            "1.1.1",
            Decimal(95),
            None,
            year_2020(),
            date(2021, 4, 30),
            acts.Actor("oiv-1", "oiv"),
        )
    assert str(raised.value) == (
        "MeasurementRecorded needs the role controller; 'oiv-1' is registered in test-ente/2020 "
        "as oiv"
    )


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
    second = tmp_path / "oiv-2.pem"
    assert run(db_url, "keys", "generate", "--out", str(second)).exit_code == 0
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
