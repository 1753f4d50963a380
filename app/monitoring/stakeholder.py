"""A stakeholder's home: consultations open to them and what became of earlier input.

Open consultations are the open campaigns that invited the stakeholder's email and the open
campaigns of their instansi with a public link. Earlier input is the competencies stakeholders
rated most important in the instansi's last analysed cycle, and the active items of that year's
latest plan revision that their priorities raised. Five statements whatever the data size.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import ColumnElement, func, select

from app.extensions import db
from app.needs.models import AnalysisRun, Competency, UnitImportance
from app.planning.models import ItemStatus, Plan, PlanItem, Revision
from app.planning.queries import RAISE_IMPORTANCE
from app.surveys.models import Campaign, CampaignStatus, Invitation, Response, ResponseStatus

TOP_PRIORITIES = 3
TOP_ITEMS = 5


@dataclass(frozen=True)
class Priority:
    code: str
    name: str
    importance: float


@dataclass
class StakeholderHome:
    invited: int = 0
    public: list[tuple[str, str]] = field(default_factory=list)  # title, public token
    cycle_year: int | None = None
    priorities: list[Priority] = field(default_factory=list)
    plan_items: list[str] = field(default_factory=list)


def _open_on(today: date) -> tuple[ColumnElement[bool], ...]:
    return (
        Campaign.status == CampaignStatus.OPEN,
        Campaign.opens_on <= today,
        Campaign.closes_on >= today,
    )


def _invited(email: str, today: date) -> int:
    submitted = select(Response.invitation_id).where(
        Response.status == ResponseStatus.SUBMITTED, Response.invitation_id.is_not(None)
    )
    return int(
        db.session.scalar(
            select(func.count())
            .select_from(Invitation)
            .join(Campaign, Campaign.id == Invitation.campaign_id)
            .where(
                func.lower(Invitation.email) == email.lower(),
                Invitation.completed_on.is_(None),
                Invitation.id.not_in(submitted),
                *_open_on(today),
            )
        )
        or 0
    )


def stakeholder_home(instansi_id: int | None, email: str | None, today: date) -> StakeholderHome:
    home = StakeholderHome(invited=_invited(email, today) if email else 0)
    if instansi_id is None:
        return home
    home.public = [
        (str(title), str(token))
        for title, token in db.session.execute(
            select(Campaign.title, Campaign.public_token)
            .where(
                Campaign.instansi_id == instansi_id,
                Campaign.public_token.is_not(None),
                *_open_on(today),
            )
            .order_by(Campaign.closes_on, Campaign.id)
        )
    ]
    home.cycle_year = db.session.scalar(
        select(func.max(AnalysisRun.cycle_year)).where(
            AnalysisRun.instansi_id == instansi_id,
            AnalysisRun.cycle_year <= today.year + 1,
            AnalysisRun.computed_at.is_not(None),
        )
    )
    if home.cycle_year is None:
        return home
    mean = func.avg(UnitImportance.importance)
    home.priorities = [
        Priority(str(code), str(name or code), round(float(value), 2))
        for code, name, value in db.session.execute(
            select(UnitImportance.competency_code, func.max(Competency.name_id), mean)
            .outerjoin(
                Competency,
                (Competency.instansi_id == UnitImportance.instansi_id)
                & (Competency.code == UnitImportance.competency_code),
            )
            .where(
                UnitImportance.instansi_id == instansi_id,
                UnitImportance.cycle_year == home.cycle_year,
            )
            .group_by(UnitImportance.competency_code)
            .order_by(mean.desc(), UnitImportance.competency_code)
            .limit(TOP_PRIORITIES)
        )
    ]
    latest = (
        select(Revision.id)
        .join(Plan, Plan.id == Revision.plan_id)
        .where(Plan.instansi_id == instansi_id, Plan.year == home.cycle_year)
        .order_by(Revision.number.desc())
        .limit(1)
        .scalar_subquery()
    )
    home.plan_items = [
        str(title)
        for title in db.session.scalars(
            select(PlanItem.title)
            .where(
                PlanItem.revision_id == latest,
                PlanItem.status == ItemStatus.ACTIVE,
                PlanItem.importance >= RAISE_IMPORTANCE,
            )
            .order_by(PlanItem.importance.desc(), PlanItem.id)
            .limit(TOP_ITEMS)
        )
    ]
    return home
