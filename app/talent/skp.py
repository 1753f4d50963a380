"""SKP entry by the assessing official, and the SKP lists each role may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.errors import ServiceError
from app.extensions import db
from app.org.models import Employee
from app.talent import audit
from app.talent.assessors import assessable_employees, assessor_positions, capacity_for
from app.talent.matrix import predikat
from app.talent.models import Rating, SkpPeriod, SkpRating, SkpSource
from app.training.policy import Acting

PERIOD_ORDER = {p: i for i, p in enumerate(SkpPeriod)}
MIN_YEAR, MAX_YEAR = 2000, 2100


class NotAssessor(ServiceError):
    status = 403


def check_year(year: int, today: date) -> None:
    """An SKP may be entered for a past year or this one, never for a future year."""
    if not MIN_YEAR <= year <= today.year:
        raise ServiceError(
            _l("The year must be between %(low)d and %(high)d.", low=MIN_YEAR, high=today.year),
            "year",
        )


def may_assess(acting: Acting, employee: Employee, day: date) -> bool:
    assessor = assessor_positions([employee], day)[employee.id]
    return assessor is not None and assessor.position_id in acting.position_ids


def record_skp(
    acting: Acting,
    employee: Employee,
    year: int,
    period: SkpPeriod,
    hasil_kerja: Rating,
    perilaku: Rating,
    note: str,
    user_id: int,
    day: date,
) -> SkpRating:
    """The assessing official (or their Plt/Plh) rates both dimensions; the predikat follows."""
    check_year(year, day)
    assessor = assessor_positions([employee], day)[employee.id]
    if assessor is None or assessor.position_id not in acting.position_ids:
        raise NotAssessor(_l("Only the employee's assessing official may assess this SKP."))
    if acting.principal.employee_id == employee.id:
        raise NotAssessor(_l("Nobody assesses their own SKP."))
    capacity = capacity_for(acting, assessor.position_id)
    value = predikat(hasil_kerja, perilaku)
    skp = db.session.scalars(
        select(SkpRating).where(
            SkpRating.employee_id == employee.id,
            SkpRating.year == year,
            SkpRating.period == period,
        )
    ).first()
    before = f"{skp.hasil_kerja}/{skp.perilaku}→{skp.predikat}" if skp else ""
    if skp is None:
        skp = SkpRating(
            instansi_id=employee.instansi_id, employee_id=employee.id, year=year, period=period
        )
        db.session.add(skp)
    skp.hasil_kerja, skp.perilaku, skp.predikat = hasil_kerja, perilaku, value
    skp.source = SkpSource.MANUAL
    skp.assessor_employee_id = acting.principal.employee_id
    skp.assessor_position_id = assessor.position_id
    skp.capacity = capacity
    skp.note = note.strip()[:2000]
    skp.entered_by_id = user_id
    db.session.flush()
    audit.record(
        employee.instansi_id,
        "skp",
        skp.id,
        "assess",
        f"{year} {period.value}: {before + ' ⇒ ' if before else ''}"
        f"{hasil_kerja.value}/{perilaku.value}→{value.value} ({capacity})",
        user_id,
        employee.id,
        assessor.position_id,
    )
    db.session.commit()
    return skp


def skp_history(employee_id: int) -> list[SkpRating]:
    rows = list(db.session.scalars(select(SkpRating).where(SkpRating.employee_id == employee_id)))
    rows.sort(key=lambda r: (-r.year, PERIOD_ORDER[r.period]))
    return rows


def find_skp(employee_id: int, year: int, period: SkpPeriod) -> SkpRating | None:
    return db.session.scalars(
        select(SkpRating).where(
            SkpRating.employee_id == employee_id,
            SkpRating.year == year,
            SkpRating.period == period,
        )
    ).first()


@dataclass
class TeamRow:
    employee: Employee
    annual: SkpRating | None
    periodic: int  # how many quarterly assessments exist this year


def team_rows(acting: Acting, year: int, day: date) -> list[TeamRow]:
    """The employees the principal assesses with their SKP of `year` (two queries more)."""
    employees = assessable_employees(acting, day)
    ids = [e.id for e in employees]
    by_employee: dict[int, list[SkpRating]] = {}
    if ids:
        for skp in db.session.scalars(
            select(SkpRating).where(SkpRating.employee_id.in_(ids), SkpRating.year == year)
        ):
            by_employee.setdefault(skp.employee_id, []).append(skp)
    rows = []
    for employee in employees:
        mine = by_employee.get(employee.id, [])
        annual = next((s for s in mine if s.period == SkpPeriod.ANNUAL), None)
        rows.append(TeamRow(employee, annual, sum(1 for s in mine if s is not annual)))
    return rows
