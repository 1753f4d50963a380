"""Who sees a job: its creator, HR of its instansi, and sysadmins; system jobs (no instansi) are
shown to every HR administrator, who answers for the portal's mail and schedules."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, false, or_, true

from app.access.policy import Principal
from app.accounts.models import Role
from app.jobs.models import Job


def operations_scope(principal: Principal, instansi_column: Any) -> list[ColumnElement[bool]]:
    """Rows of background work HR answers for: its instansi's and the portal's own (no instansi)."""
    if not principal.hr_instansi_ids:
        return []
    return [instansi_column.in_(principal.hr_instansi_ids), instansi_column.is_(None)]


def can_operate(principal: Principal, instansi_id: int | None) -> bool:
    """The same rule as operations_scope for one row; sysadmins everywhere."""
    if principal.has(Role.SYSADMIN):
        return True
    return bool(principal.hr_instansi_ids) and (
        instansi_id is None or instansi_id in principal.hr_instansi_ids
    )


def job_scope(principal: Principal) -> ColumnElement[bool]:
    if principal.has(Role.SYSADMIN):
        return true()
    conditions = operations_scope(principal, Job.instansi_id)
    if principal.user_id is not None:
        conditions.append(Job.created_by_id == principal.user_id)
    return or_(*conditions) if conditions else false()


def can_view_job(principal: Principal, job: Job) -> bool:
    if can_operate(principal, job.instansi_id):
        return True
    return principal.user_id is not None and job.created_by_id == principal.user_id


def can_retry_job(principal: Principal, job: Job) -> bool:
    """Retrying is an HR decision (it may send mail again), not the requester's."""
    return can_operate(principal, job.instansi_id)


def can_download_export(principal: Principal, job: Job) -> bool:
    """An export holds what its requester's scope showed: only that user downloads it."""
    return principal.user_id is not None and job.created_by_id == principal.user_id
