"""Human labels of the training enums, translated when rendered (`label(value)` in templates)."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

from app.training.models import (
    ActionKind,
    Attendance,
    BudgetSource,
    Capacity,
    Completion,
    DelegationKind,
    NominationOrigin,
    NominationState,
    ProviderKind,
    RejectReason,
    StepKind,
    StepStatus,
    TrainingForm,
    TrainingPath,
)
from app.training.workflow import STEP_LABELS, Decision

# Keyed by any type, so label() may look up whatever value it is given.
LABELS: dict[type, Mapping[Any, object]] = {
    TrainingPath: {
        TrainingPath.EDUCATION: _l("Education"),
        TrainingPath.CLASSICAL: _l("Classical training"),
        TrainingPath.NON_CLASSICAL: _l("Non-classical training"),
    },
    TrainingForm: {
        TrainingForm.CLASSICAL: _l("Classroom training"),
        TrainingForm.WORKSHOP: _l("Workshop"),
        TrainingForm.SEMINAR: _l("Seminar or conference"),
        TrainingForm.COURSE: _l("Course"),
        TrainingForm.TECHNICAL_GUIDANCE: _l("Technical guidance (bimtek)"),
        TrainingForm.E_LEARNING: _l("E-learning"),
        TrainingForm.DISTANCE_LEARNING: _l("Distance learning"),
        TrainingForm.COACHING: _l("Coaching"),
        TrainingForm.MENTORING: _l("Mentoring"),
        TrainingForm.JOB_ROTATION: _l("Job rotation"),
        TrainingForm.INTERNSHIP: _l("Internship"),
        TrainingForm.BENCHMARKING: _l("Benchmarking or study visit"),
        TrainingForm.SELF_STUDY: _l("Self study"),
        TrainingForm.DEGREE: _l("Degree study (tugas belajar)"),
    },
    ProviderKind: {
        ProviderKind.BPSDM: _l("BPSDM (province)"),
        ProviderKind.LAN: _l("LAN"),
        ProviderKind.MINISTRY: _l("Ministry"),
        ProviderKind.UNIVERSITY: _l("University"),
        ProviderKind.PRIVATE: _l("Private partner"),
        ProviderKind.INTERNAL: _l("Internal"),
    },
    NominationState: {
        NominationState.PENDING: _l("Under review"),
        NominationState.RETURNED: _l("Returned for revision"),
        NominationState.APPROVED: _l("Approved"),
        NominationState.REJECTED: _l("Rejected"),
        NominationState.WITHDRAWN: _l("Withdrawn"),
    },
    NominationOrigin: {
        NominationOrigin.NEED: _l("From the needs analysis"),
        NominationOrigin.SUPERVISOR: _l("Proposed by a superior or HR"),
        NominationOrigin.SELF: _l("Self-nomination"),
    },
    StepKind: dict(STEP_LABELS),
    StepStatus: {
        StepStatus.WAITING: _l("Waiting for an earlier step"),
        StepStatus.PENDING: _l("Awaiting decision"),
        StepStatus.APPROVED: _l("Approved"),
        StepStatus.SKIPPED: _l("Skipped"),
        StepStatus.REJECTED: _l("Rejected"),
        StepStatus.RETURNED: _l("Returned for revision"),
        StepStatus.CANCELLED: _l("Not reached"),
    },
    ActionKind: {
        ActionKind.SUBMIT: _l("Submitted"),
        ActionKind.RESUBMIT: _l("Resubmitted"),
        ActionKind.APPROVE: _l("Approved"),
        ActionKind.AUTO_APPROVE: _l("Approved automatically"),
        ActionKind.SKIP: _l("Step skipped"),
        ActionKind.REJECT: _l("Rejected"),
        ActionKind.RETURN: _l("Returned for revision"),
        ActionKind.WITHDRAW: _l("Withdrawn"),
        ActionKind.ESCALATE: _l("Escalated"),
    },
    Capacity: {
        Capacity.DEFINITIVE: _l("definitive"),
        Capacity.PLT: _l("Plt"),
        Capacity.PLH: _l("Plh"),
        Capacity.HR: _l("HR (BKPSDM)"),
        Capacity.NOMINEE: _l("nominee"),
        Capacity.NOMINATOR: _l("nominator"),
        Capacity.SYSTEM: _l("system"),
    },
    RejectReason: {
        RejectReason.NOT_RELEVANT: _l("Not relevant to the position or the competency gap"),
        RejectReason.WORKLOAD: _l("Needed at work during the event"),
        RejectReason.REQUIREMENTS: _l("Does not meet the participant requirements"),
        RejectReason.ATTENDED_BEFORE: _l("Already attended this or an equivalent program"),
        RejectReason.BUDGET: _l("No budget"),
        RejectReason.QUOTA: _l("Other candidates have priority for the seats"),
        RejectReason.OTHER: _l("Other (explain in the comment)"),
    },
    DelegationKind: {
        DelegationKind.PLT: _l("Plt (permanent absence)"),
        DelegationKind.PLH: _l("Plh (temporary absence)"),
    },
    BudgetSource: {
        BudgetSource.APBD: _l("APBD"),
        BudgetSource.APBN: _l("APBN"),
        BudgetSource.DAK: _l("DAK"),
        BudgetSource.OTHER: _l("Other"),
    },
    Attendance: {
        Attendance.UNKNOWN: _l("Not recorded"),
        Attendance.PRESENT: _l("Present"),
        Attendance.ABSENT: _l("Absent"),
    },
    Completion: {
        Completion.ENROLLED: _l("Enrolled"),
        Completion.COMPLETED: _l("Completed"),
        Completion.NOT_COMPLETED: _l("Not completed"),
    },
    Decision: {
        Decision.APPROVE: _l("Approve"),
        Decision.REJECT: _l("Reject"),
        Decision.RETURN: _l("Return for revision"),
    },
}


def label(value: object) -> object:
    """The translated label of an enum member; other values are shown as they are."""
    table = LABELS.get(type(value))
    if table is None:
        return value
    return table.get(value, value)


def pairs(kind: type[enum.Enum]) -> list[tuple[str, object]]:
    """(value, label) pairs for a select field, in declaration order."""
    return [(member.value, LABELS[kind][member]) for member in kind]
