"""`ledger record ...`: every act of the cycle, checked and appended all-or-nothing.

The commands live in modules grouped as the user's acts are (measures, oversight, the acts of
the cycle); importing them here registers them on the one `record` group, in this order.
"""

from cli.record import cycle_acts, measures, oversight
from cli.record.common import app

__all__ = ["app", "cycle_acts", "measures", "oversight"]
