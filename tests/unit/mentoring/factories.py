"""Mentoring test data on top of the standard `world`: program, profile, pairings, sessions, gaps."""

from __future__ import annotations

from datetime import date, timedelta

from app.clock import local_today, utcnow
from app.extensions import db
from app.mentoring.models import (
    MatchingMode,
    MentoringProgram,
    MentoringSession,
    MentorProfile,
    MentorStrength,
    Pairing,
    PairingState,
    SessionMode,
)
from app.needs.models import CompetencyGap
from app.org.models import Employee, Instansi


def today() -> date:
    return local_today()


def make_program(
    instansi: Instansi | int,
    minutes_per_jp: int = 45,
    min_weeks: int = 4,
    max_weeks: int = 24,
    mode: MatchingMode = MatchingMode.SUGGESTED,
    name: str = "Program Mentoring Uji",
) -> MentoringProgram:
    program = MentoringProgram(
        instansi_id=instansi if isinstance(instansi, int) else instansi.id,
        name=name,
        objective="Uji",
        min_weeks=min_weeks,
        max_weeks=max_weeks,
        matching_mode=mode,
        minutes_per_jp=minutes_per_jp,
        active=True,
    )
    db.session.add(program)
    db.session.flush()
    return program


def make_profile(
    employee: Employee | int,
    capacity: int = 3,
    strengths: tuple[str, ...] = (),
    available: bool = True,
) -> MentorProfile:
    profile = MentorProfile(
        employee_id=employee if isinstance(employee, int) else employee.id,
        capacity=capacity,
        available=available,
        availability="Selasa sore",
        strengths=[MentorStrength(competency_code=code) for code in strengths],
    )
    db.session.add(profile)
    db.session.flush()
    return profile


def make_pairing(
    program: MentoringProgram,
    mentor: Employee | int,
    mentee: Employee | int,
    state: PairingState = PairingState.ACTIVE,
    start: date | None = None,
    weeks: int = 12,
) -> Pairing:
    start = start or today() - timedelta(days=30)
    pairing = Pairing(
        program_id=program.id,
        instansi_id=program.instansi_id,
        mentor_id=mentor if isinstance(mentor, int) else mentor.id,
        mentee_id=mentee if isinstance(mentee, int) else mentee.id,
        state=state,
        start_date=start,
        end_date=start + timedelta(weeks=weeks),
    )
    db.session.add(pairing)
    db.session.flush()
    return pairing


def make_session(
    pairing: Pairing,
    held_on: date | None = None,
    minutes: int = 60,
    confirmed: bool = False,
    topics: str = "Rencana kerja",
) -> MentoringSession:
    session = MentoringSession(
        pairing_id=pairing.id,
        held_on=held_on or today() - timedelta(days=1),
        duration_minutes=minutes,
        mode=SessionMode.IN_PERSON,
        topics=topics,
        confirmed_at=utcnow() if confirmed else None,
        jp_credited=round(minutes / 45, 2) if confirmed else None,
    )
    db.session.add(session)
    db.session.flush()
    return session


def add_gap(
    employee: Employee,
    code: str,
    gap: float | None,
    year: int = 2026,
    required: float | None = 3.0,
) -> CompetencyGap:
    current = None if gap is None or required is None else required - gap
    row = CompetencyGap(
        instansi_id=employee.instansi_id,
        cycle_year=year,
        employee_id=employee.id,
        org_unit_id=employee.org_unit_id,
        competency_code=code,
        required_level=required,
        current_level=current,
        gap=gap,
    )
    db.session.add(row)
    db.session.flush()
    return row


def build_mentoring(world, capacity: int = 3) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Ids for web tests: program, the world mentor's profile and an active pairing with staff."""
    program = make_program(world.a.id)
    make_profile(world.other_staff.id, capacity=capacity, strengths=("M.03",))
    pairing = make_pairing(program, world.other_staff.id, world.staff.id)
    db.session.commit()
    return {"program": program.id, "pairing": pairing.id}
