"""Scheduled approval reminders and escalation (the job behind `flask approvals remind`)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app import jobs
from app.training.reminders import send_reminders


@jobs.task("training.approval_reminders", label=_l("Approval reminders and escalation"))
def approval_reminders(ctx: jobs.JobContext, days: int = 3, escalate_after: int = 7) -> None:
    """Queue reminder and escalation mail; each message once per step and period (idempotent)."""
    report = send_reminders(days, escalate_after)
    ctx.result = {
        "summary": f"reminders={report.reminders} escalations={report.escalations} "
        f"steps={report.steps_reminded + report.steps_escalated}"
    }


jobs.periodic(
    "training.approval_reminders",
    "training.approval_reminders",
    "0 7 * * 1-5",
    _l("Remind approvers after 3 days of waiting, escalate after 7"),
    days=3,
    escalate_after=7,
)
