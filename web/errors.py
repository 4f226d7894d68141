"""What a request can do wrong, said in one line that names the value at fault."""

from events.i18n import _


class PageError(Exception):
    """A request the console answers with an error page (400 or 404), never a traceback."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def not_found(what: str) -> PageError:
    return PageError(404, what)


def bad_request(what: str) -> PageError:
    return PageError(400, what)


def unknown_cycle(cycle: str) -> PageError:
    return not_found(_("the cycle {cycle} is not in this ledger").format(cycle=cycle))


def unknown_page(path: str) -> PageError:
    return not_found(_("the page {path} does not exist").format(path=path))
