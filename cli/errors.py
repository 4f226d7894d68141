"""The one error boundary: every failure becomes one line on stderr and an exit code.

- a refusal of the domain (`LedgerError`): exit 1;
- bad usage or a bad value (`UsageError`, click's usage errors, a model's refusal of a
  value): exit 2, in ONE line (click's own form is three: usage, hint, error);
- anything else is a bug: exit 70 (EX_SOFTWARE) with one line naming the command, the trace
  written to a log file (`LEDGER_LOG`, default `$XDG_STATE_HOME/ledger/errors.log`), or shown
  on the terminal with `--debug` / `LEDGER_DEBUG=1`. Never a stack on the terminal unasked;
- the reader of the output went away (`ledger log | head`): stop quietly, exit 1, as Python's
  own guidance for a closed pipe says; nothing was being written to the ledger by then that its
  transaction would not undo.
"""

import os
import sys
import tempfile
import traceback
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeGuard

import typer
from typer._click import exceptions as click_errors  # the click that typer vendors
from typer.core import TyperGroup

from cli.terminal import echo
from events.errors import LedgerError, UsageError
from events.i18n import _

if TYPE_CHECKING:
    from pydantic import ValidationError

EXIT_REFUSED = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70
"""EX_SOFTWARE of sysexits.h: an internal error, never the user's."""


def one_line(text: str) -> str:
    """`text` with every control or line-separating character escaped (`\\n`, `\\x1b`)."""
    if all(char.isprintable() or char == " " for char in text):
        return text
    return "".join(
        char if char.isprintable() or char == " " else char.encode("unicode_escape").decode("ascii")
        for char in text
    )


class OneLineUsageError(click_errors.ClickException):
    """A usage error shown as one line (`Error: ...`), exit 2."""

    exit_code = EXIT_USAGE

    def show(self, file: Any = None) -> None:
        echo(_("Error: {message}").format(message=one_line(self.format_message())), err=True)


def debugging(ctx: Any) -> bool:
    """Whether `--debug` or LEDGER_DEBUG=1 asked to see the trace of an internal error."""
    return bool(ctx.meta.get(DEBUG_KEY)) or os.environ.get("LEDGER_DEBUG", "") not in ("", "0")


DEBUG_KEY = "ledger.debug"
"""Where the root command keeps `--debug` (click's `Context.meta`, shared by the tree)."""


def log_path() -> Path:
    """Where the traces of internal errors go: LEDGER_LOG, else the XDG state folder."""
    given = os.environ.get("LEDGER_LOG")
    if given:
        return Path(given)
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "ledger" / "errors.log"


def _write_trace(command: str, error: BaseException) -> str:
    """Append the trace to the log; the place it went (a temporary file if the log cannot)."""
    text = "".join(traceback.format_exception(error))
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    entry = f"--- {stamp} ledger {command}\n{text}"
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as log:
            log.write(entry)
        return str(path)
    except OSError:
        with suppress(OSError):
            descriptor, name = tempfile.mkstemp(prefix="ledger-error-", suffix=".log")
            with os.fdopen(descriptor, "w", encoding="utf-8") as log:
                log.write(entry)
            return name
    return _("(no log could be written)")


def internal_error(command: str, error: BaseException) -> typer.Exit:
    """The one line of an unexpected failure, the trace kept in the log; exit 70."""
    where = _write_trace(command, error)
    reason = str(error).strip().splitlines()[0][:200] if str(error).strip() else ""
    kind = type(error).__name__ + (f": {reason}" if reason else "")
    return fail(
        _(
            "internal error in `ledger {command}` ({kind}); the trace is in {log} "
            "(or run again with --debug)"
        )
        .format(command=command or "", kind=kind, log=where)
        .replace("`ledger `", "`ledger`"),
        EXIT_INTERNAL,
    )


def reader_gone() -> typer.Exit:
    """Standard output's reader closed it (`| head`): no message, exit 1.

    What is still buffered for the closed pipe would fail again when the interpreter flushes
    it at exit; standard output is pointed at /dev/null first, so that it does not.
    """
    with suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    return typer.Exit(code=EXIT_REFUSED)


def fail(message: str, code: int = EXIT_REFUSED) -> typer.Exit:
    """Print `Error: message` on stderr, in one line, and return the Exit to raise.

    A value quoted in the message may hold a line end or another control character (a node
    code typed with a newline): it is shown escaped (`\\n`), so the error stays one line and
    nothing reaches the terminal as a control sequence.
    """
    echo(_("Error: {message}").format(message=one_line(message)), err=True)
    return typer.Exit(code=code)


class LedgerGroup(TyperGroup):
    """The root command group: translates every failure exactly once, at the boundary."""

    def make_context(
        self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any
    ) -> Any:
        for argument in args:
            refuse_undecodable(argument)
        with _usage_in_one_line():
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: Any) -> Any:
        words = [*getattr(ctx, "_protected_args", ()), *ctx.args]
        try:
            with _usage_in_one_line():
                return super().invoke(ctx)
        except UsageError as error:
            raise fail(str(error), EXIT_USAGE) from None
        except LedgerError as error:
            raise fail(str(error), EXIT_REFUSED) from None
        except (typer.Exit, typer.Abort, click_errors.ClickException):
            raise
        except SystemExit as exiting:
            # A library's own sys.exit (uvicorn exits 3 when it cannot bind its port): the
            # promise is exit 0, 1, 2 or 70, so any other code is a failure, exit 1.
            if exiting.code in (None, 0, EXIT_REFUSED, EXIT_USAGE, EXIT_INTERNAL):
                raise
            raise typer.Exit(code=EXIT_REFUSED) from None
        except KeyboardInterrupt:
            raise typer.Exit(code=130) from None
        except BrokenPipeError:
            raise reader_gone() from None
        except Exception as error:
            if _is_validation_error(error):
                from events.limits import validation_message

                raise fail(validation_message(error), EXIT_USAGE) from None
            if debugging(ctx):
                raise
            raise internal_error(self.command_named(ctx, words), error) from None

    def command_named(self, ctx: Any, words: list[str]) -> str:
        """The command the words name (`record measurement`), for the internal error's line."""
        names: list[str] = []
        current: Any = self
        for word in words:
            if not hasattr(current, "get_command"):
                break
            found = current.get_command(ctx, word)
            if found is None:
                break
            names.append(word)
            current = found
        return " ".join(names)


def _is_validation_error(error: Exception) -> "TypeGuard[ValidationError]":
    """A model's refusal of a value (pydantic's ValidationError), without importing pydantic:
    `ledger --help` never does, and a command that raises one has imported it already."""
    pydantic = sys.modules.get("pydantic")
    return pydantic is not None and isinstance(error, pydantic.ValidationError)


def refuse_undecodable(argument: str) -> None:
    """Refuse an argument holding bytes the terminal's encoding could not decode (Latin-1
    bytes in a UTF-8 session arrive as lone surrogates, which no file or database takes)."""
    if any("\udc80" <= char <= "\udcff" for char in argument):
        shown = argument.encode("utf-8", "surrogateescape").decode("latin-1")[:40]
        raise OneLineUsageError(
            _(
                "the argument {value!r} is not UTF-8 text (bytes in another encoding?): "
                "type it again in a UTF-8 terminal"
            ).format(value=shown)
        )


@contextmanager
def _usage_in_one_line() -> Iterator[None]:
    """Click's usage errors (bad option, missing argument, bad value) as one line, exit 2."""
    try:
        yield
    except click_errors.NoArgsIsHelpError:
        raise
    except click_errors.UsageError as error:
        from cli.click_words import usage_message

        raise OneLineUsageError(usage_message(error)) from None


@contextmanager
def refused_rows_reported() -> Iterator[None]:
    """Print every refused row on its own line, then the summary; exit 1 (nothing written)."""
    from formats.readers.sheets import RowsRefused  # openpyxl: only for the commands that read

    try:
        yield
    except RowsRefused as refused:
        for problem in refused.problems:
            echo(_("Error: {message}").format(message=problem.line()), err=True)
        raise fail(str(refused)) from None
