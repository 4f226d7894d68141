"""A writer process for the concurrency test: kept apart so that a spawned child imports little.

Each writer appends `count` events, alternating between a stream shared by every writer (where
it retries on ConcurrencyConflict, re-reading the version as a real caller would) and a stream
of its own; every third event goes in as a two-stream batch through `append_batches`.
"""

from multiprocessing.synchronize import Event

from ledger.connect import open_store
from ledger.errors import ConcurrencyConflict
from tests.ledger.builders import reopened

SHARED = "shared/2020"


def own_stream(writer: int) -> str:
    return f"writer-{writer}/2020"


def marker(writer: int, number: int) -> str:
    return f"w{writer}-{number}"


def write_events(url: str, writer: int, count: int, start: Event) -> None:
    """Append `count` events marked w{writer}-{n}, starting when every writer is ready."""
    store = open_store(url)
    try:
        start.wait()
        number = 0
        while number < count:
            if number % 3 == 2 and number + 1 < count:
                pair = [
                    (SHARED, reopened(marker(writer, number))),
                    (own_stream(writer), reopened(marker(writer, number + 1))),
                ]
                while True:
                    try:
                        store.append_batches(
                            [(stream, [new], store.stream_version(stream)) for stream, new in pair]
                        )
                        break
                    except ConcurrencyConflict:
                        continue
                number += 2
                continue
            stream = SHARED if number % 2 == 0 else own_stream(writer)
            new = reopened(marker(writer, number))
            while True:
                try:
                    store.append(stream, [new], expected_version=store.stream_version(stream))
                    break
                except ConcurrencyConflict:
                    continue
            number += 1
    finally:
        store.close()
