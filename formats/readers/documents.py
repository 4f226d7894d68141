"""Reading the users' YAML and JSON files, with numbers read exactly as written.

YAML turns `35.87` into a float and `1.400` into 1.4: the loader here keeps every number's
text and makes a Decimal of it, and refuses a bare number with a dot and exactly three
decimals, which an Italian reader means as a thousands separator (write 1400 or "1.400").
"""

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from events.errors import UsageError
from events.i18n import _
from formats.readers.bounded import MAX_DOCUMENT_BYTES, check_shape, read_at_most, too_deep

_AMBIGUOUS = re.compile(r"^[+-]?\d{1,3}\.\d{3}$")


_SAFE: type[yaml.SafeLoader] = (
    yaml.CSafeLoader if getattr(yaml, "__with_libyaml__", False) else yaml.SafeLoader  # type: ignore[assignment]
)
"""libyaml's safe loader where PyYAML was built with it (several times faster), else PyYAML's."""


class _ExactLoader(_SAFE):  # type: ignore[valid-type,misc]
    """A safe loader whose floats are exact Decimals (libyaml's parser where present)."""


class _ExplainingLoader(yaml.SafeLoader):
    """PyYAML's own parser, run again on a file libyaml refused, for its clearer message."""


def _exact_float(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal:
    text = str(loader.construct_scalar(node)).replace("_", "")
    if _AMBIGUOUS.match(text):
        mark = node.start_mark
        raise UsageError(
            _(
                "line {line}: {text} is ambiguous (an Italian reader sees a thousands dot): write "
                "{text2} or quote it"
            ).format(line=mark.line + 1, text=text, text2=text.replace(".", ""))
        )
    try:
        return Decimal(text)
    except ArithmeticError:
        raise UsageError(
            _("line {line}: {text} is not a number").format(
                line=node.start_mark.line + 1, text=repr(text)
            )
        ) from None


def _real_date(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    """A YAML date that is a real day (2020-02-31 matches YAML's pattern, and no calendar)."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        raise UsageError(
            _("line {line}: {text} is not a real date").format(
                line=node.start_mark.line + 1, text=str(node.value)[:40]
            )
        ) from None


_ExactLoader.add_constructor("tag:yaml.org,2002:float", _exact_float)
_ExactLoader.add_constructor("tag:yaml.org,2002:timestamp", _real_date)
_ExplainingLoader.add_constructor("tag:yaml.org,2002:float", _exact_float)
_ExplainingLoader.add_constructor("tag:yaml.org,2002:timestamp", _real_date)


def _load_yaml(text: str) -> Any:
    """The document; a refusal worded by PyYAML's parser whichever parser read it."""
    try:
        return yaml.load(text, Loader=_ExactLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        if _SAFE is yaml.SafeLoader or "maximum nesting depth" in str(error):
            raise
        yaml.load(text, Loader=_ExplainingLoader)  # noqa: S506 - raises the same refusal
        raise


def load_document(path: Path) -> Any:
    """Load a YAML or JSON file; any problem is one line naming the file.

    The file is read up to MAX_DOCUMENT_BYTES, and what it stands for is measured before any
    caller walks it (formats/readers/bounded.py): depth, aliases expanded, self-reference.
    """
    data = read_at_most(path, MAX_DOCUMENT_BYTES, _("a YAML or JSON file"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UsageError(
            _(
                "{path}: not a UTF-8 text file (byte {offset}; a YAML or JSON plan was expected)"
            ).format(path=path, offset=error.start)
        ) from None
    try:
        if path.suffix.lower() == ".json":
            loaded = json.loads(text, parse_float=Decimal, parse_int=_bounded_int)
        else:
            loaded = _load_yaml(text)
    except RecursionError:
        raise too_deep(str(path)) from None
    except UsageError as error:
        raise UsageError(f"{path}: {error}") from None
    except json.JSONDecodeError as error:
        raise UsageError(
            _("{path}: line {lineno}: {msg}").format(path=path, lineno=error.lineno, msg=error.msg)
        ) from None
    except yaml.YAMLError as error:
        if "maximum nesting depth" in str(error):  # libyaml's own limit (1000 levels)
            raise too_deep(str(path)) from None
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        shown = (
            _("{path}: line {lineno}: {msg}").format(path=path, lineno=mark.line + 1, msg=problem)
            if mark is not None
            else f"{path}: {problem}"
        )
        raise UsageError(shown[:300]) from None
    check_shape(loaded, str(path))
    return loaded


def _bounded_int(text: str) -> int:
    """JSON integers of at most 40 digits (int() of a long string is quadratic, and none of
    ours is longer): the value limits proper are checked where the value enters."""
    if len(text.lstrip("-")) > 40:
        raise UsageError(_("{text}...: a number of more than 40 digits").format(text=text[:20]))
    return int(text)
