"""Demo mentoring in Kota Dumai: a program, the demo mentor's profile, pairings and sessions.

`mentor@bangkom.example` mentors `pegawai@bangkom.example` and a few others; some sessions are
confirmed (with JP and feedback), one awaits the mentee, one pairing waits for the head of
Dinas Kesehatan, and one was flagged as not working, so every dashboard has something to show.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.accounts.models import Role, User
from app.accounts.services import create_user
from app.clock import local_today, utcnow
from app.demo.seed import DEMO_DOMAIN, DEMO_PASSWORD, DemoContext
from app.extensions import db
from app.learning.models import LearningSource
from app.learning.services import credit_jp
from app.mentoring import feedback
from app.mentoring.models import (
    Goal,
    MatchingMode,
    MentoringProgram,
    MentoringSession,
    MentorProfile,
    MentorStrength,
    Pairing,
    PairingState,
    SessionMode,
)
from app.mentoring.services import jp_for, rank_mentors
from app.needs.demo import add_demo_gaps
from app.org.models import Employee, Instansi, OrgUnit, Position, PositionType
from app.surveys.models import Answer, Response, ResponseStatus
from app.surveys.services import answer_rows

TOPICS = [
    "Menyusun rencana kerja tahunan bidang",
    "Teknik komunikasi dengan pemangku kepentingan",
    "Menyusun telaahan staf yang ringkas",
    "Mengelola prioritas pekerjaan",
    "Umpan balik atas draf kebijakan",
    "Persiapan presentasi kepada pimpinan",
]

MENTOR_LEVELS = {"M.03": 4.0, "M.06": 4.0, "M.08": 3.5}  # the demo mentor's strengths


def _user_employee(email: str) -> Employee | None:
    user = db.session.scalar(select(User).where(User.email == email))
    return user.employee if user is not None else None


def seed_demo_data(context: DemoContext) -> None:
    """Program, profile, pairings in every state, sessions with JP and feedback (idempotent)."""
    dumai = db.session.scalar(select(Instansi).where(Instansi.code == "kota-dumai"))
    mentor = _user_employee(f"mentor@{DEMO_DOMAIN}")
    if dumai is None or mentor is None:
        return
    if db.session.scalar(select(func.count()).select_from(MentoringProgram)):
        return
    rng = context.rng
    today = local_today()
    program = MentoringProgram(
        instansi_id=dumai.id,
        name="Program Mentoring ASN Kota Dumai",
        objective=(
            "Mempercepat pengembangan kompetensi manajerial pegawai muda melalui bimbingan "
            "pejabat fungsional senior."
        ),
        min_weeks=8,
        max_weeks=26,
        matching_mode=MatchingMode.SUGGESTED,
        minutes_per_jp=45,
        active=True,
    )
    db.session.add(program)
    profile = MentorProfile(
        employee_id=mentor.id,
        capacity=5,
        available=True,
        availability="Selasa dan Kamis siang, tatap muka atau daring",
        bio="Analis kebijakan dengan pengalaman 15 tahun di perencanaan pendidikan.",
        strengths=[MentorStrength(competency_code=code) for code in ("M.03", "M.06", "M.08")],
    )
    db.session.add(profile)
    db.session.flush()

    pegawai = _user_employee(f"pegawai@{DEMO_DOMAIN}")
    head_dinkes = _user_employee(f"kepala.dinkes@{DEMO_DOMAIN}")
    taken = {mentor.id, *(e.id for e in (pegawai, head_dinkes) if e is not None)}
    others = list(
        db.session.scalars(
            select(Employee)
            .join(OrgUnit, Employee.org_unit_id == OrgUnit.id)
            .where(
                Employee.instansi_id == dumai.id,
                Employee.active.is_(True),
                Employee.id.not_in(taken),
                OrgUnit.parent_id.is_not(None),  # staff of a bidang/seksi, not OPD heads
            )
            .order_by(Employee.id)
            .limit(40)
        )
    )
    rng.shuffle(others)
    mentees = [e for e in [pegawai, *others[:3]] if e is not None]
    dinkes_staff = _dinkes_staff(head_dinkes, taken | {e.id for e in mentees})
    _extra_mentors(dumai, rng, taken | {e.id for e in mentees} | {getattr(dinkes_staff, "id", 0)})
    add_demo_gaps(
        dumai.id,
        local_today().year,
        [*mentees, *([dinkes_staff] if dinkes_staff else [])],
        mentor,
        MENTOR_LEVELS,
        rng,
    )

    plans = [
        # (weeks since start, sessions, confirmed, flagged)
        (10, 4, 3, False),
        (7, 3, 3, False),
        (9, 1, 1, True),  # the last session was long ago: stale, and flagged as not working
    ]
    for index, mentee in enumerate(mentees[:3]):
        weeks, count, confirmed, flagged = plans[index]
        start = today - timedelta(weeks=weeks)
        pairing = _pairing(program, mentor, mentee, start, start + timedelta(weeks=20))
        pairing.state = PairingState.ACTIVE
        pairing.decided_at = utcnow()
        _goals(pairing, rng)
        if flagged:
            days = [weeks * 7 - 40]
        else:
            step = max((weeks * 7 - 2) // count, 1)
            days = [weeks * 7 - 3 - i * step for i in range(count)]
        for number, days_after in enumerate(sorted(days)):
            held = start + timedelta(days=days_after)
            if held > today:
                held = today
            session = _session(pairing, held, rng)
            if number < confirmed:
                _confirm(session, pairing, mentor)
                _feedback(session, pairing, "tidak" if flagged else "ya", today)
    if len(mentees) > 3:  # a pairing completed before its planned end
        start = today - timedelta(weeks=40)
        done = _pairing(program, mentor, mentees[3], start, start + timedelta(weeks=20))
        done.state = PairingState.COMPLETED
        done.ended_on = start + timedelta(weeks=16)
        done.closing_note = "Sasaran tercapai lebih cepat dari rencana."
        _goals(done, rng, finished=True)
        for week in (2, 6, 10, 14):
            session = _session(done, start + timedelta(weeks=week), rng)
            _confirm(session, done, mentor)
    if dinkes_staff is not None:  # awaits the decision of the head of Dinas Kesehatan
        _gaps, matches = rank_mentors(dinkes_staff, only_mentor_id=mentor.id)
        proposed = _pairing(
            program, mentor, dinkes_staff, today, today + timedelta(weeks=16), PairingState.PROPOSED
        )
        proposed.match_reason = matches[0].reason if matches else ""
        proposed.focus = "Kemampuan menyusun laporan dan berkomunikasi dengan pimpinan."
    db.session.commit()


EXTRA_MENTOR_STRENGTHS = [("M.01", "M.04", "M.07"), ("M.02", "M.05"), ("M.04", "M.08", "SK.01")]


def _extra_mentors(dumai: Instansi, rng, taken: set[int]) -> None:
    """Three more senior officials with the mentor role, so matching has a real ranking.

    Their logins are `mentor2@` … `mentor4@bangkom.example` with the demo password.
    """
    candidates = list(
        db.session.scalars(
            select(Employee)
            .join(Position, Employee.position_id == Position.id)
            .where(
                Employee.instansi_id == dumai.id,
                Employee.active.is_(True),
                Employee.id.not_in(taken),
                Position.position_type.in_((PositionType.ADMINISTRATOR, PositionType.FUNGSIONAL)),
            )
            .order_by(Employee.id)
            .limit(30)
        )
    )
    rng.shuffle(candidates)
    for number, (employee, strengths) in enumerate(
        zip(candidates, EXTRA_MENTOR_STRENGTHS, strict=False), start=2
    ):
        email = f"mentor{number}@{DEMO_DOMAIN}"
        if db.session.scalar(select(func.count()).select_from(User).where(User.email == email)):
            continue
        if db.session.scalar(
            select(func.count()).select_from(User).where(User.employee_id == employee.id)
        ):
            continue
        create_user(
            email,
            employee.name,
            DEMO_PASSWORD,
            employee=employee,
            roles=((Role.MENTOR, dumai.id),),
        )
        db.session.add(
            MentorProfile(
                employee_id=employee.id,
                capacity=3,
                available=True,
                availability=rng.choice(["Senin pagi", "Rabu siang, daring", "Jumat pagi"]),
                strengths=[MentorStrength(competency_code=code) for code in strengths],
            )
        )
    db.session.flush()


def _dinkes_staff(head: Employee | None, taken: set[int]) -> Employee | None:
    """A staff member inside the OPD the demo head of Dinas Kesehatan leads."""
    if head is None:
        return None
    path = head.org_unit.path
    return db.session.scalar(
        select(Employee)
        .join(OrgUnit, Employee.org_unit_id == OrgUnit.id)
        .where(
            OrgUnit.path.startswith(path),
            OrgUnit.parent_id.is_not(None),
            Employee.active.is_(True),
            Employee.id.not_in(taken),
        )
        .order_by(Employee.id)
        .limit(1)
    )


def _pairing(
    program: MentoringProgram,
    mentor: Employee,
    mentee: Employee,
    start,
    end,
    state: PairingState = PairingState.ACTIVE,
) -> Pairing:
    pairing = Pairing(
        program_id=program.id,
        instansi_id=program.instansi_id,
        mentor_id=mentor.id,
        mentee_id=mentee.id,
        state=state,
        start_date=start,
        end_date=end,
        focus="Penguatan komunikasi dan pengambilan keputusan.",
    )
    db.session.add(pairing)
    db.session.flush()
    return pairing


def _goals(pairing: Pairing, rng, finished: bool = False) -> None:
    for description, code in (
        ("Memimpin rapat koordinasi bidang secara mandiri", "M.03"),
        ("Menyusun telaahan staf dengan rekomendasi yang jelas", "M.08"),
    ):
        progress = 100 if finished else rng.choice([20, 40, 60, 80])
        db.session.add(
            Goal(
                pairing_id=pairing.id,
                description=description,
                competency_code=code,
                progress=progress,
                completed_at=utcnow() if progress == 100 else None,
            )
        )


def _session(pairing: Pairing, held, rng) -> MentoringSession:
    session = MentoringSession(
        pairing_id=pairing.id,
        held_on=held,
        duration_minutes=rng.choice([45, 60, 90]),
        mode=rng.choice(list(SessionMode)),
        topics=rng.choice(TOPICS),
        notes="Membahas kendala pekerjaan minggu ini.",
        agreed_actions="Menyiapkan draf dan membahasnya pada sesi berikutnya.",
    )
    db.session.add(session)
    db.session.flush()
    return session


def _confirm(session: MentoringSession, pairing: Pairing, mentor: Employee) -> None:
    jp = jp_for(session.duration_minutes, 45)
    credit_jp(
        pairing.mentee_id,
        jp,
        LearningSource.MENTORING,
        f"session:{session.id}",
        session.held_on,
        f"Mentoring: {session.topics} ({mentor.name})",
    )
    session.confirmed_at = utcnow()
    session.jp_credited = jp


def _feedback(session: MentoringSession, pairing: Pairing, working: str, today) -> None:
    """A submitted response on the mentoring-feedback instrument, as a mentee would send it."""
    definition = feedback.feedback_definition()
    answers = {
        **feedback.prefill(session),
        "manfaat": "2" if working == "tidak" else "5",
        "kesiapan_mentor": "3" if working == "tidak" else "4",
        "kejelasan_tindak_lanjut": "2" if working == "tidak" else "4",
        "berjalan_baik": working,
    }
    if working == "tidak":
        answers["kendala"] = "Jadwal mentor sering berubah sehingga sesi tertunda."
        answers["perlu_koordinator"] = "ya"
    state = feedback.evaluate(answers, "id", today)
    if not state.is_complete:
        return
    campaign = feedback.feedback_campaign(pairing.instansi_id, session.held_on.year, definition)
    response = Response(
        campaign_id=campaign.id,
        definition_id=definition.id,
        definition_version=definition.version,
        language="id",
        rater_role=feedback.RATER_ROLE,
        respondent_employee_id=pairing.mentee_id,
        subject_employee_id=pairing.mentor_id,
        org_unit_id=pairing.mentee.org_unit_id,
        submission_key=feedback.submission_key(session),
        status=ResponseStatus.SUBMITTED,
        started_on=session.held_on,
        submitted_at=utcnow(),
        updated_at=utcnow(),
    )
    db.session.add(response)
    db.session.flush()
    db.session.add_all(Answer(**row) for row in answer_rows(definition, response.id, state.values))
    session.feedback_response_id = response.id
    if working == "tidak":
        pairing.flagged_at = utcnow()
        pairing.flag_note = str(answers["kendala"])
