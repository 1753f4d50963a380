"""Read side of training: lists, the approver's inbox and the nomination view.

Every function runs a fixed number of grouped queries, whatever the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import ColumnElement, Select, case, exists, func, or_, select

from app.access.policy import Principal
from app.clock import aware, local_today, utcnow
from app.extensions import db
from app.learning.services import jp_total
from app.needs.models import DevelopmentNeed, NeedStatus
from app.org.models import Employee, OrgUnit, Position
from app.training.models import (
    ACTIVE_STATES,
    BudgetLine,
    Completion,
    Delegation,
    Nomination,
    NominationAction,
    NominationState,
    NominationStep,
    Participation,
    ProgramCompetency,
    TrainingEvent,
    TrainingForm,
    TrainingProgram,
    is_current_step,
)
from app.training.policy import (
    Acting,
    awaiting_decision_by,
    budget_scope,
    catalogue_scope,
    nomination_scope,
    nominee_scope,
)
from app.web.pagination import Page, count_rows, limit_to_page, paginate

PAGE_SIZE = 50
OVERDUE_DAYS = 3


# ---- catalogue -----------------------------------------------------------------------------


def programs(principal: Principal, search: str = "", form: str = "", page: int = 1) -> Page:
    """Catalogue entries the principal may browse, with a count of upcoming events each."""
    upcoming = (
        select(TrainingEvent.program_id, func.count().label("n"))
        .where(TrainingEvent.start_date > local_today())
        .group_by(TrainingEvent.program_id)
        .subquery()
    )
    query = (
        select(TrainingProgram, func.coalesce(upcoming.c.n, 0))
        .outerjoin(upcoming, upcoming.c.program_id == TrainingProgram.id)
        .where(catalogue_scope(principal))
    )
    search = search.strip()
    if search:
        query = query.where(
            or_(
                func.lower(TrainingProgram.title).contains(search.lower(), autoescape=True),
                func.lower(TrainingProgram.code).contains(search.lower(), autoescape=True),
                TrainingProgram.id.in_(
                    select(ProgramCompetency.program_id).where(
                        ProgramCompetency.competency_code == search.upper()
                    )
                ),
            )
        )
    if form in TrainingForm.__members__.values():
        query = query.where(TrainingProgram.form == TrainingForm(form))
    return paginate(query.order_by(TrainingProgram.active.desc(), TrainingProgram.title), page)


@dataclass
class EventCounts:
    pending: int = 0
    approved: int = 0


def events_with_counts(program: TrainingProgram) -> list[tuple[TrainingEvent, EventCounts]]:
    """The program's batches with pending and approved nominations, in two queries."""
    events = list(
        db.session.scalars(
            select(TrainingEvent)
            .where(TrainingEvent.program_id == program.id)
            .order_by(TrainingEvent.start_date.desc())
        )
    )
    counts = {
        event_id: EventCounts(pending or 0, approved or 0)
        for event_id, pending, approved in db.session.execute(
            select(
                Nomination.event_id,
                func.sum(case((Nomination.state == NominationState.PENDING, 1), else_=0)),
                func.sum(case((Nomination.state == NominationState.APPROVED, 1), else_=0)),
            )
            .where(Nomination.event_id.in_([e.id for e in events]))
            .group_by(Nomination.event_id)
        )
    }
    return [(event, counts.get(event.id, EventCounts())) for event in events]


def event_counts(event_id: int) -> dict[NominationState, int]:
    rows = db.session.execute(
        select(Nomination.state, func.count())
        .where(Nomination.event_id == event_id)
        .group_by(Nomination.state)
    )
    return {NominationState(state): count for state, count in rows}


def my_active_nomination(employee_id: int | None, event_id: int) -> Nomination | None:
    """The employee's nomination to the event that is still under way (one at a time)."""
    if employee_id is None:
        return None
    return db.session.scalars(
        select(Nomination).where(
            Nomination.employee_id == employee_id,
            Nomination.event_id == event_id,
            Nomination.state.in_(ACTIVE_STATES),
        )
    ).first()


def nominee_choices(acting: Acting, instansi_id: int, limit: int = 2000) -> list[tuple[int, str]]:
    """Employees of the instansi the principal may nominate, by name."""
    rows = db.session.execute(
        select(Employee.id, Employee.name, Employee.nip)
        .where(
            nominee_scope(acting),
            Employee.instansi_id == instansi_id,
            Employee.active.is_(True),
        )
        .order_by(Employee.name)
        .limit(limit)
    )
    return [(employee_id, f"{name} ({nip})") for employee_id, name, nip in rows]


@dataclass
class NeedRow:
    need: DevelopmentNeed
    employee_name: str
    unit_name: str
    already: bool


def needs_for_event(acting: Acting, event: TrainingEvent) -> list[NeedRow]:
    """Accepted needs in the principal's scope that the event's program develops (one query)."""
    codes = event.program.competency_codes
    already = exists().where(
        Nomination.employee_id == DevelopmentNeed.employee_id,
        Nomination.event_id == event.id,
        Nomination.state.in_(ACTIVE_STATES),
    )
    rows = db.session.execute(
        select(DevelopmentNeed, Employee.name, OrgUnit.name, already)
        .join(Employee, Employee.id == DevelopmentNeed.employee_id)
        .join(OrgUnit, OrgUnit.id == Employee.org_unit_id)
        .where(
            DevelopmentNeed.status == NeedStatus.ACCEPTED,
            DevelopmentNeed.competency_code.in_(codes),
            DevelopmentNeed.instansi_id == event.program.instansi_id,
            Employee.active.is_(True),
            nominee_scope(acting),
        )
        .order_by(Employee.name, DevelopmentNeed.priority.desc().nulls_last())
        .limit(1000)
    )
    return [NeedRow(need, name, unit, bool(flag)) for need, name, unit, flag in rows]


# ---- the approver's inbox ------------------------------------------------------------------


@dataclass
class InboxFilters:
    event_id: int | None = None
    unit_id: int | None = None
    waiting_days: int | None = None
    q: str = ""
    page: int = 1

    def args(self, page: bool = False) -> dict[str, object]:
        """The filters as query arguments, without the empty ones."""
        values: dict[str, object] = {
            "event": self.event_id,
            "unit": self.unit_id,
            "waiting": self.waiting_days,
            "q": self.q,
        }
        if page:
            values["page"] = self.page
        return {key: value for key, value in values.items() if value}


@dataclass
class InboxRow:
    nomination: Nomination
    step: NominationStep
    waited_days: int


@dataclass
class EventBucket:
    event_id: int
    label: str
    count: int
    overdue: int


@dataclass
class InboxPage:
    rows: list[InboxRow]
    total: int  # after the filters
    pending: int  # everything awaiting the principal
    overdue: int
    buckets: list[EventBucket]
    units: list[OrgUnit]
    page: Page = field(default_factory=lambda: Page([], 0, 1))


def _inbox_base(acting: Acting) -> Select:
    return (
        select(Nomination, NominationStep)
        .join(NominationStep, is_current_step())
        .where(awaiting_decision_by(acting))
    )


def inbox(acting: Acting, filters: InboxFilters) -> InboxPage:
    """Open steps awaiting the principal: counts per event, then one filtered page of rows."""
    now = utcnow()
    cutoff = now - timedelta(days=OVERDUE_DAYS)
    buckets = [
        EventBucket(event_id, f"{title} · {batch}", count, overdue or 0)
        for event_id, title, batch, count, overdue in db.session.execute(
            select(
                Nomination.event_id,
                TrainingProgram.title,
                TrainingEvent.batch_code,
                func.count(),
                func.sum(case((NominationStep.opened_at <= cutoff, 1), else_=0)),
            )
            .select_from(Nomination)
            .join(NominationStep, is_current_step())
            .join(TrainingEvent, TrainingEvent.id == Nomination.event_id)
            .join(TrainingProgram, TrainingProgram.id == TrainingEvent.program_id)
            .where(awaiting_decision_by(acting))
            .group_by(
                Nomination.event_id,
                TrainingProgram.title,
                TrainingEvent.batch_code,
                TrainingEvent.start_date,
            )
            .order_by(TrainingEvent.start_date, TrainingProgram.title)
        )
    ]
    query = _inbox_base(acting).join(Employee, Employee.id == Nomination.employee_id)
    if filters.event_id:
        query = query.where(Nomination.event_id == filters.event_id)
    if filters.unit_id:
        unit = db.session.get(OrgUnit, filters.unit_id)
        if unit is not None:
            query = query.where(
                Employee.org_unit_id.in_(
                    select(OrgUnit.id).where(OrgUnit.path.startswith(unit.path))
                )
            )
    if filters.waiting_days:
        query = query.where(NominationStep.opened_at <= now - timedelta(days=filters.waiting_days))
    search = filters.q.strip()
    if search:
        query = query.where(
            or_(
                func.lower(Employee.name).contains(search.lower(), autoescape=True),
                Employee.nip.startswith(search.replace(" ", ""), autoescape=True),
            )
        )
    total, limited = count_rows(query), limit_to_page(query, filters.page)
    rows = [
        InboxRow(nomination, step, max((now - (aware(step.opened_at) or now)).days, 0))
        for nomination, step in db.session.execute(
            limited.order_by(NominationStep.opened_at, Nomination.id)
        ).unique()
    ]
    paths = acting.unit_paths
    units: list[OrgUnit] = []
    if paths:
        units = list(
            db.session.scalars(
                select(OrgUnit)
                .where(or_(*(OrgUnit.path.startswith(path) for path in paths)))
                .order_by(OrgUnit.path)
            )
        )
    return InboxPage(
        rows=rows,
        total=total,
        pending=sum(b.count for b in buckets),
        overdue=sum(b.overdue for b in buckets),
        buckets=buckets,
        units=units,
        page=Page(list(rows), total, filters.page),
    )


# ---- nomination lists and the nomination view ----------------------------------------------


@dataclass
class NominationFilters:
    state: str = ""
    event_id: int | None = None
    mine: bool = False  # only where I am the nominee
    q: str = ""
    page: int = 1


def nominations(acting: Acting, filters: NominationFilters) -> Page:
    """Nominations the principal may see, newest first."""
    query = (
        select(Nomination)
        .join(Employee, Employee.id == Nomination.employee_id)
        .where(nomination_scope(acting))
    )
    if filters.state in NominationState.__members__.values():
        query = query.where(Nomination.state == NominationState(filters.state))
    if filters.event_id:
        query = query.where(Nomination.event_id == filters.event_id)
    if filters.mine:
        query = query.where(Nomination.employee_id == (acting.principal.employee_id or 0))
    if filters.q.strip():
        query = query.where(
            func.lower(Employee.name).contains(filters.q.strip().lower(), autoescape=True)
        )
    total, limited = count_rows(query), limit_to_page(query, filters.page)
    items = list(
        db.session.scalars(limited.order_by(Nomination.submitted_at.desc(), Nomination.id.desc()))
    )
    return Page(items, total, filters.page)


@dataclass
class StepView:
    step: NominationStep
    position_name: str
    approver_name: str
    decided_by: NominationAction | None


@dataclass
class NominationView:
    nomination: Nomination
    steps: list[StepView]
    actions: list[NominationAction]
    needs: list[DevelopmentNeed]
    history: list[Nomination]
    jp_this_year: float
    participation: Participation | None


def nomination_view(nomination: Nomination) -> NominationView:
    """Steps of the current round with their approvers, the audit trail, the nominee's needs,
    other nominations and JP this year: a fixed number of queries."""
    steps = list(
        db.session.scalars(
            select(NominationStep)
            .where(NominationStep.nomination_id == nomination.id)
            .order_by(NominationStep.round, NominationStep.step_no)
        )
    )
    actions = list(
        db.session.scalars(
            select(NominationAction)
            .where(NominationAction.nomination_id == nomination.id)
            .order_by(NominationAction.id)
        )
    )
    position_ids = {s.approver_position_id for s in steps if s.approver_position_id}
    positions = dict(
        db.session.execute(
            select(Position.id, Position.name).where(Position.id.in_(position_ids))
        ).all()
    )
    employee_ids = {s.approver_employee_id for s in steps if s.approver_employee_id}
    names = dict(
        db.session.execute(
            select(Employee.id, Employee.name).where(Employee.id.in_(employee_ids))
        ).all()
    )
    deciders: dict[tuple[int, int], NominationAction] = {}
    for action in actions:
        if action.step_no is not None:
            deciders[(action.round, action.step_no)] = action
    current = [s for s in steps if s.round == nomination.round]
    needs = list(
        db.session.scalars(
            select(DevelopmentNeed)
            .where(DevelopmentNeed.employee_id == nomination.employee_id)
            .order_by(
                DevelopmentNeed.cycle_year.desc(), DevelopmentNeed.priority.desc().nulls_last()
            )
            .limit(50)
        )
    )
    history = list(
        db.session.scalars(
            select(Nomination)
            .where(Nomination.employee_id == nomination.employee_id, Nomination.id != nomination.id)
            .order_by(Nomination.submitted_at.desc())
            .limit(20)
        )
    )
    participation = db.session.scalars(
        select(Participation).where(Participation.nomination_id == nomination.id)
    ).first()
    return NominationView(
        nomination=nomination,
        steps=[
            StepView(
                step,
                positions.get(step.approver_position_id or 0, ""),
                names.get(step.approver_employee_id or 0, ""),
                deciders.get((step.round, step.step_no)),
            )
            for step in current
        ],
        actions=actions,
        needs=needs,
        history=history,
        jp_this_year=jp_total(nomination.employee_id, local_today().year),
        participation=participation,
    )


def step_positions(nomination_id: int) -> list[int | None]:
    return list(
        db.session.scalars(
            select(NominationStep.approver_position_id).where(
                NominationStep.nomination_id == nomination_id
            )
        )
    )


# ---- event roster --------------------------------------------------------------------------


def roster(event_id: int) -> list[Participation]:
    return list(
        db.session.scalars(
            select(Participation)
            .join(Employee, Employee.id == Participation.employee_id)
            .where(Participation.event_id == event_id)
            .order_by(Employee.name)
        )
    )


def event_nominations(event_id: int) -> list[Nomination]:
    return list(
        db.session.scalars(
            select(Nomination)
            .join(Employee, Employee.id == Nomination.employee_id)
            .where(Nomination.event_id == event_id)
            .order_by(Nomination.state, Employee.name)
        )
    )


# ---- budget and delegations ----------------------------------------------------------------


@dataclass
class BudgetOverview:
    lines: list[BudgetLine]
    amount: int
    committed: int


def budget_overview(acting: Acting, year: int) -> BudgetOverview:
    lines = list(
        db.session.scalars(
            select(BudgetLine)
            .join(OrgUnit, OrgUnit.id == BudgetLine.org_unit_id)
            .where(budget_scope(acting), BudgetLine.year == year)
            .order_by(OrgUnit.path)
        )
    )
    return BudgetOverview(
        lines, sum(line.amount for line in lines), sum(line.committed for line in lines)
    )


def delegations(principal: Principal, instansi_ids: list[int]) -> list[Delegation]:
    """HR sees its instansi's delegations; others those they give or receive."""
    conditions: list[ColumnElement[bool]] = []
    if instansi_ids:
        conditions.append(Delegation.instansi_id.in_(instansi_ids))
    if principal.employee_id is not None:
        conditions.append(Delegation.delegate_employee_id == principal.employee_id)
    if principal.position_id is not None:
        conditions.append(Delegation.position_id == principal.position_id)
    if not conditions:
        return []
    return list(
        db.session.scalars(
            select(Delegation)
            .where(or_(*conditions))
            .order_by(Delegation.valid_to.desc(), Delegation.id.desc())
            .limit(200)
        )
    )


@dataclass(frozen=True)
class CompletedTraining:
    """A completed participation with what a national record (SIASN kursus) needs."""

    participation_id: int
    employee_id: int
    nip: str
    title: str
    form: str
    provider_name: str
    jp: float
    start_date: date
    end_date: date
    certificate_number: str


def completed_participations(instansi_id: int, year: int | None = None) -> list[CompletedTraining]:
    """Completed participations of an instansi's employees (events ending in `year`): one query."""
    query = (
        select(
            Participation.id,
            Participation.employee_id,
            Employee.nip,
            TrainingProgram.title,
            TrainingProgram.form,
            TrainingProgram.provider_name,
            TrainingProgram.jp,
            TrainingEvent.start_date,
            TrainingEvent.end_date,
            Participation.certificate_number,
        )
        .join(Employee, Employee.id == Participation.employee_id)
        .join(TrainingEvent, TrainingEvent.id == Participation.event_id)
        .join(TrainingProgram, TrainingProgram.id == TrainingEvent.program_id)
        .where(
            Employee.instansi_id == instansi_id,
            Participation.completion == Completion.COMPLETED,
        )
        .order_by(Participation.id)
    )
    if year is not None:
        query = query.where(
            TrainingEvent.end_date >= date(year, 1, 1), TrainingEvent.end_date <= date(year, 12, 31)
        )
    return [
        CompletedTraining(
            pid, eid, nip, title, str(form), provider, float(jp), start, end, certificate or ""
        )
        for pid, eid, nip, title, form, provider, jp, start, end, certificate in db.session.execute(
            query
        )
    ]
