"""The name of an event type as a person reads it: `misura registrata`, not `MeasurementRecorded`.

The stored type name (`MeasurementRecorded`) is an identifier: JSON, CSV, the `--type` filter
and the API keep it, stable and documented (docs/event-types.md). Tables and pages show the
label of this module instead, in the reader's language (English msgid, Italian in the catalog).
"""

from events.i18n import N_, _

EVENT_LABELS: dict[str, str] = {
    "CycleOpened": N_("cycle opened"),
    "CycleClosed": N_("cycle closed"),
    "CycleReopened": N_("cycle reopened"),
    "PerspectiveDefined": N_("perspective defined"),
    "ObjectiveDefined": N_("objective defined"),
    "ObjectiveAmended": N_("objective amended"),
    "ObjectiveWithdrawn": N_("objective withdrawn"),
    "ManagerialObjectiveAssigned": N_("managerial objectives assigned"),
    "MeasurementRecorded": N_("measurement recorded"),
    "AssessmentRecorded": N_("assessment recorded"),
    "MeasurementCorrected": N_("measurement corrected"),
    "OverrideRecorded": N_("override recorded"),
    "OverrideWithdrawn": N_("override withdrawn"),
    "ReportedFigureRecorded": N_("reported figure recorded"),
    "ApprovalRecorded": N_("approval recorded"),
    "ValidationRecorded": N_("validation recorded"),
    "PublicationRecorded": N_("publication recorded"),
    "ActorRegistered": N_("actor registered"),
    "KeyRegistered": N_("key registered"),
    "KeyRevoked": N_("key revoked"),
    "SignaturesRequired": N_("signatures required"),
    "(unreadable)": N_("unreadable event"),
}
"""Stored type name -> English label (a test holds every registered type here)."""


def event_label(type_name: str) -> str:
    """The label of a stored type in the chosen language; an unknown name as it is stored."""
    label = EVENT_LABELS.get(type_name)
    return _(label) if label is not None else type_name
