"""Who sees a job: its creator, HR of its instansi, and sysadmins; system jobs (no instansi) are
shown to every HR administrator, who answers for the portal's mail and schedules."""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, or_, true

from app.access.policy import Principal
from app.accounts.models import Role
from app.jobs.models import Job


def job_scope(principal: Principal) -> ColumnElement[bool]:
    if principal.has(Role.SYSADMIN):
        return true()
    conditions: list[ColumnElement[bool]] = []
    if principal.hr_instansi_ids:
        conditions.append(Job.instansi_id.in_(principal.hr_instansi_ids))
        conditions.append(Job.instansi_id.is_(None))
    if principal.user_id is not None:
        conditions.append(Job.created_by_id == principal.user_id)
    return or_(*conditions) if conditions else false()


def can_view_job(principal: Principal, job: Job) -> bool:
    if principal.has(Role.SYSADMIN):
        return True
    if principal.hr_instansi_ids and (
        job.instansi_id is None or job.instansi_id in principal.hr_instansi_ids
    ):
        return True
    return principal.user_id is not None and job.created_by_id == principal.user_id


def can_retry_job(principal: Principal, job: Job) -> bool:
    """Retrying is an HR decision (it may send mail again), not the requester's."""
    if principal.has(Role.SYSADMIN):
        return True
    return bool(principal.hr_instansi_ids) and (
        job.instansi_id is None or job.instansi_id in principal.hr_instansi_ids
    )
