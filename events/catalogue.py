"""Import every event module, so that the registry knows the whole vocabulary."""

from events import acts, cycle, identity, measurement, oversight, plan

MODULES = (acts, cycle, identity, measurement, oversight, plan)
