"""Mentoring rules: programs, mentor profiles, matching on gaps, pairings, goals and sessions.

Every function that changes data is one transaction: it validates everything first, then
writes and commits, so a refused request leaves nothing behind. Gaps, met standards and
competency names come from the needs analysis' read services (app.needs.gaps, .competencies).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from app.accounts.models import Role, RoleGrant, User
from app.clock import utcnow
from app.database import rowcount
from app.errors import ServiceError, ValidationFailed
from app.extensions import db
from app.learning.models import LearningSource
from app.learning.services import credit_jp
from app.mentoring.models import (
    MAX_SESSION_MINUTES,
    MIN_SESSION_MINUTES,
    OPEN_STATES,
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
from app.needs.competencies import competency_labels, competency_options
from app.needs.gaps import standard_met, top_gaps
from app.org.models import Employee, OrgUnit, Position

TOP_GAPS = 3
MAX_MENTOR_CAPACITY = 20
MAX_PROGRAM_WEEKS = 104


# ---- small helpers -----------------------------------------------------------------------


def jp_for(minutes: int, minutes_per_jp: int) -> float:
    """JP earned by a session: its minutes at the program's rate, to two decimals."""
    if minutes <= 0 or minutes_per_jp <= 0:
        return 0.0
    return round(minutes / minutes_per_jp, 2)


# ---- programs ----------------------------------------------------------------------------


@dataclass
class ProgramData:
    name: str
    objective: str
    min_weeks: int | None
    max_weeks: int | None
    matching_mode: str
    minutes_per_jp: int | None
    active: bool


def save_program(
    instansi_id: int, data: ProgramData, program: MentoringProgram | None = None
) -> MentoringProgram:
    """Create or update a program; duration bounds in weeks and a positive JP rate."""
    problems: list[tuple[str, str]] = []
    name = (data.name or "").strip()
    if not name:
        problems.append(("name", _("Enter a name.")))
    if data.min_weeks is None or not 1 <= data.min_weeks <= MAX_PROGRAM_WEEKS:
        problems.append(
            ("min_weeks", _("Enter a number of weeks from 1 to %(n)d.", n=MAX_PROGRAM_WEEKS))
        )
    if data.max_weeks is None or not 1 <= data.max_weeks <= MAX_PROGRAM_WEEKS:
        problems.append(
            ("max_weeks", _("Enter a number of weeks from 1 to %(n)d.", n=MAX_PROGRAM_WEEKS))
        )
    elif data.min_weeks is not None and data.max_weeks < data.min_weeks:
        problems.append(("max_weeks", _("The maximum cannot be shorter than the minimum.")))
    if data.minutes_per_jp is None or not 1 <= data.minutes_per_jp <= 600:
        problems.append(("minutes_per_jp", _("Enter the minutes per JP, from 1 to 600.")))
    if data.matching_mode not in {mode.value for mode in MatchingMode}:
        problems.append(("matching_mode", _("Choose a matching mode.")))
    if problems:
        raise ValidationFailed(problems)
    if program is None:
        program = MentoringProgram(instansi_id=instansi_id)
        db.session.add(program)
    program.name = name[:200]
    program.objective = (data.objective or "").strip()
    program.min_weeks = data.min_weeks  # type: ignore[assignment]
    program.max_weeks = data.max_weeks  # type: ignore[assignment]
    program.matching_mode = MatchingMode(data.matching_mode)
    program.minutes_per_jp = data.minutes_per_jp  # type: ignore[assignment]
    program.active = data.active
    db.session.commit()
    return program


def programs_of(
    instansi_ids: Iterable[int] | None, active_only: bool = False
) -> list[MentoringProgram]:
    """Programs of the given instansi (all when None), newest first."""
    query = select(MentoringProgram).order_by(MentoringProgram.instansi_id, MentoringProgram.name)
    if instansi_ids is not None:
        query = query.where(MentoringProgram.instansi_id.in_(list(instansi_ids)))
    if active_only:
        query = query.where(MentoringProgram.active.is_(True))
    return list(db.session.scalars(query))


# ---- mentors and their profiles ----------------------------------------------------------


def mentor_grant_exists(instansi_id: int) -> ColumnElement[bool]:
    """SQL: the employee's login holds the mentor role for this instansi (or for all)."""
    return exists(
        select(RoleGrant.id)
        .join(User, RoleGrant.user_id == User.id)
        .where(
            User.employee_id == Employee.id,
            User.is_active_account.is_(True),
            RoleGrant.role == Role.MENTOR,
            or_(RoleGrant.instansi_id == instansi_id, RoleGrant.instansi_id.is_(None)),
        )
    )


def is_mentor(employee: Employee) -> bool:
    """An active employee whose account holds the mentor role for the employee's instansi."""
    return bool(
        employee.active
        and db.session.scalar(
            select(func.count())
            .select_from(Employee)
            .where(Employee.id == employee.id, mentor_grant_exists(employee.instansi_id))
        )
    )


def profile_of(employee_id: int) -> MentorProfile | None:
    return db.session.scalar(select(MentorProfile).where(MentorProfile.employee_id == employee_id))


def save_profile(
    employee: Employee,
    capacity: int | None,
    available: bool,
    availability: str,
    strengths: list[str],
    bio: str = "",
) -> MentorProfile:
    """Create or update a mentor's profile; only holders of the mentor role have one."""
    problems: list[tuple[str, str]] = []
    if not is_mentor(employee):
        raise ServiceError(_l("Only employees with the mentor role have a mentor profile."))
    if capacity is None or not 0 <= capacity <= MAX_MENTOR_CAPACITY:
        problems.append(
            ("capacity", _("Enter a capacity from 0 to %(n)d mentees.", n=MAX_MENTOR_CAPACITY))
        )
    known = {code for code, _label in competency_options(employee.instansi_id)}
    unknown = [code for code in strengths if code not in known]
    if unknown:
        problems.append(("strengths", _("Unknown competency: %(codes)s", codes=", ".join(unknown))))
    if problems:
        raise ValidationFailed(problems)
    profile = profile_of(employee.id)
    if profile is None:
        profile = MentorProfile(employee_id=employee.id)
        db.session.add(profile)
    profile.capacity = capacity  # type: ignore[assignment]
    profile.available = available
    profile.availability = (availability or "").strip()[:200]
    profile.bio = (bio or "").strip()
    wanted = sorted(set(strengths))
    profile.strengths = [
        next((s for s in profile.strengths if s.competency_code == code), None)
        or MentorStrength(competency_code=code)
        for code in wanted
    ]
    db.session.commit()
    return profile


@dataclass
class MentorRow:
    employee_id: int
    name: str
    unit: str
    has_profile: bool
    capacity: int
    available: bool
    open_pairings: int
    strengths: list[str] = field(default_factory=list)


def _open_pairings_per_mentor():
    """Subquery (mentor_id, n): each mentor's open pairings."""
    return (
        select(Pairing.mentor_id, func.count().label("n"))
        .where(Pairing.state.in_(OPEN_STATES))
        .group_by(Pairing.mentor_id)
        .subquery()
    )


def mentor_roster(instansi_ids: Iterable[int] | None) -> list[MentorRow]:
    """Employees holding the mentor role with their profile and load, in three queries."""
    grant = (
        select(User.employee_id)
        .join(RoleGrant, RoleGrant.user_id == User.id)
        .where(RoleGrant.role == Role.MENTOR, User.employee_id.is_not(None))
    )
    if instansi_ids is not None:
        ids = list(instansi_ids)
        grant = grant.where(or_(RoleGrant.instansi_id.in_(ids), RoleGrant.instansi_id.is_(None)))
    load = _open_pairings_per_mentor()
    query = (
        select(
            Employee.id,
            Employee.name,
            OrgUnit.name,
            MentorProfile.id,
            MentorProfile.capacity,
            MentorProfile.available,
            func.coalesce(load.c.n, 0),
        )
        .join(OrgUnit, Employee.org_unit_id == OrgUnit.id)
        .outerjoin(MentorProfile, MentorProfile.employee_id == Employee.id)
        .outerjoin(load, load.c.mentor_id == Employee.id)
        .where(Employee.id.in_(grant), Employee.active.is_(True))
        .order_by(Employee.name)
        .limit(500)
    )
    if instansi_ids is not None:
        query = query.where(Employee.instansi_id.in_(ids))
    rows = [
        MentorRow(
            employee_id=emp_id,
            name=name,
            unit=unit,
            has_profile=profile_id is not None,
            capacity=capacity or 0,
            available=bool(available),
            open_pairings=int(n),
        )
        for emp_id, name, unit, profile_id, capacity, available, n in db.session.execute(query)
    ]
    by_id = {row.employee_id: row for row in rows}
    if by_id:
        for emp_id, code in db.session.execute(
            select(MentorProfile.employee_id, MentorStrength.competency_code)
            .join(MentorStrength, MentorStrength.profile_id == MentorProfile.id)
            .where(MentorProfile.employee_id.in_(list(by_id)))
            .order_by(MentorStrength.competency_code)
        ):
            by_id[emp_id].strengths.append(code)
    return rows


# ---- matching ----------------------------------------------------------------------------

CLOSENESS_WEIGHT = {"unit": 1.0, "opd": 0.6, "instansi": 0.2}
SCORE_WEIGHTS = (0.6, 0.25, 0.15)  # gap coverage, capacity left, organisational closeness


@dataclass
class MentorMatch:
    """One ranked mentor for a mentee, with the parts of the score and the reason in words."""

    mentor_id: int
    name: str
    position: str
    unit: str
    capacity: int
    load: int
    availability: str
    closeness: str  # "unit", "opd" or "instansi"
    covered: list[str]
    coverage: float  # share of the mentee's top-gap weight the mentor is strong in
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.load, 0)

    @property
    def is_full(self) -> bool:
        return self.places_left == 0

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


def _opd_id(path: str) -> int | None:
    parts = [part for part in path.strip("/").split("/") if part]
    return int(parts[0]) if parts else None


def match_score(coverage: float, places_left: int, capacity: int, closeness: str) -> float:
    """Weighted score in [0, 1]: gap coverage first, then free capacity, then closeness."""
    capacity_share = places_left / capacity if capacity > 0 else 0.0
    w_cover, w_capacity, w_close = SCORE_WEIGHTS
    score = (
        w_cover * min(max(coverage, 0.0), 1.0)
        + w_capacity * min(max(capacity_share, 0.0), 1.0)
        + w_close * CLOSENESS_WEIGHT.get(closeness, 0.0)
    )
    return round(score, 4)


def rank_mentors(
    mentee: Employee, limit: int = 20, only_mentor_id: int | None = None
) -> tuple[list[tuple[str, float]], list[MentorMatch]]:
    """The mentee's top gaps and the mentors of the instansi ranked for them (five queries).

    Mentors already paired with the mentee, unavailable ones and the mentee themselves are left
    out; full mentors stay in the list, last among equals, so HR sees why they are not offered.
    """
    gaps = top_gaps([mentee.id], limit=TOP_GAPS).get(mentee.id, [])
    gap_weight = {code: weight for code, weight in gaps}
    total_weight = sum(gap_weight.values())
    load = _open_pairings_per_mentor()
    already = select(Pairing.mentor_id).where(
        Pairing.mentee_id == mentee.id, Pairing.state.in_(OPEN_STATES)
    )
    query = (
        select(
            Employee.id,
            Employee.name,
            Position.name,
            OrgUnit.name,
            OrgUnit.path,
            MentorProfile.id,
            MentorProfile.capacity,
            MentorProfile.availability,
            func.coalesce(load.c.n, 0),
        )
        .join(MentorProfile, MentorProfile.employee_id == Employee.id)
        .join(OrgUnit, Employee.org_unit_id == OrgUnit.id)
        .outerjoin(Position, Employee.position_id == Position.id)
        .outerjoin(load, load.c.mentor_id == Employee.id)
        .where(
            Employee.instansi_id == mentee.instansi_id,
            Employee.active.is_(True),
            Employee.id != mentee.id,
            MentorProfile.available.is_(True),
            mentor_grant_exists(mentee.instansi_id),
            Employee.id.not_in(already),
        )
    )
    if only_mentor_id is not None:
        query = query.where(Employee.id == only_mentor_id)
    rows = db.session.execute(query).all()
    mentor_ids = [row[0] for row in rows]
    profile_ids = [row[5] for row in rows]
    strengths = standard_met(mentor_ids, codes=gap_weight) if gap_weight else {}
    if gap_weight and profile_ids:
        for profile_emp, code in db.session.execute(
            select(MentorProfile.employee_id, MentorStrength.competency_code)
            .join(MentorStrength, MentorStrength.profile_id == MentorProfile.id)
            .where(
                MentorProfile.id.in_(profile_ids),
                MentorStrength.competency_code.in_(list(gap_weight)),
            )
        ):
            strengths.setdefault(profile_emp, set()).add(code)
    labels = competency_labels(mentee.instansi_id, gap_weight)
    mentee_unit = mentee.org_unit
    mentee_opd = _opd_id(mentee_unit.path)
    matches: list[MentorMatch] = []
    for emp_id, name, position, unit, path, _pid, capacity, availability, n in rows:
        if path == mentee_unit.path:
            closeness = "unit"
        elif _opd_id(path) == mentee_opd:
            closeness = "opd"
        else:
            closeness = "instansi"
        covered = [code for code, _gap in gaps if code in strengths.get(emp_id, set())]
        coverage = (
            sum(gap_weight[code] for code in covered) / total_weight if total_weight > 0 else 0.0
        )
        match = MentorMatch(
            mentor_id=emp_id,
            name=name,
            position=position or "",
            unit=unit,
            capacity=int(capacity),
            load=int(n),
            availability=availability or "",
            closeness=closeness,
            covered=covered,
            coverage=coverage,
        )
        match.score = match_score(coverage, match.places_left, match.capacity, closeness)
        match.reasons = _reasons(match, len(gaps), labels)
        matches.append(match)
    matches.sort(key=lambda m: (m.is_full, -m.score, m.name))
    return gaps, matches[:limit]


def _reasons(match: MentorMatch, gap_count: int, labels: dict[str, str]) -> list[str]:
    """Why a mentor ranks where they do, one short phrase per part of the score."""
    reasons: list[str] = []
    if gap_count == 0:
        reasons.append(_("no competency gaps recorded for the mentee yet"))
    elif match.covered:
        reasons.append(
            _(
                "strong in %(covered)d of %(total)d top gaps: %(names)s",
                covered=len(match.covered),
                total=gap_count,
                names=", ".join(labels.get(code, code) for code in match.covered),
            )
        )
    else:
        reasons.append(_("not strong in the mentee's top gaps"))
    if match.is_full:
        reasons.append(_("no places left"))
    else:
        reasons.append(
            _(
                "%(left)d of %(capacity)d places left",
                left=match.places_left,
                capacity=match.capacity,
            )
        )
    reasons.append(
        {
            "unit": _("same unit"),
            "opd": _("same OPD"),
            "instansi": _("same instansi"),
        }[match.closeness]
    )
    return reasons


# ---- pairings ----------------------------------------------------------------------------


def open_load(mentor_id: int, states: Iterable[PairingState] = OPEN_STATES) -> int:
    return int(
        db.session.scalar(
            select(func.count())
            .select_from(Pairing)
            .where(Pairing.mentor_id == mentor_id, Pairing.state.in_(list(states)))
        )
        or 0
    )


def open_pairings_of(mentee_id: int) -> list[tuple[int, str, PairingState]]:
    """(pairing id, mentor name, state) of the mentee's proposed and active pairings."""
    return [
        (pairing_id, name, PairingState(state))
        for pairing_id, name, state in db.session.execute(
            select(Pairing.id, Employee.name, Pairing.state)
            .join(Employee, Pairing.mentor_id == Employee.id)
            .where(Pairing.mentee_id == mentee_id, Pairing.state.in_(OPEN_STATES))
            .order_by(Pairing.id)
        )
    ]


def _lock_profile(mentor_id: int) -> MentorProfile | None:
    """The mentor's profile row, locked so concurrent proposals cannot overfill capacity."""
    return db.session.scalar(
        select(MentorProfile)
        .where(MentorProfile.employee_id == mentor_id)
        .with_for_update(of=MentorProfile)
    )


@dataclass
class Proposal:
    program_id: int | None
    mentee_id: int | None
    mentor_id: int | None
    start_date: date | None
    end_date: date | None
    focus: str = ""


def propose_pairing(proposal: Proposal, proposed_by: User, by_hr: bool, today: date) -> Pairing:
    """HR or the mentee proposes a pairing; the head of the mentee's OPD approves it later.

    Refused: pairing someone with themselves, a mentor without the role, a profile or free
    capacity, a program of another instansi or one where only HR proposes, dates outside the
    program's duration bounds, and a second open pairing of the same two people.
    """
    problems: list[tuple[str, str]] = []
    program = db.session.get(MentoringProgram, proposal.program_id or 0)
    mentee = db.session.get(Employee, proposal.mentee_id or 0)
    mentor = db.session.get(Employee, proposal.mentor_id or 0)
    if mentee is None or not mentee.active:
        problems.append(("mentee_id", _("Choose an active employee as the mentee.")))
    if program is None or not program.active:
        problems.append(("program_id", _("Choose an active mentoring program.")))
    elif mentee is not None and program.instansi_id != mentee.instansi_id:
        problems.append(("program_id", _("The program belongs to another instansi.")))
    elif program.matching_mode == MatchingMode.ADMIN and not by_hr:
        problems.append(("program_id", _("In this program HR proposes the pairings.")))
    profile = None
    if mentor is None:
        problems.append(("mentor_id", _("Choose a mentor.")))
    elif mentee is not None and mentor.id == mentee.id:
        problems.append(("mentor_id", _("A person cannot mentor themselves.")))
    elif mentee is not None and mentor.instansi_id != mentee.instansi_id:
        problems.append(("mentor_id", _("The mentor works for another instansi.")))
    elif not is_mentor(mentor):
        problems.append(("mentor_id", _("This employee does not hold the mentor role.")))
    else:
        profile = _lock_profile(mentor.id)
        if profile is None:
            problems.append(("mentor_id", _("This mentor has no mentor profile yet.")))
        elif not profile.available:
            problems.append(("mentor_id", _("This mentor is not taking mentees at the moment.")))
        else:
            taken = open_load(mentor.id)
            if taken >= profile.capacity:
                problems.append(
                    (
                        "mentor_id",
                        _(
                            "This mentor has no capacity left (%(taken)d of %(capacity)d places taken).",
                            taken=taken,
                            capacity=profile.capacity,
                        ),
                    )
                )
        if mentee is not None and db.session.scalar(
            select(func.count())
            .select_from(Pairing)
            .where(
                Pairing.mentor_id == mentor.id,
                Pairing.mentee_id == mentee.id,
                Pairing.state.in_(OPEN_STATES),
            )
        ):
            problems.append(("mentor_id", _("These two already have an open pairing.")))
    problems += _date_problems(program, proposal.start_date, proposal.end_date, today)
    if problems:
        db.session.rollback()
        raise ValidationFailed(problems)
    assert program is not None and mentee is not None and mentor is not None
    assert proposal.start_date is not None and proposal.end_date is not None
    _gaps, matches = rank_mentors(mentee, only_mentor_id=mentor.id)
    pairing = Pairing(
        program_id=program.id,
        instansi_id=program.instansi_id,
        mentor_id=mentor.id,
        mentee_id=mentee.id,
        state=PairingState.PROPOSED,
        start_date=proposal.start_date,
        end_date=proposal.end_date,
        focus=(proposal.focus or "").strip(),
        match_reason=matches[0].reason if matches else "",
        proposed_by_id=proposed_by.id,
    )
    db.session.add(pairing)
    _commit_or_refuse(_l("These two already have an open pairing."), "mentor_id")
    return pairing


def _date_problems(
    program: MentoringProgram | None, start: date | None, end: date | None, today: date
) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if start is None:
        problems.append(("start_date", _("Enter the start date.")))
    elif start < today - timedelta(days=365):
        problems.append(("start_date", _("The start date is more than a year ago.")))
    if end is None:
        problems.append(("end_date", _("Enter the planned end date.")))
    elif start is not None and end <= start:
        problems.append(("end_date", _("The end date must be after the start date.")))
    elif start is not None and program is not None:
        days = (end - start).days
        if days < program.min_weeks * 7 or days > program.max_weeks * 7:
            problems.append(
                (
                    "end_date",
                    _(
                        "This program runs from %(min)d to %(max)d weeks.",
                        min=program.min_weeks,
                        max=program.max_weeks,
                    ),
                )
            )
    elif end is not None and end < today:
        problems.append(("end_date", _("The end date has already passed.")))
    return problems


def _commit_or_refuse(message: object, field_name: str | None) -> None:
    """Commit; a unique-index race (two requests at once) becomes a field error, not a 500."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise ServiceError(message, field_name) from None


def decide_pairing(
    pairing: Pairing, approve: bool, decided_by: User, note: str, today: date
) -> Pairing:
    """Approve (→ active) or reject (→ cancelled) a proposed pairing; approval rechecks capacity."""
    if pairing.state != PairingState.PROPOSED:
        raise ServiceError(_l("This pairing has already been decided."), "decision")
    if approve:
        profile = _lock_profile(pairing.mentor_id)
        active = open_load(pairing.mentor_id, (PairingState.ACTIVE,))
        if profile is None or active >= profile.capacity:
            db.session.rollback()
            raise ServiceError(
                _l("The mentor has no capacity left; reject this proposal or raise the capacity."),
                "decision",
            )
        if pairing.end_date < today:
            db.session.rollback()
            raise ServiceError(
                _l("The planned end date has passed; propose the pairing again."), "decision"
            )
        pairing.state = PairingState.ACTIVE
    else:
        pairing.state = PairingState.CANCELLED
        pairing.ended_on = today
    pairing.decided_by_id = decided_by.id
    pairing.decided_at = utcnow()
    pairing.closing_note = (note or "").strip() if not approve else pairing.closing_note
    db.session.commit()
    return pairing


def close_pairing(pairing: Pairing, outcome: str, note: str, today: date) -> Pairing:
    """Complete an active pairing (early completion counts as completed) or cancel an open one."""
    if outcome == PairingState.COMPLETED:
        if pairing.state != PairingState.ACTIVE:
            raise ServiceError(_l("Only an active pairing can be completed."), "outcome")
        pairing.state = PairingState.COMPLETED
    elif outcome == PairingState.CANCELLED:
        if pairing.state not in OPEN_STATES:
            raise ServiceError(_l("This pairing is already closed."), "outcome")
        pairing.state = PairingState.CANCELLED
    else:
        raise ServiceError(_l("Choose whether the pairing is completed or cancelled."), "outcome")
    pairing.ended_on = min(today, pairing.end_date) if today >= pairing.start_date else today
    pairing.closing_note = (note or "").strip()
    db.session.commit()
    return pairing


def complete_due_pairings(today: date) -> int:
    """The daily job: active pairings whose planned end has passed become completed, in one UPDATE."""
    result = db.session.execute(
        update(Pairing)
        .where(Pairing.state == PairingState.ACTIVE, Pairing.end_date < today)
        .values(state=PairingState.COMPLETED, ended_on=Pairing.end_date, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return int(rowcount(result) or 0)


def resolve_flag(pairing: Pairing) -> Pairing:
    """HR has acted on a "this pairing is not working" answer: the flag is cleared."""
    pairing.flagged_at = None
    db.session.commit()
    return pairing


# ---- goals -------------------------------------------------------------------------------


def add_goal(pairing: Pairing, description: str, competency_code: str | None) -> Goal:
    """A goal for an open pairing, optionally tied to one competency of the dictionary."""
    problems: list[tuple[str, str]] = []
    text = (description or "").strip()
    if pairing.state not in OPEN_STATES:
        raise ServiceError(_l("Goals of a closed pairing cannot change."), "description")
    if not text:
        problems.append(("description", _("Describe the goal.")))
    elif len(text) > 300:
        problems.append(("description", _("Use at most %(n)d characters.", n=300)))
    code = competency_code or None
    if code and code not in {c for c, _label in competency_options(pairing.instansi_id)}:
        problems.append(("competency_code", _("Choose a competency from the list.")))
    if problems:
        raise ValidationFailed(problems)
    goal = Goal(pairing_id=pairing.id, description=text, competency_code=code, progress=0)
    db.session.add(goal)
    db.session.commit()
    return goal


def set_goal_progress(goal: Goal, progress: int | None) -> Goal:
    """Progress in percent; reaching 100 marks the goal done, going back reopens it."""
    if goal.pairing.state not in OPEN_STATES:
        raise ServiceError(_l("Goals of a closed pairing cannot change."), "progress")
    if progress is None or not 0 <= progress <= 100:
        raise ServiceError(_l("Enter a progress from 0 to 100 %."), "progress")
    goal.progress = progress
    goal.completed_at = (goal.completed_at or utcnow()) if progress == 100 else None
    db.session.commit()
    return goal


# ---- sessions ----------------------------------------------------------------------------


@dataclass
class SessionData:
    pairing_id: int | None
    held_on: date | None
    duration_minutes: int | None
    mode: str | None
    topics: str
    notes: str = ""
    agreed_actions: str = ""


def session_problems(
    pairing: Pairing | None, data: SessionData, today: date
) -> list[tuple[str, str]]:
    """Every reason a session log is refused, each beside its field."""
    problems: list[tuple[str, str]] = []
    if pairing is None or pairing.state != PairingState.ACTIVE:
        problems.append(("pairing_id", _("Choose one of your active mentees.")))
    minutes = data.duration_minutes
    if minutes is None:
        problems.append(("duration_minutes", _("Enter the duration in minutes.")))
    elif minutes <= 0:
        problems.append(("duration_minutes", _("The duration must be greater than zero.")))
    elif minutes < MIN_SESSION_MINUTES:
        problems.append(
            (
                "duration_minutes",
                _("A session lasts at least %(n)d minutes.", n=MIN_SESSION_MINUTES),
            )
        )
    elif minutes > MAX_SESSION_MINUTES:
        problems.append(
            (
                "duration_minutes",
                _("A session lasts at most %(n)d minutes (8 hours).", n=MAX_SESSION_MINUTES),
            )
        )
    held = data.held_on
    if held is None:
        problems.append(("held_on", _("Enter the date of the session.")))
    elif held > today:
        problems.append(("held_on", _("The session date cannot be in the future.")))
    elif pairing is not None and held < pairing.start_date:
        problems.append(
            (
                "held_on",
                _(
                    "The pairing started on %(date)s; the session cannot be earlier.",
                    date=pairing.start_date.isoformat(),
                ),
            )
        )
    elif pairing is not None and held > pairing.end_date:
        problems.append(
            (
                "held_on",
                _(
                    "The pairing ends on %(date)s; the session cannot be later.",
                    date=pairing.end_date.isoformat(),
                ),
            )
        )
    if data.mode not in {mode.value for mode in SessionMode}:
        problems.append(("mode", _("Choose how the session was held.")))
    topics = (data.topics or "").strip()
    if not topics:
        problems.append(("topics", _("Name the topics discussed.")))
    elif len(topics) > 300:
        problems.append(("topics", _("Use at most %(n)d characters.", n=300)))
    return problems


def log_session(
    mentor_id: int, data: SessionData, logged_by: User, today: date
) -> MentoringSession:
    """The mentor logs a session of one of their active pairings; the mentee confirms it later."""
    pairing = db.session.get(Pairing, data.pairing_id or 0)
    if pairing is not None and pairing.mentor_id != mentor_id:
        pairing = None  # someone else's pairing is refused like an unknown one
    problems = session_problems(pairing, data, today)
    if problems:
        raise ValidationFailed(problems)
    assert pairing is not None and data.held_on is not None and data.duration_minutes is not None
    assert data.mode is not None  # session_problems() refused any other mode
    session = MentoringSession(
        pairing_id=pairing.id,
        held_on=data.held_on,
        duration_minutes=data.duration_minutes,
        mode=SessionMode(data.mode),
        topics=data.topics.strip(),
        notes=(data.notes or "").strip(),
        agreed_actions=(data.agreed_actions or "").strip(),
        logged_by_id=logged_by.id,
    )
    db.session.add(session)
    db.session.commit()
    return session


def lock_session(session: MentoringSession) -> MentoringSession:
    """The session's row locked until the transaction ends, read afresh: a second confirmation
    or feedback waits for the first and then sees what it wrote."""
    locked = db.session.scalar(
        select(MentoringSession)
        .where(MentoringSession.id == session.id)
        .with_for_update(of=MentoringSession)
        .execution_options(populate_existing=True)
    )
    assert locked is not None
    return locked


def confirm_session(session: MentoringSession) -> float:
    """The mentee confirms a logged session: JP at the program's rate go to the learning record.

    Confirming twice credits once: the row is locked and the learning record's
    (source, source_ref) is unique. Returns the JP credited.
    """
    locked = lock_session(session)
    if locked.confirmed_at is not None:
        db.session.rollback()
        return float(locked.jp_credited or 0)
    pairing = locked.pairing
    jp = jp_for(locked.duration_minutes, pairing.program.minutes_per_jp)
    credit_jp(
        pairing.mentee_id,
        jp,
        LearningSource.MENTORING,
        f"session:{locked.id}",
        locked.held_on,
        f"Mentoring: {locked.topics} ({pairing.mentor.name})",
    )
    locked.confirmed_at = utcnow()
    locked.jp_credited = jp
    db.session.commit()
    return jp


def delete_session(session: MentoringSession) -> None:
    """A mentor removes a wrongly logged session, as long as the mentee has not confirmed it."""
    if session.confirmed_at is not None:
        raise ServiceError(_l("A confirmed session cannot be deleted."), None)
    db.session.delete(session)
    db.session.commit()
