"""Refusals of acts checked against the state of the cycle; each names the value at fault."""

from datetime import date

from events.errors import LedgerError
from events.i18n import _


class ActRefused(LedgerError):
    """An act that the state of the cycle does not allow; nothing was written."""


class UnknownNode(ActRefused):
    def __init__(self, key: str, stream: str, on: date | None = None) -> None:
        message = (
            _("{key} is not in the plan of {stream} in force on {day} (see: ledger plan show)")
            if on
            else _("{key} is not in the plan of {stream} (see: ledger plan show)")
        )
        super().__init__(
            message.format(key=key, stream=stream, day=on.strftime("%d/%m/%Y") if on else "")
        )
        self.key = key


class UnknownCycle(ActRefused):
    def __init__(self, stream: str, known: list[str]) -> None:
        hint = (
            _(" (cycles in this ledger: {known})").format(known=", ".join(known))
            if known
            else _(" (the ledger is empty)")
        )
        super().__init__(_("cycle {stream} does not exist{hint}").format(stream=stream, hint=hint))


class CycleNotYetOpen(ActRefused):
    """An act dated before its cycle was opened: the cycle exists, not on that day."""

    def __init__(self, stream: str, on: date, opened_on: date | None) -> None:
        message = (
            _("cycle {stream} was not yet open on {day}: it was opened on {opened}")
            if opened_on
            else _("cycle {stream} was not yet open on {day}")
        )
        super().__init__(
            message.format(
                stream=stream,
                day=on.strftime("%d/%m/%Y"),
                opened=opened_on.strftime("%d/%m/%Y") if opened_on else "",
            )
        )


class CycleClosed(ActRefused):
    def __init__(self, stream: str) -> None:
        super().__init__(
            _("cycle {stream} is closed: no act can be recorded (reopen it first)").format(
                stream=stream
            )
        )


class WeightsDoNotSumTo100(ActRefused):
    pass


class ValueKindMismatch(ActRefused):
    pass
