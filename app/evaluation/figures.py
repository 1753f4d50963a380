"""Evaluation figures for monitoring and the home page: requests answered per level."""

from __future__ import annotations

from sqlalchemy import case, extract, func, select

from app.evaluation.models import EvaluationRequest, EventInstrument, Level
from app.evaluation.results import reaction_min_group, reactions
from app.extensions import db
from app.org.models import Employee
from app.org.scopes import units_in
from app.surveys.models import Campaign, CampaignStatus, Invitation


def answered_by_level(
    instansi_id: int, year: int, unit_path: str | None
) -> dict[str, tuple[int, int]]:
    """(issued, answered) per level for participants in scope, requests due in `year`: one query."""
    answered = func.sum(case((Invitation.completed_on.is_not(None), 1), else_=0))
    rows = db.session.execute(
        select(EvaluationRequest.level, func.count(), answered)
        .join(Invitation, Invitation.id == EvaluationRequest.invitation_id)
        .join(Employee, Employee.id == EvaluationRequest.participant_id)
        .where(
            EvaluationRequest.instansi_id == instansi_id,
            extract("year", EvaluationRequest.due_on) == year,
            units_in(Employee.org_unit_id, unit_path),
        )
        .group_by(EvaluationRequest.level)
    )
    result = {level.value: (0, 0) for level in Level}
    result.update({str(level): (int(n), int(done or 0)) for level, n, done in rows})
    return result


def open_for(employee_id: int) -> int:
    """Evaluation requests this person has still to answer, in campaigns that are open."""
    return (
        db.session.scalar(
            select(func.count())
            .select_from(EvaluationRequest)
            .join(Invitation, Invitation.id == EvaluationRequest.invitation_id)
            .join(Campaign, Campaign.id == Invitation.campaign_id)
            .where(
                EvaluationRequest.respondent_id == employee_id,
                Invitation.completed_on.is_(None),
                Campaign.status == CampaignStatus.OPEN,
            )
        )
        or 0
    )


def reaction_overall(instansi_id: int, year: int) -> float | None:
    """Mean reaction (1–5) over the instansi's events of `year`, hidden below the threshold."""
    campaigns = list(
        db.session.scalars(
            select(Campaign.id)
            .join(EventInstrument, EventInstrument.campaign_id == Campaign.id)
            .where(
                Campaign.instansi_id == instansi_id,
                Campaign.cycle_year == year,
                EventInstrument.level == Level.REACTION,
            )
        )
    )
    return reactions(campaigns, reaction_min_group()).overall
