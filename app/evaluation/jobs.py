"""Background jobs of evaluation: the daily due scan (then its mail) and weekly reminders."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l

from app import jobs
from app.evaluation.scan import run_due
from app.evaluation.sending import remind_open, send_for
from app.extensions import db
from app.surveys.services.days import local_today


@jobs.task("evaluation.run_due", label=_l("Due evaluations"), max_attempts=5)
def run_due_job(ctx: jobs.JobContext, day: str | None = None) -> None:
    """Issue what is due, commit, then mail the new invitations (each mail goes once)."""
    today = date.fromisoformat(day) if day else local_today()
    result = run_due(today)
    db.session.commit()
    sent = send_for(result.campaign_ids)
    ctx.result = {"summary": f"{result.total} requests issued, {sent} invitations mailed"}


@jobs.task("evaluation.remind", label=_l("Evaluation reminders"), max_attempts=3)
def remind_job(ctx: jobs.JobContext) -> None:
    ctx.result = {"summary": f"{remind_open()} reminders"}


jobs.periodic("evaluation.due_scan", "evaluation.run_due", "30 6 * * *", _l("Due evaluations"))
jobs.periodic("evaluation.reminders", "evaluation.remind", "0 8 * * 1", _l("Evaluation reminders"))
