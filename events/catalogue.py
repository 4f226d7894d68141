"""Import every event module, so that the registry knows the whole vocabulary."""

from events import acts, cycle, measurement, oversight, plan

MODULES = (acts, cycle, measurement, oversight, plan)
