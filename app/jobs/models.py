"""The job table: the database, not the broker, is the record of every background job."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.clock import utcnow
from app.models import Base, str_enum


class JobState(enum.StrEnum):
    QUEUED = "queued"  # waiting for a worker (possibly until run_after, after a failed attempt)
    RUNNING = "running"  # claimed by a worker holding the lease until lease_until
    SUCCEEDED = "succeeded"
    FAILED = "failed"  # every attempt failed; last_error says why; HR can retry


class Job(Base):
    """One unit of background work: a registered task name and its keyword arguments.

    A worker claims the row with one conditional UPDATE (queued and due, or running with an
    expired lease), so a job delivered twice runs once, and a job whose worker was killed runs
    again once its lease runs out.
    """

    __tablename__ = "job"
    __table_args__ = (
        Index("ix_job_state_run_after", "state", "run_after"),
        Index("ix_job_schedule_created", "schedule", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    task: Mapped[str] = mapped_column(String(100))
    kwargs: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[JobState] = mapped_column(str_enum(JobState), default=JobState.QUEUED)
    progress_done: Mapped[int] = mapped_column(Integer, default=0)
    progress_total: Mapped[int | None] = mapped_column(Integer)
    message: Mapped[str] = mapped_column(String(300), default="")
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=5)
    last_error: Mapped[str] = mapped_column(Text, default="")
    idempotency_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    lease_owner: Mapped[str | None] = mapped_column(String(120))
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    run_after: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    dispatched_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    instansi_id: Mapped[int | None] = mapped_column(ForeignKey("instansi.id"), index=True)
    schedule: Mapped[str | None] = mapped_column(String(100))
    request_id: Mapped[str] = mapped_column(String(64), default="")

    @property
    def percent(self) -> int:
        if self.state == JobState.SUCCEEDED:
            return 100
        if not self.progress_total:
            return 0
        return min(100, round(100 * self.progress_done / self.progress_total))

    @property
    def finished(self) -> bool:
        return self.state in (JobState.SUCCEEDED, JobState.FAILED)
