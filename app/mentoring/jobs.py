"""Daily completion of mentoring pairings past their end date."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app import jobs
from app.clock import local_today
from app.mentoring.services import complete_due_pairings


@jobs.task("mentoring.complete_due", label=_l("Complete finished mentoring pairings"))
def complete_due(ctx: jobs.JobContext) -> None:
    """One UPDATE of active pairings past their end: a rerun changes nothing more."""
    ctx.result = {"summary": f"completed={complete_due_pairings(local_today())}"}


jobs.periodic(
    "mentoring.complete_due",
    "mentoring.complete_due",
    "30 0 * * *",
    _l("Complete mentoring pairings whose end date has passed"),
)
