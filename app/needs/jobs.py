"""Needs recompute as a job: one instansi on demand, every instansi nightly (summary refresh)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import jobs
from app.clock import local_today
from app.extensions import db
from app.needs import services
from app.org.models import Instansi


@jobs.task("needs.recompute", label=_l("Needs analysis recompute"))
def recompute(ctx: jobs.JobContext, instansi_id: int, year: int) -> None:
    """Replace one instansi's analysis for a cycle year (idempotent: a rerun gives the same)."""
    summary = services.recompute(instansi_id, year)
    ctx.result = {"summary": f"needs={summary.needs} scores={summary.gaps}"}


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
