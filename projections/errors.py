"""Refusals of acts checked against the state of the cycle; each names the value at fault."""

from datetime import date

from events.errors import LedgerError


class ActRefused(LedgerError):
    """An act that the state of the cycle does not allow; nothing was written."""


class UnknownNode(ActRefused):
    def __init__(self, key: str, stream: str, on: date | None = None) -> None:
        when = f" in force on {on.isoformat()}" if on else ""
        super().__init__(f"{key} is not in the plan of {stream}{when} (see: ledger plan show)")
        self.key = key


class UnknownCycle(ActRefused):
    def __init__(self, stream: str, known: list[str]) -> None:
        hint = (
            f" (cycles in this ledger: {', '.join(known)})" if known else " (the ledger is empty)"
        )
        super().__init__(f"cycle {stream} does not exist{hint}")


class CycleClosed(ActRefused):
    def __init__(self, stream: str) -> None:
        super().__init__(f"cycle {stream} is closed: no act can be recorded (reopen it first)")


class WeightsDoNotSumTo100(ActRefused):
    pass


class ValueKindMismatch(ActRefused):
    pass
