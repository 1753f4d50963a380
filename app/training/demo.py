"""Demo training data for Kota Dumai: catalogue, batches, budget, chains, a Plt, nominations.

Everything goes through the real workflow (with the real approvers as actors), so the audit
trail of every demo nomination is what the portal would have written. The head of Dinas
Kesehatan (`kepala.dinkes@bangkom.example`) finds a full approvals inbox; the supervisor and HR
have items too; some nominations are returned, rejected or withdrawn; two past batches are
completed and their JP credited to the participants' learning records.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import bindparam, func, select, update

from app.accounts.models import User
from app.clock import local_today
from app.demo.seed import DEMO_DOMAIN, DemoContext
from app.extensions import db
from app.needs.models import DevelopmentNeed, NeedStatus
from app.org.hierarchy import opd_of, supervisor_of
from app.org.models import Employee, Instansi, OrgUnit, Position
from app.training.models import (
    FORM_PATH,
    ApprovalChainStep,
    Attendance,
    BudgetLine,
    BudgetSource,
    Completion,
    Delegation,
    DelegationKind,
    Nomination,
    NominationAction,
    NominationState,
    NominationStep,
    Participation,
    ProgramCompetency,
    ProviderKind,
    RejectReason,
    StepKind,
    TrainingEvent,
    TrainingForm,
    TrainingProgram,
)
from app.training.services import record_participation
from app.training.workflow import (
    Actor,
    Decision,
    actor_for_employee,
    actor_for_user,
    current_step,
    decide,
    nominate,
    nominate_from_needs,
    withdraw,
)

# (code, title, form, jp, provider kind, provider, cost, competencies)
CATALOGUE: list[
    tuple[str, str, TrainingForm, float, ProviderKind, str, int, list[tuple[str, int]]]
] = [
    (
        "BIMTEK-YANPRIM",
        "Bimbingan Teknis Pelayanan Prima",
        TrainingForm.TECHNICAL_GUIDANCE,
        24,
        ProviderKind.BPSDM,
        "BPSDM Provinsi Riau",
        2_500_000,
        [("M.05", 3), ("M.03", 3)],
    ),
    (
        "PKP",
        "Pelatihan Kepemimpinan Pengawas",
        TrainingForm.CLASSICAL,
        120,
        ProviderKind.LAN,
        "Lembaga Administrasi Negara",
        15_000_000,
        [("M.04", 3), ("M.06", 3), ("M.07", 3), ("M.08", 3)],
    ),
    (
        "ELEARN-INTEGRITAS",
        "E-learning Integritas dan Antikorupsi ASN",
        TrainingForm.E_LEARNING,
        10,
        ProviderKind.LAN,
        "ASN Unggul (LAN)",
        0,
        [("M.01", 3), ("SK.01", 2)],
    ),
    (
        "WS-DATAKES",
        "Workshop Analisis Data Kesehatan",
        TrainingForm.WORKSHOP,
        16,
        ProviderKind.UNIVERSITY,
        "Universitas Lancang Kuning",
        1_750_000,
        [("T.DAT.01", 3), ("T.KES.01", 2)],
    ),
    (
        "COACH-KEPUTUSAN",
        "Coaching Pengambilan Keputusan",
        TrainingForm.COACHING,
        8,
        ProviderKind.INTERNAL,
        "BKPSDM Kota Dumai",
        0,
        [("M.08", 3)],
    ),
    (
        "SEM-PERUBAHAN",
        "Seminar Mengelola Perubahan di Sektor Publik",
        TrainingForm.SEMINAR,
        8,
        ProviderKind.PRIVATE,
        "Lembaga Kajian Kebijakan Riau",
        750_000,
        [("M.07", 2)],
    ),
]

# What happens to each Dinas Kesehatan nominee's nomination of the main batch, in turn.
OUTCOMES = [
    "head",
    "head",
    "supervisor",
    "head",
    "hr",
    "head",
    "approved",
    "head",
    "returned",
    "head",
    "rejected",
    "head",
    "withdrawn",
    "head",
]


@dataclass
class DemoPeople:
    dumai: Instansi
    dinkes: OrgUnit
    head: Employee
    hr: Actor
    nominees: list[Employee]
    pegawai: Employee | None


def _user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def _actor_of(employee_id: int) -> Actor:
    """The employee's login when they have one (so the audit names the user), else the tree."""
    user = db.session.scalar(select(User).where(User.employee_id == employee_id))
    if user is not None:
        return actor_for_user(user)
    employee = db.session.get(Employee, employee_id)
    assert employee is not None
    return actor_for_employee(employee)


def _people() -> DemoPeople | None:
    dumai = db.session.scalar(select(Instansi).where(Instansi.code == "kota-dumai"))
    head_user = _user(f"kepala.dinkes@{DEMO_DOMAIN}")
    hr_user = _user(f"bkpsdm@{DEMO_DOMAIN}")
    if dumai is None or head_user is None or hr_user is None or head_user.employee is None:
        return None
    head = head_user.employee
    dinkes = opd_of(head.org_unit)
    pegawai_user = _user(f"pegawai@{DEMO_DOMAIN}")
    nominees = list(
        db.session.scalars(
            select(Employee)
            .join(OrgUnit, OrgUnit.id == Employee.org_unit_id)
            .where(
                OrgUnit.path.startswith(dinkes.path),
                Employee.active.is_(True),
                Employee.id != head.id,
            )
            .order_by(Employee.id)
        )
    )
    pegawai = pegawai_user.employee if pegawai_user is not None else None
    if pegawai is not None and pegawai in nominees:  # the demo employee goes first
        nominees.remove(pegawai)
        nominees.insert(0, pegawai)
    return DemoPeople(dumai, dinkes, head, actor_for_user(hr_user), nominees, pegawai)


def _catalogue(instansi_id: int, entries: list[tuple]) -> dict[str, TrainingProgram]:
    programs = {}
    for code, title, form, jp, provider_kind, provider, cost, competencies in entries:
        program = TrainingProgram(
            instansi_id=instansi_id,
            code=code,
            title=title,
            path=FORM_PATH[form],
            form=form,
            jp=jp,
            provider_kind=provider_kind,
            provider_name=provider,
            cost_per_participant=cost,
            description="",
            competencies=[
                ProgramCompetency(competency_code=c, target_level=level)
                for c, level in competencies
            ],
        )
        db.session.add(program)
        programs[code] = program
    db.session.flush()
    return programs


def _event(
    program: TrainingProgram, batch: str, start: date, days: int, quota: int
) -> TrainingEvent:
    event = TrainingEvent(
        program_id=program.id,
        batch_code=batch,
        start_date=start,
        end_date=start + timedelta(days=days - 1),
        location="" if program.form == TrainingForm.E_LEARNING else "Aula BKPSDM Kota Dumai",
        online_url="https://asnunggul.lan.go.id" if program.form == TrainingForm.E_LEARNING else "",
        quota=quota,
        seats_taken=0,
    )
    db.session.add(event)
    db.session.flush()
    return event


def _budget_lines(instansi: Instansi, amounts: dict[str, int], years: list[int]) -> None:
    opds = db.session.scalars(
        select(OrgUnit).where(OrgUnit.instansi_id == instansi.id, OrgUnit.parent_id.is_(None))
    )
    for opd in opds:
        for year in years:
            db.session.add(
                BudgetLine(
                    instansi_id=instansi.id,
                    org_unit_id=opd.id,
                    year=year,
                    code="5.02.01.2.04",
                    name=f"Pengembangan Kompetensi ASN {opd.name}",
                    source=BudgetSource.APBD,
                    amount=amounts.get(opd.name, 60_000_000),
                    committed=0,
                )
            )
    db.session.flush()


def _head_position(unit_name: str, instansi_id: int) -> Position | None:
    return db.session.scalar(
        select(Position)
        .join(OrgUnit, OrgUnit.id == Position.heads_unit_id)
        .where(OrgUnit.name == unit_name, OrgUnit.instansi_id == instansi_id)
    )


def _delegations(dumai: Instansi, hr: Actor) -> None:
    """A Plt for the head of Disdukcapil; an upcoming Plh for the head of Dinas Kesehatan."""
    day = local_today()
    plans = [
        (
            "Dinas Kependudukan dan Pencatatan Sipil",
            "Bidang Pelayanan Pendaftaran Penduduk",
            DelegationKind.PLT,
            day - timedelta(days=10),
            day + timedelta(days=80),
            "821.2/045/BKPSDM",
        ),
        (
            "Dinas Kesehatan",
            "Bidang Pencegahan Penyakit",
            DelegationKind.PLH,
            day + timedelta(days=14),
            day + timedelta(days=20),
            "800/112/BKPSDM",
        ),
    ]
    for opd_name, deputy_unit, kind, start, end, sk in plans:
        position = _head_position(opd_name, dumai.id)
        deputy_position = _head_position(deputy_unit, dumai.id)
        if position is None or deputy_position is None:
            continue
        deputy = db.session.scalar(
            select(Employee).where(Employee.position_id == deputy_position.id).limit(1)
        )
        if deputy is None:
            continue
        db.session.add(
            Delegation(
                instansi_id=dumai.id,
                position_id=position.id,
                delegate_employee_id=deputy.id,
                kind=kind,
                valid_from=start,
                valid_to=end,
                sk_number=sk,
                created_by_id=hr.user_id,
            )
        )
    db.session.flush()


def _advance(nomination: Nomination, outcome: str, head: Employee, hr: Actor) -> None:
    """Decide step after step, as the real approvers, until the wanted outcome is reached."""
    head_position = head.position_id
    for _guard in range(6):
        db.session.expire_all()
        nomination = db.session.get(Nomination, nomination.id)  # type: ignore[assignment]
        if nomination.state != NominationState.PENDING:
            return
        step = current_step(nomination)
        assert step is not None
        at_head = step.approver_position_id == head_position
        if outcome == "supervisor" and step.step_no == 1:
            return
        if outcome == "head" and at_head:
            return
        if outcome == "hr" and step.kind == StepKind.HR:
            return
        actor = hr if step.kind == StepKind.HR else _actor_of(step.approver_employee_id or 0)
        if outcome == "rejected":
            decide(
                actor,
                nomination.id,
                Decision.REJECT,
                nomination.version,
                step.step_no,
                RejectReason.WORKLOAD,
                "Bidang sedang menyiapkan akreditasi puskesmas.",
            )
            return
        if outcome == "returned" and at_head:
            decide(
                actor,
                nomination.id,
                Decision.RETURN,
                nomination.version,
                step.step_no,
                comment="Jelaskan kaitannya dengan target SKP tahun ini.",
            )
            return
        if outcome == "withdrawn":
            withdraw(
                _actor_of(nomination.employee_id),
                nomination.id,
                nomination.version,
                "Bertepatan dengan cuti melahirkan.",
            )
            return
        decide(actor, nomination.id, Decision.APPROVE, nomination.version, step.step_no)


def _shift(table, column, ids: list[int], owner, shift: timedelta) -> None:
    """Move one timestamp column back, computed in Python (SQLite stores datetimes as text)."""
    rows = db.session.execute(
        select(table.id, column).where(owner.in_(ids), column.is_not(None))
    ).all()
    if rows:
        core = table.__table__
        db.session.connection().execute(
            core.update()
            .where(core.c.id == bindparam("row_id"))
            .values({column.key: bindparam("moved")}),
            [{"row_id": row_id, "moved": value - shift} for row_id, value in rows],
        )


def _backdate(nomination_ids: list[int], days: int) -> None:
    """Move a nomination's history back in time, as if it had been decided `days` ago."""
    if not nomination_ids or days <= 0:
        return
    shift = timedelta(days=days)
    _shift(Nomination, Nomination.submitted_at, nomination_ids, Nomination.id, shift)
    _shift(Nomination, Nomination.decided_at, nomination_ids, Nomination.id, shift)
    for column in (NominationStep.opened_at, NominationStep.decided_at):
        _shift(NominationStep, column, nomination_ids, NominationStep.nomination_id, shift)
    # Demo history only: a Core UPDATE, since the ORM refuses to change audit rows.
    _shift(
        NominationAction, NominationAction.at, nomination_ids, NominationAction.nomination_id, shift
    )
    db.session.commit()


def _nominator(nominee: Employee, index: int) -> Actor:
    """Every third nominee proposes themself; the others are proposed by their supervisor."""
    boss = supervisor_of(nominee)
    if index % 3 == 2 or boss is None:
        return _actor_of(nominee.id)
    return _actor_of(boss.id)


JUSTIFICATIONS = [
    "Mendukung target SKP peningkatan kepuasan pasien puskesmas.",
    "Hasil pemetaan kompetensi menunjukkan kesenjangan pada pelayanan publik.",
    "Diperlukan untuk standar pelayanan minimal bidang kesehatan.",
    "Persiapan menjadi pelatih internal di unit kerja.",
]


def _past_batch(
    program: TrainingProgram,
    batch: str,
    nominees: list[Employee],
    people: DemoPeople,
    ends_days_ago: int,
) -> None:
    """A finished batch: nominated and approved before it ran, attended, completed, JP credited."""
    event = _event(program, batch, local_today() + timedelta(days=1), 2, max(len(nominees), 1) + 5)
    db.session.commit()
    ids = []
    for index, nominee in enumerate(nominees):
        nomination = nominate(
            _nominator(nominee, index),
            event.id,
            nominee.id,
            JUSTIFICATIONS[index % len(JUSTIFICATIONS)],
        )
        _advance(nomination, "approved", people.head, people.hr)
        ids.append(nomination.id)
    end = max(local_today() - timedelta(days=ends_days_ago), date(local_today().year, 1, 2))
    db.session.execute(
        update(TrainingEvent)
        .where(TrainingEvent.id == event.id)
        .values(start_date=end - timedelta(days=1), end_date=end)
    )
    db.session.commit()
    _backdate(ids, (local_today() - end).days + 21)
    for index, participation in enumerate(
        db.session.scalars(select(Participation).where(Participation.event_id == event.id))
    ):
        present = index % 5 != 4
        record_participation(
            people.hr,
            participation,
            Attendance.PRESENT if present else Attendance.ABSENT,
            Completion.COMPLETED if present else Completion.NOT_COMPLETED,
            f"{program.code}/{end.year}/{index + 1:03d}" if present else "",
        )


def _from_needs(event: TrainingEvent, people: DemoPeople) -> None:
    """HR turns accepted needs of the demo instansi into nominations, when the analysis has some."""
    codes = event.program.competency_codes
    needs = list(
        db.session.scalars(
            select(DevelopmentNeed.id)
            .where(
                DevelopmentNeed.instansi_id == people.dumai.id,
                DevelopmentNeed.status == NeedStatus.ACCEPTED,
                DevelopmentNeed.competency_code.in_(codes),
            )
            .limit(8)
        )
    )
    if needs:
        nominate_from_needs(people.hr, event.id, needs)


def seed_demo_data(context: DemoContext) -> None:
    """Catalogues, chains, budget, delegations and nominations in every state (runs once)."""
    if db.session.scalar(select(func.count()).select_from(TrainingProgram)):
        return
    people = _people()
    if people is None:
        return
    day = local_today()
    dumai = people.dumai
    db.session.add_all(
        ApprovalChainStep(
            instansi_id=dumai.id, step_no=n, kind=kind, updated_by_id=people.hr.user_id
        )
        for n, kind in enumerate((StepKind.SUPERVISOR, StepKind.OPD_HEAD, StepKind.HR), start=1)
    )
    programs = _catalogue(dumai.id, CATALOGUE)
    sorong = db.session.scalar(select(Instansi).where(Instansi.code == "kab-sorong"))
    if sorong is not None:
        _catalogue(sorong.id, [CATALOGUE[0], CATALOGUE[2]])
        db.session.add_all(
            ApprovalChainStep(instansi_id=sorong.id, step_no=n, kind=kind)
            for n, kind in enumerate(
                (StepKind.SUPERVISOR, StepKind.UNIT_HEAD, StepKind.OPD_HEAD, StepKind.HR), start=1
            )
        )
    years = sorted({day.year, (day + timedelta(days=120)).year})
    _budget_lines(dumai, {"Dinas Kesehatan": 450_000_000, "Dinas Pendidikan": 120_000_000}, years)
    main = _event(programs["BIMTEK-YANPRIM"], "Angkatan I", day + timedelta(days=35), 3, 30)
    data = _event(programs["WS-DATAKES"], "Angkatan I", day + timedelta(days=50), 2, 25)
    _event(programs["PKP"], "Angkatan I", day + timedelta(days=75), 30, 40)
    _event(programs["SEM-PERUBAHAN"], "Angkatan I", day + timedelta(days=21), 1, 60)
    coaching_next = _event(
        programs["COACH-KEPUTUSAN"], "Kelompok 2", day + timedelta(days=28), 5, 12
    )
    _delegations(dumai, people.hr)
    db.session.commit()

    rng = context.rng
    waited: list[tuple[int, int]] = []
    for index, nominee in enumerate(people.nominees[: len(OUTCOMES)]):
        nomination = nominate(
            _nominator(nominee, index),
            main.id,
            nominee.id,
            JUSTIFICATIONS[index % len(JUSTIFICATIONS)],
        )
        _advance(nomination, OUTCOMES[index], people.head, people.hr)
        waited.append((nomination.id, rng.randint(0, 6)))
    for index, nominee in enumerate(people.nominees[1:9]):
        outcome = "head" if index % 4 else "supervisor"
        nomination = nominate(
            _nominator(nominee, index + 1),
            data.id,
            nominee.id,
            "Mendukung pengolahan data surveilans dan laporan SPM kesehatan.",
        )
        _advance(nomination, outcome, people.head, people.hr)
        waited.append((nomination.id, rng.randint(0, 9)))
    for nomination_id, days in waited:
        _backdate([nomination_id], days)
    _from_needs(coaching_next, people)
    _past_batch(programs["ELEARN-INTEGRITAS"], "Gelombang 1", people.nominees[:8], people, 40)
    _past_batch(programs["COACH-KEPUTUSAN"], "Kelompok 1", people.nominees[2:6], people, 20)
    # Batches whose evaluations the demo shows: one ended yesterday (reaction, post-test), one
    # a hundred days ago (its 90-day follow-up has gone to participants and supervisors).
    _past_batch(programs["BIMTEK-YANPRIM"], "Angkatan 0", people.nominees[:10], people, 1)
    _past_batch(programs["PKP"], "Angkatan 0", people.nominees[10:22], people, 100)
    db.session.commit()
