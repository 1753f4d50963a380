"""Business rules for units, positions and employees; each function owns its transaction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, insert, or_, select, update

from app.access.policy import Principal, employee_scope, unit_scope
from app.accounts.models import Role
from app.errors import ServiceError, ValidationFailed
from app.extensions import db
from app.org.hierarchy import add_unit, child_path
from app.org.models import (
    GOLONGAN,
    JENJANG_BY_TYPE,
    Employee,
    EmployeeStatus,
    Instansi,
    Jenjang,
    OrgUnit,
    Position,
    PositionType,
    UnitKind,
)
from app.org.nip import NipError, ParsedNip, parse_nip

PAGE_SIZE = 50


@dataclass
class EmployeeData:
    """Validated-shape input for creating or changing an employee (from a form or an import)."""

    nip: str
    name: str
    status: str
    golongan: str | None
    org_unit_id: int
    position_id: int | None
    email: str | None = None
    phone: str | None = None


def check_nip(nip: str, status: str) -> tuple[ParsedNip | None, str | None]:
    """Parse a NIP for inline validation: the parts, or the message naming the wrong part."""
    try:
        return parse_nip(nip, status), None
    except NipError as error:
        return None, str(error)


def check_employee_fields(data: EmployeeData) -> tuple[dict[str, object], list[tuple[str, str]]]:
    """Checks that need no database: NIP structure, name, status, golongan."""
    problems: list[tuple[str, str]] = []
    values: dict[str, object] = {}
    try:
        status = EmployeeStatus(data.status.strip().upper())
    except ValueError:
        problems.append(("status", str(_l("Status must be PNS, CPNS or PPPK."))))
        status = EmployeeStatus.PNS
    values["status"] = status
    try:
        parsed = parse_nip(data.nip, status)
    except NipError as error:
        problems.append(("nip", str(error)))
    else:
        values.update(nip=parsed.nip, birth_date=parsed.birth_date, gender=parsed.gender)
    name = " ".join(data.name.split())
    if not name:
        problems.append(("name", str(_l("Name is required."))))
    values["name"] = name[:200]
    golongan = (data.golongan or "").strip() or None
    if golongan and golongan not in GOLONGAN:
        problems.append(("golongan", str(_l("Unknown golongan (use I/a … IV/e)."))))
    if status == EmployeeStatus.PPPK and golongan:
        problems.append(("golongan", str(_l("PPPK employees have no golongan/ruang."))))
    values["golongan"] = golongan
    values["email"] = (data.email or "").strip().lower() or None
    values["phone"] = (data.phone or "").strip() or None
    return values, problems


def check_employee_data(
    instansi_id: int, data: EmployeeData, existing: Employee | None = None
) -> tuple[Employee, list[tuple[str, str]]]:
    """Apply `data` to a new or existing employee and list (field, message) problems."""
    values, problems = check_employee_fields(data)
    employee = existing or Employee(instansi_id=instansi_id)
    if "nip" in values:
        duplicate = db.session.scalar(
            select(Employee.id).where(
                Employee.nip == values["nip"], Employee.id != (employee.id or 0)
            )
        )
        if duplicate:
            problems.append(("nip", str(_l("Another employee already has this NIP."))))
    unit = db.session.get(OrgUnit, data.org_unit_id)
    if unit is None or unit.instansi_id != instansi_id:
        problems.append(("org_unit_id", str(_l("Choose a unit of this instansi."))))
    else:
        values["org_unit_id"] = unit.id
    values["position_id"] = None
    if data.position_id is not None:
        position = db.session.get(Position, data.position_id)
        if position is None or position.instansi_id != instansi_id:
            problems.append(("position_id", str(_l("Choose a position of this instansi."))))
        elif unit is not None and position.org_unit_id != unit.id:
            problems.append(("position_id", str(_l("The position belongs to another unit."))))
        else:
            values["position_id"] = position.id
    for key, value in values.items():
        setattr(employee, key, value)
    return employee, problems


def save_employee(
    instansi_id: int, data: EmployeeData, existing: Employee | None = None
) -> Employee:
    """Create or update an employee; the first problem is raised and nothing is saved."""
    with db.session.no_autoflush:
        employee, problems = check_employee_data(instansi_id, data, existing)
    if problems:
        db.session.rollback()
        raise ValidationFailed(problems)
    db.session.add(employee)
    db.session.commit()
    return employee


def create_unit(instansi: Instansi, parent_id: int | None, name: str, kind: UnitKind) -> OrgUnit:
    """Add a unit under the parent (or, without one, as an OPD) and set its materialised path."""
    parent = db.session.get(OrgUnit, parent_id) if parent_id else None
    if parent_id and (parent is None or parent.instansi_id != instansi.id):
        raise ServiceError(_l("The parent unit belongs to another instansi."), field="parent_id")
    unit = add_unit(instansi.id, parent, name, kind)
    db.session.commit()
    return unit


def create_position(
    unit: OrgUnit,
    name: str,
    position_type: PositionType,
    jenjang: Jenjang | None,
    heads_unit: bool,
    superior_id: int | None,
) -> Position:
    """Add a position; the jenjang must fit the type and a unit has at most one head."""
    superior = db.session.get(Position, superior_id) if superior_id else None
    allowed = JENJANG_BY_TYPE.get(position_type, ())
    if jenjang is not None and jenjang not in allowed:
        raise ServiceError(_l("This jenjang does not fit the position type."), field="jenjang")
    if allowed and jenjang is None:
        raise ServiceError(_l("Choose the jenjang for this position type."), field="jenjang")
    if heads_unit and db.session.scalar(
        select(Position.id).where(Position.heads_unit_id == unit.id)
    ):
        raise ServiceError(_l("This unit already has a head position."), field="heads_unit")
    if superior_id and (superior is None or superior.instansi_id != unit.instansi_id):
        raise ServiceError(_l("The superior belongs to another instansi."), field="superior_id")
    position = Position(
        instansi_id=unit.instansi_id,
        org_unit_id=unit.id,
        name=name,
        position_type=position_type,
        jenjang=jenjang,
        heads_unit_id=unit.id if heads_unit else None,
        superior_id=superior.id if superior else None,
    )
    db.session.add(position)
    db.session.commit()
    return position


def employee_query(principal: Principal, search: str = "", unit_id: int | None = None) -> Select:
    """Employees visible to the principal, optionally matching a name/NIP and a unit subtree."""
    query = select(Employee).where(employee_scope(principal), Employee.active.is_(True))
    search = search.strip()
    if search:
        digits = "".join(ch for ch in search if ch.isdigit())
        conditions = [func.lower(Employee.name).contains(search.lower(), autoescape=True)]
        if len(digits) >= 4:
            conditions.append(Employee.nip.startswith(digits))
        query = query.where(or_(*conditions))
    if unit_id is not None:
        unit = db.session.get(OrgUnit, unit_id)
        if unit is not None:
            query = query.where(
                Employee.org_unit_id.in_(
                    select(OrgUnit.id).where(OrgUnit.path.startswith(unit.path))
                )
            )
    return query.order_by(Employee.name, Employee.id)


def visible_units(principal: Principal) -> list[OrgUnit]:
    """Units the principal may browse, in tree order (by path within each instansi)."""
    return list(
        db.session.scalars(
            select(OrgUnit).where(unit_scope(principal)).order_by(OrgUnit.instansi_id, OrgUnit.path)
        )
    )


def manageable_instansi(principal: Principal) -> list[Instansi]:
    """Instansi whose people and units the principal manages (HR) or all (sysadmin)."""
    query = select(Instansi).order_by(Instansi.name)
    if not principal.has(Role.SYSADMIN):
        query = query.where(Instansi.id.in_(principal.hr_instansi_ids))
    return list(db.session.scalars(query))


def unit_choices(instansi_id: int) -> list[tuple[int, str]]:
    rows = db.session.execute(
        select(OrgUnit.id, OrgUnit.name, OrgUnit.depth)
        .where(OrgUnit.instansi_id == instansi_id)
        .order_by(OrgUnit.path)
    )
    return [(unit_id, "· " * depth + name) for unit_id, name, depth in rows]


def position_choices(instansi_id: int) -> list[tuple[int, str]]:
    """Every position of the instansi as "name — unit", in the order of the unit tree."""
    rows = db.session.execute(
        select(Position.id, Position.name, OrgUnit.name)
        .join(OrgUnit, Position.org_unit_id == OrgUnit.id)
        .where(Position.instansi_id == instansi_id)
        .order_by(OrgUnit.path, Position.name)
    )
    return [(position_id, f"{name} — {unit}") for position_id, name, unit in rows]


@dataclass(frozen=True)
class NewUnit:
    """A unit to add in bulk: `parent` is the index of an earlier NewUnit, or `parent_id`."""

    name: str
    kind: UnitKind
    parent: int | None = None
    parent_id: int | None = None


def add_units(instansi_id: int, units: list[NewUnit]) -> list[int]:
    """Insert a tree of units parent-first in the caller's transaction: four statements.

    Returns the new ids in the order given. Parents named by index must come earlier in the list.
    """
    if not units:
        return []
    existing = {
        unit_id: (path, depth)
        for unit_id, path, depth in db.session.execute(
            select(OrgUnit.id, OrgUnit.path, OrgUnit.depth).where(
                OrgUnit.id.in_({u.parent_id for u in units if u.parent_id is not None})
            )
        )
    }
    # The rows go in with a temporary path naming their place in the list, which gives their ids
    # back in one query (RETURNING would be one statement per row on SQLite).
    tag = f"#new:{uuid.uuid4().hex}:"
    db.session.execute(
        insert(OrgUnit),
        [
            {"instansi_id": instansi_id, "name": u.name[:200], "kind": u.kind, "path": f"{tag}{n}"}
            for n, u in enumerate(units)
        ],
    )
    by_tag = dict(
        db.session.execute(
            select(OrgUnit.path, OrgUnit.id).where(OrgUnit.path.startswith(tag))
        ).all()
    )
    ids = [by_tag[f"{tag}{n}"] for n in range(len(units))]
    placed: list[tuple[str, int]] = []
    values = []
    for index, unit in enumerate(units):
        if unit.parent is not None:
            parent_id: int | None = ids[unit.parent]
            parent_path, parent_depth = placed[unit.parent]
        elif unit.parent_id is not None:
            parent_id = unit.parent_id
            parent_path, parent_depth = existing[unit.parent_id]
        else:
            parent_id, parent_path, parent_depth = None, "/", -1
        path = child_path(parent_path, ids[index])
        placed.append((path, parent_depth + 1))
        values.append(
            {"id": ids[index], "parent_id": parent_id, "path": path, "depth": parent_depth + 1}
        )
    db.session.execute(update(OrgUnit), values)
    return ids


@dataclass(frozen=True)
class NewPosition:
    org_unit_id: int
    name: str
    position_type: PositionType
    jenjang: Jenjang | None = None
    heads_unit: bool = False


def add_positions(instansi_id: int, positions: list[NewPosition]) -> list[int]:
    """Insert positions in the caller's transaction (three statements); the caller checks heads."""
    if not positions:
        return []
    tag = f"#new:{uuid.uuid4().hex}:"
    db.session.execute(
        insert(Position),
        [
            {
                "instansi_id": instansi_id,
                "org_unit_id": p.org_unit_id,
                "name": f"{tag}{n}",
                "position_type": p.position_type,
                "jenjang": p.jenjang,
                "heads_unit_id": p.org_unit_id if p.heads_unit else None,
            }
            for n, p in enumerate(positions)
        ],
    )
    by_tag = dict(
        db.session.execute(
            select(Position.name, Position.id).where(Position.name.startswith(tag))
        ).all()
    )
    ids = [by_tag[f"{tag}{n}"] for n in range(len(positions))]
    db.session.execute(
        update(Position),
        [{"id": ids[n], "name": p.name[:200]} for n, p in enumerate(positions)],
    )
    return ids


def headed_unit_ids(instansi_id: int) -> set[int]:
    """Units of the instansi that already have a head position."""
    return set(
        db.session.scalars(
            select(Position.heads_unit_id).where(
                Position.instansi_id == instansi_id, Position.heads_unit_id.is_not(None)
            )
        )
    )
