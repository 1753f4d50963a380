"""Read service for the plan's budget optimiser: JP already recorded per employee in a year."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.learning.models import LearningRecord
from app.org.models import Employee


def jp_by_employee(instansi_id: int, year: int) -> dict[int, float]:
    """Employee id → JP recorded in `year`, for the instansi's employees with any (one query)."""
    return {
        int(employee_id): float(jp or 0)
        for employee_id, jp in db.session.execute(
            select(LearningRecord.employee_id, func.sum(LearningRecord.jp))
            .join(Employee, Employee.id == LearningRecord.employee_id)
            .where(Employee.instansi_id == instansi_id, LearningRecord.year == year)
            .group_by(LearningRecord.employee_id)
        )
    }
