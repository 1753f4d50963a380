"""The participation section of the plan: who was consulted and what they raised.

It states the survey campaigns of the plan's cycle, the responses per stakeholder group (the
public, academia, the private sector, employees, supervisors, and any other group) overall and
per OPD, and the items that stakeholder priorities raised, each with the unit whose
stakeholders gave the importance and the explain view of one of its targets, where the number
is worked out. A fixed number of queries whatever the size of the plan.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select

from app.extensions import db
from app.needs.planning_feed import competency_labels, unit_importance
from app.org.models import OrgUnit
from app.planning.models import ItemStatus, PlanItem, PlanTarget, Revision
from app.planning.queries import RAISE_IMPORTANCE
from app.planning.services import display_title
from app.surveys.planning_feed import (
    NAMED_GROUPS,
    CampaignUse,
    campaigns_of_cycle,
    counts_by_unit_and_group,
    respondent_label,
)


@dataclass(frozen=True)
class GroupTotal:
    key: str
    label: str
    invited: int
    submitted: int


@dataclass
class UnitParticipation:
    name: str  # the OPD, or "" for responses without a unit (public links)
    submitted: dict[str, int] = field(default_factory=dict)  # group key → responses

    @property
    def total(self) -> int:
        return sum(self.submitted.values())


@dataclass(frozen=True)
class RaisedItem:
    """An item stakeholder priorities raised, with where the figure comes from."""

    item_id: int
    title: str
    code: str
    competency: str
    importance: float
    respondents: int
    source_unit: str  # the unit whose stakeholders gave it; "" for the instansi-wide mean
    employee_id: int | None  # a target whose explain view shows the figure
    year: int

    @property
    def explain_path(self) -> str:
        if self.employee_id is None:
            return ""
        return f"/needs/employees/{self.employee_id}/explain/{self.code}?year={self.year}"


@dataclass
class Participation:
    year: int
    campaigns: list[CampaignUse]
    groups: list[GroupTotal]
    units: list[UnitParticipation]
    raised: list[RaisedItem]

    @property
    def submitted(self) -> int:
        return sum(group.submitted for group in self.groups)

    @property
    def invited(self) -> int:
        return sum(group.invited for group in self.groups)

    @property
    def group_keys(self) -> list[str]:
        return [group.key for group in self.groups]


def opd_of_units(instansi_id: int) -> dict[int, tuple[str, str]]:
    """Unit id → (name of the top-level unit, the OPD, it lies in; the unit's own name)."""
    rows = list(
        db.session.execute(
            select(OrgUnit.id, OrgUnit.path, OrgUnit.name).where(OrgUnit.instansi_id == instansi_id)
        )
    )
    names = {int(uid): name for uid, _path, name in rows}
    result = {}
    for uid, path, name in rows:
        parts = [p for p in (path or "").strip("/").split("/") if p]
        top = int(parts[0]) if parts and parts[0].isdigit() else int(uid)
        result[int(uid)] = (names.get(top, name), name)
    return result


def participation(revision: Revision) -> Participation:
    """The participation section of a revision's plan (seven queries)."""
    plan = revision.plan
    instansi_id, year = plan.instansi_id, plan.year
    units = opd_of_units(instansi_id)
    counts = counts_by_unit_and_group(instansi_id, year)
    invited: dict[str, int] = defaultdict(int)
    submitted: dict[str, int] = defaultdict(int)
    per_unit: dict[str, UnitParticipation] = {}
    for row in counts:
        invited[row.key] += row.invited
        submitted[row.key] += row.submitted
        opd = units.get(row.org_unit_id, ("", ""))[0] if row.org_unit_id is not None else ""
        entry = per_unit.setdefault(opd, UnitParticipation(opd))
        if row.submitted:
            entry.submitted[row.key] = entry.submitted.get(row.key, 0) + row.submitted
    others = sorted(k for k in set(invited) | set(submitted) if k not in NAMED_GROUPS)
    groups = [
        GroupTotal(key, respondent_label(key), invited.get(key, 0), submitted.get(key, 0))
        for key in (*NAMED_GROUPS, *others)
    ]
    unit_rows = sorted(
        (u for u in per_unit.values() if u.total), key=lambda u: (u.name == "", u.name)
    )
    return Participation(
        year=year,
        campaigns=campaigns_of_cycle(instansi_id, year),
        groups=groups,
        units=unit_rows,
        raised=raised_items(revision, units),
    )


def raised_items(revision: Revision, units: dict[int, tuple[str, str]]) -> list[RaisedItem]:
    """Active items whose stakeholder importance reaches the raise mark, highest first."""
    plan = revision.plan
    labels = competency_labels(plan.instansi_id)
    items = list(
        db.session.execute(
            select(
                PlanItem.id,
                PlanItem.title,
                PlanItem.competency_code,
                PlanItem.form,
                PlanItem.importance,
                PlanItem.importance_respondents,
            )
            .where(
                PlanItem.revision_id == revision.id,
                PlanItem.status == ItemStatus.ACTIVE,
                PlanItem.importance >= RAISE_IMPORTANCE,
            )
            .order_by(PlanItem.importance.desc(), PlanItem.id)
        )
    )
    if not items:
        return []
    importance = unit_importance(plan.instansi_id, plan.year)
    # The target whose unit carries the item's importance: its explain view shows the figure.
    witness: dict[int, tuple[float, int, int | None]] = {}
    codes = {int(row[0]): row[2] for row in items}
    for item_id, employee_id, unit_id in db.session.execute(
        select(PlanTarget.item_id, PlanTarget.employee_id, PlanTarget.org_unit_id)
        .join(PlanItem, PlanItem.id == PlanTarget.item_id)
        .where(
            PlanItem.revision_id == revision.id,
            PlanItem.status == ItemStatus.ACTIVE,
            PlanItem.importance >= RAISE_IMPORTANCE,
            PlanTarget.employee_id.is_not(None),
        )
        .order_by(PlanTarget.id)
    ):
        found = importance.get((int(unit_id), codes.get(int(item_id)) or ""))
        if found is None:
            continue
        best = witness.get(int(item_id))
        if employee_id is not None and (best is None or found.value > best[0]):
            witness[int(item_id)] = (found.value, employee_id, found.source_unit_id)
    result = []
    for item_id, title, code, form, value, respondents in items:
        value_found = witness.get(int(item_id))
        source = value_found[2] if value_found else None
        result.append(
            RaisedItem(
                item_id=int(item_id),
                title=display_title(title, code, form, labels),
                code=code or "",
                competency=labels.get(code or "", ("", "", ""))[0],
                importance=float(value or 0.0),  # never NULL: the query asks for a mark
                respondents=int(respondents or 0),
                source_unit=units.get(source, ("", ""))[1] if source is not None else "",
                employee_id=value_found[1] if value_found else None,
                year=plan.year,
            )
        )
    return result
