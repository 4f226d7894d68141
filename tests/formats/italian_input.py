"""What the tests of Italian input share: a refusal is one line, and its text."""

import re
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

from events.errors import UsageError

T = TypeVar("T")


def refusal(call: Callable[[str], object], text: str) -> str:
    """The message of the UsageError that `call(text)` raises, checked to be one line."""
    with pytest.raises(UsageError) as caught:
        call(text)
    message = str(caught.value)
    assert len(message.splitlines()) == 1
    return message


def outcome(call: Callable[[str], T], text: str) -> T | UsageError:
    """What `call(text)` returns, or the UsageError it raises; any other exception escapes."""
    try:
        return call(text)
    except UsageError as error:
        return error


def assert_one_line(result: object) -> None:
    if isinstance(result, UsageError):
        assert len(str(result).splitlines()) == 1


def assert_no_typer(source_path: str) -> None:
    """The module reads input for every front end, so it must not depend on the CLI's library."""
    source = Path(source_path).read_text(encoding="utf-8")
    imported = re.findall(r"^(?:from|import) ([\w.]+)", source, re.MULTILINE)
    assert imported
    assert not {name.split(".")[0] for name in imported} & {"typer", "click"}
