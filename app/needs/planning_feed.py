"""Read services for the development plan (app/planning): accepted needs as plain rows, the
stakeholder importance behind them, and who was consulted in the cycle.

Plain tuples rather than ORM objects: the plan is drafted from tens of thousands of needs.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from app.extensions import db
from app.needs.models import AnalysisRun, Competency, DevelopmentNeed, NeedStatus, UnitImportance
from app.org.models import Employee


@dataclass(frozen=True)
class NeedRow:
    need_id: int
    employee_id: int
    org_unit_id: int
    position_id: int | None
    competency_code: str
    gap: float
    priority: float | None
    form: str  # a DevelopmentForm value


def accepted_need_rows(instansi_id: int, year: int) -> list[NeedRow]:
    """Accepted needs of a cycle with the employee's current unit and position (one query)."""
    n = DevelopmentNeed
    rows = db.session.execute(
        select(
            n.id,
            n.employee_id,
            Employee.org_unit_id,
            Employee.position_id,
            n.competency_code,
            n.gap,
            n.priority,
            n.suggested_form,
        )
        .join(Employee, Employee.id == n.employee_id)
        .where(
            n.instansi_id == instansi_id,
            n.cycle_year == year,
            n.status == NeedStatus.ACCEPTED,
            Employee.active.is_(True),
        )
        .order_by(n.competency_code, n.id)
    )
    return [
        NeedRow(int(a), int(b), int(c), d, e, float(f), g, str(h.value if h else "classical"))
        for a, b, c, d, e, f, g, h in rows
    ]


@dataclass(frozen=True)
class Importance:
    value: float
    respondents: int
    source_unit_id: int | None  # the unit whose stakeholders gave it; None: instansi-wide


def unit_importance(instansi_id: int, year: int) -> dict[tuple[int, str], Importance]:
    """Stakeholder importance of each competency for each unit, as the analysis stored it."""
    u = UnitImportance
    return {
        (int(unit_id), code): Importance(float(value), int(respondents or 0), source)
        for unit_id, code, value, respondents, source in db.session.execute(
            select(
                u.org_unit_id, u.competency_code, u.importance, u.respondents, u.source_unit_id
            ).where(u.instansi_id == instansi_id, u.cycle_year == year)
        )
    }


def competency_labels(instansi_id: int) -> dict[str, tuple[str, str, str]]:
    """Code → (Indonesian name, English name, kind) of the instansi's dictionary."""
    return {
        code: (name_id, name_en or name_id, kind.value)
        for code, name_id, name_en, kind in db.session.execute(
            select(Competency.code, Competency.name_id, Competency.name_en, Competency.kind)
            .where(Competency.instansi_id == instansi_id)
            .order_by(Competency.code)
        )
    }


def analysed_at(instansi_id: int, year: int) -> tuple[object, int] | None:
    """When the cycle was last analysed and how many needs it produced."""
    row = db.session.execute(
        select(AnalysisRun.computed_at, AnalysisRun.needs).where(
            AnalysisRun.instansi_id == instansi_id, AnalysisRun.cycle_year == year
        )
    ).first()
    return (row[0], int(row[1] or 0)) if row else None


def accepted_count(instansi_id: int, year: int) -> int:
    return int(
        db.session.scalar(
            select(func.count()).where(
                DevelopmentNeed.instansi_id == instansi_id,
                DevelopmentNeed.cycle_year == year,
                DevelopmentNeed.status == NeedStatus.ACCEPTED,
            )
        )
        or 0
    )
