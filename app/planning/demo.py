"""Demo: Kota Dumai's provider register, its plan settings (the Sekretaris Daerah adopts for the
Wali Kota), the draft plan of the cycle drafted from its needs, and last year's plan adopted and
carried out, with realisation figures. Runs once."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from app.access.policy import principal_for
from app.accounts.models import User
from app.clock import local_today, utcnow
from app.demo.seed import DEMO_DOMAIN
from app.extensions import db
from app.needs.planning_feed import accepted_need_rows, competency_labels
from app.org.models import Employee, Instansi, OrgUnit, Position
from app.planning import lifecycle, services
from app.planning.audit import PlanActor
from app.planning.models import ActorCapacity, PlanItem, PlanSettings, ProviderKind, Revision
from app.training.models import (
    Attendance,
    BudgetCommitment,
    BudgetLine,
    Completion,
    EventStatus,
    Nomination,
    NominationOrigin,
    NominationState,
    Participation,
    TrainingEvent,
    TrainingProgram,
)
from app.training.policy import acting_for

PROVIDERS = (
    ("Universitas Riau", ProviderKind.UNIVERSITY, "Lembaga Pengembangan Pembelajaran", True),
    ("PT Mitra Kompetensi Nusantara", ProviderKind.PRIVATE, "Divisi Pelatihan Korporat", False),
    ("BPSDM Provinsi Riau", ProviderKind.BPSDM, "Bidang Pengembangan Kompetensi", True),
)
# Last year's plan: (competency code, title, provider, month, JP, unit cost, headcount, done).
LAST_YEAR = (
    ("M.05", "Bimtek pelayanan publik prima", "BPSDM Provinsi Riau", 3, 24, 1_500_000, 12, 10),
    ("M.03", "Pelatihan komunikasi efektif", "Universitas Riau", 5, 30, 2_000_000, 8, 6),
    ("T.01", "Magang pengelolaan data kesehatan", "PT Mitra Kompetensi Nusantara", 8, 40, 0, 4, 0),
)


def _cycle_year(instansi_id: int) -> int | None:
    for year in (local_today().year + 1, local_today().year):
        if accepted_need_rows(instansi_id, year):
            return year
    return None


def _providers(instansi_id: int) -> dict[str, int]:
    known = {p.name.lower(): p.id for p in services.providers_of(instansi_id)}
    for name, kind, contact, accredited in PROVIDERS:
        if name.lower() not in known:
            provider = services.save_provider(
                instansi_id,
                services.ProviderData(
                    name, kind.value, contact_name=contact, accredited=accredited,
                    email=f"diklat@{name.split()[-1].lower()}.example",
                ),
            )  # fmt: skip
            known[name.lower()] = provider.id
    return known


def _sekda(instansi_id: int) -> tuple[Position | None, Employee | None, User | None]:
    position = db.session.scalar(
        select(Position).where(
            Position.instansi_id == instansi_id, Position.name == "Sekretaris Daerah"
        )
    )
    employee = (
        db.session.scalar(select(Employee).where(Employee.position_id == position.id).limit(1))
        if position
        else None
    )
    user = db.session.scalar(select(User).where(User.email == f"sekda@{DEMO_DOMAIN}"))
    return position, employee, user


def seed_demo_data(context: object) -> None:
    dumai = db.session.scalar(select(Instansi).where(Instansi.code == "kota-dumai"))
    if dumai is None or db.session.scalar(
        select(func.count()).select_from(PlanSettings).where(PlanSettings.instansi_id == dumai.id)
    ):
        return
    providers = _providers(dumai.id)
    position, sekda, user = _sekda(dumai.id)
    services.save_settings(
        dumai.id,
        position.id if position else None,
        sekda.name if sekda else "",
        sekda.nip if sekda and sekda.nip else "",
        "Dumai",
    )
    hr = PlanActor(None, "BKPSDM Kota Dumai")
    year = _cycle_year(dumai.id)
    if year is not None and services.plan_for(dumai.id, year) is None:
        services.draft_plan(dumai.id, year, hr)
    earlier = (year or local_today().year) - 1
    if services.plan_for(dumai.id, earlier) is None and user is not None and position:
        _adopted_plan(dumai, earlier, providers, hr, user, position)


def _adopted_plan(
    dumai: Instansi,
    year: int,
    providers: dict[str, int],
    hr: PlanActor,
    user: User,
    position: Position,
) -> None:
    """Last year's plan: three items, adopted by the Sekda, two of them carried out."""
    result = services.draft_plan(dumai.id, year, hr)
    revision = db.session.get(Revision, result.revision_id)
    assert revision is not None
    line = services.save_line(
        revision,
        services.LineData("Pengembangan kompetensi ASN", "5.02.01.2.05", "apbd", 60_000_000),
        hr,
    )
    opd = db.session.scalar(
        select(OrgUnit).where(OrgUnit.instansi_id == dumai.id, OrgUnit.name == "Dinas Kesehatan")
    ) or db.session.scalar(select(OrgUnit).where(OrgUnit.instansi_id == dumai.id).limit(1))
    assert opd is not None
    known = competency_labels(dumai.id)
    items = []
    for code, title, provider, month, jp, cost, headcount, _done in LAST_YEAR:
        item = services.save_item(
            revision,
            None,
            services.ItemData(
                title=title,
                competency_code=code if code in known else next(iter(known), None),
                form="internship" if jp == 40 else "classical",
                provider_id=providers.get(provider.lower()),
                schedule_month=month,
                curriculum_conform=True,
                curriculum_note="Sesuai kurikulum LAN dan standar kompetensi jabatan.",
                jp=jp,
                unit_cost=cost,
                budget_line_id=line.id if cost else None,
            ),
            None,
            hr,
        )
        services.add_count_target(revision, item, opd.id, None, headcount, item.version, hr)
        items.append(item)
    revision = _reloaded(revision)
    lifecycle.send_to_review(revision, revision.version, hr)
    revision = _reloaded(revision)
    lifecycle.submit_to_ppk(revision, revision.version, hr)
    revision = _reloaded(revision)
    day = date(year, 1, 20)
    sekda = PlanActor(user.id, user.display_name, ActorCapacity.DEFINITIVE, position.id,
                      position.name)  # fmt: skip
    lifecycle.adopt(
        revision, revision.version, acting_for(principal_for(user), local_today()),
        f"800/{year % 100:02d}/BKPSDM/{year}", day, sekda,
    )  # fmt: skip
    _realised(dumai, year, opd, items)


def _reloaded(revision: Revision) -> Revision:
    found = db.session.get(Revision, revision.id)
    assert found is not None
    return found


def _realised(dumai: Instansi, year: int, opd: OrgUnit, items: list[PlanItem]) -> None:
    """Events of last year linked to the items, with approved and completed participants."""
    program = db.session.scalar(
        select(TrainingProgram)
        .where(TrainingProgram.instansi_id == dumai.id)
        .order_by(TrainingProgram.id)
        .limit(1)
    )
    if program is None:
        return
    staff = list(
        db.session.scalars(
            select(Employee)
            .where(Employee.org_unit_id.in_(select(OrgUnit.id).where(OrgUnit.path.startswith(
                opd.path))), Employee.active.is_(True))
            .order_by(Employee.id)
            .limit(30)
        )
    )  # fmt: skip
    line = db.session.scalar(
        select(BudgetLine).where(BudgetLine.org_unit_id == opd.id, BudgetLine.year == year)
    )
    if line is None:
        line = BudgetLine(
            instansi_id=dumai.id, org_unit_id=opd.id, year=year, code="5.02.01.2.05",
            name="Pengembangan kompetensi ASN", amount=60_000_000, committed=0,
        )  # fmt: skip
        db.session.add(line)
        db.session.flush()
    cursor = 0
    for item, (_code, _title, _p, month, _jp, cost, headcount, done) in zip(
        items, LAST_YEAR, strict=True
    ):
        if not done:
            continue  # the internship never took place: an item at risk
        event = TrainingEvent(
            program_id=program.id, batch_code=f"Angkatan {month}/{year}",
            start_date=date(year, month, 10), end_date=date(year, month, 12),
            location="Aula BKPSDM Kota Dumai", quota=headcount, seats_taken=done,
            status=EventStatus.SCHEDULED, plan_item_id=item.id,
        )  # fmt: skip
        db.session.add(event)
        db.session.flush()
        for employee in staff[cursor : cursor + done]:
            nomination = Nomination(
                instansi_id=dumai.id, event_id=event.id, employee_id=employee.id,
                plan_item_id=item.id,
                origin=NominationOrigin.SUPERVISOR, justification="Rencana pengembangan.",
                state=NominationState.APPROVED, cost=cost, decided_at=utcnow(),
            )  # fmt: skip
            db.session.add(nomination)
            db.session.flush()
            db.session.add_all(
                [
                    Participation(
                        nomination_id=nomination.id, event_id=event.id, employee_id=employee.id,
                        attendance=Attendance.PRESENT, completion=Completion.COMPLETED,
                        completed_at=utcnow(),
                    ),
                    BudgetCommitment(budget_line_id=line.id, nomination_id=nomination.id,
                                     amount=cost),
                ]
            )  # fmt: skip
            line.committed += cost
        cursor += done
    db.session.commit()
