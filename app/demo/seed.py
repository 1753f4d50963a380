"""A believable demo: two regional governments, their OPD trees, positions, employees, logins."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from faker import Faker
from sqlalchemy import func, insert, select, text

from app.accounts.models import Role
from app.accounts.services import create_user
from app.clock import TimeZoneName
from app.extensions import db
from app.models import Base
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

DEMO_PASSWORD = "bangkom-demo-2026"
DEMO_DOMAIN = "bangkom.example"

# (email local part, role description) — listed in the README.
DEMO_LOGINS = {
    "admin": "System administrator",
    "bkpsdm": "HR administrator (BKPSDM Kota Dumai)",
    "kepala.dinkes": "Head of OPD (Kepala Dinas Kesehatan Kota Dumai)",
    "atasan": "Supervisor (Kepala Bidang Pelayanan Kesehatan)",
    "pegawai": "Employee (staff of Bidang Pelayanan Kesehatan)",
    "mentor": "Mentor (Analis Kebijakan Ahli Madya, Dinas Pendidikan)",
    "mitra": "External stakeholder (Universitas Lancang Kuning)",
    "sekda": "Sekretaris Daerah, adopts the development plan for the PPK (Wali Kota Dumai)",
}

# A unit: (name, kind, head position (name, type, jenjang), staff positions, children)
UnitSpec = tuple[
    str,
    UnitKind,
    tuple[str, PositionType, Jenjang | None],
    list[tuple[str, PositionType, Jenjang | None]],
    list["UnitSpec"],
]

P, F = PositionType.PELAKSANA, PositionType.FUNGSIONAL


def _seksi(name: str, staff: list[tuple[str, PositionType, Jenjang | None]]) -> UnitSpec:
    return (
        f"Seksi {name}",
        UnitKind.SEKSI,
        (f"Kepala Seksi {name}", PositionType.PENGAWAS, None),
        staff,
        [],
    )


def _bidang(name: str, staff: list, children: list[UnitSpec] | None = None) -> UnitSpec:
    return (
        f"Bidang {name}",
        UnitKind.BIDANG,
        (f"Kepala Bidang {name}", PositionType.ADMINISTRATOR, None),
        staff,
        children or [],
    )


def opd_tree(region: str, kecamatan: list[str]) -> list[UnitSpec]:
    """The OPDs of one Pemda with their bidang and seksi."""
    jpt = (PositionType.JPT, Jenjang.PRATAMA)
    units: list[UnitSpec] = [
        (
            "Sekretariat Daerah",
            UnitKind.SEKRETARIAT,
            ("Sekretaris Daerah", *jpt),
            [("Analis Kebijakan Ahli Muda", F, Jenjang.AHLI_MUDA)],
            [
                (
                    "Bagian Organisasi",
                    UnitKind.BAGIAN,
                    ("Kepala Bagian Organisasi", PositionType.ADMINISTRATOR, None),
                    [("Analis Kelembagaan", P, None), ("Pengadministrasi Umum", P, None)],
                    [],
                ),
                (
                    "Bagian Umum",
                    UnitKind.BAGIAN,
                    ("Kepala Bagian Umum", PositionType.ADMINISTRATOR, None),
                    [
                        ("Pengelola Barang Milik Daerah", P, None),
                        ("Pengadministrasi Umum", P, None),
                    ],
                    [],
                ),
            ],
        ),
        (
            "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
            UnitKind.BADAN,
            ("Kepala BKPSDM", *jpt),
            [],
            [
                _bidang(
                    "Pengembangan Kompetensi",
                    [
                        ("Analis SDM Aparatur Ahli Muda", F, Jenjang.AHLI_MUDA),
                        ("Analis SDM Aparatur Ahli Pertama", F, Jenjang.AHLI_PERTAMA),
                        ("Pengelola Diklat", P, None),
                    ],
                ),
                _bidang(
                    "Mutasi dan Promosi",
                    [
                        ("Analis Kepegawaian", P, None),
                        ("Pranata Komputer Terampil", F, Jenjang.TERAMPIL),
                    ],
                ),
            ],
        ),
        (
            "Dinas Kesehatan",
            UnitKind.DINAS,
            ("Kepala Dinas Kesehatan", *jpt),
            [],
            [
                _bidang(
                    "Pelayanan Kesehatan",
                    [
                        ("Pengelola Layanan Kesehatan", P, None),
                        ("Administrator Kesehatan Ahli Pertama", F, Jenjang.AHLI_PERTAMA),
                    ],
                    [_seksi("Pelayanan Kesehatan Primer", [("Pengadministrasi Layanan", P, None)])],
                ),
                _bidang(
                    "Pencegahan Penyakit",
                    [
                        ("Epidemiolog Kesehatan Ahli Muda", F, Jenjang.AHLI_MUDA),
                        ("Sanitarian Terampil", F, Jenjang.TERAMPIL),
                    ],
                ),
                (
                    "UPTD Puskesmas " + kecamatan[0],
                    UnitKind.UPTD,
                    ("Kepala UPTD Puskesmas", PositionType.PENGAWAS, None),
                    [
                        ("Perawat Ahli Pertama", F, Jenjang.AHLI_PERTAMA),
                        ("Bidan Terampil", F, Jenjang.TERAMPIL),
                        ("Perawat Terampil", F, Jenjang.TERAMPIL),
                    ],
                    [],
                ),
            ],
        ),
        (
            "Dinas Pendidikan",
            UnitKind.DINAS,
            ("Kepala Dinas Pendidikan", *jpt),
            [("Analis Kebijakan Ahli Madya", F, Jenjang.AHLI_MADYA)],
            [
                _bidang(
                    "Pembinaan Sekolah Dasar",
                    [
                        ("Pengawas Sekolah Ahli Muda", F, Jenjang.AHLI_MUDA),
                        ("Pengelola Data Pendidikan", P, None),
                    ],
                    [_seksi("Kurikulum SD", [("Pengembang Kurikulum", P, None)])],
                ),
                _bidang(
                    "Pembinaan Sekolah Menengah Pertama",
                    [
                        ("Pengawas Sekolah Ahli Madya", F, Jenjang.AHLI_MADYA),
                        ("Pengelola Data Pendidikan", P, None),
                    ],
                ),
                _bidang(
                    "Guru dan Tenaga Kependidikan",
                    [("Analis SDM Aparatur Ahli Pertama", F, Jenjang.AHLI_PERTAMA)],
                ),
            ],
        ),
        (
            "Dinas Kependudukan dan Pencatatan Sipil",
            UnitKind.DINAS,
            ("Kepala Dinas Kependudukan dan Pencatatan Sipil", *jpt),
            [],
            [
                _bidang(
                    "Pelayanan Pendaftaran Penduduk",
                    [
                        ("Administrator Database Kependudukan", P, None),
                        ("Pengadministrasi Kependudukan", P, None),
                    ],
                ),
                _bidang("Pelayanan Pencatatan Sipil", [("Verifikator Data Kependudukan", P, None)]),
            ],
        ),
    ]
    for name in kecamatan:
        units.append(
            (
                f"Kecamatan {name}",
                UnitKind.KECAMATAN,
                (f"Camat {name}", PositionType.ADMINISTRATOR, None),
                [("Pengadministrasi Kecamatan", P, None)],
                [
                    (
                        f"Kelurahan {name} Kota",
                        UnitKind.KELURAHAN,
                        (f"Lurah {name} Kota", PositionType.PENGAWAS, None),
                        [("Pengadministrasi Kelurahan", P, None)],
                        [],
                    ),
                ],
            )
        )
    return units


# Sorong (Papua Barat Daya) keeps WIT; Dumai (Riau) uses the portal's zone, WIB.
DEMO_ZONES = {"kab-sorong": TimeZoneName.WIT}
REGIONS = [
    (
        "kota-dumai",
        "Kota Dumai",
        InstansiKind.KOTA,
        "Wali Kota Dumai",
        ["Dumai Barat", "Dumai Timur", "Bukit Kapur"],
    ),
    (
        "kab-sorong",
        "Kabupaten Sorong",
        InstansiKind.KABUPATEN,
        "Bupati Sorong",
        ["Aimas", "Mayamuk", "Salawati"],
    ),
]

GOLONGAN_BY_TYPE = {
    PositionType.JPT: ["IV/c", "IV/d"],
    PositionType.ADMINISTRATOR: ["IV/a", "IV/b"],
    PositionType.PENGAWAS: ["III/c", "III/d"],
    PositionType.PELAKSANA: ["II/a", "II/b", "II/c", "II/d", "III/a", "III/b"],
    PositionType.FUNGSIONAL: ["III/a", "III/b", "III/c", "III/d", "IV/a"],
}


@dataclass
class SeedResult:
    instansi: int = 0
    units: int = 0
    positions: int = 0
    employees: int = 0
    logins: list[str] = field(default_factory=list)


class NipFactory:
    """Valid, unique NIPs: random parts, sequence bumped on collision."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def make(self, status: EmployeeStatus, gender: str) -> tuple[str, date]:
        while True:
            birth = date(
                self.rng.randint(1966, 2000), self.rng.randint(1, 12), self.rng.randint(1, 28)
            )
            start_year = min(birth.year + self.rng.randint(21, 33), 2025)
            if status == EmployeeStatus.PPPK:
                start_year = self.rng.choice([2022, 2023, 2024])
                digit = "1" if gender == "L" else "2"
                stem = f"{birth:%Y%m%d}{start_year}2{self.rng.randint(1, 3)}{digit}"
            else:
                if status == EmployeeStatus.CPNS:
                    start_year = 2025
                stem = make_nip(birth, start_year, self.rng.randint(1, 12), gender, 1)[:15]
            for sequence in range(1, 1000):
                nip = f"{stem}{sequence:03d}"
                if nip not in self.used:
                    self.used.add(nip)
                    return nip, birth


def database_is_empty() -> bool:
    return not db.session.scalar(select(func.count()).select_from(Instansi))


def reset_database() -> None:
    """Delete every row of every table (children first)."""
    for table in reversed(Base.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


def seed_demo(total_employees: int = 300, seed: int = 2026) -> SeedResult:
    """Build both regions; `total_employees` is split 60/40 between them."""
    rng = random.Random(seed)
    fake = Faker("id_ID")
    fake.seed_instance(seed)
    nips = NipFactory(rng)
    result = SeedResult()
    shares = [round(total_employees * 0.6), total_employees - round(total_employees * 0.6)]
    named: dict[str, int] = {}
    for (code, name, kind, ppk, kecamatan), share in zip(REGIONS, shares, strict=True):
        instansi = Instansi(
            code=code, name=name, kind=kind, ppk_title=ppk, time_zone=DEMO_ZONES.get(code)
        )
        db.session.add(instansi)
        db.session.flush()
        result.instansi += 1
        heads: list[Position] = []
        staff: list[Position] = []
        for spec in opd_tree(name, kecamatan):
            _build_unit(instansi, None, spec, heads, staff, result)
        db.session.flush()
        rows = [_employee_row(instansi.id, pos, fake, rng, nips) for pos in heads]
        for _ in range(max(share - len(heads), 0)):
            rows.append(_employee_row(instansi.id, rng.choice(staff), fake, rng, nips))
        for row in rows:
            row["email"] = None
        db.session.execute(insert(Employee), rows)
        result.employees += len(rows)
        if code == "kota-dumai":
            named = _named_positions(instansi.id)
    db.session.commit()
    result.logins = _create_logins(named, fake)
    run_feature_seeders(DemoContext(rng=rng, fake=fake, employees=total_employees))
    if db.engine.dialect.name == "postgresql":
        # Fresh tables have no planner statistics until autovacuum comes by: every estimate is
        # one row and the reports' grouped reads run as nested loops over all employees.
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    return result


# Features whose demo data builds on another's run in this order; others follow by name.
FEATURE_SEED_ORDER = ("surveys", "needs", "training", "mentoring")


@dataclass
class DemoContext:
    """What a feature's demo seeder gets: the shared random sources and the demo size."""

    rng: random.Random
    fake: Faker
    employees: int


def run_feature_seeders(context: DemoContext) -> None:
    """Call `seed_demo_data(context)` of every `app/<feature>/demo.py`, dependencies first."""
    import importlib

    from app import feature_modules

    names = feature_modules("demo")
    ordered = sorted(
        names,
        key=lambda n: (
            FEATURE_SEED_ORDER.index(n.split(".")[1])
            if n.split(".")[1] in FEATURE_SEED_ORDER
            else 99,
            n,
        ),
    )
    for name in ordered:
        importlib.import_module(name).seed_demo_data(context)
        db.session.commit()


def _build_unit(
    instansi: Instansi,
    parent: OrgUnit | None,
    spec: UnitSpec,
    heads: list[Position],
    staff: list[Position],
    result: SeedResult,
) -> None:
    name, kind, head, staff_specs, children = spec
    unit = add_unit(instansi.id, parent, name, kind)
    result.units += 1
    head_name, head_type, head_jenjang = head
    head_position = Position(
        instansi_id=instansi.id,
        org_unit_id=unit.id,
        name=head_name,
        position_type=head_type,
        jenjang=head_jenjang,
        heads_unit_id=unit.id,
    )
    db.session.add(head_position)
    heads.append(head_position)
    for staff_name, staff_type, staff_jenjang in staff_specs:
        position = Position(
            instansi_id=instansi.id,
            org_unit_id=unit.id,
            name=staff_name,
            position_type=staff_type,
            jenjang=staff_jenjang,
        )
        db.session.add(position)
        staff.append(position)
    result.positions += 1 + len(staff_specs)
    db.session.flush()
    for child in children:
        _build_unit(instansi, unit, child, heads, staff, result)


def _employee_row(
    instansi_id: int, position: Position, fake: Faker, rng: random.Random, nips: NipFactory
) -> dict[str, object]:
    roll = rng.random()
    is_head = position.heads_unit_id is not None
    status = (
        EmployeeStatus.PNS
        if is_head or roll < 0.85
        else (EmployeeStatus.PPPK if roll < 0.95 else EmployeeStatus.CPNS)
    )
    gender = rng.choice("LP")
    nip, birth = nips.make(status, gender)
    person = fake.name_male() if gender == "L" else fake.name_female()
    golongan = None
    if status == EmployeeStatus.CPNS:
        golongan = rng.choice(["II/a", "III/a"])
    elif status == EmployeeStatus.PNS:
        golongan = rng.choice(GOLONGAN_BY_TYPE[position.position_type])
    return {
        "instansi_id": instansi_id,
        "nip": nip,
        "name": person,
        "gender": gender,
        "birth_date": birth,
        "golongan": golongan,
        "status": status,
        "position_id": position.id,
        "org_unit_id": position.org_unit_id,
        "phone": fake.phone_number()[:30],
        "active": True,
    }


def _named_positions(instansi_id: int) -> dict[str, int]:
    """Employees for the demo logins, found by their position in Kota Dumai."""
    wanted = {
        "bkpsdm": "Analis SDM Aparatur Ahli Muda",
        "kepala.dinkes": "Kepala Dinas Kesehatan",
        "atasan": "Kepala Bidang Pelayanan Kesehatan",
        "pegawai": "Pengelola Layanan Kesehatan",
        "mentor": "Analis Kebijakan Ahli Madya",
        "sekda": "Sekretaris Daerah",
    }
    found: dict[str, int] = {}
    for login, position_name in wanted.items():
        employee_id = db.session.scalar(
            select(Employee.id)
            .join(Position, Employee.position_id == Position.id)
            .where(Position.instansi_id == instansi_id, Position.name == position_name)
            .order_by(Employee.id)
            .limit(1)
        )
        if employee_id is None:  # a tiny --employees may leave a staff post empty
            continue
        found[login] = employee_id
    return found


def _create_logins(named: dict[str, int], fake: Faker) -> list[str]:
    dumai = db.session.scalar(select(Instansi).where(Instansi.code == "kota-dumai"))
    assert dumai is not None
    created = []
    for login in DEMO_LOGINS:
        email = f"{login}@{DEMO_DOMAIN}"
        employee = db.session.get(Employee, named[login]) if login in named else None
        roles: tuple[tuple[Role, int | None], ...] = ()
        if login == "admin":
            roles = ((Role.SYSADMIN, None),)
        elif login == "bkpsdm":
            roles = ((Role.HR_ADMIN, dumai.id),)
        elif login == "mentor":
            roles = ((Role.MENTOR, dumai.id),)
        elif login == "mitra":
            roles = ((Role.STAKEHOLDER, None),)
        elif employee is None:
            continue
        if employee is not None:
            employee.email = email
        create_user(
            email,
            employee.name
            if employee is not None
            else ("Administrator Bangkom" if login == "admin" else fake.name()),
            DEMO_PASSWORD,
            employee=employee,
            instansi_id=dumai.id if login != "admin" else None,
            organisation="Universitas Lancang Kuning" if login == "mitra" else None,
            roles=roles,
        )
        created.append(email)
    return created
