"""Properties of the hash chain, on stored rows held in memory (pure: no database).

The chains here are built by `reference_hash`, an independent writing of the recipe in
docs/integrity.md, so that `verify_rows` is checked against the documentation and not only
against itself.
"""

import hashlib
from dataclasses import astuple, replace
from datetime import UTC
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.chain import GENESIS, RowHasher, link_hash
from ledger.records import StoredRow
from ledger.verify import Digest, verify_rows

HASHED_TEXT = (
    "event_id",
    "stream",
    "type",
    "effective_date",
    "recorded_at",
    "actor",
    "role",
    "idempotency_key",
    "payload",
)
HASHED_NUMBERS = ("version", "schema_version")
HASHES = ("hash", "prev_hash")


def reference_hash(row: StoredRow, prev: bytes) -> bytes:
    """docs/integrity.md, step by step: 13 length-framed parts, SHA-256, 32 raw bytes."""
    parts = [
        prev.hex(),
        str(row.seq),
        row.event_id,
        row.stream,
        str(row.version),
        row.type,
        str(row.schema_version),
        row.effective_date,
        row.recorded_at,
        row.actor,
        row.role,
        row.idempotency_key or "",
        row.payload,
    ]
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8")
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.digest()


text = st.text(max_size=12)
row_contents = st.fixed_dictionaries(
    {
        "event_id": st.uuids().map(str),
        "stream": st.sampled_from(["cciaa-so/2020", "cciaa-so/2021", "comune-so/2020"]),
        "type": st.sampled_from(["CycleOpened", "MeasurementRecorded", "CycleClosed"]),
        "schema_version": st.integers(1, 3),
        "effective_date": st.dates().map(lambda d: d.isoformat()),
        "recorded_at": st.datetimes(timezones=st.just(UTC)).map(
            lambda t: t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        ),
        "actor": text,
        "role": text,
        "payload": st.text(max_size=40).map(lambda s: f'{{"note":{s!r}}}'),
        "idempotency_key": st.none() | st.text(min_size=1, max_size=12),
    }
)


def build_chain(contents: list[dict[str, object]]) -> list[StoredRow]:
    rows: list[StoredRow] = []
    prev = GENESIS
    versions: dict[object, int] = {}
    for seq, fields in enumerate(contents, start=1):
        versions[fields["stream"]] = versions.get(fields["stream"], 0) + 1
        row = StoredRow(
            seq=seq,
            version=versions[fields["stream"]],
            prev_hash=prev,
            hash=b"",
            signature=None,
            **fields,  # type: ignore[arg-type]
        )
        row = replace(row, hash=reference_hash(row, prev))
        rows.append(row)
        prev = row.hash
    return rows


ledgers = st.lists(row_contents, min_size=1, max_size=6).map(build_chain)


@given(rows=ledgers)
def test_the_appends_hasher_writes_the_documented_hash(rows: list[StoredRow]) -> None:
    # One hasher for the whole chain, as one transaction uses it: the fields it frames once
    # and reuses (stream, type, dates, actor, role) must not leak from one row into another.
    hasher = RowHasher()
    for row in rows:
        written = hasher.row_hash(astuple(row))
        assert written == row.hash == reference_hash(row, row.prev_hash)


@given(rows=ledgers)
def test_a_chain_built_by_the_documented_recipe_verifies(rows: list[StoredRow]) -> None:
    verdict = verify_rows(rows)

    assert verdict.ok, verdict.reason
    assert verdict.checked == len(rows)
    assert verdict.head == Digest(len(rows), rows[-1].hash.hex())


def flip_character(value: str, position: int) -> str:
    # Flipping the lowest bit of a code point never lands in the surrogate range (it is
    # aligned on an even boundary), so the result is still text a database can store.
    flipped = chr(ord(value[position]) ^ 1)
    return value[:position] + flipped + value[position + 1 :]


def flip_bit(value: bytes, position: int, bit: int) -> bytes:
    changed = bytearray(value)
    changed[position] ^= 1 << bit
    return bytes(changed)


@settings(max_examples=300)
@given(rows=ledgers, data=st.data())
def test_changing_any_byte_breaks_the_chain_at_that_seq(
    rows: list[StoredRow], data: st.DataObject
) -> None:
    index = data.draw(st.integers(0, len(rows) - 1), label="row")
    row = rows[index]
    candidates = (
        [name for name in HASHED_TEXT if getattr(row, name)] + list(HASHED_NUMBERS) + list(HASHES)
    )
    field = data.draw(st.sampled_from(candidates), label="field")
    value = getattr(row, field)
    if field in HASHES:
        changed: Any = flip_bit(value, data.draw(st.integers(0, 31)), data.draw(st.integers(0, 7)))
    elif field in HASHED_NUMBERS:
        changed = value + data.draw(st.sampled_from([-1, 1, 10]))
    else:
        changed = flip_character(value, data.draw(st.integers(0, len(value) - 1)))
    tampered = [*rows[:index], replace(row, **{field: changed}), *rows[index + 1 :]]

    verdict = verify_rows(tampered)

    assert verdict.broken_seq == row.seq
    assert verdict.checked == index


@given(rows=ledgers, data=st.data())
def test_digest_detects_truncation(rows: list[StoredRow], data: st.DataObject) -> None:
    published = Digest(rows[-1].seq, rows[-1].hash.hex())
    kept = data.draw(st.integers(0, len(rows) - 1), label="rows kept")

    assert verify_rows(rows[:kept]).ok
    verdict = verify_rows(rows[:kept], digest=published)

    assert verdict.broken_seq == kept + 1
    assert "cut short" in (verdict.reason or "")


@given(rows=ledgers, data=st.data())
def test_a_ledger_extends_every_digest_it_ever_published(
    rows: list[StoredRow], data: st.DataObject
) -> None:
    seq = data.draw(st.integers(0, len(rows)), label="digest seq")
    published = Digest(seq, rows[seq - 1].hash.hex() if seq else GENESIS.hex())

    assert verify_rows(rows, digest=published).ok


@given(rows=ledgers, data=st.data())
def test_a_digest_the_ledger_never_had_is_refused(
    rows: list[StoredRow], data: st.DataObject
) -> None:
    seq = data.draw(st.integers(0, len(rows) + 2), label="digest seq")
    true_hash = GENESIS if seq == 0 else rows[seq - 1].hash if seq <= len(rows) else None
    other = data.draw(
        st.binary(min_size=32, max_size=32).filter(lambda h: h != true_hash), label="hash"
    )

    assert not verify_rows(rows, digest=Digest(seq, other.hex())).ok


@given(
    parts=st.lists(st.binary(max_size=6), min_size=2, max_size=5),
    data=st.data(),
)
def test_moving_bytes_between_fields_changes_the_hash(
    parts: list[bytes], data: st.DataObject
) -> None:
    # The length framing: the same bytes split differently between fields never hash alike.
    whole = b"".join(parts)
    cuts = sorted(
        data.draw(
            st.lists(st.integers(0, len(whole)), min_size=len(parts) - 1, max_size=len(parts) - 1)
        )
    )
    other = [whole[a:b] for a, b in zip([0, *cuts], [*cuts, len(whole)], strict=True)]

    if other != parts:
        assert link_hash(GENESIS.hex(), parts) != link_hash(GENESIS.hex(), other)
    else:
        assert link_hash(GENESIS.hex(), parts) == link_hash(GENESIS.hex(), other)


@given(rows=ledgers)
def test_the_bulk_appends_hash_is_the_documented_hash(rows: list[StoredRow]) -> None:
    # The append's own path: the envelope framed once per combination, the payload as the
    # canonical encoding's bytes; one hasher for the whole chain, as in one transaction.
    hasher = RowHasher()
    for row in rows:
        envelope = (
            row.type, row.schema_version, row.effective_date, row.recorded_at, row.actor, row.role,
        )  # fmt: skip
        written = hasher.chain_hash(
            row.prev_hash, row.seq, row.event_id, row.stream, row.version, envelope,
            row.idempotency_key, row.payload.encode("utf-8"),
        )  # fmt: skip
        assert written == row.hash == reference_hash(row, row.prev_hash)
