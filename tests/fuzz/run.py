"""Run the fuzz suite under the `fuzz` profile for a given time: the command developers run
before they stop (docs/bad-input.md, "Fuzzing").

    python -m tests.fuzz.run --minutes 20

Runs `pytest tests/fuzz` again and again with HYPOTHESIS_PROFILE=fuzz (random seeds, 10 times
the examples of the `ci` profile) on both backends (PostgreSQL at LEDGER_TEST_PG_URL), until
the time is up or a run fails; prints each run's outcome and a summary line. A failure prints
hypothesis's falsifying example and its reproduction blob: keep it as an explicit @example.
"""

import argparse
import os
import subprocess
import sys
import time


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=20.0, help="how long to fuzz (20)")
    parser.add_argument("pytest_args", nargs="*", help="more pytest arguments (-k ...)")
    options = parser.parse_args()
    deadline = time.monotonic() + options.minutes * 60
    env = {**os.environ, "HYPOTHESIS_PROFILE": "fuzz"}
    env.pop("CI", None)
    runs = 0
    started = time.monotonic()
    while time.monotonic() < deadline:
        runs += 1
        command = [sys.executable, "-m", "pytest", "-q", "-x", "tests/fuzz", *options.pytest_args]
        remaining = max(deadline - time.monotonic(), 1.0)
        try:
            done = subprocess.run(
                command, env=env, capture_output=True, text=True, check=False, timeout=remaining
            )
        except subprocess.TimeoutExpired as cut:
            # The time is up in the middle of a run: what it passed so far was clean.
            output = cut.stdout.decode() if isinstance(cut.stdout, bytes) else cut.stdout or ""
            passed = output.count(".")
            print(f"run {runs}: stopped at the deadline after {passed} tests, none failed")
            break
        last = (done.stdout.strip().splitlines() or ["(no output)"])[-1]
        print(f"run {runs}: exit {done.returncode}: {last}", flush=True)
        if done.returncode != 0:
            print(done.stdout[-6000:], done.stderr[-2000:], sep="\n")
            return 1
    minutes = (time.monotonic() - started) / 60
    print(f"fuzz: {runs} runs clean in {minutes:.1f} minutes (profile fuzz)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
