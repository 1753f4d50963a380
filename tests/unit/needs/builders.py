"""Test data for the needs analysis: small definitions, an org tree, answers (bulk inserts)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import yaml
from sqlalchemy import select

from app.extensions import db
from app.needs import services
from app.needs.models import Competency, PositionStandard
from app.needs.sample import CampaignSpec, ResponseSpec, add_campaign, add_responses
from app.org.models import Employee, Instansi, Jenjang, OrgUnit, Position, PositionType, UnitKind
from app.surveys.definition import Definition, definition_from_text
from app.surveys.models import Audience
from tests.factories import make_employee, make_instansi, make_position, make_unit

YEAR = 2026
CODES = ("M.01", "M.02", "M.03")
BANDS = [
    {"rule": "gap", "min": 2, "label": {"id": "Prioritas tinggi", "en": "High priority"}},
    {
        "rule": "gap",
        "min": 1,
        "max": 2,
        "label": {"id": "Prioritas sedang", "en": "Medium priority"},
    },
    {
        "rule": "gap",
        "min": -4,
        "max": 1,
        "label": {"id": "Memenuhi standar", "en": "Meets the standard"},
    },
]


def field_id(code: str) -> str:
    """M.01 → m01 (item and matrix row ids)."""
    return code.lower().replace(".", "")


def load(data: dict[str, Any]) -> Definition:
    return definition_from_text(
        yaml.safe_dump(data, sort_keys=False, allow_unicode=True), file=f"{data['id']}.yaml"
    )


def _base(definition_id: str, kind: str, raters: list[str], min_group: int) -> dict[str, Any]:
    return {
        "id": definition_id,
        "version": 1,
        "title": {"id": definition_id, "en": definition_id},
        "languages": ["id", "en"],
        "default_language": "id",
        "kind": kind,
        "raters": raters,
        "min_group_size": min_group,
        "scales": {"lv": {"min": 1, "max": 5}, "lv7": {"min": 1, "max": 7}},
    }


def _ratings(codes: tuple[str, ...], scale: str = "lv") -> list[dict[str, Any]]:
    return [
        {
            "id": field_id(code),
            "type": "rating",
            "scale": scale,
            "competency": code,
            "label": {"id": code, "en": code},
        }
        for code in codes
    ]


def self_definition(codes: tuple[str, ...] = CODES, scale: str = "lv") -> Definition:
    return load(self_definition_data(codes, scale))


def self_definition_data(codes: tuple[str, ...] = CODES, scale: str = "lv") -> dict[str, Any]:
    data = _base("diri", "self_assessment", ["self"], 1)
    data["pages"] = [{"id": "p", "title": {"id": "P", "en": "P"}, "items": _ratings(codes, scale)}]
    data["scoring"] = {
        "rules": [{"id": "gap", "method": "regulatory_gap", "items": [field_id(c) for c in codes]}],
        "bands": BANDS,
    }
    return data


def rating_definition(
    codes: tuple[str, ...] = CODES,
    weights: dict[str, float] | None = None,
    min_group: int = 3,
) -> Definition:
    data = _base("rekan", "rating_360", ["supervisor", "peer"], min_group)
    data["pages"] = [{"id": "p", "title": {"id": "P", "en": "P"}, "items": _ratings(codes)}]
    data["scoring"] = {
        "external_raters": {"self": "diri"},
        "rater_weights": weights or {"self": 0.2, "supervisor": 0.5, "peer": 0.3},
        "rules": [{"id": "gap", "method": "regulatory_gap", "items": [field_id(c) for c in codes]}],
        "bands": BANDS,
    }
    return load(data)


def stakeholder_definition(codes: tuple[str, ...] = CODES, min_group: int = 2) -> Definition:
    data = _base("pemangku", "stakeholder", ["stakeholder"], min_group)
    data["pages"] = [
        {
            "id": "p",
            "title": {"id": "P", "en": "P"},
            "items": [
                {
                    "id": "grid",
                    "type": "matrix",
                    "label": {"id": "Kepentingan", "en": "Importance"},
                    "rows": [
                        {"id": field_id(c), "competency": c, "label": {"id": c, "en": c}}
                        for c in codes
                    ],
                    "columns": [
                        {"id": "imp", "scale": "lv", "label": {"id": "Penting", "en": "Important"}}
                    ],
                }
            ],
        }
    ]
    data["scoring"] = {
        "rules": [
            {
                "id": "imp",
                "method": "mean",
                "over": "grid",
                "column": "imp",
                "group_by": "competency",
            }
        ]
    }
    return load(data)


def tna_definition(codes: tuple[str, ...] = CODES, min_group: int = 1) -> Definition:
    """A Hennessy-Hicks style instrument: importance and performance per competency row."""
    data = _base("tna", "generic", ["self"], min_group)
    data["pages"] = [
        {
            "id": "p",
            "title": {"id": "P", "en": "P"},
            "items": [
                {
                    "id": "grid",
                    "type": "matrix",
                    "label": {"id": "Kisi", "en": "Grid"},
                    "rows": [
                        {"id": field_id(c), "competency": c, "label": {"id": c, "en": c}}
                        for c in codes
                    ],
                    "columns": [
                        {
                            "id": "imp",
                            "scale": "lv",
                            "label": {"id": "Penting", "en": "Importance"},
                        },
                        {
                            "id": "perf",
                            "scale": "lv",
                            "label": {"id": "Kinerja", "en": "Performance"},
                        },
                    ],
                },
                {"id": "jp", "type": "integer", "label": {"id": "JP", "en": "JP"}},
            ],
        }
    ]
    data["scoring"] = {
        "rules": [
            {
                "id": "hh",
                "method": "difference",
                "over": "grid",
                "importance": "imp",
                "performance": "perf",
            },
            {
                "id": "borich",
                "method": "borich_mwds",
                "over": "grid",
                "importance": "imp",
                "ability": "perf",
            },
            {
                "id": "produk",
                "method": "priority_product",
                "over": "grid",
                "importance": "imp",
                "performance": "perf",
                "group_by": "item",
            },
            {"id": "rerata", "method": "mean", "over": "grid", "column": "imp"},
        ],
        "bands": [{"rule": "hh", "min": 1, "label": {"id": "Perlu", "en": "Needed"}}],
    }
    return load(data)


def definitions(*items: Definition) -> dict[str, Definition]:
    return {d.id: d for d in items}


def standard_set() -> dict[str, Definition]:
    return definitions(self_definition(), rating_definition(), stakeholder_definition())


@dataclass
class Place:
    """An instansi with an OPD (and its bidang), a second OPD and people in each."""

    instansi: Instansi
    opd: OrgUnit
    bidang: OrgUnit
    other_opd: OrgUnit
    head: Employee
    staff: list[Employee]
    other: list[Employee]
    staff_position: Position
    campaigns: dict[str, int] = field(default_factory=dict)


def build_place(code: str = "kota-n", staff: int = 3, other: int = 2) -> Place:
    """Dictionary (core nine), default levels from 2020, two OPDs with employees."""
    instansi = make_instansi(code, f"Kota {code}")
    opd = make_unit(instansi, "Dinas Kesehatan")
    bidang = make_unit(instansi, "Bidang Pelayanan", opd, UnitKind.BIDANG)
    other_opd = make_unit(instansi, "Dinas Pendidikan")
    head_position = make_position(
        opd, "Kepala Dinas", PositionType.JPT, heads=True, jenjang=Jenjang.PRATAMA
    )
    staff_position = make_position(
        bidang, "Analis", PositionType.FUNGSIONAL, jenjang=Jenjang.AHLI_MUDA
    )
    other_position = make_position(other_opd, "Pengelola", PositionType.PELAKSANA)
    services.seed_dictionary(instansi.id)
    services.seed_defaults(instansi.id, date(2020, 1, 1))
    place = Place(
        instansi=instansi,
        opd=opd,
        bidang=bidang,
        other_opd=other_opd,
        head=make_employee(head_position, "Kepala"),
        staff=[make_employee(staff_position, f"Staf {n}") for n in range(staff)],
        other=[make_employee(other_position, f"Lain {n}") for n in range(other)],
        staff_position=staff_position,
    )
    db.session.commit()
    return place


def campaign(place: Place, definition: Definition, year: int = YEAR) -> int:
    key = f"{definition.id}:{year}"
    if key not in place.campaigns:
        audience = {
            "self_assessment": Audience.SELF,
            "rating_360": Audience.SUPERVISOR,
            "stakeholder": Audience.STAKEHOLDER,
        }.get(definition.kind, Audience.SELF)
        place.campaigns[key] = add_campaign(
            CampaignSpec(place.instansi.id, definition.id, definition.version, audience, year)
        )
    return place.campaigns[key]


def answer(
    place: Place,
    definition: Definition,
    role: str,
    values: dict[str, float],
    subject: Employee | None = None,
    unit: OrgUnit | None = None,
    year: int = YEAR,
) -> None:
    """One submitted response; `values` by field path (m01, grid.m01.imp …)."""
    add_responses(
        campaign(place, definition, year),
        definition.id,
        definition.version,
        [
            ResponseSpec(
                role,
                dict(values),
                subject_employee_id=subject.id if subject else None,
                respondent_employee_id=subject.id if subject and role == "self" else None,
                org_unit_id=unit.id if unit else (subject.org_unit_id if subject else None),
            )
        ],
    )


def set_standard(
    position: Position, code: str, level: int, valid_from: date, valid_to: date | None = None
) -> None:
    competency_id = db.session.scalar(
        select(Competency.id).where(
            Competency.instansi_id == position.instansi_id, Competency.code == code
        )
    )
    db.session.add(
        PositionStandard(
            position_id=position.id,
            competency_id=competency_id,
            required_level=level,
            valid_from=valid_from,
            valid_to=valid_to,
        )
    )
    db.session.flush()
