"""Figures for the mentor, mentee, approver and HR dashboards: grouped SQL, a fixed query count.

No function here issues a query per row: sessions and goals are aggregated in subqueries joined
to the pairings, and lists are limited, so a page costs the same number of statements whether
the instansi has ten pairings or ten thousand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import case, extract, func, select
from sqlalchemy.orm import aliased

from app.access.policy import Principal, can_manage_instansi
from app.accounts.models import Role
from app.extensions import db
from app.learning.models import JP_TARGET_PER_YEAR, LearningRecord, LearningSource
from app.learning.services import jp_total
from app.mentoring.models import (
    OPEN_STATES,
    STALE_AFTER_DAYS,
    Goal,
    MentoringProgram,
    MentoringSession,
    MentorProfile,
    Pairing,
    PairingState,
    SessionMode,
)
from app.mentoring.policy import pairing_scope
from app.needs.gaps import gap_cycles, mean_positive_gaps
from app.org.models import Employee, OrgUnit, Position

LIST_LIMIT = 200
RECENT_SESSIONS = 10

Mentor = aliased(Employee, name="mentor")
Mentee = aliased(Employee, name="mentee")
MenteeUnit = aliased(OrgUnit, name="mentee_unit")


def _session_stats():
    """Per pairing: last session date, sessions, unconfirmed ones, minutes logged and confirmed."""
    return (
        select(
            MentoringSession.pairing_id.label("pairing_id"),
            func.max(MentoringSession.held_on).label("last_on"),
            func.count().label("sessions"),
            func.sum(case((MentoringSession.confirmed_at.is_(None), 1), else_=0)).label(
                "unconfirmed"
            ),
            func.sum(MentoringSession.duration_minutes).label("minutes"),
        )
        .group_by(MentoringSession.pairing_id)
        .subquery()
    )


def _goal_stats():
    """Per pairing: number of goals, goals done and the average progress."""
    return (
        select(
            Goal.pairing_id.label("pairing_id"),
            func.count().label("goals"),
            func.sum(case((Goal.progress >= 100, 1), else_=0)).label("done"),
            func.avg(Goal.progress).label("progress"),
        )
        .group_by(Goal.pairing_id)
        .subquery()
    )


@dataclass
class PairingRow:
    """A pairing as the dashboards list it, with its session and goal figures."""

    id: int
    state: PairingState
    mentor: str
    mentee: str
    unit: str
    start_date: date
    end_date: date
    last_session: date | None
    sessions: int
    unconfirmed: int
    minutes: int
    goals: int
    goals_done: int
    progress: int  # average goal progress in %
    flagged: bool
    today: date

    @property
    def days_since_session(self) -> int | None:
        return (self.today - self.last_session).days if self.last_session else None

    @property
    def needs_session(self) -> bool:
        """Active and no session logged in the last 30 days (counted from the start if none)."""
        if self.state != PairingState.ACTIVE:
            return False
        since = self.last_session or self.start_date
        return (self.today - since).days >= STALE_AFTER_DAYS

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)


def _pairing_rows(
    where: list, today: date, order: list, limit: int = LIST_LIMIT
) -> list[PairingRow]:
    stats = _session_stats()
    goals = _goal_stats()
    query = (
        select(
            Pairing.id,
            Pairing.state,
            Mentor.name,
            Mentee.name,
            MenteeUnit.name,
            Pairing.start_date,
            Pairing.end_date,
            stats.c.last_on,
            func.coalesce(stats.c.sessions, 0),
            func.coalesce(stats.c.unconfirmed, 0),
            func.coalesce(stats.c.minutes, 0),
            func.coalesce(goals.c.goals, 0),
            func.coalesce(goals.c.done, 0),
            func.coalesce(goals.c.progress, 0),
            Pairing.flagged_at,
        )
        .join(Mentor, Pairing.mentor_id == Mentor.id)
        .join(Mentee, Pairing.mentee_id == Mentee.id)
        .join(MenteeUnit, Mentee.org_unit_id == MenteeUnit.id)
        .outerjoin(stats, stats.c.pairing_id == Pairing.id)
        .outerjoin(goals, goals.c.pairing_id == Pairing.id)
        .where(*where)
        .order_by(*order)
        .limit(limit)
    )
    return [
        PairingRow(
            id=row[0],
            state=PairingState(row[1]),
            mentor=row[2],
            mentee=row[3],
            unit=row[4],
            start_date=row[5],
            end_date=row[6],
            last_session=row[7],
            sessions=int(row[8]),
            unconfirmed=int(row[9]),
            minutes=int(row[10]),
            goals=int(row[11]),
            goals_done=int(row[12]),
            progress=round(float(row[13])),
            flagged=row[14] is not None,
            today=today,
        )
        for row in db.session.execute(query)
    ]


@dataclass
class SessionRow:
    id: int
    pairing_id: int
    held_on: date
    duration_minutes: int
    mode: SessionMode
    topics: str
    confirmed: bool
    jp: float | None
    has_feedback: bool
    other: str  # the mentee's name for the mentor, the mentor's for the mentee


def _session_rows(where: list, other: type[Employee], limit: int) -> list[SessionRow]:
    other_id = Pairing.mentee_id if other is Mentee else Pairing.mentor_id
    query = (
        select(
            MentoringSession.id,
            MentoringSession.pairing_id,
            MentoringSession.held_on,
            MentoringSession.duration_minutes,
            MentoringSession.mode,
            MentoringSession.topics,
            MentoringSession.confirmed_at,
            MentoringSession.jp_credited,
            MentoringSession.feedback_response_id,
            other.name,
        )
        .join(Pairing, MentoringSession.pairing_id == Pairing.id)
        .join(other, other_id == other.id)
        .where(*where)
        .order_by(MentoringSession.held_on.desc(), MentoringSession.id.desc())
        .limit(limit)
    )
    return [
        SessionRow(
            id=row[0],
            pairing_id=row[1],
            held_on=row[2],
            duration_minutes=row[3],
            mode=SessionMode(row[4]),
            topics=row[5],
            confirmed=row[6] is not None,
            jp=row[7],
            has_feedback=row[8] is not None,
            other=row[9],
        )
        for row in db.session.execute(query)
    ]


# ---- mentor ------------------------------------------------------------------------------


@dataclass
class MentorBoard:
    has_profile: bool
    capacity: int
    pairings: list[PairingRow]
    recent: list[SessionRow]

    @property
    def active(self) -> list[PairingRow]:
        return [p for p in self.pairings if p.state == PairingState.ACTIVE]

    @property
    def needing_session(self) -> list[PairingRow]:
        return [p for p in self.pairings if p.needs_session]

    @property
    def unconfirmed(self) -> int:
        return sum(p.unconfirmed for p in self.pairings)


def mentor_board(mentor_id: int, today: date) -> MentorBoard:
    """The mentor's open pairings with last session and pending confirmations (three queries)."""
    profile = db.session.execute(
        select(MentorProfile.id, MentorProfile.capacity).where(
            MentorProfile.employee_id == mentor_id
        )
    ).first()
    pairings = _pairing_rows(
        [Pairing.mentor_id == mentor_id, Pairing.state.in_(OPEN_STATES)],
        today,
        [Pairing.state, Mentee.name],
    )
    recent = _session_rows([Pairing.mentor_id == mentor_id], Mentee, RECENT_SESSIONS)
    return MentorBoard(
        has_profile=profile is not None,
        capacity=int(profile[1]) if profile else 0,
        pairings=pairings,
        recent=recent,
    )


# ---- mentee ------------------------------------------------------------------------------


@dataclass
class GoalRow:
    id: int
    pairing_id: int
    description: str
    competency_code: str | None
    progress: int
    editable: bool


@dataclass
class MenteeBoard:
    pairings: list[PairingRow]
    goals: list[GoalRow]
    sessions: list[SessionRow]
    jp_year: float
    jp_mentoring: float
    year: int
    target: int = JP_TARGET_PER_YEAR

    @property
    def has_open_pairing(self) -> bool:
        return any(p.state in OPEN_STATES for p in self.pairings)

    @property
    def to_confirm(self) -> list[SessionRow]:
        return [s for s in self.sessions if not s.confirmed]

    @property
    def jp_percent(self) -> int:
        return min(100, round(100 * self.jp_year / self.target)) if self.target else 100


def mentee_board(mentee_id: int, today: date) -> MenteeBoard:
    """The mentee's pairings, goals, sessions and JP this year (five queries)."""
    pairings = _pairing_rows(
        [Pairing.mentee_id == mentee_id],
        today,
        [case((Pairing.state.in_(OPEN_STATES), 0), else_=1), Pairing.start_date.desc()],
        limit=50,
    )
    goals = [
        GoalRow(goal_id, pairing_id, description, code, progress, state in OPEN_STATES)
        for goal_id, pairing_id, description, code, progress, state in db.session.execute(
            select(
                Goal.id,
                Goal.pairing_id,
                Goal.description,
                Goal.competency_code,
                Goal.progress,
                Pairing.state,
            )
            .join(Pairing, Goal.pairing_id == Pairing.id)
            .where(Pairing.mentee_id == mentee_id, Pairing.state != PairingState.CANCELLED)
            .order_by(Pairing.start_date.desc(), Goal.id)
            .limit(100)
        )
    ]
    sessions = _session_rows([Pairing.mentee_id == mentee_id], Mentor, 50)
    mentoring = db.session.scalar(
        select(func.coalesce(func.sum(LearningRecord.jp), 0)).where(
            LearningRecord.employee_id == mentee_id,
            LearningRecord.year == today.year,
            LearningRecord.source == LearningSource.MENTORING,
        )
    )
    return MenteeBoard(
        pairings=pairings,
        goals=goals,
        sessions=sessions,
        jp_year=jp_total(mentee_id, today.year),
        jp_mentoring=float(mentoring or 0),
        year=today.year,
    )


# ---- approvals ---------------------------------------------------------------------------


@dataclass
class ProposalRow:
    id: int
    mentor: str
    mentee: str
    unit: str
    program: str
    start_date: date
    end_date: date
    match_reason: str
    opd_id: int
    instansi_id: int
    has_head: bool = True
    can_decide: bool = False


def proposals(principal: Principal) -> list[ProposalRow]:
    """Proposed pairings the principal may see, marking those they decide (two queries).

    The head of the mentee's OPD decides; when that post is vacant, HR of the instansi does.
    """
    rows = [
        ProposalRow(
            id=pid,
            mentor=mentor,
            mentee=mentee,
            unit=unit,
            program=program,
            start_date=start,
            end_date=end,
            match_reason=reason,
            opd_id=int(path.strip("/").split("/")[0]),
            instansi_id=instansi_id,
        )
        for pid, mentor, mentee, unit, path, program, start, end, reason, instansi_id in (
            db.session.execute(
                select(
                    Pairing.id,
                    Mentor.name,
                    Mentee.name,
                    MenteeUnit.name,
                    MenteeUnit.path,
                    MentoringProgram.name,
                    Pairing.start_date,
                    Pairing.end_date,
                    Pairing.match_reason,
                    Pairing.instansi_id,
                )
                .join(Mentor, Pairing.mentor_id == Mentor.id)
                .join(Mentee, Pairing.mentee_id == Mentee.id)
                .join(MenteeUnit, Mentee.org_unit_id == MenteeUnit.id)
                .join(MentoringProgram, Pairing.program_id == MentoringProgram.id)
                .where(pairing_scope(principal), Pairing.state == PairingState.PROPOSED)
                .order_by(Pairing.created_at, Pairing.id)
                .limit(LIST_LIMIT)
            )
        )
    ]
    if rows:
        heads = set(
            db.session.scalars(
                select(Position.heads_unit_id)
                .join(Employee, Employee.position_id == Position.id)
                .where(
                    Position.heads_unit_id.in_({row.opd_id for row in rows}),
                    Employee.active.is_(True),
                )
            )
        )
        for row in rows:
            row.has_head = row.opd_id in heads
            if row.has_head:
                row.can_decide = (
                    principal.has(Role.UNIT_HEAD) and principal.headed_unit_id == row.opd_id
                )
            else:
                row.can_decide = can_manage_instansi(principal, row.instansi_id)
    return rows


# ---- HR ----------------------------------------------------------------------------------


@dataclass
class MonthRow:
    year: int
    month: int
    sessions: int
    minutes: int
    confirmed_minutes: int

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)

    @property
    def confirmed_hours(self) -> float:
        return round(self.confirmed_minutes / 60, 1)


@dataclass
class GapChangeRow:
    employee_id: int
    name: str
    before: float
    after: float

    @property
    def change(self) -> float:
        return round(self.after - self.before, 2)


@dataclass
class GapChange:
    before_year: int
    after_year: int
    rows: list[GapChangeRow]

    @property
    def average_change(self) -> float:
        if not self.rows:
            return 0.0
        return round(sum(row.change for row in self.rows) / len(self.rows), 2)


@dataclass
class HrBoard:
    counts: dict[str, int]
    flagged: list[PairingRow]
    months: list[MonthRow]
    active: list[PairingRow]
    goals: int
    goals_done: int
    goal_progress: int
    gap_change: GapChange | None
    today: date
    stale: list[PairingRow] = field(default_factory=list)

    @property
    def max_month_sessions(self) -> int:
        return max([m.sessions for m in self.months] or [0])


def last_months(today: date, count: int = 12) -> list[tuple[int, int]]:
    """(year, month) of the last `count` months, oldest first, ending with this month."""
    year, month = today.year, today.month
    months = []
    for _ in range(count):
        months.append((year, month))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(months))


def hr_board(principal: Principal, today: date) -> HrBoard:
    """HR's overview of the pairings in scope, in seven queries whatever the data size."""
    scope = pairing_scope(principal)
    counts = {state.value: 0 for state in PairingState}
    for state, n in db.session.execute(
        select(Pairing.state, func.count()).where(scope).group_by(Pairing.state)
    ):
        counts[PairingState(state).value] = int(n)

    months = last_months(today)
    first = date(months[0][0], months[0][1], 1)
    year_col = extract("year", MentoringSession.held_on)
    month_col = extract("month", MentoringSession.held_on)
    per_month = {
        (int(y), int(m)): (int(n), int(minutes or 0), int(confirmed or 0))
        for y, m, n, minutes, confirmed in db.session.execute(
            select(
                year_col,
                month_col,
                func.count(),
                func.sum(MentoringSession.duration_minutes),
                func.sum(
                    case(
                        (
                            MentoringSession.confirmed_at.is_not(None),
                            MentoringSession.duration_minutes,
                        ),
                        else_=0,
                    )
                ),
            )
            .join(Pairing, MentoringSession.pairing_id == Pairing.id)
            .where(scope, MentoringSession.held_on >= first)
            .group_by(year_col, month_col)
        )
    }
    month_rows = [MonthRow(y, m, *per_month.get((y, m), (0, 0, 0))) for y, m in months]

    active = _pairing_rows(
        [scope, Pairing.state == PairingState.ACTIVE],
        today,
        # Longest without a session first, so the stale ones are never cut off by the limit.
        [func.coalesce(_last_session_on(), Pairing.start_date), Pairing.id],
    )
    flagged = _pairing_rows(
        [scope, Pairing.flagged_at.is_not(None)], today, [Pairing.flagged_at.desc()], 50
    )
    goals, done, progress = db.session.execute(
        select(
            func.count(Goal.id),
            func.coalesce(func.sum(case((Goal.progress >= 100, 1), else_=0)), 0),
            func.coalesce(func.avg(Goal.progress), 0),
        )
        .join(Pairing, Goal.pairing_id == Pairing.id)
        .where(scope, Pairing.state.in_((PairingState.ACTIVE, PairingState.COMPLETED)))
    ).one()
    board = HrBoard(
        counts=counts,
        flagged=flagged,
        months=month_rows,
        active=active,
        goals=int(goals),
        goals_done=int(done),
        goal_progress=round(float(progress)),
        gap_change=gap_change(principal),
        today=today,
    )
    board.stale = [row for row in active if row.needs_session]
    return board


def _last_session_on():
    """SQL: the pairing's last session date (a correlated subquery, used for ordering)."""
    return (
        select(func.max(MentoringSession.held_on))
        .where(MentoringSession.pairing_id == Pairing.id)
        .correlate(Pairing)
        .scalar_subquery()
    )


def gap_change(principal: Principal, limit: int = LIST_LIMIT) -> GapChange | None:
    """Average positive gap of each mentee in the last two cycles, when two cycles exist."""
    mentees = select(Pairing.mentee_id).where(
        pairing_scope(principal),
        Pairing.state.in_((PairingState.ACTIVE, PairingState.COMPLETED)),
    )
    years = gap_cycles(mentees, 2)
    if len(years) < 2:
        return None
    after_year, before_year = years
    per: dict[int, dict[int, float]] = {}
    names: dict[int, str] = {}
    for employee_id, name, year, average in mean_positive_gaps(mentees, years):
        per.setdefault(employee_id, {})[year] = average
        names[employee_id] = name
    rows = [
        GapChangeRow(emp, names[emp], round(v[before_year], 2), round(v[after_year], 2))
        for emp, v in per.items()
        if before_year in v and after_year in v
    ]
    rows.sort(key=lambda row: (row.change, row.name))
    return GapChange(before_year, after_year, rows[:limit])
