"""The Italian catalog is complete and current: every message a person reads has its Italian.

The catalog is re-extracted from the code into a temporary folder with Babel (what
`python -m tools.catalog extract` does) and compared with the committed one, so that a message
added to the code without its translation, or a catalog not recompiled, fails here with the
message named.
"""

import subprocess
import sys
from pathlib import Path

from tools.catalog import ROOT, check


def test_every_message_has_its_italian_and_the_catalog_is_current() -> None:
    problems = check()
    assert not problems, "\n".join(
        [
            *problems,
            "fix: python -m tools.catalog extract && python -m tools.catalog update, "
            "translate, python -m tools.catalog compile",
        ]
    )


def test_italian_is_the_default_and_english_is_asked_for() -> None:
    """A refusal in the users' language unless they ask for English, by variable or option."""
    ledger = str(Path(sys.executable).with_name("ledger"))
    command = [ledger, "--db", "/nonexistent/none.db", "replay"]
    env_it = {"PATH": "/usr/bin:/bin", "LEDGER_LANG": "", "LANG": "C.UTF-8"}
    italian = subprocess.run(command, capture_output=True, text=True, env=env_it, cwd=ROOT)
    assert italian.returncode != 0
    assert italian.stderr.startswith("Errore: nessun ledger in /nonexistent/none.db")
    english = subprocess.run(
        [*command[:3], "--lang", "en", *command[3:]],
        capture_output=True,
        text=True,
        env=env_it,
        cwd=ROOT,
    )
    assert english.stderr.startswith("Error: no ledger at /nonexistent/none.db")
    by_lang = subprocess.run(
        command, capture_output=True, text=True, env={**env_it, "LANG": "en_GB.UTF-8"}, cwd=ROOT
    )
    assert "no ledger at" in by_lang.stderr


def test_every_event_type_has_a_label_for_tables() -> None:
    """Tables and pages name an event type in words; JSON and CSV keep its stored name."""
    import events.acts
    import events.cycle
    import events.identity
    import events.measurement
    import events.oversight
    import events.plan  # noqa: F401
    from events.i18n import set_language
    from events.labels import EVENT_LABELS, event_label
    from events.registry import known_types

    assert set(known_types()) <= set(EVENT_LABELS)
    set_language("it")
    try:
        assert event_label("MeasurementRecorded") == "misura registrata"
        assert event_label("ApprovalRecorded") == "approvazione registrata"
    finally:
        set_language("en")
    assert event_label("MeasurementRecorded") == "measurement recorded"
