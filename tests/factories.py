"""Plain factory functions for test data; every employee gets a valid, unique NIP."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date

from app.accounts.models import Role, User
from app.accounts.services import create_user
from app.extensions import db
from app.org.hierarchy import add_unit
from app.org.models import (
    Employee,
    EmployeeStatus,
    Instansi,
    InstansiKind,
    Jenjang,
    OrgUnit,
    Position,
    PositionType,
    UnitKind,
)
from app.org.nip import make_nip

_sequence = itertools.count(1)


def next_nip(gender: str = "L", birth: date = date(1985, 6, 15)) -> str:
    n = next(_sequence)
    return make_nip(birth, 2010 + n // 999 % 10, 1 + n % 12, gender, 1 + n % 999)


def make_instansi(code: str = "kota-uji", name: str = "Kota Uji") -> Instansi:
    instansi = Instansi(code=code, name=name, kind=InstansiKind.KOTA, ppk_title=f"Wali {name}")
    db.session.add(instansi)
    db.session.flush()
    return instansi


def make_unit(
    instansi: Instansi, name: str, parent: OrgUnit | None = None, kind: UnitKind = UnitKind.DINAS
) -> OrgUnit:
    return add_unit(instansi.id, parent, name, kind)


def make_position(
    unit: OrgUnit,
    name: str,
    position_type: PositionType = PositionType.PELAKSANA,
    heads: bool = False,
    superior: Position | None = None,
    jenjang: Jenjang | None = None,
) -> Position:
    position = Position(
        instansi_id=unit.instansi_id,
        org_unit_id=unit.id,
        name=name,
        position_type=position_type,
        jenjang=jenjang,
        heads_unit_id=unit.id if heads else None,
        superior_id=superior.id if superior else None,
    )
    db.session.add(position)
    db.session.flush()
    return position


def make_employee(
    position: Position, name: str | None = None, status: EmployeeStatus = EmployeeStatus.PNS
) -> Employee:
    nip = next_nip()
    employee = Employee(
        instansi_id=position.instansi_id,
        nip=nip,
        name=name or f"Pegawai {nip[-6:]}",
        gender="L",
        birth_date=date(1985, 6, 15),
        golongan="III/a" if status != EmployeeStatus.PPPK else None,
        status=status,
        position_id=position.id,
        org_unit_id=position.org_unit_id,
    )
    db.session.add(employee)
    db.session.flush()
    return employee


def make_user(
    email: str,
    employee: Employee | None = None,
    roles: tuple[tuple[Role, int | None], ...] = (),
    password: str = "correct horse battery",
    instansi: Instansi | None = None,
) -> User:
    return create_user(
        email,
        employee.name if employee else email.split("@")[0],
        password,
        employee=employee,
        instansi_id=instansi.id if instansi else None,
        roles=roles,
    )


@dataclass
class World:
    """Two instansi; in A an OPD with a head, a bidang with a head and staff, a second OPD."""

    a: Instansi
    b: Instansi
    opd: OrgUnit
    bidang: OrgUnit
    other_opd: OrgUnit
    b_opd: OrgUnit
    head: Employee
    kabid: Employee
    staff: Employee
    staff2: Employee
    other_staff: Employee
    b_staff: Employee
    head_position: Position
    kabid_position: Position
    staff_position: Position


def build_world() -> World:
    a = make_instansi("kota-a", "Kota A")
    b = make_instansi("kab-b", "Kabupaten B")
    opd = make_unit(a, "Dinas Kesehatan")
    bidang = make_unit(a, "Bidang Pelayanan", opd, UnitKind.BIDANG)
    other_opd = make_unit(a, "Dinas Pendidikan")
    b_opd = make_unit(b, "Dinas Kesehatan B")
    head_position = make_position(
        opd, "Kepala Dinas", PositionType.JPT, heads=True, jenjang=Jenjang.PRATAMA
    )
    kabid_position = make_position(bidang, "Kepala Bidang", PositionType.ADMINISTRATOR, heads=True)
    staff_position = make_position(bidang, "Pengelola Layanan")
    other_position = make_position(other_opd, "Pengelola Data")
    b_position = make_position(b_opd, "Pengelola B")
    world = World(
        a=a,
        b=b,
        opd=opd,
        bidang=bidang,
        other_opd=other_opd,
        b_opd=b_opd,
        head=make_employee(head_position, "Kepala Dinas Uji"),
        kabid=make_employee(kabid_position, "Kepala Bidang Uji"),
        staff=make_employee(staff_position, "Staf Satu"),
        staff2=make_employee(staff_position, "Staf Dua"),
        other_staff=make_employee(other_position, "Staf Pendidikan"),
        b_staff=make_employee(b_position, "Staf Kabupaten"),
        head_position=head_position,
        kabid_position=kabid_position,
        staff_position=staff_position,
    )
    db.session.commit()
    return world


ROLE_EMAILS = {
    "employee": "staff@test.example",
    "supervisor": "kabid@test.example",
    "unit_head": "head@test.example",
    "hr_admin": "hr@test.example",
    "mentor": "mentor@test.example",
    "stakeholder": "mitra@test.example",
    "sysadmin": "admin@test.example",
}


def build_users(world: World) -> dict[str, User]:
    """One login per role, in instansi A."""
    users = {
        "employee": make_user(ROLE_EMAILS["employee"], world.staff),
        "supervisor": make_user(ROLE_EMAILS["supervisor"], world.kabid),
        "unit_head": make_user(ROLE_EMAILS["unit_head"], world.head),
        "hr_admin": make_user(
            ROLE_EMAILS["hr_admin"], None, ((Role.HR_ADMIN, world.a.id),), instansi=world.a
        ),
        "mentor": make_user(ROLE_EMAILS["mentor"], world.other_staff, ((Role.MENTOR, world.a.id),)),
        "stakeholder": make_user(
            ROLE_EMAILS["stakeholder"], None, ((Role.STAKEHOLDER, None),), instansi=world.a
        ),
        "sysadmin": make_user(ROLE_EMAILS["sysadmin"], None, ((Role.SYSADMIN, None),)),
    }
    return users
