"""Needs-analysis figures for monitoring: coverage of the 360° and development needs by status."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from app.extensions import db
from app.needs.labels import REASON_LABELS, STATUS_LABELS
from app.needs.models import AnalysisIssue, CompetencyGap, DevelopmentNeed, NeedStatus
from app.org.models import Employee
from app.org.scopes import units_in


@dataclass(frozen=True)
class Coverage:
    """Active employees in scope, those with a gap profile this cycle, and what was skipped."""

    employees: int
    profiled: int
    skipped: list[tuple[str, int]]  # (reason label, employees or items affected)

    @property
    def rate(self) -> float | None:
        return self.profiled / self.employees if self.employees else None


def coverage(instansi_id: int, year: int, unit_path: str | None) -> Coverage:
    """Three grouped queries: employees, profiled employees, issues by reason."""
    employees = (
        db.session.scalar(
            select(func.count(Employee.id)).where(
                Employee.instansi_id == instansi_id,
                Employee.active.is_(True),
                units_in(Employee.org_unit_id, unit_path),
            )
        )
        or 0
    )
    profiled = (
        db.session.scalar(
            select(func.count(func.distinct(CompetencyGap.employee_id))).where(
                CompetencyGap.instansi_id == instansi_id,
                CompetencyGap.cycle_year == year,
                CompetencyGap.current_level.is_not(None),
                units_in(CompetencyGap.org_unit_id, unit_path),
            )
        )
        or 0
    )
    issues = db.session.execute(
        select(AnalysisIssue.reason, func.sum(AnalysisIssue.count))
        .where(
            AnalysisIssue.instansi_id == instansi_id,
            AnalysisIssue.cycle_year == year,
            units_in(AnalysisIssue.org_unit_id, unit_path),
        )
        .group_by(AnalysisIssue.reason)
        .order_by(func.sum(AnalysisIssue.count).desc())
    )
    skipped = [(str(REASON_LABELS.get(reason, reason)), int(n or 0)) for reason, n in issues]
    return Coverage(int(employees), int(profiled), skipped)


def need_status_counts(instansi_id: int, year: int, unit_path: str | None) -> dict[str, int]:
    """Development needs of the cycle by status code (proposed, accepted, nominated, dismissed)."""
    rows = db.session.execute(
        select(DevelopmentNeed.status, func.count())
        .join(Employee, Employee.id == DevelopmentNeed.employee_id)
        .where(
            DevelopmentNeed.instansi_id == instansi_id,
            DevelopmentNeed.cycle_year == year,
            units_in(Employee.org_unit_id, unit_path),
        )
        .group_by(DevelopmentNeed.status)
    )
    counts = {status.value: 0 for status in NeedStatus}
    counts.update({str(status): int(n) for status, n in rows})
    return counts


def need_status_label(code: str) -> str:
    return str(STATUS_LABELS.get(code, code))
