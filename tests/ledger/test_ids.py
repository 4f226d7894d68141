"""New event ids are version 7 UUIDs (RFC 9562): valid UUIDs, in the order they were made."""

import threading
import time
import uuid
from datetime import date

from events.acts import ValidationRecorded
from ledger.ids import new_event_id, uuid7_text
from ledger.records import NewEvent


def test_the_fields_are_laid_out_as_in_the_rfc_example() -> None:
    # RFC 9562, appendix A.6: unix_ts_ms 0x017F22E279B0, rand_a 0xCC3, rand_b 0x18C4DC0C0C07398F.
    text = uuid7_text(0x017F22E279B0, 0xCC3, 0x18C4DC0C0C07398F)
    assert text == "017f22e2-79b0-7cc3-98c4-dc0c0c07398f"


def test_a_new_id_is_a_canonical_version_7_uuid_of_this_moment() -> None:
    before = time.time_ns() // 1_000_000
    text = new_event_id()
    after = time.time_ns() // 1_000_000
    parsed = uuid.UUID(text)
    assert str(parsed) == text
    assert parsed.version == 7
    assert parsed.variant == uuid.RFC_4122
    assert before <= parsed.int >> 80 <= after + 1  # +1: a run of ids may run ahead by a tick


def test_ids_made_one_after_another_sort_in_that_order() -> None:
    made = [new_event_id() for _ in range(20_000)]
    assert made == sorted(made)
    assert len(set(made)) == len(made)


def test_ids_made_by_several_threads_are_all_different() -> None:
    made: list[list[str]] = [[] for _ in range(4)]

    def make(into: list[str]) -> None:
        into.extend(new_event_id() for _ in range(5_000))

    threads = [threading.Thread(target=make, args=(into,)) for into in made]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    every = [text for into in made for text in into]
    assert len(set(every)) == len(every) == 20_000
    assert all(into == sorted(into) for into in made)


def test_a_new_event_gets_a_time_ordered_id_unless_the_caller_gives_one() -> None:
    def new(**given: str) -> NewEvent:
        return NewEvent(
            ValidationRecorded(act="verbale OIV n. 3"),
            effective_date=date(2021, 6, 25),
            actor="oiv@cciaa-so",
            role="oiv",
            **given,
        )

    first, second = new(), new()
    assert uuid.UUID(first.event_id).version == 7
    assert first.event_id < second.event_id
    chosen = "3f2b8c1e-4d5a-4b6c-9e7f-0a1b2c3d4e5f"
    assert new(event_id=chosen).event_id == chosen
