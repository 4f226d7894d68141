"""The console's users file: one `name:argon2-hash` line per person who may sign in.

`ledger users add NAME` writes it (the password read without echo); `ledger serve --users
FILE` reads it. Passwords are hashed with Argon2id (argon2-cffi's defaults, the algorithm
OWASP's password storage cheat sheet puts first); the file holds no password, and is written
with mode 0600 all at once (a temporary file renamed over the old one).
"""

import os
import re
import tempfile
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from events.errors import UsageError
from events.i18n import _

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")
MIN_PASSWORD = 12
_HASHER = PasswordHasher()
_DUMMY = _HASHER.hash("not a password of anyone")


def read_users(path: Path) -> dict[str, str]:
    """The users file as {name: hash}; a missing or malformed file is a usage error."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(
            _(
                "users file {path} does not exist (make it: ledger users add NAME --users {path})"
            ).format(path=path)
        ) from None
    except OSError as error:
        raise UsageError(f"{path}: {error.strerror}") from None
    users: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        name, colon, hashed = line.partition(":")
        if not colon or not NAME.fullmatch(name) or not hashed.startswith("$argon2"):
            raise UsageError(
                _("users file {path}, line {number}: not a name:argon2-hash line").format(
                    path=path, number=number
                )
            )
        users[name] = hashed
    return users


def add_user(path: Path, name: str, password: str) -> bool:
    """Add `name` (or change its password); True when the name is new."""
    if not NAME.fullmatch(name):
        raise UsageError(
            _("user name {name!r}: use letters, digits and . _ @ - (at most 64)").format(name=name)
        )
    if len(password) < MIN_PASSWORD:
        raise UsageError(
            _("the password must have at least {count} characters").format(count=MIN_PASSWORD)
        )
    users = read_users(path) if path.exists() else {}
    new = name not in users
    users[name] = _HASHER.hash(password)
    lines = ["# ledger serve --users: name:argon2id hash (ledger users add NAME)"]
    lines += [f"{user}:{hashed}" for user, hashed in sorted(users.items())]
    folder = path.resolve().parent
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".users-")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write("\n".join(lines) + "\n")
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return new


def check_password(users: dict[str, str], name: str, password: str) -> bool:
    """True if `password` is `name`'s; an unknown name costs the same time as a wrong one."""
    hashed = users.get(name)
    try:
        return _HASHER.verify(hashed or _DUMMY, password) and hashed is not None
    except (VerificationError, InvalidHashError):
        return False
