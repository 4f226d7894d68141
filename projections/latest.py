"""The state the cruscotto reads: the plan and the acts folded in full, of the facts only what
each indicator shows.

A cruscotto shows each indicator's latest observation (with the corrections of it), never the
measurements it replaced, and a cycle's measurements outnumber everything else in it ten to
one (a monthly figure for every action). So the replay folds the entries that are not facts
with the common fold (projections/plan_state.py), then reads the facts backwards from the
cycle's end: the first observation met for an indicator is its latest, the corrections met
before it are the ones recorded after it, and once every indicator of the plan has its latest
observation the older facts are left unread, their payloads never decoded. A measurement
that was replaced cannot come back, so the cruscotto is the one the whole fold gives, as of
any date and as known at any time (tests/projections/test_replay_fold.py holds the two equal
on random ledgers). A payload left unread is not checked here: `ledger verify` checks every
one.

The state it returns serves the cruscotto only: its facts hold one observation per indicator
and no idempotency keys, and its seq, version and latest effective date are those of the acts.
"""

from collections.abc import Iterable
from datetime import date, datetime

from events.measurement import AssessmentRecorded, MeasurementCorrected, MeasurementRecorded
from ledger.records import Entry
from projections.facts import FACT_KINDS, Facts, corrected, observed
from projections.plan_state import CycleState, fold, fold_into
from projections.scoring import Observation


def shown_state(
    entries: Iterable[Entry],
    stream: str,
    *,
    as_of: date | None = None,
    known_at: datetime | None = None,
) -> CycleState:
    """The state of `stream` as of `as_of`, known at `known_at`, as far as a cruscotto reads it."""
    if known_at is None:
        known = [entry for entry in entries if entry.stream == stream]
    else:
        known = [e for e in entries if e.stream == stream and e.recorded_at <= known_at]
    facts = [entry for entry in known if entry.type in FACT_KINDS]
    state = fold_into(
        CycleState(stream), [entry for entry in known if entry.type not in FACT_KINDS], as_of=as_of
    )
    stray = state.facts
    if stray is not None and (stray.observations or stray.observed_by_id):
        # A fact stored under another type name (an alias that no longer exists): the whole
        # fold, rather than guessing where it stood among the others.
        return fold(known, stream, as_of=as_of)
    policy = state.policy
    indicators = {rule.key for rule in policy.tree if rule.rollup == "kpi"}
    wanted = {node.key for node in state.nodes.values() if node.level in indicators}
    state.facts = Facts(observations=_latest(facts, wanted, as_of))
    return state


def _latest(
    facts: list[Entry], wanted: set[str], as_of: date | None
) -> dict[str, list[Observation]]:
    """Each action's latest observation, corrected, read from the end of the facts (effective
    by `as_of`) until every action of `wanted` has one."""
    found: dict[str, list[Observation]] = {}
    later: dict[str, list[MeasurementCorrected]] = {}
    """The corrections read so far (recorded after the entry being read), by the id they name."""
    missing = len(wanted)
    for entry in reversed(facts):
        if missing == 0:
            break
        if as_of is not None and entry.effective_date > as_of:
            continue
        event = entry.event
        if isinstance(event, MeasurementCorrected):
            later.setdefault(event.corrects, []).append(event)
            continue
        if not isinstance(event, MeasurementRecorded | AssessmentRecorded):
            continue  # pragma: no cover - FACT_KINDS holds these three types only
        # The corrections of this id after it: the whole fold applies them to it, and to no
        # earlier observation under the same id, whatever action that one had.
        corrections = later.pop(entry.event_id, None)
        if event.action in found:
            continue
        observation = observed(entry, event)
        for correction in reversed(corrections or ()):
            observation = corrected(observation, correction)
        found[event.action] = [observation]
        if event.action in wanted:
            missing -= 1
    return found
