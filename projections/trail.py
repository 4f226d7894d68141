"""The audit trail: every event in order, with who recorded it, in which role, and what it says.

The trail is the OIV's first read: one line per event, in the words of the cycle (`misura`,
`override`, `delibera`), filterable by actor, role, event type, node, cycle and date range. It
also words what the other reviews print of an event (`summary`, `change_text`, ...); the
plan's tree and which node an event is about are in projections/plan_tree.py.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction

from events.acts import ApprovalRecorded, PublicationRecorded, ValidationRecorded, subject_label
from events.base import LedgerEvent, UnreadableEvent
from events.cycle import CycleClosed, CycleOpened, CycleReopened
from events.exact import terminates, to_decimal_exact
from events.i18n import _, language, ngettext
from events.identity import ActorRegistered, KeyRegistered, KeyRevoked, SignaturesRequired
from events.measurement import AssessmentRecorded, MeasurementCorrected, MeasurementRecorded
from events.oversight import OverrideRecorded, OverrideWithdrawn, ReportedFigureRecorded
from events.plan import (
    ManagerialObjectiveAssigned,
    ObjectiveAmended,
    ObjectiveDefined,
    ObjectiveWithdrawn,
    PerspectiveDefined,
)
from ledger.records import Entry
from projections.errors import UnknownNode
from projections.numbers import italian_number, italian_percent
from projections.plan_tree import (
    PlanTree,
    Subjects,
    defined_word,
    level_label,
    plan_tree,
)


def summary(
    event: LedgerEvent, tree: PlanTree | None = None, seqs: Mapping[str, int] | None = None
) -> str:
    """One line saying what the event records, in the reader's language and the cycle's words
    (`azione`, `override`, `delibera` stay as they are); `seqs`: event ids' seqs."""
    name = (lambda key: tree.label(key)) if tree else (lambda key: key)
    match event:
        case UnreadableEvent():
            return _("unreadable event ({reason}): ledger verify reports it").format(
                reason=event.reason
            )
        case CycleOpened():
            return _("cycle opened: {entity} {year}").format(
                entity=event.entity_name, year=event.year
            )
        case CycleClosed():
            return _("cycle closed")
        case CycleReopened():
            return _("cycle reopened: {reason}").format(reason=event.reason)
        case PerspectiveDefined():
            return _("perspective {key} defined: {title}").format(key=event.key, title=event.title)
        case ObjectiveDefined():
            weight = (
                ""
                if event.weight is None
                else _(" (peso {weight})").format(weight=weight_text(event.weight))
            )
            label = level_label(event.level, tree.level_names if tree else None)
            return _("{level} {code} {defined}: {title}{weight}").format(
                level=label,
                code=event.code or event.key,
                defined=defined_word(label),
                title=event.title,
                weight=weight,
            )
        case ObjectiveAmended():
            return _("{node} amended: {change} ({reason})").format(
                node=name(event.key), change=change_text(event), reason=event.reason
            )
        case ObjectiveWithdrawn():
            return _("{node} withdrawn from the plan ({reason})").format(
                node=name(event.key), reason=event.reason
            )
        case ManagerialObjectiveAssigned():
            return ngettext(
                "obiettivi dirigenziali of {manager}: {count} azione",
                "obiettivi dirigenziali of {manager}: {count} azioni",
                len(event.items),
            ).format(manager=event.manager, count=len(event.items))
        case MeasurementRecorded():
            unit = f" {event.unit}" if event.unit else ""
            return _("measurement {action} = {value}{unit}").format(
                action=event.action, value=value_text(event), unit=unit
            )
        case AssessmentRecorded():
            return _("assessment {action}: {assessment}").format(
                action=event.action, assessment=assessment_text(event)
            )
        case MeasurementCorrected():
            seq = (seqs or {}).get(event.corrects)
            what = f"seq {seq}" if seq is not None else event.corrects
            return _("correction of {what}: {value} ({reason})").format(
                what=what, value=correction_text(event), reason=event.reason
            )
        case OverrideRecorded():
            return _("override {node} to {achievement}, sentito l'OIV on {heard}").format(
                node=name(event.node),
                achievement=italian_percent(event.achievement),
                heard=event.oiv_heard_on.strftime("%d/%m/%Y"),
            )
        case OverrideWithdrawn():
            return _("override on {node} withdrawn ({reason})").format(
                node=name(event.node), reason=event.reason
            )
        case ApprovalRecorded():
            act = f" ({event.act})" if event.act else ""
            what = subject_label(event.subject, tree.container if tree else "piano")
            return _("approval {what}{act}: {body}").format(what=what, act=act, body=event.body)
        case ValidationRecorded():
            act = f" ({event.act})" if event.act else ""
            return _("validation of the Relazione by {by}{act}").format(
                by=by_body(event.body or "OIV"), act=act
            )
        case PublicationRecorded():
            return _("publication of the Relazione: {where}").format(where=event.where)
        case ActorRegistered():
            return _("actor {actor} registered as {role}").format(
                actor=event.actor, role=event.role
            )
        case KeyRegistered():
            replaced = _(", replaces {key}").format(key=event.replaces) if event.replaces else ""
            return _("key {key} of {actor} registered{replaced}").format(
                key=event.key_id, actor=event.actor, replaced=replaced
            )
        case KeyRevoked():
            return _("key {key} of {actor} revoked: {reason}").format(
                key=event.key_id, actor=event.actor, reason=event.reason
            )
        case SignaturesRequired():
            return _("from here on every act of the cycle must be signed")
        case ReportedFigureRecorded():
            target = f" {name(event.node)}" if event.node else ""
            return _("{document}, {where}: {measure}{node} printed {printed}").format(
                document=event.document,
                where=event.where,
                measure=event.measure,
                node=target,
                printed=event.printed,
            )
        case _:
            return event.type_name


def weight_text(weight: Fraction) -> str:
    """`50 %`, `12,5 %`, `1/3`: a weight as the plan wrote it, exact."""
    if not terminates(weight):
        return f"{weight.numerator}/{weight.denominator}"
    value = to_decimal_exact(weight)
    whole = value == value.to_integral_value()
    return italian_percent(value, 0 if whole else 2)


def by_body(body: str) -> str:
    """Who validated, as the sentence needs it: `dell'OIV`, `del Nucleo di valutazione` in
    Italian (the articulated preposition gettext cannot choose), `the OIV` in English."""
    if language() != "it":
        return f"the {body}"
    if body[:1].lower() in "aeiou" or body.isupper():
        return f"dell'{body}"
    return f"del {body}"


def change_text(event: ObjectiveAmended) -> str:
    """The fields an amendment sets: `peso 70 %, target 80 %`."""
    parts = []
    if event.title is not None:
        parts.append(_("title {title!r}").format(title=event.title))
    if event.weight is not None:
        parts.append(_("peso {weight}").format(weight=weight_text(event.weight)))
    if event.target is not None:
        parts.append(_("target {target}").format(target=italian_number(event.target)))
    if event.kpi is not None:
        parts.append(_("kpi {kpi!r}").format(kpi=event.kpi.description))
    return ", ".join(parts) or _("no field")


def assessment_text(event: AssessmentRecorded | MeasurementCorrected) -> str:
    parts = []
    if event.level is not None:
        parts.append(event.level)
    if event.completed_on is not None:
        form = "%m/%Y" if event.precision == "month" else "%d/%m/%Y"
        parts.append(_("done {day}").format(day=event.completed_on.strftime(form)))
    if event.met is not None:
        parts.append(_("done") if event.met else _("not done"))
    if event.achievement is not None:
        parts.append(
            _("stated achievement {achievement}").format(
                achievement=italian_percent(event.achievement)
            )
        )
    return ", ".join(parts)


def value_text(event: MeasurementRecorded | MeasurementCorrected) -> str:
    """`35,87`, `≥ 95`, `45/50`: a measured value as recorded."""
    if event.numerator is not None and event.denominator is not None:
        return f"{italian_number(event.numerator)}/{italian_number(event.denominator)}"
    if event.value is None:
        return "—"
    sign = {"at_least": "≥ ", "at_most": "≤ "}.get(event.bound or "", "")
    return f"{sign}{italian_number(event.value)}"


def correction_text(event: MeasurementCorrected) -> str:
    if event.value is not None or event.numerator is not None:
        unit = f" {event.unit}" if event.unit else ""
        return _("value {value}{unit}").format(value=value_text(event), unit=unit)
    return assessment_text(event)


@dataclass(frozen=True)
class TrailFilter:
    """Which events the trail keeps; every bound is inclusive, `None` keeps everything."""

    stream: str | None = None
    actor: str | None = None
    role: str | None = None
    types: tuple[str, ...] = ()
    node: str | None = None
    effective_from: date | None = None
    effective_to: date | None = None
    recorded_from: datetime | None = None
    recorded_to: datetime | None = None
    known_at: datetime | None = None


@dataclass(frozen=True)
class TrailRow:
    """One event of the trail."""

    seq: int
    stream: str
    type: str
    effective_date: date
    recorded_at: datetime
    actor: str
    role: str
    node: str | None
    summary: str
    signed: bool
    source: str | None


def trail(entries: Sequence[Entry], wanted: TrailFilter) -> list[TrailRow]:
    """The events of `entries` (in seq order) that `wanted` keeps, described."""
    subjects = Subjects()
    trees: dict[str, PlanTree] = {}
    nodes: dict[str, set[str]] = {}
    known = [e for e in entries if wanted.known_at is None or e.recorded_at <= wanted.known_at]
    for entry in known:
        if entry.stream not in trees:
            trees[entry.stream] = plan_tree(e for e in known if e.stream == entry.stream)
    if wanted.node is not None:
        for stream, tree in trees.items():
            try:
                nodes[stream] = tree.subtree(tree.resolve(wanted.node, stream))
            except UnknownNode:
                nodes[stream] = set()
        if not any(nodes.values()):
            cycles = wanted.stream or ", ".join(sorted(trees)) or "the ledger"
            raise UnknownNode(wanted.node, cycles)
    rows = []
    for entry in known:
        subjects.note(entry)
        if not _kept(entry, wanted):
            continue
        tree = trees[entry.stream]
        about = subjects.about(entry)
        key = _key_of(tree, about)
        if wanted.node is not None and key not in nodes.get(entry.stream, set()):
            continue
        rows.append(trail_row(entry, tree, key, subjects))
    return rows


def trail_row(entry: Entry, tree: PlanTree, key: str | None, subjects: Subjects) -> TrailRow:
    """The trail's row of one event, its node `key` labelled in the plan `tree`."""
    event = entry.event
    return TrailRow(
        entry.seq,
        entry.stream,
        entry.type,
        entry.effective_date,
        entry.recorded_at,
        entry.actor,
        entry.role,
        tree.label(key) if key else None,
        summary(event, tree, subjects.seqs),
        entry.signature is not None,
        event.source,
    )


def _key_of(tree: PlanTree, about: str | None) -> str | None:
    if about is None:
        return None
    if about in tree.parents:
        return about
    return next((key for key, code in tree.codes.items() if code == about), about)


def _kept(entry: Entry, wanted: TrailFilter) -> bool:
    checks = (
        wanted.stream is None or entry.stream == wanted.stream,
        wanted.actor is None or entry.actor == wanted.actor,
        wanted.role is None or entry.role == wanted.role,
        not wanted.types or entry.type in wanted.types,
        wanted.effective_from is None or entry.effective_date >= wanted.effective_from,
        wanted.effective_to is None or entry.effective_date <= wanted.effective_to,
        wanted.recorded_from is None or entry.recorded_at >= wanted.recorded_from,
        wanted.recorded_to is None or entry.recorded_at <= wanted.recorded_to,
    )
    return all(checks)
