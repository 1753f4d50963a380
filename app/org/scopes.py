"""SQL conditions on employees and units by instansi and subtree, for features that report."""

from __future__ import annotations

from sqlalchemy import ColumnElement, SQLColumnExpression, and_, select, true

from app.extensions import db
from app.org.models import Employee, OrgUnit, Position


def units_in(
    unit_id: SQLColumnExpression[int | None], unit_path: str | None
) -> ColumnElement[bool]:
    """The unit column lies in the subtree at `unit_path` (everything when None)."""
    if unit_path is None:
        return true()
    return unit_id.in_(select(OrgUnit.id).where(OrgUnit.path.startswith(unit_path)))


def employees_in(instansi_id: int, unit_path: str | None) -> ColumnElement[bool]:
    """Active employees of the instansi, inside the subtree when one is given."""
    return and_(
        Employee.instansi_id == instansi_id,
        Employee.active.is_(True),
        units_in(Employee.org_unit_id, unit_path),
    )


def structural_officials_in(instansi_id: int, unit_path: str | None) -> ColumnElement[bool]:
    """Employees in scope holding a position that heads a unit (pejabat struktural)."""
    return and_(
        employees_in(instansi_id, unit_path),
        Employee.position_id.in_(select(Position.id).where(Position.heads_unit_id.is_not(None))),
    )


def report_groups(instansi_id: int, unit_path: str | None) -> list[OrgUnit]:
    """The units a report breaks down by: top-level OPDs, or the children of the scope's unit."""
    query = select(OrgUnit).where(OrgUnit.instansi_id == instansi_id)
    if unit_path is None:
        query = query.where(OrgUnit.parent_id.is_(None))
    else:
        root_id = int(unit_path.strip("/").split("/")[-1])
        query = query.where((OrgUnit.parent_id == root_id) | (OrgUnit.id == root_id))
    return list(db.session.scalars(query.order_by(OrgUnit.depth, OrgUnit.name)))
