"""Demo data of the needs analysis: dictionary, standards, and a believable analysed cycle.

Runs after the surveys demo. Definitions whose campaign of the cycle already has submitted
responses are left as they are; for the others this seeder writes its own believable
self-assessments, supervisor and peer ratings and stakeholder consultations (bulk inserts),
then recomputes the analysis of every demo instansi and lets HR decide a few needs.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from app.accounts.models import User
from app.clock import local_today
from app.demo.seed import DEMO_DOMAIN, DemoContext
from app.extensions import db
from app.needs import services
from app.needs.dictionary import CORE_COMPETENCIES, DEFAULT_LEVELS, DEMO_TECHNICAL
from app.needs.models import (
    Competency,
    CompetencyGap,
    DevelopmentNeed,
    NeedStatus,
    PositionStandard,
)
from app.needs.sample import CampaignSpec, ResponseSpec, add_campaign, add_responses
from app.org.models import Employee, Instansi, OrgUnit, Position
from app.surveys.models import Audience, Campaign, CampaignStatus, Response, ResponseStatus

SELF = "penilaian_diri_kompetensi"
RATING = "penilaian_atasan_rekan"
STAKEHOLDER = "konsultasi_pemangku_kepentingan"
CORE = list(CORE_COMPETENCIES)  # M.01 … M.08, SK.01
FIELD = {code: code.lower().replace(".", "") for code in CORE}  # M.01 → m01

# OPD name fragment → (weaker competencies, stronger competency) of its staff.
UNIT_PROFILE: dict[str, tuple[tuple[str, ...], str]] = {
    "Kesehatan": (("M.07", "M.03"), "M.05"),
    "Kependudukan": (("M.05", "M.07"), "M.01"),
    "Pendidikan": (("M.06", "M.04"), "M.02"),
    "Sekretariat": (("M.08",), "M.03"),
    "Kepegawaian": (("M.07", "M.06"), "M.01"),
    "Kecamatan": (("M.05", "SK.01"), "M.02"),
}
# Mean importance stakeholders give each competency, and what some OPDs' users stress.
BASE_IMPORTANCE = {
    "M.01": 4.5,
    "M.02": 3.6,
    "M.03": 4.1,
    "M.04": 4.0,
    "M.05": 4.6,
    "M.06": 3.2,
    "M.07": 3.5,
    "M.08": 3.7,
    "SK.01": 3.8,
}
UNIT_IMPORTANCE = {
    "Kesehatan": {"M.05": 0.3, "M.03": 0.4},
    "Kependudukan": {"M.07": 0.8, "M.05": 0.3},
    "Pendidikan": {"M.06": 0.7},
}
# Technical competency → OPD name fragment whose positions require it, and the level.
TECHNICAL_FOR = {
    "T.KES.01": ("Kesehatan", 3),
    "T.ADM.01": ("Kependudukan", 3),
    "T.DAT.01": ("Kepegawaian", 2),
    "T.PBJ.01": ("Sekretariat", 2),
}
LAYANAN = ["adminduk", "perizinan", "kesehatan", "pendidikan", "sosial", "pajak"]
ASPEK = ["kecepatan", "biaya", "persyaratan", "keramahan", "kompetensi_petugas", "digital"]
KELOMPOK = ["masyarakat", "masyarakat", "masyarakat", "akademisi", "swasta", "lsm"]


def clamp(value: float, low: int = 1, high: int = 5) -> int:
    return max(low, min(high, round(value)))


@dataclass
class Person:
    id: int
    unit_id: int
    opd: str
    required: int
    boss: int | None


def seed_demo_data(context: DemoContext) -> None:
    """Dictionary and standards for every instansi, then an analysed cycle each."""
    rng = random.Random(context.rng.random())
    today = local_today()
    for instansi in db.session.scalars(select(Instansi).order_by(Instansi.id)).all():
        services.seed_dictionary(instansi.id, DEMO_TECHNICAL)
        services.seed_defaults(instansi.id, date(today.year - 3, 1, 1))
        _technical_standards(instansi.id, date(today.year - 2, 1, 1))
        db.session.commit()
        year = _cycle_year(instansi.id, today.year)
        people = _people(instansi.id)
        if not people:
            continue
        if not _has_answers(instansi.id, year, SELF):
            _self_assessments(instansi.id, year, people, rng)
        if not _has_answers(instansi.id, year, RATING):
            _ratings(instansi.id, year, people, rng)
        if not _has_answers(instansi.id, year, STAKEHOLDER):
            _consultation(instansi.id, year, rng)
        db.session.commit()
        services.recompute(instansi.id, year)
        _decide(instansi.id, year, rng)


def _cycle_year(instansi_id: int, this_year: int) -> int:
    """The latest cycle of the instansi's competency campaigns, else this year."""
    latest = db.session.scalar(
        select(func.max(Campaign.cycle_year)).where(
            Campaign.instansi_id == instansi_id,
            Campaign.definition_id.in_([SELF, RATING, STAKEHOLDER]),
        )
    )
    return int(latest or this_year)


def _has_answers(instansi_id: int, year: int, definition_id: str) -> bool:
    return bool(
        db.session.scalar(
            select(Response.id)
            .join(Campaign, Campaign.id == Response.campaign_id)
            .where(
                Campaign.instansi_id == instansi_id,
                Campaign.cycle_year == year,
                Campaign.definition_id == definition_id,
                Response.status == ResponseStatus.SUBMITTED,
            )
            .limit(1)
        )
    )


def _campaign(instansi_id: int, year: int, definition_id: str, audience: Audience) -> int:
    """The cycle's campaign of a definition (created, closed, when there is none)."""
    found = db.session.scalar(
        select(Campaign.id)
        .where(
            Campaign.instansi_id == instansi_id,
            Campaign.cycle_year == year,
            Campaign.definition_id == definition_id,
        )
        .order_by(Campaign.id)
        .limit(1)
    )
    if found is not None:
        return int(found)
    titles = {
        SELF: "Penilaian Diri Kompetensi ASN",
        RATING: "Penilaian Kompetensi oleh Atasan dan Rekan Kerja",
        STAKEHOLDER: "Konsultasi Pemangku Kepentingan",
    }
    return add_campaign(
        CampaignSpec(
            instansi_id,
            definition_id,
            1,
            audience,
            year,
            title=f"{titles[definition_id]} {year}",
            status=CampaignStatus.CLOSED,
            anonymous=definition_id == STAKEHOLDER,
        )
    )


def _technical_standards(instansi_id: int, valid_from: date) -> None:
    """Positions of the OPDs that need a technical competency get a standard for it."""
    codes = {
        c.code: c.id
        for c in db.session.scalars(
            select(Competency).where(
                Competency.instansi_id == instansi_id, Competency.code.in_(list(TECHNICAL_FOR))
            )
        )
    }
    have = set(
        db.session.execute(
            select(PositionStandard.position_id, PositionStandard.competency_id)
            .join(Position, Position.id == PositionStandard.position_id)
            .where(Position.instansi_id == instansi_id)
        ).all()
    )
    opd_of = _opd_names(instansi_id)
    for position in db.session.scalars(select(Position).where(Position.instansi_id == instansi_id)):
        opd = opd_of.get(position.org_unit_id, "")
        for code, (fragment, level) in TECHNICAL_FOR.items():
            competency_id = codes.get(code)
            if competency_id is None or fragment not in opd or (position.id, competency_id) in have:
                continue
            head = position.heads_unit_id is not None
            db.session.add(
                PositionStandard(
                    position_id=position.id,
                    competency_id=competency_id,
                    required_level=min(5, level + (1 if head else 0)),
                    valid_from=valid_from,
                )
            )
    db.session.flush()


def _opd_names(instansi_id: int) -> dict[int, str]:
    """Unit id → the name of its OPD (top-level unit)."""
    units = db.session.execute(
        select(OrgUnit.id, OrgUnit.path, OrgUnit.name).where(OrgUnit.instansi_id == instansi_id)
    ).all()
    names = {unit_id: name for unit_id, _, name in units}
    result = {}
    for unit_id, path, _ in units:
        root = int(path.strip("/").split("/")[0]) if path.strip("/") else unit_id
        result[unit_id] = names.get(root, "")
    return result


def _people(instansi_id: int) -> list[Person]:
    """Active employees with their OPD, default required level and a rater above them."""
    opd_of = _opd_names(instansi_id)
    parent = dict(
        db.session.execute(
            select(OrgUnit.id, OrgUnit.parent_id).where(OrgUnit.instansi_id == instansi_id)
        ).all()
    )
    heads: dict[int, int] = {}
    rows = db.session.execute(
        select(
            Employee.id,
            Employee.org_unit_id,
            Position.position_type,
            Position.jenjang,
            Position.heads_unit_id,
        )
        .outerjoin(Position, Position.id == Employee.position_id)
        .where(Employee.instansi_id == instansi_id, Employee.active.is_(True))
        .order_by(Employee.id)
    ).all()
    for employee_id, _, _, _, heads_unit in rows:
        if heads_unit is not None:
            heads.setdefault(heads_unit, employee_id)
    people = []
    for employee_id, unit_id, position_type, jenjang, heads_unit in rows:
        key = (
            position_type.value if position_type else "pelaksana",
            jenjang.value if jenjang else "",
        )
        boss_unit = parent.get(unit_id) if heads_unit == unit_id else unit_id
        boss = heads.get(boss_unit) if boss_unit else None
        people.append(
            Person(
                employee_id,
                unit_id,
                opd_of.get(unit_id, ""),
                DEFAULT_LEVELS.get(key, 2),
                boss if boss != employee_id else None,
            )
        )
    return people


def _true_levels(people: list[Person], rng: random.Random) -> dict[int, dict[str, float]]:
    """A believable 'real' level per person and competency: around the standard, with the
    OPD's weaker and stronger competencies and some people clearly below it."""
    levels: dict[int, dict[str, float]] = {}
    for person in people:
        weak, strong = next(
            (profile for fragment, profile in UNIT_PROFILE.items() if fragment in person.opd),
            ((), ""),
        )
        personal = rng.gauss(0, 0.5)
        levels[person.id] = {
            code: person.required
            + personal
            + rng.gauss(-0.3, 0.6)
            - (1.1 if code in weak else 0)
            + (0.5 if code == strong else 0)
            for code in CORE
        }
    return levels


def _self_assessments(
    instansi_id: int, year: int, people: list[Person], rng: random.Random
) -> None:
    truth = _true_levels(people, random.Random(rng.random()))
    campaign = _campaign(instansi_id, year, SELF, Audience.SELF)
    specs = []
    for person in people:
        if rng.random() < 0.08:  # some never filled in their self-assessment
            continue
        ratings = {FIELD[c]: clamp(truth[person.id][c] + 0.5 + rng.gauss(0, 0.5)) for c in CORE}
        lowest = sorted(CORE, key=lambda c: ratings[FIELD[c]])[:3]
        specs.append(
            ResponseSpec(
                "self",
                {
                    "jabatan_sesuai": "ya",
                    **ratings,
                    "rerata_diri": round(sum(ratings.values()) / len(ratings), 2),
                    "prioritas_pengembangan": [FIELD[c] for c in lowest],
                    "bentuk_pengembangan": rng.sample(
                        ["klasikal", "elearning", "coaching", "seminar", "mandiri"], 2
                    ),
                    "jp_tahun_lalu": rng.choice([0, 8, 12, 16, 20, 24, 32, 40]),
                },
                subject_employee_id=person.id,
                respondent_employee_id=person.id,
                org_unit_id=person.unit_id,
            )
        )
    add_responses(campaign, SELF, 1, specs, submitted_on=date(year - 1, 9, 20))


def _ratings(instansi_id: int, year: int, people: list[Person], rng: random.Random) -> None:
    truth = _true_levels(people, random.Random(rng.random()))
    campaign = _campaign(instansi_id, year, RATING, Audience.SUPERVISOR)
    by_unit: dict[int, list[int]] = defaultdict(list)
    by_opd: dict[str, list[int]] = defaultdict(list)
    for person in people:
        by_unit[person.unit_id].append(person.id)
        by_opd[person.opd].append(person.id)
    specs = []

    def rating(person: Person, role: str, rater: int | None, spread: float) -> ResponseSpec:
        answers: dict[str, object] = {
            "lama_bekerja_sama": rng.choice(["6_12_bulan", "1_3_tahun", "lebih_3_tahun"]),
            "cukup_mengamati": "ya",
        }
        answers.update({FIELD[c]: clamp(truth[person.id][c] + rng.gauss(0, spread)) for c in CORE})
        return ResponseSpec(
            role,
            answers,  # type: ignore[arg-type]
            subject_employee_id=person.id,
            respondent_employee_id=rater,
            org_unit_id=person.unit_id,
        )

    for person in people:
        if rng.random() < 0.03:  # nobody rated these: "employees without ratings"
            continue
        if person.boss is not None and rng.random() < 0.9:
            specs.append(rating(person, "supervisor", person.boss, 0.4))
        colleagues = [e for e in by_unit[person.unit_id] if e != person.id]
        if len(colleagues) < 3:  # a small unit: colleagues from elsewhere in the OPD
            colleagues = [e for e in by_opd[person.opd] if e != person.id]
        roll = rng.random()
        wanted = 3 if roll < 0.75 else (2 if roll < 0.87 else 0)
        for peer in rng.sample(colleagues, min(wanted, len(colleagues))):
            specs.append(rating(person, "peer", peer, 0.7))
    add_responses(campaign, RATING, 1, specs, submitted_on=date(year - 1, 10, 5))


def _consultation(instansi_id: int, year: int, rng: random.Random) -> None:
    """Stakeholders rate the importance of each competency for the OPD that serves them."""
    campaign = _campaign(instansi_id, year, STAKEHOLDER, Audience.STAKEHOLDER)
    opds = db.session.execute(
        select(OrgUnit.id, OrgUnit.name)
        .where(OrgUnit.instansi_id == instansi_id, OrgUnit.parent_id.is_(None))
        .order_by(OrgUnit.id)
    ).all()
    specs = []
    targets: list[int | None] = []
    for index, (opd_id, _name) in enumerate(opds):
        if index % 4 == 3:  # some OPDs got no consultation: they use the instansi-wide mean
            continue
        targets.extend([opd_id] * rng.randint(6, 14))
    targets.extend([None] * 10)  # public responses about the Pemda as a whole
    names = dict(opds)
    for unit_id in targets:
        stress = next(
            (
                extra
                for fragment, extra in UNIT_IMPORTANCE.items()
                if unit_id is not None and fragment in names.get(unit_id, "")
            ),
            {},
        )
        aspects = rng.sample(ASPEK, 3)
        group = rng.choice(KELOMPOK)
        answers: dict[str, object] = {
            "kelompok": group,
            "layanan_digunakan": rng.sample(LAYANAN, rng.randint(1, 3)),
            "frekuensi": rng.choice(["tahunan", "bulanan", "mingguan"]),
            "kepuasan": rng.randint(2, 5),
            "pernah_mengadu": "tidak",
            "prioritas_1": aspects[0],
            "prioritas_2": aspects[1],
            "prioritas_3": aspects[2],
        }
        for code in CORE:
            value = BASE_IMPORTANCE[code] + stress.get(code, 0) + rng.gauss(0, 0.7)
            answers[f"kepentingan.{FIELD[code]}.imp"] = clamp(value)
        specs.append(
            ResponseSpec(
                "stakeholder",
                answers,  # type: ignore[arg-type]
                org_unit_id=unit_id,
                stakeholder_group=group,
            )
        )
    add_responses(campaign, STAKEHOLDER, 1, specs, submitted_on=date(year - 1, 9, 10))


def _decide(instansi_id: int, year: int, rng: random.Random) -> None:
    """HR (the demo BKPSDM login where it exists) accepts the top needs, dismisses a few."""
    hr = db.session.scalar(select(User.id).where(User.email == f"bkpsdm@{DEMO_DOMAIN}"))
    ids = list(
        db.session.scalars(
            select(DevelopmentNeed.id)
            .where(
                DevelopmentNeed.instansi_id == instansi_id,
                DevelopmentNeed.cycle_year == year,
                DevelopmentNeed.status == NeedStatus.PROPOSED,
            )
            .order_by(DevelopmentNeed.priority.desc().nulls_last(), DevelopmentNeed.id)
        )
    )
    if not ids:
        return
    accept = ids[: max(1, len(ids) // 4)]
    dismiss = [i for i in ids[len(ids) // 2 :] if rng.random() < 0.1]
    services.bulk_decide(accept, "accept", None, hr)
    if dismiss:
        services.bulk_decide(dismiss, "dismiss", None, hr)


def add_demo_gaps(
    instansi_id: int,
    year: int,
    mentees: list[Employee],
    mentor: Employee,
    mentor_levels: dict[str, float],
    rng: random.Random,
) -> None:
    """Gaps for other features' demo people (mentoring's): two cycles for the mentees, one for
    the mentor at `mentor_levels`, unless the needs analysis already made some."""
    people = [*mentees, mentor]
    if db.session.scalar(
        select(func.count())
        .select_from(CompetencyGap)
        .where(CompetencyGap.employee_id.in_([e.id for e in people]))
    ):
        return
    codes = list(CORE_COMPETENCIES)
    for person in people:
        for code in codes:
            required = 3.0
            if person.id == mentor.id:
                current = mentor_levels.get(code, 3.0)
                cycles = [year]
            else:
                current = round(rng.uniform(1.5, 3.0), 1)
                cycles = [year - 1, year]
            for cycle in cycles:
                level = current if cycle == year else max(current - rng.choice([0.0, 0.3, 0.5]), 1)
                db.session.add(
                    CompetencyGap(
                        instansi_id=instansi_id,
                        cycle_year=cycle,
                        employee_id=person.id,
                        org_unit_id=person.org_unit_id,
                        competency_code=code,
                        required_level=required,
                        current_level=level,
                        gap=round(required - level, 2),
                    )
                )
    db.session.flush()
