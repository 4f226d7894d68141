"""`python -m web` (what `ledger serve` runs): start the console, or refuse in one line.

On a loopback address the console may run open; on any other address it refuses to start
without a users file. The ledger is opened read-only before the server starts, so a wrong
URL or a role that may write is said at once, not at the first request.
"""

import argparse
import ipaddress
import logging
import os
import sys
from pathlib import Path

import uvicorn

from events.errors import LedgerError, UsageError
from events.i18n import _
from ledger.connect import DEFAULT_DB, masked
from web.app import ConsoleConfig, create_app

EXIT_REFUSED, EXIT_USAGE = 1, 2


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 or localhost: only this machine can reach the console."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="ledger serve", description=__doc__)
    parser.add_argument("--db", default=os.environ.get("LEDGER_DB", DEFAULT_DB))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--users", type=Path, default=os.environ.get("LEDGER_USERS") or None)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    if args.users is None and not is_loopback(args.host):
        print(
            "Error: "
            + _(
                "--host {host} is not a loopback address: give --users FILE (make it with "
                "ledger users add NAME --users FILE), or serve on 127.0.0.1"
            ).format(host=args.host),
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        app = create_app(ConsoleConfig(db=args.db, users_file=args.users))
    except UsageError as error:
        print(f"Error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except LedgerError as error:
        print(f"Error: {error}", file=sys.stderr)
        return EXIT_REFUSED
    logging.basicConfig(level=logging.INFO)
    where = f"http://{args.host}:{args.port}/"
    print(
        _("console of {db} at {where} (read only; Ctrl-C stops it)").format(
            db=masked(args.db), where=where
        ),
        file=sys.stderr,
    )
    uvicorn.run(app, host=args.host, port=args.port, server_header=False, log_level="info")
    return 0


if __name__ == "__main__":
    sys.exit(main())
