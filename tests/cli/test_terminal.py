"""The cruscotto on a real terminal (tmux): it fits 80 and 200 columns and shows every figure.

`ledger replay` of the reference runs in a tmux pane of the given width, as a controller would
run it; the test reads the screen back. No line may be wider than the terminal (nothing wraps),
and the strategic table must show every figure the Relazione prints in its table 3.1, row by
row, typed here from the document. One figure differs on purpose: the document prints 90,00 %
for Competitività delle imprese, whose weighted sum is 90,40 % (the reference's known rounding,
reference/sondrio-2020-cruscotto.yaml); the ledger shows what the events give.
"""

import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

LEDGER = str(Path(sys.executable).with_name("ledger"))

# Relazione sulla Performance 2020, 3.1: risultato misurato, target PP 2020, % raggiungimento,
# valutazione sintetica, in the document's order.
STRATEGIC_TABLE = [
    ("97,20", "80,00", "100,00", "Eccellente"),  # Competitività del territorio
    ("90,40", "80,00", "100,00", "Eccellente"),  # Competitività delle imprese (printed 90,00)
    ("97,60", "80,00", "100,00", "Eccellente"),  # Qualità dei processi
    ("100,00", "80,00", "100,00", "Eccellente"),  # Misurazione dei costi dei processi
    ("100,00", "80,00", "100,00", "Eccellente"),  # Trasparenza, comunicazione, opportunità
    ("100,00", "80,00", "100,00", "Eccellente"),  # Customer Satisfaction
    ("100,00", "80,00", "100,00", "Eccellente"),  # Valorizzazione professionalità interne
    ("70,00", "100,00", "70,00", "Adeguata"),  # Utilizzo ottimale delle risorse
    ("100,00", "100,00", "100,00", "Eccellente"),  # Massimizzazione risorse promozionali
]
ROW = re.compile(r"(\d+,\d\d) %\s+(\d+,\d\d) %\s+(\d+,\d\d) %\s+(Eccellente|Adeguata|\w+)")

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


@pytest.fixture(scope="module")
def reference_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('terminal') / 'sondrio.db'}"
    subprocess.run(
        [LEDGER, "--db", url, "example", "sondrio-2020", "--no-show"],
        check=True,
        capture_output=True,
    )
    return url


def on_screen(command: list[str], columns: int, tmp_path: Path) -> list[str]:
    """What a tmux pane `columns` wide shows after the command ran (its whole scrollback)."""
    socket = f"ledger-test-{uuid.uuid4().hex[:8]}"
    config = tmp_path / "tmux.conf"
    config.write_text("set -g history-limit 50000\n", encoding="utf-8")
    tmux = ["tmux", "-L", socket, "-f", str(config)]
    script = tmp_path / "run.sh"
    script.write_text(
        "export PAGER=cat LEDGER_LANG=it TERM=xterm\n"
        + " ".join(f"'{part}'" for part in command)
        + f"\ntmux -L {socket} wait-for -S done\nsleep 30\n",
        encoding="utf-8",
    )
    subprocess.run(
        [*tmux, "new-session", "-d", "-x", str(columns), "-y", "50", f"sh {script}"],
        check=True,
    )
    try:
        subprocess.run([*tmux, "wait-for", "done"], check=True, timeout=120)
        shown = subprocess.run(
            [*tmux, "capture-pane", "-p", "-J", "-S", "-", "-E", "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        subprocess.run([*tmux, "kill-server"], check=False, capture_output=True)
    return shown.rstrip("\n").split("\n")


@pytest.mark.parametrize("columns", [80, 200])
def test_replay_fits_the_terminal_and_shows_the_strategic_table(
    reference_db: str, columns: int, tmp_path: Path
) -> None:
    replay = [LEDGER, "--db", reference_db, "replay", "--as-of", "30/06/2021"]
    lines = on_screen(replay, columns, tmp_path)
    too_wide = [line for line in lines if len(line) > columns]
    assert not too_wide, f"{len(too_wide)} lines wider than {columns}: {too_wide[:3]}"
    start = next(i for i, line in enumerate(lines) if line.startswith("Obiettivi strategici"))
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].strip())
    shown = [match.groups() for line in lines[start:end] if (match := ROW.search(line))]
    assert shown == STRATEGIC_TABLE
    assert any("Performance di ente: 96,67 % (Eccellente)" in line for line in lines)


def test_verify_shows_progress_on_a_terminal_and_nothing_in_a_pipe(
    reference_db: str, tmp_path: Path
) -> None:
    """On a terminal the spinner goes to stderr and leaves the screen clean (transient);
    piped, stderr carries nothing but errors."""
    lines = on_screen([LEDGER, "--db", reference_db, "verify"], 80, tmp_path)
    assert any(line.startswith("ok: 180 eventi controllati") for line in lines)
    piped = subprocess.run(
        [LEDGER, "--db", reference_db, "verify"],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "LEDGER_LANG": "en"},
        check=True,
    )
    assert piped.stderr == ""
    assert piped.stdout.startswith("ok: 180 events checked")


READS = {
    "history": ["history", "3.3.1"],
    "history --cycles": ["history", "3.3.1", "--cycles"],
    "audit": ["audit", "--as-of", "30/06/2021"],
    "diff": ["diff", "--from", "30/04/2021", "--to", "30/06/2021"],
    "trail": ["trail"],
    "log": ["log"],
    "plan show": ["plan", "show"],
    "actors list": ["actors", "list"],
}


@pytest.mark.parametrize("read", sorted(READS))
def test_every_read_fits_80_columns(reference_db: str, read: str, tmp_path: Path) -> None:
    """Not only the cruscotto: every table a reader opens on an 80-column terminal fits it,
    titles included (a line wider than the pane would wrap onto the next)."""
    lines = on_screen([LEDGER, "--db", reference_db, *READS[read]], 80, tmp_path)
    too_wide = [line for line in lines if len(line) > 80]
    assert not too_wide, f"{len(too_wide)} lines wider than 80: {too_wide[:2]}"
    assert not any(line.startswith(("Errore", "Error", "Uso:", "Usage:")) for line in lines)


@pytest.mark.parametrize("read", [["log", "--format", "json"], ["export-trail", "--format", "csv"]])
def test_a_reader_that_closes_the_pipe_stops_the_read_quietly(
    reference_db: str, read: list[str]
) -> None:
    """`ledger log | head`: when the reader stops reading, the command stops without a word
    (no internal error, no trace), exit 1, and the ledger still verifies."""
    running = subprocess.Popen(
        [LEDGER, "--db", reference_db, *read],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={"PATH": "/usr/bin:/bin", "LEDGER_LANG": "it"},
    )
    assert running.stdout is not None and running.stderr is not None
    assert running.stdout.read(10)
    running.stdout.close()
    errors = running.stderr.read().decode()
    running.stderr.close()
    assert running.wait(timeout=60) == 1
    assert errors == ""
    verify = subprocess.run([LEDGER, "--db", reference_db, "verify"], capture_output=True)
    assert verify.returncode == 0
