"""New event ids: time-ordered UUIDs (version 7, RFC 9562), so that the index grows at one end.

`events.event_id` is unique, so every append inserts each new id into its index. A random id
(version 4) lands on a random leaf of that index: once the index outgrows SQLite's page cache
every insert reads and dirties a page that is soon evicted again, and each commit writes as
many index pages as it has rows (a 1M-event bulk append ran at a third of the speed it had
with time-ordered ids, docs/performance.md). A version 7 id starts with the time in
milliseconds, so ids made one after another sort one after another and the index grows at its
right edge: the few pages there stay cached.

Layout (RFC 9562, section 5.7): 48 bits of Unix time in milliseconds, the version (7), 12 bits
`rand_a`, the variant (binary 10), 62 bits `rand_b`. `rand_a` holds the fraction of the
millisecond (section 6.2, method 3), and ids made by one process are strictly increasing even
within one tick of the clock or when the clock steps back (the 60-bit time field is then one
more than the last; section 6.2 lets an implementation run ahead of the clock this way).
`rand_b` comes from `os.urandom`, as `uuid.uuid4` does, so ids made by different processes at
the same instant still differ. The text is the canonical form every UUID reader takes (lower
case, hyphens), and the ids already stored (version 4) stay as they are: nothing compares
versions.
"""

import os
import threading
import time

_RAND_B_MASK = (1 << 62) - 1
_SUB_MS_STEPS = 1 << 12
"""`rand_a` counts the millisecond in 4,096 steps (about 244 ns each)."""
_VERSION_7 = 0x7 << 76
_VARIANT_RFC = 0b10 << 62

_lock = threading.Lock()
_last = 0
"""The 60-bit time field (milliseconds, then `rand_a`) of the last id this process made."""


def uuid7_text(unix_ms: int, rand_a: int, rand_b: int) -> str:
    """The canonical text of the version 7 UUID with these fields (48, 12 and 62 bits)."""
    value = (
        (unix_ms & 0xFFFF_FFFF_FFFF) << 80
        | _VERSION_7
        | (rand_a & 0xFFF) << 64
        | _VARIANT_RFC
        | (rand_b & _RAND_B_MASK)
    )
    digits = f"{value:032x}"
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


def new_event_id() -> str:
    """A new event id: a version 7 UUID, later than every id this process made before."""
    global _last
    nanoseconds = time.time_ns()
    field = (nanoseconds // 1_000_000) * _SUB_MS_STEPS + (
        nanoseconds % 1_000_000
    ) * _SUB_MS_STEPS // 1_000_000
    with _lock:
        if field <= _last:
            field = _last + 1
        _last = field
    rand_b = int.from_bytes(os.urandom(8), "big")
    return uuid7_text(field >> 12, field & 0xFFF, rand_b)
