"""Participation figures for monitoring: invited, started and submitted per respondent group."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, case, func, select

from app.extensions import db
from app.org.scopes import units_in
from app.surveys.models import (
    Answer,
    Campaign,
    CampaignStatus,
    Invitation,
    Response,
    ResponseStatus,
)
from app.surveys.services import STAKEHOLDER_GROUPS, group_label, role_label


@dataclass(frozen=True)
class GroupParticipation:
    """One respondent group of one cycle: stakeholder group for the public, rater role otherwise."""

    key: str
    label: str
    invited: int
    started: int
    submitted: int
    submitted_invited: int  # submissions that answer an invitation (not the public link)

    @property
    def rate(self) -> float | None:
        """Invitations answered; None for groups reached only through a public link."""
        return self.submitted_invited / self.invited if self.invited else None


def participation(instansi_id: int, year: int, unit_path: str | None) -> list[GroupParticipation]:
    """Invitations and responses of the instansi's campaigns of `year`, per group: two queries.

    Both group by the raw columns of a covering index (campaign, group, role), so the database
    reads the index in order and returns a row per campaign and group, whatever the number of
    respondents; the campaigns are summed here.
    """
    campaigns = select(Campaign.id).where(
        Campaign.instansi_id == instansi_id, Campaign.cycle_year == year
    )
    invited: dict[str, int] = {}
    for group, role, count in db.session.execute(
        select(Invitation.stakeholder_group, Invitation.rater_role, func.count())
        .where(
            Invitation.campaign_id.in_(campaigns),
            units_in(Invitation.org_unit_id, unit_path),
        )
        .group_by(Invitation.campaign_id, Invitation.stakeholder_group, Invitation.rater_role)
    ):
        key = group if group is not None else role
        invited[key] = invited.get(key, 0) + int(count)
    is_submitted = Response.status == ResponseStatus.SUBMITTED
    submitted = func.sum(case((is_submitted, 1), else_=0))
    answered = func.sum(case((is_submitted & Response.invitation_id.is_not(None), 1), else_=0))
    responses: dict[str, tuple[int, int, int]] = {}
    for group, role, started, done, by_invitation in db.session.execute(
        select(Response.stakeholder_group, Response.rater_role, func.count(), submitted, answered)
        .where(
            Response.campaign_id.in_(campaigns),
            units_in(Response.org_unit_id, unit_path),
        )
        .group_by(Response.campaign_id, Response.stakeholder_group, Response.rater_role)
    ):
        key = group if group is not None else role
        before = responses.get(key, (0, 0, 0))
        responses[key] = (
            before[0] + int(started),
            before[1] + int(done or 0),
            before[2] + int(by_invitation or 0),
        )
    rows = []
    for key in sorted(set(invited) | set(responses)):
        label = group_label(key) if key in STAKEHOLDER_GROUPS else role_label(key)
        started, done, by_invitation = responses.get(key, (0, 0, 0))
        count = invited.get(key, 0)
        rows.append(GroupParticipation(key, label, count, started, done, by_invitation))
    return rows


def submissions_by_month(instansi_id: int, years: tuple[int, ...]) -> dict[int, list[int]]:
    """Responses submitted per calendar month for each of `years` (12 counts each): one query.

    The years are a date range on `submitted_on` (no per-row date function) read from the index
    (status, submitted_on, campaign); the database counts per day (at most 366 rows a year,
    whatever the number of responses) and the days are put into months here.
    """
    counts = {y: [0] * 12 for y in years}
    if not years:
        return counts
    rows = db.session.execute(
        select(Response.submitted_on, func.count())
        .where(
            Response.status == ResponseStatus.SUBMITTED,
            Response.submitted_on >= date(min(years), 1, 1),
            Response.submitted_on < date(max(years) + 1, 1, 1),
            Response.campaign_id.in_(
                select(Campaign.id).where(Campaign.instansi_id == instansi_id)
            ),
        )
        .group_by(Response.submitted_on)
    )
    for day, count in rows:
        if day is not None and day.year in counts:
            counts[day.year][day.month - 1] += int(count)
    return counts


def open_campaigns_for(employee_id: int) -> int:
    """Invitations of open campaigns the employee still has to answer."""
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Invitation)
            .join(Campaign, Campaign.id == Invitation.campaign_id)
            .where(
                Invitation.respondent_employee_id == employee_id,
                Invitation.completed_on.is_(None),
                Campaign.status == CampaignStatus.OPEN,
            )
        )
        or 0
    )


def submitted_per_campaign(campaign_ids: list[int]) -> dict[int, int]:
    """Submitted responses of each campaign: one grouped query."""
    if not campaign_ids:
        return {}
    rows = db.session.execute(
        select(Response.campaign_id, func.count())
        .where(Response.campaign_id.in_(campaign_ids), Response.status == ResponseStatus.SUBMITTED)
        .group_by(Response.campaign_id)
    )
    return {campaign_id: int(n) for campaign_id, n in rows}


def item_means(campaign_ids: list[int], item_ids: list[str]) -> dict[tuple[int, str], float]:
    """Mean numeric answer per campaign and item (all rows of a matrix together), submitted only."""
    if not campaign_ids:
        return {}
    rows = db.session.execute(
        select(Response.campaign_id, Answer.item_id, func.avg(Answer.value_number))
        .join(Answer, Answer.response_id == Response.id)
        .where(
            Response.campaign_id.in_(campaign_ids),
            Response.status == ResponseStatus.SUBMITTED,
            Answer.item_id.in_(item_ids),
            Answer.value_number.is_not(None),
        )
        .group_by(Response.campaign_id, Answer.item_id)
    )
    return {(campaign_id, item): float(mean) for campaign_id, item, mean in rows}


def _text_answers(campaign_ids: list[int], item_ids: list[str]) -> tuple[ColumnElement[bool], ...]:
    """Non-empty text answers to `item_ids` in submitted responses of the campaigns."""
    return (
        Response.campaign_id.in_(campaign_ids),
        Response.status == ResponseStatus.SUBMITTED,
        Answer.item_id.in_(item_ids),
        Answer.value_text.is_not(None),
        Answer.value_text != "",
    )


def free_texts(
    campaign_ids: list[int], item_ids: list[str], limit: int = 50
) -> list[tuple[int, str, str]]:
    """(campaign, item, text) of non-empty text answers, newest responses first, at most `limit`."""
    if not campaign_ids:
        return []
    rows = db.session.execute(
        select(Response.campaign_id, Answer.item_id, Answer.value_text)
        .join(Answer, Answer.response_id == Response.id)
        .where(*_text_answers(campaign_ids, item_ids))
        .order_by(Response.id.desc())
        .limit(limit)
    )
    return [(c, item, text) for c, item, text in rows if text is not None]


def free_texts_per_campaign(
    campaign_ids: list[int], item_ids: list[str], per_campaign: int
) -> list[tuple[int, str, str]]:
    """(campaign, item, text) of non-empty text answers, the newest `per_campaign` of each
    campaign (newest first): one query, whatever the number of campaigns."""
    if not campaign_ids or per_campaign < 1:
        return []
    rank = (
        func.row_number()
        .over(partition_by=Response.campaign_id, order_by=(Response.id.desc(), Answer.id))
        .label("rank")
    )
    ranked = (
        select(Response.campaign_id, Answer.item_id, Answer.value_text, Response.id, rank)
        .join(Answer, Answer.response_id == Response.id)
        .where(*_text_answers(campaign_ids, item_ids))
        .subquery()
    )
    rows = db.session.execute(
        select(ranked.c.campaign_id, ranked.c.item_id, ranked.c.value_text)
        .where(ranked.c.rank <= per_campaign)
        .order_by(ranked.c.id.desc(), ranked.c.rank)
    )
    return [(int(c), item, text or "") for c, item, text in rows]


def answers_by_invitation(invitation_ids: list[int]) -> dict[int, dict[str, object]]:
    """The submitted answers of named (not anonymous) invitations, as field → stored value."""
    if not invitation_ids:
        return {}
    result: dict[int, dict[str, object]] = {}
    rows = db.session.execute(
        select(Response.invitation_id, Answer.field, Answer.value_number, Answer.value_text)
        .join(Answer, Answer.response_id == Response.id)
        .where(
            Response.invitation_id.in_(invitation_ids),
            Response.status == ResponseStatus.SUBMITTED,
        )
    )
    for invitation_id, field, number, text in rows:
        if invitation_id is not None:  # always: the query asks for these invitations
            result.setdefault(invitation_id, {})[field] = number if number is not None else text
    return result
