"""Instansi, org-unit tree, positions and employees; superiors are derived from the position tree."""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import TimeZoneName
from app.models import Base, Timestamped, str_enum


class InstansiKind(enum.StrEnum):
    PROVINSI = "provinsi"
    KABUPATEN = "kabupaten"
    KOTA = "kota"


class UnitKind(enum.StrEnum):
    SEKRETARIAT = "sekretariat"
    DINAS = "dinas"
    BADAN = "badan"
    INSPEKTORAT = "inspektorat"
    KECAMATAN = "kecamatan"
    KELURAHAN = "kelurahan"
    UPTD = "uptd"
    BAGIAN = "bagian"
    BIDANG = "bidang"
    SUBBAGIAN = "subbagian"
    SEKSI = "seksi"


class PositionType(enum.StrEnum):
    """Jenis jabatan (UU 5/2014): JPT, administrasi (three levels) and fungsional."""

    JPT = "jpt"
    ADMINISTRATOR = "administrator"
    PENGAWAS = "pengawas"
    PELAKSANA = "pelaksana"
    FUNGSIONAL = "fungsional"


class Jenjang(enum.StrEnum):
    """Level within a position type: JPT tiers and the fungsional ladders."""

    UTAMA = "utama"
    MADYA = "madya"
    PRATAMA = "pratama"
    AHLI_PERTAMA = "ahli_pertama"
    AHLI_MUDA = "ahli_muda"
    AHLI_MADYA = "ahli_madya"
    AHLI_UTAMA = "ahli_utama"
    PEMULA = "pemula"
    TERAMPIL = "terampil"
    MAHIR = "mahir"
    PENYELIA = "penyelia"


JENJANG_BY_TYPE: dict[PositionType, tuple[Jenjang, ...]] = {
    PositionType.JPT: (Jenjang.UTAMA, Jenjang.MADYA, Jenjang.PRATAMA),
    PositionType.FUNGSIONAL: (
        Jenjang.AHLI_PERTAMA,
        Jenjang.AHLI_MUDA,
        Jenjang.AHLI_MADYA,
        Jenjang.AHLI_UTAMA,
        Jenjang.PEMULA,
        Jenjang.TERAMPIL,
        Jenjang.MAHIR,
        Jenjang.PENYELIA,
    ),
}


class EmployeeStatus(enum.StrEnum):
    PNS = "PNS"
    CPNS = "CPNS"
    PPPK = "PPPK"


# Golongan/ruang with pangkat, in order (BKN).
GOLONGAN: dict[str, str] = {
    "I/a": "Juru Muda",
    "I/b": "Juru Muda Tingkat I",
    "I/c": "Juru",
    "I/d": "Juru Tingkat I",
    "II/a": "Pengatur Muda",
    "II/b": "Pengatur Muda Tingkat I",
    "II/c": "Pengatur",
    "II/d": "Pengatur Tingkat I",
    "III/a": "Penata Muda",
    "III/b": "Penata Muda Tingkat I",
    "III/c": "Penata",
    "III/d": "Penata Tingkat I",
    "IV/a": "Pembina",
    "IV/b": "Pembina Tingkat I",
    "IV/c": "Pembina Utama Muda",
    "IV/d": "Pembina Utama Madya",
    "IV/e": "Pembina Utama",
}


class Instansi(Timestamped, Base):
    """A regional government (Pemda) hosted in this portal."""

    __tablename__ = "instansi"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[InstansiKind] = mapped_column(str_enum(InstansiKind))
    ppk_title: Mapped[str] = mapped_column(String(200), default="")
    # WIB, WITA or WIT (stored as IANA names); NULL is the portal's zone (app.clock).
    time_zone: Mapped[TimeZoneName | None] = mapped_column(str_enum(TimeZoneName, 40))
    # HR administrators of this instansi must log in with a second factor (TOTP).
    hr_second_factor_required: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )

    units: Mapped[list[OrgUnit]] = relationship(back_populates="instansi", lazy="raise")

    def __repr__(self) -> str:
        return f"<Instansi {self.code}>"


class OrgUnit(Timestamped, Base):
    """A unit in the tree (OPD → bidang → seksi …); `path` is the materialised ancestry."""

    __tablename__ = "org_unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    instansi_id: Mapped[int] = mapped_column(ForeignKey("instansi.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[UnitKind] = mapped_column(str_enum(UnitKind))
    # "/12/40/57/": every ancestor id and the unit's own, so a subtree is one prefix match.
    path: Mapped[str] = mapped_column(String(400), index=True, default="")
    depth: Mapped[int] = mapped_column(Integer, default=0)

    instansi: Mapped[Instansi] = relationship(back_populates="units", lazy="joined")
    parent: Mapped[OrgUnit | None] = relationship(remote_side=[id], lazy="select")

    @property
    def is_opd(self) -> bool:
        """Top-level units are the perangkat daerah (OPD)."""
        return self.parent_id is None

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part]

    def __repr__(self) -> str:
        return f"<OrgUnit {self.id} {self.name}>"


class Position(Timestamped, Base):
    """A jabatan in a unit; `heads_unit_id` marks the head of that unit, `superior_id` the boss."""

    __tablename__ = "position"
    __table_args__ = (
        CheckConstraint("superior_id IS NULL OR superior_id <> id", name="not_own_superior"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instansi_id: Mapped[int] = mapped_column(ForeignKey("instansi.id"), index=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    position_type: Mapped[PositionType] = mapped_column(str_enum(PositionType))
    jenjang: Mapped[Jenjang | None] = mapped_column(str_enum(Jenjang))
    heads_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), unique=True)
    superior_id: Mapped[int | None] = mapped_column(ForeignKey("position.id"), index=True)

    org_unit: Mapped[OrgUnit] = relationship(foreign_keys=[org_unit_id], lazy="joined")
    heads_unit: Mapped[OrgUnit | None] = relationship(foreign_keys=[heads_unit_id], lazy="select")
    superior: Mapped[Position | None] = relationship(remote_side=[id], lazy="select")

    def __repr__(self) -> str:
        return f"<Position {self.id} {self.name}>"


class Employee(Timestamped, Base):
    """An ASN (PNS, CPNS or PPPK) of one instansi."""

    __tablename__ = "employee"
    __table_args__ = (
        # Covers the scope of every report (active employees of an instansi, by unit, position).
        Index("ix_employee_scope", "instansi_id", "active", "org_unit_id", "position_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instansi_id: Mapped[int] = mapped_column(ForeignKey("instansi.id"), index=True)
    nip: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    gender: Mapped[str] = mapped_column(String(1))
    birth_date: Mapped[date] = mapped_column(Date)
    golongan: Mapped[str | None] = mapped_column(String(5))
    status: Mapped[EmployeeStatus] = mapped_column(str_enum(EmployeeStatus, 10))
    position_id: Mapped[int | None] = mapped_column(ForeignKey("position.id"), index=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(30))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    position: Mapped[Position | None] = relationship(lazy="joined")
    org_unit: Mapped[OrgUnit] = relationship(lazy="joined")
    instansi: Mapped[Instansi] = relationship()

    @property
    def nip_display(self) -> str:
        n = self.nip
        return f"{n[:8]} {n[8:14]} {n[14]} {n[15:]}"

    @property
    def pangkat(self) -> str:
        return GOLONGAN.get(self.golongan or "", "")

    def __repr__(self) -> str:
        return f"<Employee {self.nip}>"
