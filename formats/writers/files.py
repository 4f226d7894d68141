"""Every file a command writes goes through here: never over the ledger, never over a file unasked.

A write lands whole or not at all: the bytes go to a temporary file in the target's folder
(same file system, so the rename is atomic), are flushed to disk, and the temporary file then
takes the target's name with `os.replace`. A crash, a full disk or a refusal leaves the target
as it was. The ledger's own files (the SQLite database and its `-wal`, `-shm` and `-journal`
companions) are never a target, even with `--force`: the comparison is on resolved paths and
on the file itself (a hard link or a symbolic link to the ledger is the ledger).
"""

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from events.errors import UsageError
from events.i18n import _

SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")


def ledger_files(database: Path | None) -> list[Path]:
    """The files that are the ledger at `database` (a SQLite file), companions included."""
    if database is None:
        return []
    return [database.with_name(database.name + suffix) for suffix in SQLITE_COMPANIONS]


def _same_file(a: Path, b: Path) -> bool:
    if a.resolve() == b.resolve():
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def check_target(path: Path, *, force: bool, protected: Iterable[Path] = ()) -> None:
    """Refuse a target that is the ledger, or an existing file when `force` is not given."""
    for guarded in protected:
        if _same_file(path, guarded):
            raise UsageError(
                _(
                    "{path} is the ledger itself: a command never writes over the ledger it "
                    "reads (choose another --output)"
                ).format(path=path)
            )
    if path.is_dir():
        raise UsageError(_("{path} is a folder: give a file name").format(path=path))
    if path.exists() and not force:
        raise UsageError(_("{path} exists already: add --force to replace it").format(path=path))
    if not path.absolute().parent.is_dir():
        raise UsageError(f"{path}: {os.strerror(errno.ENOENT)}")


def write_files(
    files: Mapping[Path, bytes], *, force: bool, protected: Iterable[Path] = ()
) -> None:
    """Write every file of `files`, all or none, after checking each target (see above)."""
    guarded = list(protected)
    for path in files:
        check_target(path, force=force, protected=guarded)
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files.items():
            staged.append((_staged(path, data), path))
        for temporary, path in staged:
            os.replace(temporary, path)
    except OSError as error:
        raise UsageError(
            _("{path}: {reason}").format(
                path=next(iter(files)), reason=error.strerror or str(error)
            )
        ) from None
    finally:
        for temporary, _path in staged:
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()


def write_file(path: Path, data: bytes, *, force: bool, protected: Iterable[Path] = ()) -> None:
    """Write one file whole or not at all (see `write_files`)."""
    write_files({path: data}, force=force, protected=protected)


def write_file_chunks(
    path: Path, chunks: Iterable[bytes], *, force: bool, protected: Iterable[Path] = ()
) -> None:
    """Write one file from its pieces, whole or not at all: memory holds one piece at a time
    (a whole ledger's export); the pieces go to a temporary file that replaces `path` last."""
    check_target(path, force=force, protected=list(protected))
    temporary: Path | None = None
    try:
        temporary = _staged(path, chunks)
        os.replace(temporary, path)
    except OSError as error:
        raise UsageError(
            _("{path}: {reason}").format(path=path, reason=error.strerror or str(error))
        ) from None
    finally:
        if temporary is not None:
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()


def _staged(path: Path, data: bytes | Iterable[bytes]) -> Path:
    """`data` in a new temporary file beside `path`, flushed to disk, with the usual mode."""
    folder = path.absolute().parent
    descriptor, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    temporary = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as file:
            for piece in [data] if isinstance(data, bytes) else data:
                file.write(piece)
            file.flush()
            os.fsync(file.fileno())
        umask = os.umask(0)
        os.umask(umask)
        temporary.chmod(0o666 & ~umask)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        raise
    return temporary
