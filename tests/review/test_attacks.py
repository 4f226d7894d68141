"""Every attack of issue 10, as an attacker would try it, on SQLite and on PostgreSQL.

Each is refused at the append (nothing written) and, forged behind the store's back with a
correct hash, named by `ledger verify` with its seq: the rules of projections/authority.py are
the same on both paths.
"""

import base64
import json
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from typer.testing import Result

from events.acts import ValidationRecorded
from events.identity import ActorRegistered, KeyRegistered
from ledger.chain import link_hash, row_fields
from ledger.connect import open_store
from ledger.records import NewEvent
from ledger.store import SqlEventStore
from projections import registration
from projections.signatures import SigningKey
from tests.builders import STREAM, approved_cycle
from tests.ledger.builders import execute_as_intruder, remove_protection
from tests.review.cycles import ADMIN, run

ACTORS = {"controller-1": "controller", "oiv": "oiv", "segreteria": "giunta-secretariat"}
FORGED = ("record", "validation", "--act", "forged", "--date", "30/06/2021")


@pytest.fixture
def keys(tmp_path: Path) -> dict[str, Path]:
    """Private keys of the administrator, the OIV and the attacker, each in its own file."""
    made = {}
    for name in ("admin", "oiv", "mallory", "oiv-new"):
        path = tmp_path / f"{name}.pem"
        assert run("sqlite:///unused.db", "keys", "generate", "--out", str(path)).exit_code == 0
        made[name] = path
    return made


@pytest.fixture
def signed(db_url: str, keys: dict[str, Path]) -> Iterator[SqlEventStore]:
    """A registered cycle whose administrator and OIV hold keys, plan approved."""
    store = open_store(db_url, create=True)
    registration.register_actor(store, STREAM, "admin", "administrator", date(2020, 1, 2), ADMIN)
    for name, role in ACTORS.items():
        registration.register_actor(store, STREAM, name, role, date(2020, 1, 2), ADMIN)
    approved_cycle(store)
    relazione = ("record", "approval", "relazione", "--act", "delibera n. 40/GC")
    result = run(db_url, "--actor", "segreteria", *relazione, "--date", "14/06/2021")
    assert result.exit_code == 0, result.output
    for name in ("admin", "oiv"):
        result = run(db_url, "--actor", name, "--sign-key", str(keys[name]), "keys", "register")
        assert result.exit_code == 0, result.output
    yield store
    store.close()


def key(path: Path) -> SigningKey:
    return SigningKey.from_pem(path.read_text(), str(path))


def refused(store: SqlEventStore, result: Result, line: str) -> None:
    """Exit 1 with exactly `line` on stderr, and nothing written."""
    assert result.exit_code == 1, result.output
    assert result.stderr == f"Error: {line}\n"


def verify_names(url: str, *lines: str) -> None:
    result = run(url, "verify")
    assert result.exit_code == 1, result.output
    assert result.stderr == "".join(f"Error: {line}\n" for line in lines)


def require(url: str, keys: dict[str, Path]) -> None:
    signed_require = ("--actor", "admin", "--sign-key", str(keys["admin"]), "keys", "require")
    assert run(url, *signed_require, "--date", "01/02/2020").exit_code == 0


def behind_the_back(store: SqlEventStore, new: NewEvent) -> int:
    """Append with the store itself, past every rule of the use cases (a correct hash)."""
    [entry] = store.append(STREAM, [new], expected_version=store.stream_version(STREAM))
    return entry.seq


def forge_row(store: SqlEventStore, type_name: str, payload: str, actor: str, role: str) -> int:
    """Insert a row with raw SQL and a correctly recomputed hash: what an intruder can do."""
    head = store.head()
    assert head is not None
    seq, version = head.seq + 1, store.stream_version(STREAM) + 1
    event_id, recorded_at = str(uuid.uuid4()), head.row.recorded_at
    fields = row_fields(
        seq, event_id, STREAM, version, type_name, 1, "2021-06-30", recorded_at, actor, role,
        None, payload,
    )  # fmt: skip
    digest = link_hash(head.hash, fields)
    execute_as_intruder(
        store,
        "INSERT INTO events (seq, event_id, stream, version, type, schema_version, "
        "effective_date, recorded_at, actor, role, payload, prev_hash, hash) VALUES (:seq, :id, "
        ":stream, :version, :type, 1, '2021-06-30', :at, :actor, :role, :payload, :prev, :hash)",
        {
            "seq": seq, "id": event_id, "stream": STREAM, "version": version, "type": type_name,
            "at": recorded_at, "actor": actor, "role": role, "payload": payload,
            "prev": bytes.fromhex(head.hash), "hash": digest,
        },
    )  # fmt: skip
    return seq


# -- key takeover --------------------------------------------------------------------------------


def test_a_key_takeover_is_refused_and_the_forged_validation_too(
    signed: SqlEventStore, db_url: str, keys: dict[str, Path]
) -> None:
    before = signed.count()
    mallory = ("--actor", "oiv", "--sign-key", str(keys["mallory"]))
    oiv_key = key(keys["oiv"]).key_id
    refused(
        signed,
        run(db_url, *mallory, "keys", "register"),
        f"'oiv' holds key {oiv_key} in {STREAM}: a new key is registered by an act signed with "
        "it (--sign-key the key in force, --public-key the new one), or by an administrator's "
        "signed act with a reason",
    )
    refused(
        signed,
        run(db_url, *mallory, *FORGED),
        f"key {key(keys['mallory']).key_id} is not registered in {STREAM} (register it first: "
        "ledger keys register --sign-key FILE)",
    )
    assert signed.count() == before
    assert run(db_url, "verify").exit_code == 0


def test_a_key_takeover_forged_behind_the_store_is_named_by_verify(
    signed: SqlEventStore, db_url: str, keys: dict[str, Path]
) -> None:
    mallory = key(keys["mallory"])
    takeover = KeyRegistered(actor="oiv", key_id=mallory.key_id, public_key=mallory.public_key)
    seq = behind_the_back(
        signed, NewEvent(takeover, date(2021, 6, 1), "oiv", "oiv", signer=mallory.sign)
    )
    validation = NewEvent(
        ValidationRecorded(act="forged"), date(2021, 6, 30), "oiv", "oiv", signer=mallory.sign
    )
    forged = behind_the_back(signed, validation)
    verify_names(
        db_url,
        f"signature refused at seq {seq}: 'oiv' holds key {key(keys['oiv']).key_id} in {STREAM}: "
        "a new key is registered by an act signed with it (--sign-key the key in force, "
        "--public-key the new one), or by an administrator's signed act with a reason",
        f"signature refused at seq {forged}: key {mallory.key_id} is not registered in {STREAM} "
        "(register it first: ledger keys register --sign-key FILE)",
    )


def test_a_rotation_signed_with_the_key_in_force_and_a_recovery_by_the_administrator_pass(
    signed: SqlEventStore, db_url: str, keys: dict[str, Path]
) -> None:
    new = key(keys["oiv-new"])
    rotate = ("--actor", "oiv", "--sign-key", str(keys["oiv"]), "keys", "register")
    assert run(db_url, *rotate, "--public-key", new.public_key).exit_code == 0
    lost = key(keys["mallory"])  # the OIV lost the new key; the administrator gives another
    recover = ("--actor", "admin", "--sign-key", str(keys["admin"]), "keys", "register")
    recover += ("--for", "oiv", "--public-key", lost.public_key)
    refused(
        signed,
        run(db_url, *recover),
        "an administrator registering a key for 'oiv' gives the reason (--note)",
    )
    result = run(db_url, *recover, "--note", "chiave smarrita, verbale 12/2021")
    assert result.exit_code == 0, result.output
    assert run(db_url, "--actor", "oiv", "--sign-key", str(keys["mallory"]), *FORGED).exit_code == 0
    verified = run(db_url, "verify")
    assert verified.exit_code == 0, verified.output
    assert verified.stdout.rstrip().endswith("; 5 signatures valid")


def test_a_recovery_unsigned_or_by_another_role_is_refused(
    signed: SqlEventStore, db_url: str, keys: dict[str, Path]
) -> None:
    public = key(keys["mallory"]).public_key
    by_controller = ("--actor", "controller-1", "keys", "register", "--for", "oiv")
    refused(
        signed,
        run(db_url, *by_controller, "--public-key", public, "--note", "x"),
        "KeyRegistered of another actor's key needs the role administrator; 'controller-1' is "
        f"registered in {STREAM} as controller",
    )


# -- self-signed keys, stripped signatures -------------------------------------------------------


def test_a_self_signed_key_appended_behind_the_store_is_named_by_verify(
    signed: SqlEventStore, db_url: str, keys: dict[str, Path]
) -> None:
    require(db_url, keys)
    # The controller had no key; once signatures are required a first key needs the
    # administrator's signed act, so a self-signed one is forged.
    attempt = ("--actor", "controller-1", "--sign-key", str(keys["mallory"]), "keys", "register")
    result = run(db_url, *attempt)
    assert result.exit_code == 1
    assert "a first key is registered by an administrator's signed act" in result.stderr
    mallory = key(keys["mallory"])
    event = KeyRegistered(
        actor="controller-1", key_id=mallory.key_id, public_key=mallory.public_key
    )
    seq = behind_the_back(
        signed,
        NewEvent(event, date(2021, 6, 1), "controller-1", "controller", signer=mallory.sign),
    )
    verify_names(
        db_url,
        f"signature refused at seq {seq}: cycle {STREAM} requires signed acts since seq "
        f"{seq - 1}: a first key is registered by an administrator's signed act (ledger --actor "
        "ADMIN --sign-key FILE keys register --for controller-1 --public-key KEY --note REASON)",
    )
    digest = run(db_url, "digest").stdout.strip()
    assert run(db_url, "verify", "--digest", digest).exit_code == 1


def test_a_stripped_key_signature_is_named_by_verify(
    signed: SqlEventStore, db_url: str, keys: dict[str, Path]
) -> None:
    registered = signed.head()
    assert registered is not None and registered.type == "KeyRegistered"
    remove_protection(signed)
    execute_as_intruder(
        signed, "UPDATE events SET signature = NULL WHERE seq = :q", {"q": registered.seq}
    )
    verify_names(
        db_url,
        f"signature refused at seq {registered.seq}: key {key(keys['oiv']).key_id} is "
        "registered by signing with it: give its private key (--sign-key FILE or "
        "LEDGER_SIGNING_KEY)",
    )


# -- roles -----------------------------------------------------------------------------------------


def test_a_forged_role_behind_the_store_is_named_by_verify(
    signed: SqlEventStore, db_url: str
) -> None:
    validation = NewEvent(ValidationRecorded(act="x"), date(2021, 6, 30), "controller-1", "oiv")
    seq = behind_the_back(signed, validation)
    promotion = ActorRegistered(actor="controller-1", role="oiv")
    promoted = behind_the_back(
        signed, NewEvent(promotion, date(2021, 6, 30), "controller-1", "controller")
    )
    verify_names(
        db_url,
        f"role refused at seq {seq}: actor 'controller-1' is registered in {STREAM} as "
        "controller, not oiv",
        f"role refused at seq {promoted}: ActorRegistered needs the role administrator; "
        f"'controller-1' is registered in {STREAM} as controller",
    )


# -- forged appends with a valid hash --------------------------------------------------------------


def test_a_forged_append_with_a_valid_hash_is_caught_once_signatures_are_required(
    signed: SqlEventStore, db_url: str, keys: dict[str, Path]
) -> None:
    require(db_url, keys)
    seq = forge_row(
        signed, "ValidationRecorded", '{"act":"forged","subject":"relazione"}', "oiv", "oiv"
    )
    verify_names(
        db_url,
        f"signature refused at seq {seq}: cycle {STREAM} requires signed acts since seq "
        f"{seq - 1}: give --sign-key FILE or LEDGER_SIGNING_KEY",
    )


def test_a_forged_tail_with_a_valid_hash_is_caught_against_the_published_digest(
    db_url: str,
) -> None:
    store = open_store(db_url, create=True)
    try:
        approved_cycle(store)
        published = run(db_url, "digest").stdout.strip()
        last = store.head()
        assert last is not None
        remove_protection(store)
        execute_as_intruder(store, "DELETE FROM events WHERE seq = :q", {"q": last.seq})
        seq = forge_row(store, "ApprovalRecorded", last.payload.replace("5/GC", "6/GC"),
                        last.actor, last.role)  # fmt: skip
    finally:
        store.close()
    assert seq == last.seq
    assert run(db_url, "verify").exit_code == 0  # self-consistent: only the digest tells
    result = run(db_url, "verify", "--digest", published)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: chain broken at seq {seq}: the ledger no longer extends the digest: hash differs\n"
    )


# -- rows this code cannot read ------------------------------------------------------------------


def test_an_unknown_type_is_refused_at_append_and_named_by_verify(
    signed: SqlEventStore, db_url: str
) -> None:
    class Forged(ValidationRecorded):
        type_name = "MalloryRecorded"

    with pytest.raises(Exception, match="event type 'MalloryRecorded' v2 is unknown"):
        behind_the_back(signed, NewEvent(Forged(), date(2021, 6, 30), "oiv", "oiv"))
    seq = forge_row(signed, "MalloryRecorded", "{}", "oiv", "oiv")
    verify_names(
        db_url,
        f"payload refused at seq {seq}: event type 'MalloryRecorded' v1 is unknown to this "
        "version of the ledger",
    )
    # Every read passes over the row instead of failing; the audit and the trail show it.
    for read in (["replay", "--as-of", "30/06/2021"], ["plan", "show"], ["log"]):
        result = run(db_url, *read)
        assert result.exit_code == 0, result.output
    trail = run(db_url, "trail").stdout.splitlines()[-1]
    assert trail.startswith(str(seq)) and "unreadable event" in trail
    audit = run(db_url, "audit", "--as-of", "30/06/2021", "--format", "json")
    assert audit.exit_code == 0, audit.output
    unsound = [f for f in json.loads(audit.stdout)["findings"] if f["kind"] == "unsound"]
    assert [(f["seqs"], f["severity"]) for f in unsound] == [([seq], "alta")]


def test_a_payload_that_is_not_json_is_named_by_verify(signed: SqlEventStore, db_url: str) -> None:
    seq = forge_row(signed, "ValidationRecorded", "not json {", "oiv", "oiv")
    result = run(db_url, "verify")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"Error: payload refused at seq {seq}: a stored payload is not JSON"
    )


# -- the protection --------------------------------------------------------------------------------


def test_dropped_triggers_are_reported_by_verify(signed: SqlEventStore, db_url: str) -> None:
    remove_protection(signed)
    result = run(db_url, "verify")
    assert result.exit_code == 0, result.output  # the rows are sound; the guard is off
    report = result.stdout.splitlines()[-1]
    if signed.backend == "sqlite":
        assert report == (
            "append-only protection NOT in force: trigger events_refuse_update, trigger "
            "events_refuse_delete, trigger events_refuse_replace (the database no longer refuses "
            "UPDATE and DELETE; ledger init reinstalls it)"
        )
    else:
        assert report.startswith(
            "append-only protection NOT in force: trigger events_refuse_update_delete (disabled), "
            "trigger events_refuse_truncate (disabled)"
        )
    assert run(db_url, "init").exit_code == 0
    if signed.backend == "sqlite":  # PostgreSQL's disabled triggers stay disabled until enabled
        assert "NOT in force" not in run(db_url, "verify").stdout


def test_an_unregistered_public_key_is_a_usage_error(signed: SqlEventStore, db_url: str) -> None:
    bad = base64.b64encode(b"short").decode()
    result = run(db_url, "--actor", "admin", "keys", "register", "--public-key", bad)
    assert result.exit_code == 2
    assert "is not an Ed25519 public key" in result.stderr


def test_a_self_signed_key_whose_public_key_is_not_base64_is_named_not_a_crash(
    db_url: str, keys: dict[str, Path]
) -> None:
    store = open_store(db_url, create=True)
    try:
        approved_cycle(store)
        mallory = key(keys["mallory"])
        event = KeyRegistered(actor="oiv", key_id=mallory.key_id, public_key="not base64!")
        seq = behind_the_back(
            store, NewEvent(event, date(2021, 6, 1), "oiv", "oiv", signer=mallory.sign)
        )
    finally:
        store.close()
    verify_names(
        db_url,
        f"signature refused at seq {seq}: key {mallory.key_id} is not the id of the public key "
        "it registers",
    )
