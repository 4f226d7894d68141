"""Who may act: a role refused by the registry, an unregistered actor, a stated role.

The cycle registers its actors first; from then on every act is checked against the registry.
"""

from datetime import date
from decimal import Decimal

import pytest

from ledger.store import SqlEventStore
from projections import acts, measuring
from projections.roles import RoleRefused
from tests.builders import STREAM, year_2020
from tests.review.cycles import run
from tests.review.registered import ACTORS, DAY, REPORTED, refused

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
