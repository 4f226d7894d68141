"""The cyclic garbage collector paused around work that makes many objects and no cycles.

An append allocates several objects per event (the dumps, the row, the returned entry) and a
replay a few thousand per cycle (events, nodes, figures, rows); none of them is part of a
reference cycle, so reference counting frees them all. The cyclic collector, triggered by the
count of allocations, would only walk every live object again and again: about a seventh of
a bulk append's time and a tenth of a full replay's, measured (docs/performance.md).
"""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic collection inside the block; switched back on when it ends, however it ends.

    When the collector was already off (a caller's own pause, or an embedding application's
    choice) it is left alone, so pauses nest.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
