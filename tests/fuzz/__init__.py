"""Fuzz tests: hypothesis over every command, every act's fields and every file reader.

Under the `ci` profile (CI=true) they draw the same examples on every run; under `fuzz`
(HYPOTHESIS_PROFILE=fuzz, or `python -m tests.fuzz.run --minutes 20`) many more, with random
seeds. `examples(n)` is the number a test draws: n, or FUZZ_FACTOR (10) times n under `fuzz`.
"""

import os

FUZZ_FACTOR = 10


def examples(n: int) -> int:
    """How many examples a fuzz test draws under the active profile."""
    return n * FUZZ_FACTOR if os.environ.get("HYPOTHESIS_PROFILE") == "fuzz" else n
