"""Loading an acts file: every act checked by its own use case, then all written at once.

The acts run one after another on a staging store (projections/staging.py), so each is checked
against the state the acts before it made, exactly as `ledger record ...` would check it; then
every event they made is appended in one transaction. A refused act writes nothing, and names
the act (`acts[12] (m-3.3.1): ...`). Acts already in the ledger (their id's key is recorded)
are skipped, so loading a file again records nothing and a file that grew records only the new
acts.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from events.errors import LedgerError, UsageError
from events.i18n import _
from events.measurement import Precision
from events.oversight import ReportedFigureRecorded
from events.plan import ObjectiveAmended, ObjectiveWithdrawn
from formats.italian_dates import parse_date
from formats.italian_numbers import parse_number
from formats.periods import parse_period, parse_when
from formats.readers.acts_file import (
    AmendmentAct,
    ApprovalAct,
    AssessmentAct,
    CorrectionAct,
    MeasurementAct,
    Number,
    acts_document,
)
from formats.readers.documents import load_document
from formats.values import parse_measured, parse_weight, printed_decimals
from ledger.records import Entry
from ledger.store import EventStore
from projections import acts, measuring, oversight, planning, registration
from projections.errors import ActRefused
from projections.plan_document import plan_document
from projections.staging import StagedStore, all_or_nothing

DEFAULT_ROLES = {
    "plan": "controller",
    "actor": "administrator",
    "approval": "giunta-secretariat",
    "measurement": "controller",
    "assessment": "controller",
    "correction": "controller",
    "override": "direzione",
    "override_withdrawal": "direzione",
    "amendment": "controller",
    "withdrawal": "controller",
    "validation": "oiv",
    "publication": "publisher",
    "closing": "administrator",
    "close": "administrator",
    "reopening": "administrator",
    "reported": "oiv",
}
Acting = Callable[[str], acts.Actor]
"""Who acts when an act names no actor: the command's identity, in the act's usual role."""


@dataclass(frozen=True)
class LoadReport:
    """What a load did: the cycle, the events written, the acts carried out and skipped."""

    stream: str
    events: int
    acts: int
    already: int
    entries: tuple[Entry, ...] = ()


def load_acts_file(
    store: EventStore,
    path: Path,
    acting: Acting,
    *,
    source: str | None = None,
    actor_override: acts.Actor | None = None,
) -> LoadReport:
    """Record every act of the file not yet in the ledger, all or nothing."""
    document = acts_document(load_document(path), str(path))
    chosen_source = source or document.source
    if not chosen_source:
        raise UsageError(
            _(
                "{path}: a backfill names the document it was transcribed from: give "
                "--source DOC (or `source:` in the file)"
            ).format(path=path)
        )
    loader = _Loader(document, path.parent, chosen_source, acting, actor_override)
    entries, (done, skipped) = all_or_nothing(store, document.cycle, loader.run)
    return LoadReport(document.cycle, len(entries), done, skipped, tuple(entries))


class _Loader:
    """One pass over the acts on a staging store."""

    def __init__(
        self,
        document: Any,
        folder: Path,
        source: str,
        acting: Acting,
        actor_override: acts.Actor | None,
    ) -> None:
        self.document = document
        self.folder = folder
        self.source = source
        self.acting = acting
        self.actor_override = actor_override
        self.prefix: str = document.key_prefix

    def run(self, staging: StagedStore) -> tuple[int, int]:
        done = skipped = 0
        self.year: int | None = None
        for index, act in enumerate(self.document.acts):
            key = f"{self.prefix}:{act.id}"
            if staging.has_key(key):
                skipped += 1
                continue
            where = f"acts[{index}] ({act.id})"
            try:
                self._carry_out(staging, act, key)
            except UsageError as error:
                raise UsageError(f"{where}: {error}") from None
            except LedgerError as refusal:
                raise ActRefused(f"{where}: {refusal}") from None
            done += 1
        return done, skipped

    def _year(self, store: StagedStore) -> int | None:
        if self.year is None and store.stream_version(self.document.cycle):
            opened = acts.read_state(store, self.document.cycle).opened
            self.year = opened.year if opened else None
        return self.year

    def _actor(self, act: Any) -> acts.Actor:
        if self.actor_override is not None:
            return self.actor_override
        role = DEFAULT_ROLES[act.act]
        if act.actor is None:
            return self.acting(act.role or role)
        return acts.Actor(act.actor, act.role or role, role_stated=act.role is not None)

    def _carry_out(self, store: StagedStore, act: Any, key: str) -> None:
        stream = self.document.cycle
        on = _day(act.date)
        actor = self._actor(act)
        source = act.source or self.source
        common: dict[str, Any] = {"note": act.note, "source": source, "key": key}
        year = self._year(store)
        match act.act:
            case "plan":
                document = plan_document(load_document(self.folder / act.file), act.file)
                if document.cycle.id != stream:
                    raise UsageError(
                        _("the plan file {file} is for {plan}, the acts for {cycle}").format(
                            file=act.file, plan=document.cycle.id, cycle=stream
                        )
                    )
                planning.import_plan(store, document, on, actor, key_prefix=key, source=source)
            case "actor":
                registration.register_actor(
                    store, stream, act.name, act.as_, on, actor,
                    display_name=act.display_name, **common,
                )  # fmt: skip
            case "approval":
                self._approval(store, act, on, actor, common)
            case "measurement":
                self._measurement(store, act, on, actor, year, common)
            case "assessment":
                self._assessment(store, act, on, actor, year, common)
            case "correction":
                self._correction(store, act, on, actor, source)
            case "override":
                oversight.record_override(
                    store, stream, act.node, _number(act.achievement), act.rationale,
                    _day(act.oiv_heard_on), on, actor, **common,
                )  # fmt: skip
            case "override_withdrawal":
                oversight.withdraw_override(
                    store, stream, act.node, act.reason, on, actor, source=source
                )
            case "amendment":
                self._amendment(store, act, on, actor, source)
            case "withdrawal":
                change = ObjectiveWithdrawn(key=act.node, reason=act.reason, note=act.note)
                planning.change_plan(store, stream, [change], on, actor, source=source)
            case "validation":
                acts.record_validation(
                    store, stream, on, actor, act=act.label, opinion=act.opinion, **common
                )
            case "publication":
                acts.record_publication(store, stream, act.where, on, actor, **common)
            case "closing" | "close":
                acts.close_cycle(store, stream, on, actor, **common)
            case "reopening":
                acts.reopen_cycle(store, stream, act.reason, on, actor, source=source)
            case "reported":
                printed = str(act.value)
                figure = ReportedFigureRecorded(
                    document=act.document,
                    where=act.where,
                    measure=act.measure,
                    node=act.node,
                    level=act.level,
                    value=_number(act.value),
                    printed=printed,
                    decimals=printed_decimals(printed),
                    note=act.note,
                    source=source,
                )
                oversight.record_reported(store, stream, figure, on, actor, key=key)

    def _approval(
        self, store: StagedStore, act: ApprovalAct, on: date, actor: acts.Actor, common: Any
    ) -> None:
        acts.record_approval(
            store, self.document.cycle, act.subject, act.label, on, actor,
            body=act.body, kind=act.kind, number=act.number, **common,
        )  # fmt: skip

    def _measurement(
        self,
        store: StagedStore,
        act: MeasurementAct,
        on: date,
        actor: acts.Actor,
        year: int | None,
        common: Any,
    ) -> None:
        value = unit = bound = numerator = denominator = None
        if act.value is not None:
            measured = parse_measured(str(act.value)) if isinstance(act.value, str) else None
            if measured is not None and measured.numerator is not None:
                numerator, denominator = measured.numerator, measured.denominator
            elif measured is not None:
                value, unit, bound = measured.value, measured.unit, measured.bound
            else:
                value = _number(act.value)
        if act.numerator is not None or act.denominator is not None:
            numerator = _number(act.numerator) if act.numerator is not None else None
            denominator = _number(act.denominator) if act.denominator is not None else None
        measuring.record_measurement(
            store, self.document.cycle, act.action, value, act.unit or unit,
            parse_period(act.period or str(year or ""), year), on, actor,
            numerator=numerator, denominator=denominator, bound=bound,
            evidence=act.evidence, **common,
        )  # fmt: skip

    def _assessment(
        self,
        store: StagedStore,
        act: AssessmentAct,
        on: date,
        actor: acts.Actor,
        year: int | None,
        common: Any,
    ) -> None:
        completed, precision = _when(act.completed_on, year)
        stated = _number(act.achievement) if act.achievement is not None else None
        measuring.record_assessment(
            store, self.document.cycle, act.action, act.kind,
            parse_period(act.period or str(year or ""), year), on, actor,
            level=act.level, completed_on=completed, precision=precision, met=act.met,
            achievement=stated, evidence=act.evidence, **common,
        )  # fmt: skip

    def _correction(
        self, store: StagedStore, act: CorrectionAct, on: date, actor: acts.Actor, source: str
    ) -> None:
        corrects = act.corrects
        earlier = store.keyed(f"{self.prefix}:{corrects}")
        target = earlier.event_id if earlier is not None else corrects
        completed, precision = _when(act.completed_on, None)
        value = bound = None
        if act.value is not None:
            measured = parse_measured(str(act.value)) if isinstance(act.value, str) else None
            value = measured.value if measured is not None else _number(act.value)
            bound = measured.bound if measured is not None else None
        measuring.record_correction(
            store, self.document.cycle, target, act.reason, on, actor,
            value=value, bound=bound, unit=act.unit, level=act.level,
            numerator=_number(act.numerator) if act.numerator is not None else None,
            denominator=_number(act.denominator) if act.denominator is not None else None,
            completed_on=completed, precision=precision, met=act.met,
            achievement=_number(act.achievement) if act.achievement is not None else None,
            source=source,
        )  # fmt: skip

    def _amendment(
        self, store: StagedStore, act: AmendmentAct, on: date, actor: acts.Actor, source: str
    ) -> None:
        change = ObjectiveAmended(
            key=act.node,
            title=act.title,
            reason=act.reason,
            weight=parse_weight(str(act.weight)) if act.weight is not None else None,
            target=_number(act.target) if act.target is not None else None,
            note=act.note,
        )
        planning.change_plan(store, self.document.cycle, [change], on, actor, source=source)


def _when(value: date | str | None, year: int | None) -> tuple[date | None, Precision | None]:
    """A completion as written: a day, or only a month (`ottobre 2020`)."""
    if value is None:
        return None, None
    if isinstance(value, date):
        return value, "day"
    return parse_when(value, year)


def _day(value: date | str) -> date:
    return value if isinstance(value, date) else parse_date(value)


def _number(value: Number) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    return parse_number(value)
