"""Invitations: bulk insert, stakeholder lists, progress rows, and the mail sent for them."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from app.clock import utcnow
from app.errors import ServiceError, ValidationFailed
from app.extensions import db
from app.mail.services import queue_mail
from app.org.models import Employee, OrgUnit
from app.surveys.definition import Definition
from app.surveys.models import (
    Campaign,
    CampaignStatus,
    Invitation,
    Response,
    ResponseStatus,
)
from app.surveys.services.answering import estimated_minutes, invitation_prefill
from app.surveys.services.branding import brand_for
from app.surveys.services.days import campaign_end, campaign_today
from app.surveys.services.definitions import campaign_definition
from app.surveys.services.optout import optout_token
from app.surveys.services.tokens import new_invitation_secret, token_for
from app.surveys.services.vocabulary import (
    EMAIL_RE,
    EMPLOYEE_AUDIENCES,
    GROUP_RE,
    PAGE_SIZE,
    STAKEHOLDER_GROUPS,
)
from app.web import formats

REMINDER_INTERVAL = timedelta(hours=20)
MAX_INVITATION_LINES = 500


def insert_invitations(campaign: Campaign, rows: list[dict[str, object]]) -> int:
    """Bulk insert invitations (tokens derived here, expiring when the campaign closes)."""
    expires = campaign_end(campaign)
    rows = [{"campaign_id": campaign.id, "expires_at": expires, **row} for row in rows]
    return insert_invitation_rows(rows)


def insert_invitation_rows(rows: list[dict[str, object]]) -> int:
    """Invitations of any campaigns in one INSERT (each row names its `campaign_id` and
    `expires_at`); new tokens are derived here. Read the ids back with `invitation_keys`."""
    if not rows:
        return 0
    now = utcnow()
    prepared = []
    for row in rows:
        nonce, token_hash = new_invitation_secret()
        prepared.append(
            {
                "token_nonce": nonce,
                "token_hash": token_hash,
                "reminder_count": 0,
                "created_at": now,
                "updated_at": now,
                "email": None,
                "name": None,
                "organisation": None,
                "stakeholder_group": None,
                "respondent_employee_id": None,
                "subject_employee_id": None,
                "org_unit_id": None,
                **row,
            }
        )
    db.session.execute(Invitation.__table__.insert(), prepared)  # Core: one executemany
    return len(prepared)


InvitationKey = tuple[int, int | None, int | None, str]


def invitation_keys(campaign_ids: list[int]) -> dict[InvitationKey, int]:
    """Invitation ids of campaigns by (campaign, respondent, subject, rater role): one query."""
    if not campaign_ids:
        return {}
    rows = db.session.execute(
        select(
            Invitation.campaign_id,
            Invitation.respondent_employee_id,
            Invitation.subject_employee_id,
            Invitation.rater_role,
            Invitation.id,
        ).where(Invitation.campaign_id.in_(campaign_ids))
    )
    return {(c, r, s, role): i for c, r, s, role, i in rows}


@dataclass
class InvitationLine:
    email: str
    name: str | None
    organisation: str | None
    group: str | None


def parse_invitation_lines(text: str) -> list[InvitationLine]:
    """One stakeholder per line: ``email; name; organisation; group`` (only the email needed)."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if not lines:
        raise ServiceError(_l("Enter at least one email address."), "lines")
    if len(lines) > MAX_INVITATION_LINES:
        raise ServiceError(
            _l("At most %(n)d invitations at once.", n=MAX_INVITATION_LINES), "lines"
        )
    parsed, problems, seen = [], [], set()
    for number, line in enumerate(lines, start=1):
        parts = [part.strip() for part in re.split(r"[;\t]", line)]
        email = parts[0].lower()
        group = (parts[3].lower() if len(parts) > 3 else "") or None
        if not EMAIL_RE.fullmatch(email) or len(email) > 254:
            problems.append(("lines", str(_l("Line %(n)d: not an email address.", n=number))))
            continue
        if group is not None and not GROUP_RE.fullmatch(group):
            problems.append(("lines", str(_l("Line %(n)d: unknown stakeholder group.", n=number))))
            continue
        if email in seen:
            problems.append(("lines", str(_l("Line %(n)d: listed twice.", n=number))))
            continue
        seen.add(email)
        parsed.append(
            InvitationLine(
                email,
                (parts[1][:200] if len(parts) > 1 else "") or None,
                (parts[2][:200] if len(parts) > 2 else "") or None,
                group,
            )
        )
    if problems:
        raise ValidationFailed(problems)
    return parsed


def add_invitations(campaign: Campaign, text: str, group: str | None, unit_id: int | None) -> int:
    """Invite stakeholders by email; addresses already invited to the campaign are refused."""
    if campaign.status == CampaignStatus.CLOSED:
        raise ServiceError(_l("The campaign is closed."))
    if campaign.audience in EMPLOYEE_AUDIENCES:
        raise ServiceError(_l("Employees are assigned from the position tree when publishing."))
    if group and group not in STAKEHOLDER_GROUPS:
        raise ServiceError(_l("Choose a stakeholder group from the list."), "group")
    if unit_id is not None:
        unit = db.session.get(OrgUnit, unit_id)
        if unit is None or unit.instansi_id != campaign.instansi_id:
            raise ServiceError(_l("Choose a unit of this instansi."), "unit_id")
    lines = parse_invitation_lines(text)
    taken = set(
        db.session.scalars(
            select(func.lower(Invitation.email)).where(
                Invitation.campaign_id == campaign.id,
                func.lower(Invitation.email).in_([line.email for line in lines]),
            )
        )
    )
    if taken:
        raise ServiceError(
            _l("Already invited: %(emails)s", emails=", ".join(sorted(taken))), "lines"
        )
    count = insert_invitations(
        campaign,
        [
            {
                "rater_role": campaign.audience.value,
                "email": line.email,
                "name": line.name,
                "organisation": line.organisation,
                "stakeholder_group": line.group or group,
                "org_unit_id": unit_id,
            }
            for line in lines
        ],
    )
    db.session.commit()
    return count


@dataclass
class InvitationRow:
    invitation: Invitation
    subject_name: str | None
    respondent_name: str | None
    unit_name: str | None
    response_status: ResponseStatus | None

    @property
    def state(self) -> str:
        """submitted / started / sent / waiting."""
        if self.invitation.completed_on or self.response_status == ResponseStatus.SUBMITTED:
            return "submitted"
        if self.response_status == ResponseStatus.DRAFT:
            return "started"
        return "sent" if self.invitation.sent_at else "waiting"


def invitation_rows(
    campaign: Campaign, state: str | None, page: int
) -> tuple[list[InvitationRow], int]:
    """One page of a campaign's invitations with names and progress (two queries)."""
    subject = db.aliased(Employee)
    respondent = db.aliased(Employee)
    query = (
        select(Invitation, subject.name, respondent.name, OrgUnit.name, Response.status)
        .outerjoin(subject, Invitation.subject_employee_id == subject.id)
        .outerjoin(respondent, Invitation.respondent_employee_id == respondent.id)
        .outerjoin(OrgUnit, Invitation.org_unit_id == OrgUnit.id)
        .outerjoin(Response, Response.invitation_id == Invitation.id)
        .where(Invitation.campaign_id == campaign.id)
    )
    done = or_(Invitation.completed_on.is_not(None), Response.status == ResponseStatus.SUBMITTED)
    if state == "submitted":
        query = query.where(done)
    elif state == "started":
        query = query.where(Response.status == ResponseStatus.DRAFT)
    elif state == "pending":  # spelled out: NOT over an outer join's NULLs drops rows
        query = query.where(
            Invitation.completed_on.is_(None),
            or_(Response.status.is_(None), Response.status != ResponseStatus.SUBMITTED),
        )
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.session.execute(
        query.order_by(Invitation.id).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).all()
    return [
        InvitationRow(inv, subject_name, respondent_name or inv.name, unit_name, status)
        for inv, subject_name, respondent_name, unit_name, status in rows
    ], total


# ------------------------------------------------------------------------------------ mail


LinkFor = Callable[[str], str]


def _invitation_message(
    campaign: Campaign,
    invitation: Invitation,
    link: str,
    reminder: bool,
    sender: str,
    minutes: int,
    optout: str,
) -> tuple[str, str]:
    """Subject and text of an invitation or reminder, in Indonesian (the default language):
    who sends it, which survey, the personal link and until when it works."""
    with force_locale("id"):
        if reminder:
            subject = _("Reminder: %(title)s", title=campaign.title)
            opening = _(
                "You have not yet finished the survey “%(title)s” of %(sender)s. Your answers "
                "so far are kept.",
                title=campaign.title,
                sender=sender,
            )
        else:
            subject = _("Invitation: %(title)s", title=campaign.title)
            opening = _(
                "%(sender)s invites you to take part in the survey “%(title)s”.",
                title=campaign.title,
                sender=sender,
            )
        lines = [
            _("Dear %(name)s,", name=invitation.name or _("respondent")),
            "",
            opening,
            *([_("Answering takes ± %(n)d minutes.", n=minutes)] if minutes else []),
            "",
            link,
            "",
            _(
                "The link is personal; please do not share it. It works until %(day)s.",
                day=formats.day(campaign.closes_on),
            ),
            _("You can stop at any time and continue later with the same link."),
            "",
            _("No more reminders for this survey? Use this link: %(link)s", link=optout),
            "",
            sender,
        ]
    return subject, "\n".join(lines)


def optout_link(token: str) -> str:
    """The mailed link that stops reminders (its page confirms and can undo)."""
    return url_for("surveys.reminders_optout", token=token, _external=True)


def send_invitations(campaign: Campaign, link_for: LinkFor) -> int:
    """Email every invitation not yet sent; a failure keeps what was sent and can be rerun."""
    if campaign.status != CampaignStatus.OPEN:
        raise ServiceError(_l("Invitations are sent once the campaign is open."))
    pending = list(
        db.session.scalars(
            select(Invitation)
            .where(
                Invitation.campaign_id == campaign.id,
                Invitation.sent_at.is_(None),
                Invitation.email.is_not(None),
                Invitation.completed_on.is_(None),
            )
            .order_by(Invitation.id)
        )
    )
    return _deliver(campaign, pending, link_for, reminder=False)


def send_reminders(campaign: Campaign, link_for: LinkFor, now: datetime | None = None) -> int:
    """Remind only those invited who have not submitted; repeating within the interval sends
    nothing (idempotent), so a double click never mails anyone twice."""
    if campaign.status != CampaignStatus.OPEN:
        raise ServiceError(_l("Reminders are sent while the campaign is open."))
    now = now or utcnow()
    submitted = select(Response.invitation_id).where(
        Response.campaign_id == campaign.id,
        Response.status == ResponseStatus.SUBMITTED,
        Response.invitation_id.is_not(None),
    )
    due = list(
        db.session.scalars(
            select(Invitation)
            .where(
                Invitation.campaign_id == campaign.id,
                Invitation.email.is_not(None),
                Invitation.sent_at.is_not(None),
                Invitation.completed_on.is_(None),
                Invitation.reminders_stopped_at.is_(None),  # the invitee opted out
                Invitation.expires_at > now,
                Invitation.id.not_in(submitted),
                or_(
                    Invitation.reminded_at.is_(None),
                    Invitation.reminded_at < now - REMINDER_INTERVAL,
                ),
            )
            .order_by(Invitation.id)
        )
    )
    return _deliver(campaign, due, link_for, reminder=True, now=now)


def _deliver(
    campaign: Campaign,
    invitations: list[Invitation],
    link_for: LinkFor,
    reminder: bool,
    now: datetime | None = None,
) -> int:
    """Write one outbox message per invitation and mark it, in one transaction: a second click
    finds nothing left to send, and the outbox job delivers each message once."""
    now = now or utcnow()
    category = "survey.reminder" if reminder else "survey.invitation"
    brand = brand_for(campaign.instansi_id)
    sender = brand.name if brand is not None else ""
    try:
        definition: Definition | None = campaign_definition(campaign)
    except ServiceError:  # the respondent's page says the link cannot be answered
        definition = None
    today = campaign_today(campaign)
    minutes: dict[tuple[str | None, str], int] = {}  # by what the invitation prefills
    for invitation in invitations:
        key = (invitation.stakeholder_group, invitation.rater_role)
        if definition is None:
            minutes[key] = 0
        elif key not in minutes:
            known = invitation_prefill(definition, invitation)
            minutes[key] = estimated_minutes(definition, known, today)
        subject, text = _invitation_message(
            campaign,
            invitation,
            link_for(token_for(invitation)),
            reminder,
            sender,
            minutes[key],
            optout := optout_link(optout_token(invitation.id)),
        )
        queue_mail(
            invitation.email or "",
            subject,
            text,
            category=category,
            instansi_id=campaign.instansi_id,
            sender_name=sender,
            list_unsubscribe=optout,
        )
        if reminder:
            invitation.reminded_at = now
            invitation.reminder_count += 1
        else:
            invitation.sent_at = now
    db.session.commit()
    return len(invitations)


def email_resume_link(address: str, link: str, title: str, instansi_id: int | None = None) -> None:
    """Mail a respondent the link to continue; the address itself is not stored. The mail is
    sent under the instansi's survey name, like invitations."""
    if not EMAIL_RE.fullmatch(address.strip()) or len(address) > 254:
        raise ServiceError(_l("Enter a valid email address."), "email")
    subject = _("Continue your survey: %(title)s", title=title)
    text = "\n".join(
        [
            _("Use this link to continue where you stopped:"),
            "",
            link,
            "",
            _("Anyone with the link can see your unfinished answers; keep it to yourself."),
        ]
    )
    brand = brand_for(instansi_id)
    queue_mail(
        address.strip(),
        subject,
        text,
        category="survey.resume",
        forget_recipient=True,
        sender_name=brand.name if brand is not None else None,
    )
    db.session.commit()
