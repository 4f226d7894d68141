"""Timing and peak memory of one benchmark step, without slowing the step down.

Peak memory is the process's peak resident set size during the step: Linux lets a process
reset its own high-water mark (`/proc/self/clear_refs`, value 5), so each step is measured
on its own. tracemalloc would see only Python allocations and would slow allocation-heavy
code several-fold, which would falsify the throughput figures measured in the same run.
https://www.kernel.org/doc/html/latest/filesystems/proc.html (clear_refs, VmHWM)
"""

import os
import resource
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")


def _status_kb(name: str) -> int | None:
    try:
        for line in _STATUS.read_text().splitlines():
            if line.startswith(name + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def reset_peak() -> bool:
    """Reset the peak RSS to the current RSS; False where the kernel does not allow it."""
    try:
        _CLEAR_REFS.write_text("5")
    except OSError:
        return False
    return True


def peak_rss_mb() -> float:
    """The peak resident set size since the last reset (or since start), in MiB."""
    hwm = _status_kb("VmHWM")
    if hwm is None:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return hwm / 1024


def rss_mb() -> float:
    """The current resident set size, in MiB."""
    current = _status_kb("VmRSS")
    return (current or 0) / 1024


@dataclass
class Step:
    """One measured step: how many events in how many seconds, and the memory it took."""

    name: str
    events: int = 0
    seconds: float = 0.0
    peak_rss_mb: float = 0.0
    start_rss_mb: float = 0.0
    peak_is_per_step: bool = True
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        """Events per second (0 when nothing was timed)."""
        return self.events / self.seconds if self.seconds > 0 else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "events": self.events,
            "seconds": round(self.seconds, 4),
            "events_per_s": round(self.rate, 1),
            "peak_rss_mb": round(self.peak_rss_mb, 1),
            "start_rss_mb": round(self.start_rss_mb, 1),
            "grew_during_step_mb": round(self.peak_rss_mb - self.start_rss_mb, 1),
            "peak_is_per_step": self.peak_is_per_step,
            **self.extra,
        }


class Stopwatch:
    """Accumulates only the timed sections of a step (generation and set-up stay outside)."""

    def __init__(self) -> None:
        self.seconds = 0.0

    @contextmanager
    def timing(self) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds += time.perf_counter() - start


@contextmanager
def measured(name: str, events: int = 0) -> Iterator[tuple[Step, Stopwatch]]:
    """Measure a step: the caller times its own sections with the stopwatch it is given."""
    step = Step(name, events, peak_is_per_step=reset_peak(), start_rss_mb=rss_mb())
    watch = Stopwatch()
    try:
        yield step, watch
    finally:
        step.seconds = watch.seconds
        step.peak_rss_mb = peak_rss_mb()
        # Other engineers' test runs share the 2 cores: the load says how noisy a figure is.
        step.extra["load_avg_1m"] = round(os.getloadavg()[0], 2)
