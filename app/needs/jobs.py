"""Needs recompute as a job: one instansi on demand, every instansi nightly (summary refresh)."""

from __future__ import annotations

from flask import current_app, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import jobs
from app.clock import local_today
from app.errors import ServiceError
from app.extensions import db
from app.needs import services
from app.org.models import Instansi


@jobs.task("needs.recompute", label=_l("Needs analysis recompute"), max_attempts=3)
def recompute(ctx: jobs.JobContext, instansi: int, year: int, user_id: int | None = None) -> None:
    """Replace one instansi's analysis for a cycle year (idempotent: a rerun gives the same)."""
    ctx.progress(0, 1)
    try:
        summary = services.recompute(instansi, year, user_id)
    except ServiceError as error:
        db.session.rollback()
        raise jobs.PermanentFailure(str(error.message)) from None
    with current_app.test_request_context("/"):
        ctx.result = {
            "url": url_for("needs.index", instansi=instansi, year=year),
            "label": _("Open the analysis"),
            "summary": _(
                "Analysis recomputed: %(employees)d employees, %(gaps)d scores, %(needs)d needs, "
                "%(issues)d notes on what was skipped.",
                employees=summary.employees,
                gaps=summary.gaps,
                needs=summary.needs,
                issues=summary.issues,
            ),
        }


@jobs.task("needs.refresh_all", label=_l("Nightly needs analysis refresh"))
def refresh_all(ctx: jobs.JobContext, year: int | None = None) -> None:
    """Recompute every instansi's current cycle, committing after each one."""
    cycle = year or local_today().year
    ids = list(db.session.scalars(select(Instansi.id).order_by(Instansi.id)))
    for done, instansi_id in enumerate(ids, 1):
        services.recompute(instansi_id, cycle)
        ctx.progress(done, len(ids))


jobs.periodic(
    "needs.refresh_all",
    "needs.refresh_all",
    "30 1 * * *",
    _l("Recompute the needs analysis of every instansi for the current year"),
)
