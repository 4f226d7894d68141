"""The limits of every file reader: size, nesting, expansion, inflated size; one line each.

A reader never trusts a file to be small, finite or shallow. `/dev/zero` given as a plan is
refused after reading `MAX_DOCUMENT_BYTES + 1` bytes, not read until the kernel kills us; a
473-byte YAML "billion laughs" (aliases of aliases) is measured as the tree it stands for and
refused before anything walks it; a zip bomb posing as an .xlsx is refused from its directory
before a byte is inflated. The limits are documented in docs/bad-input.md.
"""

import io
import zipfile
from pathlib import Path
from typing import Any

from events.errors import UsageError
from events.i18n import _

MAX_DOCUMENT_BYTES = 16 * 1024 * 1024
"""A plan or acts file (YAML/JSON): the largest real one is under 200 KB."""

MAX_TABLE_BYTES = 64 * 1024 * 1024
"""A measurements or plan spreadsheet / CSV file, as stored on disk."""

MAX_XLSX_UNCOMPRESSED = 256 * 1024 * 1024
"""The sum of a workbook's members once inflated (its XML): the zip bomb's measure."""

MAX_XLSX_LOADED = 32 * 1024 * 1024
"""The same for a workbook loaded whole (the plan workbook, whose merged cells need it):
openpyxl holds every cell as an object, some 30 times the XML's size."""

MAX_XLSX_RATIO = 200
"""Inflated size over stored size of one member; real sheets compress 5-20 times."""

MAX_DEPTH = 64
"""Nesting of a YAML/JSON document: a plan tree of ten levels nests about 30 deep."""

MAX_NODES = 1_000_000
"""Values a YAML/JSON document stands for once every alias is expanded."""

MIB = 1024 * 1024


def read_at_most(path: Path, limit: int, expected: str) -> bytes:
    """The file's bytes, refusing a file larger than `limit` without reading past it."""
    try:
        with path.open("rb") as file:
            data = file.read(limit + 1)
    except FileNotFoundError:
        raise UsageError(_("{path}: no such file").format(path=path)) from None
    except IsADirectoryError:
        raise UsageError(
            _("{path}: is a folder, not {expected}").format(path=path, expected=expected)
        ) from None
    except OSError as error:
        raise UsageError(f"{path}: {error.strerror}") from None
    if len(data) > limit:
        raise UsageError(
            _("{path}: larger than {limit} MiB, the limit for {expected}").format(
                path=path, limit=limit // MIB, expected=expected
            )
        )
    return data


def check_workbook_size(path: Path, data: bytes, *, streamed: bool) -> None:
    """Refuse a workbook whose members would inflate beyond the limits (read from the zip's
    directory; a directory that lies is caught by zipfile's own size check while reading)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return  # openpyxl refuses it in one line (sheets.open_workbook)
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > MAX_XLSX_RATIO * max(member.compress_size, 1024):
            raise UsageError(
                _("{path}: {member} inflates {ratio} times (a zip bomb?): not read").format(
                    path=path,
                    member=member.filename[:80],
                    ratio=member.file_size // max(member.compress_size, 1),
                )
            )
    limit = MAX_XLSX_UNCOMPRESSED if streamed else MAX_XLSX_LOADED
    if total > limit:
        raise UsageError(
            _("{path}: {size} MiB once uncompressed, over the limit of {limit} MiB").format(
                path=path, size=total // MIB, limit=limit // MIB
            )
        )


def too_deep(where: str) -> UsageError:
    """The refusal of a document nested deeper than MAX_DEPTH."""
    return UsageError(
        _("{where}: nested more than {limit} levels deep").format(where=where, limit=MAX_DEPTH)
    )


def check_shape(data: Any, where: str) -> None:
    """Refuse a loaded document nested deeper than MAX_DEPTH, standing for more than
    MAX_NODES values, or containing itself; shared parts (YAML aliases) are visited once."""
    sizes: dict[int, tuple[int, int]] = {}  # id -> (depth, expanded size) of a finished node
    open_ids: set[int] = set()
    stack: list[tuple[Any, bool]] = [(data, False)]
    while stack:
        node, done = stack.pop()
        if not isinstance(node, dict | list):
            continue
        key = id(node)
        children = list(node.values()) if isinstance(node, dict) else node
        if done:
            open_ids.discard(key)
            depth, size = 1, 1
            for child in children:
                if isinstance(child, dict | list):
                    below, count = sizes[id(child)]
                    depth, size = max(depth, below + 1), size + count
                else:
                    size += 1
            if depth > MAX_DEPTH:
                raise too_deep(where)
            if size > MAX_NODES:
                raise UsageError(
                    _(
                        "{where}: stands for more than {limit} values once its aliases are "
                        "expanded (an alias bomb?)"
                    ).format(where=where, limit=f"{MAX_NODES:,}".replace(",", "."))
                )
            sizes[key] = (depth, size)
            continue
        if key in sizes:
            continue
        if key in open_ids:
            raise UsageError(_("{where}: an alias refers to itself").format(where=where))
        if len(open_ids) > MAX_DEPTH:
            raise too_deep(where)
        open_ids.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in children)
