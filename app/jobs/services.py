"""Queries and actions of the job pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select

from app.access.policy import Principal
from app.errors import ServiceError
from app.extensions import db
from app.jobs.models import Job, JobState
from app.jobs.policy import can_retry_job, job_scope
from app.jobs.runner import retry


def job_list_query(principal: Principal, state: JobState | None) -> Select[Job]:
    query = select(Job).where(job_scope(principal)).order_by(Job.id.desc())
    if state is not None:
        query = query.where(Job.state == state)
    return query


def retry_job(principal: Principal, job: Job) -> Job:
    if not can_retry_job(principal, job):
        raise ServiceError(_l("Only HR administrators retry jobs."))
    retry(job)
    db.session.commit()
    return job
