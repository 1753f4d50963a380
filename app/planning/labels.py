"""Human labels of the plan's enums and the months, translated when rendered."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l

from app.planning.models import (
    ActorCapacity,
    ChangeKind,
    FundingSource,
    ItemOrigin,
    ItemStatus,
    PlanActionKind,
    PlanStatus,
    ProviderKind,
)

MONTHS = (
    _l("January"), _l("February"), _l("March"), _l("April"), _l("May"), _l("June"),
    _l("July"), _l("August"), _l("September"), _l("October"), _l("November"), _l("December"),
)  # fmt: skip

LABELS: dict[type[enum.Enum], dict[object, object]] = {
    PlanStatus: {
        PlanStatus.DRAFT: _l("Draft"),
        PlanStatus.REVIEW: _l("Under review by BKPSDM"),
        PlanStatus.SUBMITTED: _l("Submitted to the PPK"),
        PlanStatus.ADOPTED: _l("Adopted"),
        PlanStatus.RETURNED: _l("Returned"),
        PlanStatus.SUPERSEDED: _l("Superseded"),
    },
    FundingSource: {
        FundingSource.APBD: _l("APBD"),
        FundingSource.APBN: _l("APBN"),
        FundingSource.DAK: _l("DAK"),
        FundingSource.PARTNER: _l("Partner-funded"),
        FundingSource.OTHER: _l("Other source"),
    },
    ProviderKind: {
        ProviderKind.INTERNAL: _l("The instansi itself"),
        ProviderKind.BPSDM: _l("BPSDM (province)"),
        ProviderKind.LAN: _l("LAN"),
        ProviderKind.MINISTRY: _l("Ministry"),
        ProviderKind.UNIVERSITY: _l("University"),
        ProviderKind.PRIVATE: _l("Private partner"),
        ProviderKind.OTHER: _l("Other provider"),
    },
    ItemStatus: {
        ItemStatus.ACTIVE: _l("In the plan"),
        ItemStatus.DROPPED: _l("Dropped"),
        ItemStatus.DEFERRED: _l("Moved to next year"),
    },
    ItemOrigin: {
        ItemOrigin.DRAFTED: _l("From the needs"),
        ItemOrigin.MANUAL: _l("Added by HR"),
        ItemOrigin.SPLIT: _l("Split off"),
        ItemOrigin.CARRIED: _l("Carried over from last year"),
    },
    ChangeKind: {
        ChangeKind.ADDED: _l("New item"),
        ChangeKind.REMOVED: _l("Removed: no accepted need left"),
        ChangeKind.TARGETS: _l("Targets changed"),
        ChangeKind.FIELD: _l("Contents changed"),
        ChangeKind.KEPT: _l("Kept (edited by HR) although its needs are gone"),
    },
    PlanActionKind: {
        PlanActionKind.DRAFT: _l("Drafted"),
        PlanActionKind.REFRESH: _l("Refreshed from the needs"),
        PlanActionKind.ADD_ITEM: _l("Item added"),
        PlanActionKind.EDIT_ITEM: _l("Item edited"),
        PlanActionKind.TARGETS: _l("Targets changed"),
        PlanActionKind.SPLIT: _l("Item split"),
        PlanActionKind.MERGE: _l("Items merged"),
        PlanActionKind.DROP: _l("Item dropped"),
        PlanActionKind.DEFER: _l("Item moved to next year"),
        PlanActionKind.RESTORE: _l("Item restored"),
        PlanActionKind.BUDGET_LINE: _l("Budget line saved"),
        PlanActionKind.SUBMIT_REVIEW: _l("Sent for BKPSDM review"),
        PlanActionKind.SUBMIT_PPK: _l("Submitted to the PPK"),
        PlanActionKind.RETURN: _l("Returned with comments"),
        PlanActionKind.ADOPT: _l("Adopted"),
        PlanActionKind.REVISE: _l("Revision opened"),
        PlanActionKind.APPLY: _l("Selection applied"),
    },
    ActorCapacity: {
        ActorCapacity.DEFINITIVE: _l("definitive"),
        ActorCapacity.PLT: _l("Plt"),
        ActorCapacity.PLH: _l("Plh"),
        ActorCapacity.HR: _l("HR"),
        ActorCapacity.SYSTEM: _l("system"),
    },
}


def plan_label(value: object) -> object:
    """The label of a planning enum value (or the value itself)."""
    if value is None:
        return ""
    for kind, labels in LABELS.items():
        if isinstance(value, kind):
            return labels.get(value, value)
    return value


def pairs(kind: type[enum.Enum]) -> list[tuple[str, object]]:
    return [(member.value, LABELS[kind][member]) for member in kind]
