"""The one way the command line prints: every line through `terminal_text`, so that text from
the ledger (titles, rationales, evidence, actor names) can never drive the terminal.

An escape sequence stored in a title (`ESC ] 0;pwned BEL` renames the window, others clear or
rewrite the screen) is printed as `\\x1b]0;pwned\\x07`, visible and inert; JSON stays valid,
since its encoder already escapes C0 controls and `\\x9b`-style codes are shown the same way.
"""

import typer

from formats.inert import terminal_text


def echo(message: str | bytes = "", *, err: bool = False, nl: bool = True) -> None:
    """Print `message` (on stderr with `err`) with control characters made visible.

    Bytes (a CSV or an HTML page sent to standard output) are UTF-8 text to the terminal.
    """
    text = message.decode("utf-8", errors="replace") if isinstance(message, bytes) else message
    typer.echo(terminal_text(text), err=err, nl=nl)
