"""Reminders and escalation for approval steps that wait too long (run by the scheduler).

Safe to run any number of times: every message is written to the mail outbox in the same
transaction that records it per step, kind, period and recipient, so a rerun queues only what
is still due, and the outbox job delivers each message once (retrying SMTP failures). Reminders
repeat every `days` days of waiting; the escalation is sent once, after `escalate_after` days,
to the approver's own supervisor and to the instansi's HR administrators. Escalation informs;
it never takes the decision away from the head or their Plt/Plh.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import and_, select, update

from app.accounts.models import Role, RoleGrant, User
from app.clock import aware, local_today, utcnow
from app.database import rowcount
from app.extensions import db
from app.mail.services import queue_mail
from app.org.hierarchy import supervisor_of
from app.org.models import Employee
from app.training.models import (
    ActionKind,
    ApprovalReminder,
    Capacity,
    Delegation,
    Nomination,
    NominationAction,
    NominationState,
    NominationStep,
    ReminderKind,
    StepKind,
    StepStatus,
    is_current_step,
)


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    locale: str = "id"


@dataclass
class ReminderReport:
    reminders: int = 0  # messages sent
    escalations: int = 0
    steps_reminded: int = 0
    steps_escalated: int = 0
    failures: list[str] = field(default_factory=list)
    planned: list[str] = field(default_factory=list)  # dry run: what would be sent


def _overdue_steps(cutoff: datetime) -> list[tuple[NominationStep, Nomination]]:
    rows = db.session.execute(
        select(NominationStep, Nomination)
        .join(Nomination, is_current_step())
        .where(
            Nomination.state == NominationState.PENDING,
            NominationStep.status == StepStatus.PENDING,
            NominationStep.opened_at <= cutoff,
        )
        .order_by(NominationStep.opened_at)
    )
    return [(step, nomination) for step, nomination in rows.unique()]


def _people(employee_ids: set[int]) -> dict[int, Recipient]:
    """Email of each employee: the login's address first, then the master-data address."""
    rows = db.session.execute(
        select(Employee.id, Employee.name, Employee.email, User.email, User.locale)
        .outerjoin(User, and_(User.employee_id == Employee.id, User.is_active_account.is_(True)))
        .where(Employee.id.in_(employee_ids))
    )
    people = {}
    for employee_id, name, own_email, login_email, locale in rows:
        email = login_email or own_email
        if email:
            people[employee_id] = Recipient(email, name, locale or "id")
    return people


def _approvers(steps: list[tuple[NominationStep, Nomination]]) -> dict[int, list[Recipient]]:
    """Who must decide each step: the position's holder and its Plt/Plh, or HR; in 3 queries."""
    position_ids = {s.approver_position_id for s, _n in steps if s.approver_position_id}
    holders: dict[int, list[int]] = defaultdict(list)
    for employee_id, position_id in db.session.execute(
        select(Employee.id, Employee.position_id).where(
            Employee.position_id.in_(position_ids), Employee.active.is_(True)
        )
    ):
        if position_id is not None:  # always: the query asks for these positions
            holders[position_id].append(employee_id)
    day = local_today()
    for employee_id, position_id in db.session.execute(
        select(Delegation.delegate_employee_id, Delegation.position_id).where(
            Delegation.position_id.in_(position_ids),
            Delegation.revoked_at.is_(None),
            Delegation.valid_from <= day,
            Delegation.valid_to >= day,
        )
    ):
        holders[position_id].append(employee_id)
    people = _people({e for ids in holders.values() for e in ids})
    hr = _hr_admins({n.instansi_id for _s, n in steps})
    result: dict[int, list[Recipient]] = {}
    for step, nomination in steps:
        if step.kind == StepKind.HR:
            result[step.id] = hr.get(nomination.instansi_id, [])
        else:
            ids = holders.get(step.approver_position_id or 0, [])
            result[step.id] = [
                people[e] for e in ids if e in people and e != nomination.employee_id
            ]
    return result


def _hr_admins(instansi_ids: set[int]) -> dict[int, list[Recipient]]:
    admins: dict[int, list[Recipient]] = defaultdict(list)
    for instansi_id, email, name, locale in db.session.execute(
        select(RoleGrant.instansi_id, User.email, User.display_name, User.locale)
        .join(User, User.id == RoleGrant.user_id)
        .where(
            RoleGrant.role == Role.HR_ADMIN,
            RoleGrant.instansi_id.in_(instansi_ids),
            User.is_active_account.is_(True),
        )
        .order_by(User.email)
    ):
        if instansi_id is not None:  # always: the query asks for these instansi
            admins[instansi_id].append(Recipient(email, name, locale or "id"))
    return admins


def _link(nomination_id: int) -> str:
    try:
        return url_for("training.nomination_detail", nomination_id=nomination_id, _external=True)
    except RuntimeError:  # no request and no SERVER_NAME (cron): the path is still useful
        return f"/training/nominations/{nomination_id}"


def _line(step: NominationStep, nomination: Nomination, now: datetime) -> str:
    waited = (now - (aware(step.opened_at) or now)).days
    event = nomination.event
    return _(
        "- %(name)s: %(program)s · %(batch)s (starts %(start)s), waiting %(days)d days: %(link)s",
        name=nomination.employee.name,
        program=event.program.title,
        batch=event.batch_code,
        start=event.start_date.isoformat(),
        days=waited,
        link=_link(nomination.id),
    )


def _already_sent(step_ids: set[int], kind: ReminderKind) -> set[tuple[int, int, str]]:
    return {
        (step_id, period, recipient)
        for step_id, period, recipient in db.session.execute(
            select(
                ApprovalReminder.step_id, ApprovalReminder.period, ApprovalReminder.recipient
            ).where(ApprovalReminder.step_id.in_(step_ids), ApprovalReminder.kind == kind)
        )
    }


def _send(recipient: Recipient, subject: str, lines: list[str], intro: str, kind: str) -> None:
    """Queue one message in the outbox; it is delivered after the caller's commit."""
    body = intro + "\n\n" + "\n".join(lines) + "\n"
    queue_mail(recipient.email, subject, body, category=f"training.{kind}")


def send_reminders(
    days: int, escalate_after: int, now: datetime | None = None, dry_run: bool = False
) -> ReminderReport:
    """Remind approvers of steps waiting `days` or more, escalate those waiting
    `escalate_after` or more; each message once (see the module docstring)."""
    now = now or utcnow()
    report = ReminderReport()
    steps = _overdue_steps(now - timedelta(days=days))
    if not steps:
        return report
    approvers = _approvers(steps)
    sent = _already_sent({s.id for s, _n in steps}, ReminderKind.REMIND)
    due: dict[Recipient, list[tuple[NominationStep, Nomination, int]]] = defaultdict(list)
    for step, nomination in steps:
        waited = (now - (aware(step.opened_at) or now)).days
        period = max(waited // days, 1)
        for recipient in approvers.get(step.id, []):
            if (step.id, period, recipient.email) not in sent:
                due[recipient].append((step, nomination, period))
    for recipient, items in due.items():
        with force_locale(recipient.locale):
            subject = _("Bangkom: %(n)d nominations await your decision", n=len(items))
            intro = _(
                "Hello %(name)s, these training nominations wait for your decision:",
                name=recipient.name,
            )
            lines = [_line(step, nomination, now) for step, nomination, _p in items]
        if dry_run:
            report.planned.append(f"remind {recipient.email}: {len(items)}")
            continue
        _send(recipient, subject, lines, intro, "reminder")
        db.session.add_all(
            ApprovalReminder(
                step_id=step.id,
                kind=ReminderKind.REMIND,
                period=period,
                recipient=recipient.email,
                sent_at=now,
            )
            for step, _n, period in items
        )
        db.session.commit()
        report.reminders += 1
        report.steps_reminded += len(items)
    _escalate(
        [
            (s, n)
            for s, n in steps
            if (aware(s.opened_at) or now) <= now - timedelta(days=escalate_after)
        ],
        approvers,
        now,
        dry_run,
        report,
    )
    return report


def _escalation_recipients(
    step: NominationStep,
    nomination: Nomination,
    approvers: list[Recipient],
    hr: dict[int, list[Recipient]],
) -> list[Recipient]:
    """The approver's own supervisor (for a person's step) and the instansi's HR."""
    recipients: list[Recipient] = list(hr.get(nomination.instansi_id, []))
    if step.approver_employee_id is not None:
        approver = db.session.get(Employee, step.approver_employee_id)
        boss = supervisor_of(approver) if approver is not None else None
        if boss is not None and boss.id != nomination.employee_id:
            recipients.extend(_people({boss.id}).values())
    approver_emails = {r.email for r in approvers} if step.kind != StepKind.HR else set()
    unique: dict[str, Recipient] = {}
    for recipient in recipients:
        if recipient.email not in approver_emails:
            unique.setdefault(recipient.email, recipient)
    return list(unique.values())


def _escalate(
    steps: list[tuple[NominationStep, Nomination]],
    approvers: dict[int, list[Recipient]],
    now: datetime,
    dry_run: bool,
    report: ReminderReport,
) -> None:
    steps = [(s, n) for s, n in steps if s.escalated_at is None]
    if not steps:
        return
    hr = _hr_admins({n.instansi_id for _s, n in steps})
    for step, nomination in steps:
        recipients = _escalation_recipients(step, nomination, approvers.get(step.id, []), hr)
        if dry_run:
            report.planned.append(f"escalate step {step.id}: {len(recipients)}")
            continue
        delivered = []
        for recipient in recipients:
            with force_locale(recipient.locale):
                subject = _("Bangkom: a training nomination is overdue for decision")
                intro = _(
                    "Hello %(name)s, this nomination has waited longer than agreed; please "
                    "follow it up with the approver or their Plt/Plh:",
                    name=recipient.name,
                )
                lines = [_line(step, nomination, now)]
            _send(recipient, subject, lines, intro, "escalation")
            delivered.append(recipient.email)
            report.escalations += 1
        # Conditional on the step still being open: a decision taken meanwhile wins, and the
        # audit trail never shows an escalation after the decision.
        marked = db.session.execute(
            update(NominationStep)
            .where(
                NominationStep.id == step.id,
                NominationStep.status == StepStatus.PENDING,
                NominationStep.escalated_at.is_(None),
            )
            .values(escalated_at=now)
            .execution_options(synchronize_session=False)
        )
        if rowcount(marked) != 1:
            db.session.rollback()
            continue
        db.session.add_all(
            ApprovalReminder(
                step_id=step.id, kind=ReminderKind.ESCALATE, period=0, recipient=email, sent_at=now
            )
            for email in delivered
        )
        db.session.add(
            NominationAction(
                nomination_id=nomination.id,
                round=nomination.round,
                step_no=step.step_no,
                action=ActionKind.ESCALATE,
                from_state=NominationState.PENDING,
                to_state=NominationState.PENDING,
                actor_name="Bangkom",
                capacity=Capacity.SYSTEM,
                comment=", ".join(delivered) or _("No recipient with an email address."),
                at=now,
            )
        )
        db.session.commit()
        report.steps_escalated += 1
