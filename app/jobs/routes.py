"""Job pages: progress of one job (htmx poll + plain refresh), the HR list of failed jobs with
their reason and a retry button, and the scheduler's entries with their last run."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from app.access.guards import current_principal, load_or_404, roles_required
from app.accounts.models import Role
from app.errors import ServiceError
from app.jobs import exports, services
from app.jobs.models import Job, JobState
from app.jobs.policy import can_download_export, can_retry_job, can_view_job
from app.jobs.registry import TASKS
from app.jobs.schedule import schedule_overview
from app.web.forms import CsrfForm
from app.web.htmx import render_page
from app.web.navigation import NavEntry, add_nav
from app.web.pagination import paginate
from app.web.params import page_arg

bp = Blueprint("jobs", __name__, url_prefix="/jobs")

add_nav(NavEntry("jobs.job_list", _l("Background jobs"), (Role.HR_ADMIN, Role.SYSADMIN), order=92))

STATE_LABELS = {
    JobState.QUEUED: _l("Waiting"),
    JobState.RUNNING: _l("Running"),
    JobState.SUCCEEDED: _l("Done"),
    JobState.FAILED: _l("Failed"),
}


def task_label(job: Job) -> str:
    spec = TASKS.get(job.task)
    return str(spec.label) if spec is not None else job.task


def _context(**extra: object) -> dict[str, object]:
    return {"state_labels": STATE_LABELS, "task_label": task_label, **extra}


@bp.get("/<int:job_id>")
@login_required
def detail(job_id: int) -> ResponseReturnValue:
    """One job's progress; the status block polls itself until the job has finished."""
    job = load_or_404(Job, job_id, can_view_job)
    return render_page(
        "jobs/detail.html",
        "job_status",
        **_context(job=job, form=CsrfForm(), can_retry=can_retry_job(current_principal(), job)),
    )


@bp.get("/")
@login_required
@roles_required(Role.HR_ADMIN, Role.SYSADMIN)
def job_list() -> ResponseReturnValue:
    """Jobs of the user's instansi; failed ones first by default, with the reason and Retry."""
    raw = request.args.get("state", JobState.FAILED.value)
    state = JobState(raw) if raw in {s.value for s in JobState} else None
    page = page_arg()
    pagination = paginate(
        services.job_list_query(current_principal(), state), page, 50, scalars=True
    )
    return render_page(
        "jobs/list.html",
        "job_table",
        **_context(pagination=pagination, state=state, states=list(JobState), form=CsrfForm()),
    )


@bp.post("/<int:job_id>/retry")
@login_required
@roles_required(Role.HR_ADMIN, Role.SYSADMIN)
def retry(job_id: int) -> ResponseReturnValue:
    """Queue a failed job again (CSRF is checked app-wide before this runs)."""
    job = load_or_404(Job, job_id, can_view_job)
    try:
        services.retry_job(current_principal(), job)
    except ServiceError as error:
        flash(str(error.message), "error")
        return redirect(url_for("jobs.detail", job_id=job_id), 303)
    flash(_("The job was queued again."), "success")
    return redirect(url_for("jobs.detail", job_id=job_id), 303)


@bp.get("/schedule")
@login_required
@roles_required(Role.HR_ADMIN, Role.SYSADMIN)
def schedule() -> ResponseReturnValue:
    """The scheduler's entries, the time each runs at, and its last recorded run."""
    return render_page("jobs/schedule.html", "schedule_table", **_context(rows=schedule_overview()))


@bp.get("/<int:job_id>/download")
@login_required
def export_download(job_id: int) -> ResponseReturnValue:
    """The file of a finished export job, for the user who asked for it (404 once removed)."""
    job = load_or_404(Job, job_id, can_download_export)
    path = exports.file_of(job)
    if path is None:
        abort(404)
    mimetype = "text/csv" if path.suffix == ".csv" else exports.writer.XLSX_MIMETYPE
    return send_file(
        path, mimetype=mimetype, as_attachment=True, download_name=path.name.split("-", 1)[1]
    )
