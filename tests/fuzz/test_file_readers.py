"""Every file reader, fed hostile bytes at the edges: huge, empty, deep, wrong encoding.

Whatever the bytes, a plan import, an acts load or a measurements import ends with exit 1 or 2
and one line per problem (a measurements file names each bad row on its line), never a
traceback and never an internal error.
"""

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.badinput.conftest import run
from tests.fuzz import examples

READERS = settings(
    max_examples=examples(10),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

nested = st.integers(min_value=1, max_value=3000).map(lambda n: "[" * n + "]" * n)
hostile_text = st.one_of(
    st.text(max_size=200),
    nested,
    nested.map(lambda inner: '{"a": ' + inner + "}"),
    st.integers(min_value=1, max_value=400).map(lambda n: "a: " + "9" * n),
    st.sampled_from(["", "\ufeff", "a: &a [*a]", "{", "cycle: [", "- !!python/object:os.system"]),
    st.recursive(
        st.one_of(st.none(), st.integers(), st.text(max_size=8), st.floats()),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner),
        max_leaves=30,
    ).map(lambda value: json.dumps(value, allow_nan=True)),
)
encodings = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-be", "latin-1", "cp1252"])


def _bytes(text: str, encoding: str, chop: int) -> bytes:
    data = text.encode(encoding, errors="replace")
    return data[: len(data) - chop] if chop and len(data) > chop else data


@pytest.mark.parametrize("name", ["piano.yaml", "piano.json", "atti.yaml"])
@READERS
@given(text=hostile_text, encoding=encodings, chop=st.integers(min_value=0, max_value=1))
def test_a_hostile_document_is_one_line(
    tmp_path_factory: pytest.TempPathFactory, name: str, text: str, encoding: str, chop: int
) -> None:
    folder = tmp_path_factory.mktemp("doc")
    path = folder / name
    path.write_bytes(_bytes(text, encoding, chop))
    db = f"sqlite:///{folder / 'l.db'}"
    run("--db", db, "init")
    command = ("load", str(path)) if name.startswith("atti") else ("plan", "import", str(path))
    code, output = run("--db", db, *command)
    assert code in (1, 2), output
    assert "Traceback" not in output
    assert len([line for line in output.splitlines() if line.strip()]) == 1, output


@READERS
@given(
    rows=st.lists(
        st.lists(st.one_of(st.text(max_size=12), st.sampled_from(["1.1.1", "1e999", "9" * 80])),
                 max_size=6),
        max_size=8,
    ),
    encoding=encodings,
    chop=st.integers(min_value=0, max_value=1),
)  # fmt: skip
def test_a_hostile_measurements_csv_is_refused_without_a_trace(
    tmp_path_factory: pytest.TempPathFactory, rows: list[list[str]], encoding: str, chop: int
) -> None:
    folder = tmp_path_factory.mktemp("csv")
    text = "codice;valore;data\n" + "\n".join(";".join(row) for row in rows)
    path: Path = folder / "misure.csv"
    path.write_bytes(_bytes(text, encoding, chop))
    db = f"sqlite:///{folder / 'l.db'}"
    run("--db", db, "init")
    code, output = run("--db", db, "record", "measurements", str(path))
    assert code in (1, 2), output
    assert "Traceback" not in output
