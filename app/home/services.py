"""Figures for the role dashboards, each a fixed number of grouped queries."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, union

from app.access.policy import Principal, employee_scope, team_scope
from app.accounts.models import Role, User
from app.extensions import db
from app.learning import services as learning
from app.needs import gaps
from app.org.models import Employee, Instansi, OrgUnit, Position

# The dashboard shown first when a user holds several roles.
HOME_ROLE_ORDER = (
    Role.SYSADMIN,
    Role.HR_ADMIN,
    Role.UNIT_HEAD,
    Role.SUPERVISOR,
    Role.MENTOR,
    Role.EMPLOYEE,
    Role.STAKEHOLDER,
)


def primary_role(principal: Principal) -> Role | None:
    return next((role for role in HOME_ROLE_ORDER if role in principal.roles), None)


@dataclass
class InstansiSummary:
    instansi: Instansi
    employees: int
    units: int


def instansi_summaries(instansi_ids: set[int] | None) -> list[InstansiSummary]:
    """Employees and units per instansi in two grouped queries."""
    instansi_query = select(Instansi).order_by(Instansi.name)
    if instansi_ids is not None:
        instansi_query = instansi_query.where(Instansi.id.in_(instansi_ids))
    instansi = list(db.session.scalars(instansi_query))
    ids = [item.id for item in instansi]
    employees = dict(
        db.session.execute(
            select(Employee.instansi_id, func.count())
            .where(Employee.instansi_id.in_(ids), Employee.active.is_(True))
            .group_by(Employee.instansi_id)
        ).all()
    )
    units = dict(
        db.session.execute(
            select(OrgUnit.instansi_id, func.count())
            .where(OrgUnit.instansi_id.in_(ids))
            .group_by(OrgUnit.instansi_id)
        ).all()
    )
    return [
        InstansiSummary(item, employees.get(item.id, 0), units.get(item.id, 0)) for item in instansi
    ]


def user_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User)) or 0


def status_breakdown(principal: Principal) -> list[tuple[str, int]]:
    """Active employees in the principal's scope by status (PNS, CPNS, PPPK)."""
    rows = db.session.execute(
        select(Employee.status, func.count())
        .where(employee_scope(principal), Employee.active.is_(True))
        .group_by(Employee.status)
        .order_by(Employee.status)
    )
    return [(str(status), count) for status, count in rows]


def golongan_breakdown(principal: Principal) -> list[tuple[str, int]]:
    rows = db.session.execute(
        select(Employee.golongan, func.count())
        .where(employee_scope(principal), Employee.active.is_(True))
        .group_by(Employee.golongan)
        .order_by(Employee.golongan)
    )
    return [(golongan or "–", count) for golongan, count in rows]


def direct_reports(principal: Principal) -> list[Employee]:
    """Employees whose derived supervisor is the principal: superior position or headed unit."""
    if principal.position_id is None:
        return []
    # A UNION of indexed selections, not one OR across the join: with 200,000 employees the OR
    # made PostgreSQL scan and sort the whole table (1.8 s; see bench/scale_bench.py).
    reporting = [
        select(Employee.id).where(
            Employee.position_id.in_(
                select(Position.id).where(Position.superior_id == principal.position_id)
            )
        )
    ]
    if principal.headed_unit_id is not None:
        # Same rule as supervisor_of: without an explicit superior, staff of a unit report to
        # its head, and heads of its direct sub-units report to it too.
        reporting.append(
            select(Employee.id)
            .join(Position, Employee.position_id == Position.id)
            .where(
                Position.superior_id.is_(None),
                Employee.org_unit_id == principal.headed_unit_id,
            )
        )
        reporting.append(
            select(Employee.id).where(
                Employee.position_id.in_(
                    select(Position.id).where(
                        Position.superior_id.is_(None),
                        Position.heads_unit_id.in_(
                            select(OrgUnit.id).where(OrgUnit.parent_id == principal.headed_unit_id)
                        ),
                    )
                )
            )
        )
    return list(
        db.session.scalars(
            select(Employee)
            .where(
                Employee.id.in_(union(*reporting)),
                Employee.active.is_(True),
                Employee.id != principal.employee_id,
            )
            .order_by(Employee.name)
            .limit(200)
        ).unique()
    )


@dataclass(frozen=True)
class TeamRow:
    employee_id: int
    name: str
    nip: str
    unit: str
    jp: float
    top_gaps: list[tuple[str, float]]
    open_needs: int


def team_overview(
    principal: Principal, year: int, per_page: int, page: int
) -> tuple[list[TeamRow], int]:
    """One page of the principal's team (direct and indirect reports), fewest JP first, with each
    one's largest gaps and open development needs of their latest cycle: four queries."""
    rows, count = learning.jp_progress_page(
        team_scope(principal), year, limit=per_page, offset=(page - 1) * per_page
    )
    ids = [row.employee_id for row in rows]
    top = gaps.top_gaps(ids) if ids else {}
    needs = gaps.open_need_counts(ids) if ids else {}
    return [
        TeamRow(
            row.employee_id,
            row.name,
            row.nip,
            row.unit,
            row.jp,
            top.get(row.employee_id, []),
            needs.get(row.employee_id, 0),
        )
        for row in rows
    ], count
