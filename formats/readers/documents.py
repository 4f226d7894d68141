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

_AMBIGUOUS = re.compile(r"^[+-]?\d{1,3}\.\d{3}$")


class _ExactLoader(yaml.SafeLoader):
    """A safe loader whose floats are exact Decimals."""


def _exact_float(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal:
    text = str(loader.construct_scalar(node)).replace("_", "")
    if _AMBIGUOUS.match(text):
        mark = node.start_mark
        raise UsageError(
            f"line {mark.line + 1}: {text} is ambiguous (an Italian reader sees a thousands dot): "
            f"write {text.replace('.', '')} or quote it"
        )
    try:
        return Decimal(text)
    except ArithmeticError:
        raise UsageError(f"line {node.start_mark.line + 1}: {text!r} is not a number") from None


_ExactLoader.add_constructor("tag:yaml.org,2002:float", _exact_float)


def load_document(path: Path) -> Any:
    """Load a YAML or JSON file; any problem is one line naming the file."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise UsageError(
            f"{path}: not a UTF-8 text file (a YAML or JSON plan was expected)"
        ) from None
    except OSError as error:
        raise UsageError(f"{path}: {error.strerror}") from None
    try:
        if path.suffix.lower() == ".json":
            return json.loads(text, parse_float=Decimal)
        return yaml.load(text, Loader=_ExactLoader)  # noqa: S506 - a SafeLoader subclass
    except UsageError as error:
        raise UsageError(f"{path}: {error}") from None
    except json.JSONDecodeError as error:
        raise UsageError(f"{path}: line {error.lineno}: {error.msg}") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise UsageError(f"{path}: {where}{problem}") from None
