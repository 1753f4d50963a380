"""Demo data: two annual SKP for every employee, potential inputs, so everyone has a box.

Last year's and this year's SKP, a qualification and an assessment-centre score per employee
(so that a potential exists even where the needs analysis has no JPM), a career path and an
intended position for the demo employee, and the head of Dinas Kesehatan as a key position.
Bulk inserts: a 10,000-employee demo seeds in seconds.
"""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import insert, select

from app.accounts.models import User
from app.clock import local_today
from app.demo.seed import DemoContext
from app.extensions import db
from app.models import utcnow
from app.needs.targets import set_target
from app.org.hierarchy import supervisor_of
from app.org.models import Employee, Instansi, OrgUnit, Position
from app.talent.matrix import predikat
from app.talent.models import (
    CareerPath,
    Education,
    KeyPosition,
    PotentialInput,
    Rating,
    SkpPeriod,
    SkpRating,
    SkpSource,
)

RATINGS = (Rating.ABOVE, Rating.MEETS, Rating.BELOW)
RATING_WEIGHTS = (0.22, 0.63, 0.15)
EDUCATIONS = (Education.SMA, Education.D3, Education.S1, Education.S2, Education.S3)
EDUCATION_WEIGHTS = (0.15, 0.15, 0.5, 0.17, 0.03)


def _rating(rng: random.Random, previous: Rating | None = None) -> Rating:
    """Mostly 'sesuai'; a rating tends to repeat from one year to the next."""
    if previous is not None and rng.random() < 0.55:
        return previous
    return rng.choices(RATINGS, RATING_WEIGHTS)[0]


def seed_demo_data(context: DemoContext) -> None:
    rng = random.Random(context.rng.random())
    year = local_today().year
    now = utcnow()
    for instansi in db.session.scalars(select(Instansi).order_by(Instansi.id)).all():
        if db.session.scalar(select(SkpRating.id).where(SkpRating.instansi_id == instansi.id)):
            continue
        ids = list(
            db.session.scalars(
                select(Employee.id)
                .where(Employee.instansi_id == instansi.id, Employee.active.is_(True))
                .order_by(Employee.id)
            )
        )
        skp_rows, inputs = [], []
        for employee_id in ids:
            hasil = perilaku = None
            for y in (year - 1, year):
                hasil = _rating(rng, hasil)
                perilaku = _rating(rng, perilaku) if rng.random() < 0.9 else Rating.MEETS
                skp_rows.append(
                    {
                        "instansi_id": instansi.id,
                        "employee_id": employee_id,
                        "year": y,
                        "period": SkpPeriod.ANNUAL.value,
                        "hasil_kerja": hasil.value,
                        "perilaku": perilaku.value,
                        "predikat": predikat(hasil, perilaku).value,
                        "source": SkpSource.E_KINERJA.value,
                        "note": "",
                        "created_at": now,
                        "updated_at": now,
                    }
                )
            inputs.append(
                {
                    "instansi_id": instansi.id,
                    "employee_id": employee_id,
                    "year": year - 1,
                    "education": rng.choices(EDUCATIONS, EDUCATION_WEIGHTS)[0].value,
                    "assessment_score": round(min(98.0, max(55.0, rng.gauss(75, 10))), 1),
                    "grade_since": local_today() - timedelta(days=rng.randint(300, 4500)),
                    "created_at": now,
                    "updated_at": now,
                }
            )
        if skp_rows:
            db.session.execute(insert(SkpRating), skp_rows)
            db.session.execute(insert(PotentialInput), inputs)
        _careers(instansi.id)
        db.session.commit()


def _careers(instansi_id: int) -> None:
    """The demo employee aims at their supervisor's post; its step is a career path."""
    user = db.session.scalars(select(User).where(User.email == "pegawai@bangkom.example")).first()
    employee = user.employee if user is not None else None
    if (
        user is not None
        and employee is not None
        and employee.instansi_id == instansi_id
        and employee.position_id
    ):
        boss = supervisor_of(employee)
        if boss is not None and boss.position_id is not None:
            set_target(instansi_id, employee.id, boss.position_id, user.id, "Demo")
            db.session.add(
                CareerPath(
                    instansi_id=instansi_id,
                    from_position_id=employee.position_id,
                    to_position_id=boss.position_id,
                    rumpun="Kesehatan",
                    min_years_in_grade=2,
                )
            )
    head = db.session.scalars(
        select(Position)
        .join(OrgUnit, Position.heads_unit_id == OrgUnit.id)
        .where(Position.instansi_id == instansi_id, OrgUnit.parent_id.is_(None))
        .order_by(OrgUnit.name)
    ).first()
    if head is not None:
        db.session.add(KeyPosition(instansi_id=instansi_id, position_id=head.id, note="Kepala OPD"))
