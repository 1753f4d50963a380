"""The nomination lifecycle: submit, decide step by step, return, withdraw, resubmit.

Every transition first claims the nomination with a conditional UPDATE on its version (and
state); a claim that matches no row means someone else decided first, and the caller is told
who and when. The claim runs inside the caller's transaction, so everything after it (step
rows, audit rows, the budget and seat commitment) is applied together or not at all.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _p
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from app.access.policy import Principal, principal_for
from app.accounts.models import User
from app.clock import local_today, utcnow
from app.database import rowcount
from app.errors import ServiceError, ValidationFailed
from app.extensions import db
from app.needs import services as needs_services
from app.needs.models import DevelopmentNeed, NeedStatus
from app.org.hierarchy import ancestor_ids, supervisor_of
from app.org.models import Employee, OrgUnit, Position
from app.training import plan_links
from app.training.models import (
    DEFAULT_CHAIN,
    ActionKind,
    ApprovalChainStep,
    BudgetCommitment,
    BudgetLine,
    Capacity,
    EventStatus,
    Nomination,
    NominationAction,
    NominationOrigin,
    NominationState,
    NominationStep,
    Participation,
    RejectReason,
    StepKind,
    StepStatus,
    TrainingEvent,
)
from app.training.policy import (
    Acting,
    DecisionCapacity,
    acting_for,
    can_nominate,
    can_revise,
    decision_capacity,
    is_nominee,
)
from app.training.queries import my_active_nomination
from app.web import formats

JUSTIFICATION_MIN = 10
TEXT_MAX = 2000


class Decision(enum.StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    RETURN = "return"


class TransitionRefused(ServiceError):
    """A transition that the rules forbid; `status` is the HTTP status the page answers with."""

    status = 409


class NotAllowed(TransitionRefused):
    status = 403


class AlreadyDecided(TransitionRefused):
    """Someone decided first: the message names who did what and when."""

    def __init__(self, message: object, actor_name: str, at: datetime | None) -> None:
        super().__init__(message)
        self.actor_name = actor_name
        self.at = at


@dataclass(frozen=True)
class Actor:
    """Who performs an action: the principal for the rules, the user and employee for the audit."""

    principal: Principal
    user_id: int | None
    employee_id: int | None
    name: str


def actor_for_user(user: User, principal: Principal | None = None) -> Actor:
    return Actor(
        principal or principal_for(user), user.id, user.employee_id, user.display_name[:200]
    )


def actor_for_employee(employee: Employee) -> Actor:
    """An employee acting without a login (demo data, benchmarks): roles from the tree only."""
    transient = User(employee=employee, grants=[], instansi_id=employee.instansi_id)
    principal = principal_for(transient)
    if transient in db.session:
        db.session.expunge(transient)
    return Actor(principal, None, employee.id, employee.name)


# ---- the chain and who approves ------------------------------------------------------------


def chain_of(instansi_id: int) -> list[StepKind]:
    """The instansi's configured steps in order, or the default chain."""
    kinds = list(
        db.session.scalars(
            select(ApprovalChainStep.kind)
            .where(ApprovalChainStep.instansi_id == instansi_id)
            .order_by(ApprovalChainStep.step_no)
        )
    )
    return kinds or list(DEFAULT_CHAIN)


def _holder_of(position_id: int) -> int | None:
    return db.session.scalar(
        select(Employee.id)
        .where(Employee.position_id == position_id, Employee.active.is_(True))
        .order_by(Employee.id)
        .limit(1)
    )


def _nearest_head(unit: OrgUnit, top_only: bool) -> int | None:
    """The head position of the unit (or nearest ancestor with one); of the OPD if `top_only`."""
    unit_ids = ancestor_ids(unit.path)
    if top_only:
        unit_ids = unit_ids[:1]
    heads = dict(
        db.session.execute(
            select(Position.heads_unit_id, Position.id).where(Position.heads_unit_id.in_(unit_ids))
        ).all()
    )
    for unit_id in reversed(unit_ids):
        position_id = heads.get(unit_id)
        if position_id is not None:
            return position_id
    return None


def resolve_approver(kind: StepKind, nominee: Employee) -> tuple[int | None, int | None]:
    """(position, holder) approving `kind` for the nominee, from the org tree as it is now.

    A head step whose head is the nominee goes to the nominee's own supervisor, so nobody
    approves their own nomination. A vacant head position is still returned: its Plt/Plh acts.
    """
    if kind == StepKind.HR:
        return None, None
    if kind == StepKind.SUPERVISOR:
        boss = supervisor_of(nominee)
        return (boss.position_id, boss.id) if boss is not None else (None, None)
    unit = nominee.org_unit
    top_only = kind == StepKind.OPD_HEAD
    position_id = _nearest_head(unit, top_only)
    if position_id is not None and position_id == nominee.position_id:
        boss = supervisor_of(nominee)
        return (boss.position_id, boss.id) if boss is not None else (None, None)
    if position_id is None:
        return None, None
    return position_id, _holder_of(position_id)


# ---- audit ---------------------------------------------------------------------------------


def _position_name(position_id: int | None) -> str:
    if position_id is None:
        return ""
    return db.session.scalar(select(Position.name).where(Position.id == position_id)) or ""


@dataclass
class _Row:
    """An audit row waiting for its `to_state` (known once the whole transition is planned)."""

    action: ActionKind
    step_no: int | None
    actor: Actor | None
    capacity: Capacity
    position_id: int | None = None
    delegation_id: int | None = None
    reason: RejectReason | None = None
    comment: str = ""


def _write_rows(
    nomination: Nomination,
    rows: list[_Row],
    from_state: NominationState | None,
    final_state: NominationState,
    now: datetime,
) -> None:
    """Append the rows; every row but the last leaves the nomination pending."""
    names = {pid: _position_name(pid) for pid in {r.position_id for r in rows} if pid}
    state = from_state
    for index, row in enumerate(rows):
        to_state = final_state if index == len(rows) - 1 else NominationState.PENDING
        db.session.add(
            NominationAction(
                nomination_id=nomination.id,
                round=nomination.round,
                step_no=row.step_no,
                action=row.action,
                from_state=state,
                to_state=to_state,
                actor_user_id=row.actor.user_id if row.actor else None,
                actor_employee_id=row.actor.employee_id if row.actor else None,
                actor_name=row.actor.name if row.actor else "Bangkom",
                on_behalf_of_position_id=row.position_id,
                position_name=names.get(row.position_id, "") if row.position_id else "",
                capacity=row.capacity,
                delegation_id=row.delegation_id,
                reason=row.reason,
                comment=row.comment,
                at=now,
            )
        )
        state = to_state


# ---- opening steps, final approval ---------------------------------------------------------


def _create_steps(nomination: Nomination) -> list[NominationStep]:
    steps = [
        NominationStep(
            nomination_id=nomination.id,
            round=nomination.round,
            step_no=number,
            kind=kind,
            status=StepStatus.WAITING,
        )
        for number, kind in enumerate(chain_of(nomination.instansi_id), start=1)
    ]
    db.session.add_all(steps)
    return steps


def _steps_of(nomination: Nomination) -> list[NominationStep]:
    return list(
        db.session.scalars(
            select(NominationStep)
            .where(
                NominationStep.nomination_id == nomination.id,
                NominationStep.round == nomination.round,
            )
            .order_by(NominationStep.step_no)
        )
    )


def _open_next(
    nomination: Nomination,
    steps: Sequence[NominationStep],
    previous_position: int | None,
    now: datetime,
    rows: list[_Row],
) -> bool:
    """Open the first waiting step that needs a person; True when no step is left (final).

    A step without an approver in the tree is skipped; a step whose approver is the one who
    just approved is approved at once, so nobody clicks twice for the same position.
    """
    for step in steps:
        if step.status != StepStatus.WAITING:
            continue
        if step.kind == StepKind.HR:
            step.status, step.opened_at = StepStatus.PENDING, now
            nomination.current_step_no = step.step_no
            return False
        position_id, holder_id = resolve_approver(step.kind, nomination.employee)
        step.approver_position_id, step.approver_employee_id = position_id, holder_id
        if position_id is None:
            step.status, step.decided_at = StepStatus.SKIPPED, now
            rows.append(
                _Row(
                    ActionKind.SKIP,
                    step.step_no,
                    None,
                    Capacity.SYSTEM,
                    comment=_("No approver for this step in the organisation tree."),
                )
            )
            continue
        if position_id == previous_position:
            step.status, step.opened_at, step.decided_at = StepStatus.APPROVED, now, now
            rows.append(
                _Row(
                    ActionKind.AUTO_APPROVE,
                    step.step_no,
                    None,
                    Capacity.SYSTEM,
                    position_id,
                    comment=_("Same approver as the previous step."),
                )
            )
            continue
        step.status, step.opened_at = StepStatus.PENDING, now
        nomination.current_step_no = step.step_no
        return False
    return True


def budget_line_for(unit: OrgUnit, year: int) -> BudgetLine | None:
    """The budget line of the unit, or of its nearest ancestor with one, for `year`."""
    unit_ids = ancestor_ids(unit.path)
    lines = {
        line.org_unit_id: line
        for line in db.session.scalars(
            select(BudgetLine).where(BudgetLine.org_unit_id.in_(unit_ids), BudgetLine.year == year)
        )
    }
    for unit_id in reversed(unit_ids):
        if unit_id in lines:
            return lines[unit_id]
    return None


def rupiah(amount: int) -> str:
    return formats.rupiah(amount)


def _commit_seat_and_budget(nomination: Nomination, now: datetime) -> None:
    """The final approval takes a seat and commits the cost, each with a conditional UPDATE,
    so parallel approvals can never overbook the quota or overspend the line."""
    event = nomination.event
    taken = db.session.execute(
        update(TrainingEvent)
        .where(
            TrainingEvent.id == event.id,
            TrainingEvent.status == EventStatus.SCHEDULED,
            TrainingEvent.seats_taken < TrainingEvent.quota,
        )
        .values(seats_taken=TrainingEvent.seats_taken + 1)
        .execution_options(synchronize_session=False)
    )
    if rowcount(taken) != 1:
        raise TransitionRefused(
            _l(
                "The event is full: all %(quota)d seats are already approved. Reject the "
                "nomination or ask HR to raise the quota.",
                quota=event.quota,
            )
        )
    db.session.expire(event, ["seats_taken"])
    if nomination.cost <= 0:
        return
    year = event.start_date.year
    line = budget_line_for(nomination.employee.org_unit, year)
    if line is None:
        raise TransitionRefused(
            _l(
                "No training budget line covers %(unit)s in %(year)d; the head of the OPD must "
                "allocate one before the final approval.",
                unit=nomination.employee.org_unit.name,
                year=year,
            )
        )
    spent = db.session.execute(
        update(BudgetLine)
        .where(
            BudgetLine.id == line.id,
            BudgetLine.committed + nomination.cost <= BudgetLine.amount,
        )
        .values(committed=BudgetLine.committed + nomination.cost)
        .execution_options(synchronize_session=False)
    )
    if rowcount(spent) != 1:
        db.session.refresh(line)
        raise TransitionRefused(
            _l(
                "The budget line “%(line)s” %(year)d has %(left)s left; this participation "
                "costs %(cost)s.",
                line=line.name,
                year=year,
                left=rupiah(line.remaining),
                cost=rupiah(nomination.cost),
            )
        )
    db.session.expire(line, ["committed"])
    db.session.add(
        BudgetCommitment(
            budget_line_id=line.id,
            nomination_id=nomination.id,
            amount=nomination.cost,
            committed_at=now,
        )
    )


def _finish(nomination: Nomination, finished: bool, now: datetime) -> NominationState:
    if not finished:
        return NominationState.PENDING
    _commit_seat_and_budget(nomination, now)
    nomination.state = NominationState.APPROVED
    nomination.current_step_no = None
    nomination.decided_at = now
    db.session.add(
        Participation(
            nomination_id=nomination.id,
            event_id=nomination.event_id,
            employee_id=nomination.employee_id,
        )
    )
    return NominationState.APPROVED


# ---- claiming a nomination -----------------------------------------------------------------


def last_decision(nomination_id: int) -> NominationAction | None:
    """The latest action taken by a person (system rows only follow a person's action)."""
    return db.session.scalars(
        select(NominationAction)
        .where(
            NominationAction.nomination_id == nomination_id,
            NominationAction.capacity != Capacity.SYSTEM,
        )
        .order_by(NominationAction.id.desc())
        .limit(1)
    ).first()


# The verb inside "%(name)s %(verb)s this nomination": Indonesian uses the active form here
# (menyetujui), where a state label uses the passive one (Disetujui), hence the context.
ACTION_VERBS = {
    ActionKind.SUBMIT: _p("nomination action", "submitted"),
    ActionKind.RESUBMIT: _p("nomination action", "resubmitted"),
    ActionKind.APPROVE: _p("nomination action", "approved"),
    ActionKind.AUTO_APPROVE: _p("nomination action", "approved"),
    ActionKind.SKIP: _p("nomination action", "skipped"),
    ActionKind.REJECT: _p("nomination action", "rejected"),
    ActionKind.RETURN: _p("nomination action", "returned for revision"),
    ActionKind.WITHDRAW: _p("nomination action", "withdrew"),
    ActionKind.ESCALATE: _p("nomination action", "escalated"),
}


def already_decided(nomination_id: int) -> AlreadyDecided:
    """The refusal for a stale decision, naming the person who acted first and when."""
    action = last_decision(nomination_id)
    if action is None:
        return AlreadyDecided(_l("This nomination changed in the meantime."), "", None)
    when = format_datetime(action.at, "medium") if action.at else ""
    return AlreadyDecided(
        _l(
            "Someone decided first: %(name)s %(verb)s this nomination on %(when)s. "
            "Nothing was changed by your request.",
            name=action.actor_name,
            verb=ACTION_VERBS[action.action],
            when=when,
        ),
        action.actor_name,
        action.at,
    )


def _claim(
    nomination: Nomination, expected_version: int, states: Iterable[NominationState]
) -> None:
    """Take the nomination for this transaction: exactly one concurrent claimant matches."""
    result = db.session.execute(
        update(Nomination)
        .where(
            Nomination.id == nomination.id,
            Nomination.version == expected_version,
            Nomination.state.in_(list(states)),
        )
        .values(version=Nomination.version + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if rowcount(result) != 1:
        raise already_decided(nomination.id)
    set_committed_value(nomination, "version", expected_version + 1)


def _transaction(work):
    """Run `work()` and commit, or roll everything back and re-raise the refusal."""
    try:
        result = work()
    except ServiceError:
        db.session.rollback()
        raise
    db.session.commit()
    return result


# ---- submitting ----------------------------------------------------------------------------


def check_justification(text: str) -> str:
    text = (text or "").strip()
    if len(text) < JUSTIFICATION_MIN:
        raise ValidationFailed(
            [("justification", _("Explain in at least %(n)d characters why.", n=JUSTIFICATION_MIN))]
        )
    if len(text) > TEXT_MAX:
        raise ValidationFailed([("justification", _("Use at most %(n)d characters.", n=TEXT_MAX))])
    return text


def event_open_refusal(event: TrainingEvent, day: date) -> object | None:
    if event.status != EventStatus.SCHEDULED:
        return _l("This event is cancelled; it takes no nominations.")
    if event.start_date <= day:
        return _l("Nominations for this event closed when it started.")
    return None


def _submit(
    actor: Actor,
    acting: Acting,
    event: TrainingEvent,
    employee: Employee,
    justification: str,
    needs: Sequence[DevelopmentNeed] = (),
    now: datetime | None = None,
) -> Nomination:
    """Create and submit one nomination in the caller's transaction (nothing committed)."""
    now = now or utcnow()
    refusal = event_open_refusal(event, local_today())
    if refusal is not None:
        raise TransitionRefused(refusal)
    if employee.instansi_id != event.program.instansi_id or not employee.active:
        raise ValidationFailed(
            [("employee_id", _("Choose an active employee of the event's instansi."))]
        )
    if not can_nominate(acting, employee):
        raise NotAllowed(_l("You may nominate only yourself and employees in your scope."))
    justification = check_justification(justification)
    if my_active_nomination(employee.id, event.id) is not None:
        raise _already_nominated(employee)
    if needs:
        origin = NominationOrigin.NEED
    elif actor.employee_id == employee.id:
        origin = NominationOrigin.SELF
    else:
        origin = NominationOrigin.SUPERVISOR
    nomination = Nomination(
        instansi_id=employee.instansi_id,
        event_id=event.id,
        employee_id=employee.id,
        need_id=needs[0].id if needs else None,
        plan_item_id=plan_links.item_for_need(needs[0].id if needs else None) or event.plan_item_id,
        origin=origin,
        justification=justification,
        nominated_by_user_id=actor.user_id,
        nominated_by_employee_id=actor.employee_id,
        state=NominationState.PENDING,
        round=1,
        version=1,
        cost=event.program.cost_per_participant,
        submitted_at=now,
    )
    nomination.employee = employee
    nomination.event = event
    try:
        with db.session.begin_nested():
            db.session.add(nomination)
            db.session.flush()
    except IntegrityError:
        raise _already_nominated(employee) from None
    needs_services.mark_nominated(needs)
    steps = _create_steps(nomination)
    capacity = Capacity.NOMINEE if actor.employee_id == employee.id else Capacity.NOMINATOR
    rows = [_Row(ActionKind.SUBMIT, None, actor, capacity, comment=justification)]
    finished = _open_next(nomination, steps, None, now, rows)
    final = _finish(nomination, finished, now)
    _write_rows(nomination, rows, None, final, now)
    db.session.flush()
    return nomination


def _already_nominated(employee: Employee) -> ValidationFailed:
    """One active nomination per employee and event, whether found first or caught by the index."""
    return ValidationFailed(
        [
            (
                "employee_id",
                _("%(name)s already has an active nomination for this event.", name=employee.name),
            )
        ]
    )


def nominate(actor: Actor, event_id: int, employee_id: int, justification: str) -> Nomination:
    """A supervisor, head or HR nominates someone in their scope, or an employee themself."""
    event = db.session.get(TrainingEvent, event_id)
    employee = db.session.get(Employee, employee_id)
    if event is None or employee is None:
        raise ValidationFailed([("employee_id", _("Choose an employee."))])
    acting = acting_for(actor.principal, local_today())
    return _transaction(lambda: _submit(actor, acting, event, employee, justification))


@dataclass
class BulkResult:
    done: list[int] = field(default_factory=list)
    refused: list[tuple[int, str, str]] = field(default_factory=list)  # (id, name, message)


def nominate_from_needs(actor: Actor, event_id: int, need_ids: Sequence[int]) -> BulkResult:
    """One nomination per employee from their accepted needs that the program develops.

    Each employee is nominated or refused on its own (a savepoint each), so one refusal never
    undoes the others, and nothing of a refused employee is written.
    """
    event = db.session.get(TrainingEvent, event_id)
    if event is None:
        raise ValidationFailed([("need_ids", _("Choose an event."))])
    codes = set(event.program.competency_codes)
    needs = list(
        db.session.scalars(
            select(DevelopmentNeed)
            .where(DevelopmentNeed.id.in_(list(need_ids)[:1000]))
            .order_by(DevelopmentNeed.priority.desc().nulls_last(), DevelopmentNeed.id)
        )
    )
    if not needs:
        raise ValidationFailed([("need_ids", _("Select at least one development need."))])
    acting = acting_for(actor.principal, local_today())
    by_employee: dict[int, list[DevelopmentNeed]] = {}
    result = BulkResult()
    for need in needs:
        if need.status != NeedStatus.ACCEPTED or need.competency_code not in codes:
            result.refused.append(
                (need.id, need.competency_code, _("Only accepted needs this program develops."))
            )
            continue
        by_employee.setdefault(need.employee_id, []).append(need)
    employees = {
        e.id: e
        for e in db.session.scalars(select(Employee).where(Employee.id.in_(list(by_employee))))
    }
    now = utcnow()
    for employee_id, employee_needs in by_employee.items():
        employee = employees[employee_id]
        gap = _("gap")
        summary = ", ".join(f"{n.competency_code} ({gap} {n.gap:g})" for n in employee_needs)
        justification = _(
            "Accepted development needs from the %(year)d needs analysis: %(needs)s.",
            year=employee_needs[0].cycle_year,
            needs=summary,
        )
        try:
            with db.session.begin_nested():
                nomination = _submit(
                    actor, acting, event, employee, justification, employee_needs, now
                )
        except ServiceError as error:
            result.refused.append((employee_id, employee.name, str(error.message)))
        else:
            result.done.append(nomination.id)
    db.session.commit()
    return result


# ---- deciding ------------------------------------------------------------------------------


def current_step(nomination: Nomination) -> NominationStep | None:
    if nomination.current_step_no is None:
        return None
    return db.session.scalars(
        select(NominationStep).where(
            NominationStep.nomination_id == nomination.id,
            NominationStep.round == nomination.round,
            NominationStep.step_no == nomination.current_step_no,
        )
    ).first()


STATE_REFUSALS = {
    NominationState.APPROVED: _l(
        "This nomination is already approved; there is nothing left to decide."
    ),
    NominationState.REJECTED: _l(
        "This nomination was rejected; it can no longer be approved or changed."
    ),
    NominationState.WITHDRAWN: _l(
        "The nominee withdrew this nomination; it can no longer be decided."
    ),
    NominationState.RETURNED: _l(
        "This nomination was returned for revision; it can be decided again once it is resubmitted."
    ),
}

STEP_LABELS = {
    StepKind.SUPERVISOR: _l("Supervisor"),
    StepKind.UNIT_HEAD: _l("Head of unit"),
    StepKind.OPD_HEAD: _l("Head of OPD"),
    StepKind.HR: _l("HR verification"),
}


def _check_decision_input(decision: Decision, reason: RejectReason | None, comment: str) -> str:
    comment = (comment or "").strip()
    problems: list[tuple[str, str]] = []
    if decision == Decision.REJECT and reason is None:
        problems.append(("reason", _("Choose the reason for the rejection.")))
    if decision == Decision.REJECT and reason == RejectReason.OTHER and not comment:
        problems.append(("comment", _("Explain the reason in the comment.")))
    if decision == Decision.RETURN and not comment:
        problems.append(("comment", _("Say what should be revised.")))
    if len(comment) > TEXT_MAX:
        problems.append(("comment", _("Use at most %(n)d characters.", n=TEXT_MAX)))
    if problems:
        raise ValidationFailed(problems)
    return comment


def _not_approver(acting: Acting, nomination: Nomination, step: NominationStep) -> NotAllowed:
    if is_nominee(acting.principal, nomination):
        return NotAllowed(_l("Nobody approves their own nomination."))
    if step.kind == StepKind.HR:
        return NotAllowed(
            _l("You are not the approver of this step: it waits for HR verification (BKPSDM).")
        )
    holder = (
        db.session.get(Employee, step.approver_employee_id) if step.approver_employee_id else None
    )
    return NotAllowed(
        _l(
            "You are not the approver of this step: it waits for %(position)s (%(holder)s).",
            position=_position_name(step.approver_position_id),
            holder=holder.name if holder else _("vacant; its Plt/Plh may act"),
        )
    )


def _decide(
    actor: Actor,
    acting: Acting,
    nomination: Nomination,
    decision: Decision,
    expected_version: int,
    expected_step: int | None,
    reason: RejectReason | None,
    comment: str,
    now: datetime,
) -> Nomination:
    comment = _check_decision_input(decision, reason, comment)
    if nomination.version != expected_version:
        raise already_decided(nomination.id)
    if nomination.state != NominationState.PENDING:
        raise TransitionRefused(STATE_REFUSALS[nomination.state])
    step = current_step(nomination)
    if step is None or step.status != StepStatus.PENDING:
        raise already_decided(nomination.id)  # changed since it was read: someone decided
    if expected_step is not None and expected_step != step.step_no:
        raise TransitionRefused(
            _l(
                "Steps run in order: the nomination waits at step %(open)d (%(label)s), so "
                "step %(wanted)d cannot be decided now.",
                open=step.step_no,
                label=STEP_LABELS[step.kind],
                wanted=expected_step,
            )
        )
    capacity: DecisionCapacity | None = decision_capacity(acting, nomination, step)
    if capacity is None:
        raise _not_approver(acting, nomination, step)
    _claim(nomination, expected_version, (NominationState.PENDING,))
    step.decided_at = now
    base = dict(
        step_no=step.step_no,
        actor=actor,
        capacity=capacity.capacity,
        position_id=capacity.position_id,
        delegation_id=capacity.delegation_id,
        comment=comment,
    )
    if decision == Decision.APPROVE:
        step.status = StepStatus.APPROVED
        rows = [_Row(ActionKind.APPROVE, **base)]  # type: ignore[arg-type]
        finished = _open_next(
            nomination, _steps_of(nomination), step.approver_position_id, now, rows
        )
        final = _finish(nomination, finished, now)
    elif decision == Decision.REJECT:
        step.status = StepStatus.REJECTED
        rows = [_Row(ActionKind.REJECT, reason=reason, **base)]  # type: ignore[arg-type]
        nomination.state, nomination.current_step_no = NominationState.REJECTED, None
        nomination.decided_at = now
        _cancel_waiting(nomination)
        final = NominationState.REJECTED
    else:
        step.status = StepStatus.RETURNED
        rows = [_Row(ActionKind.RETURN, **base)]  # type: ignore[arg-type]
        nomination.state, nomination.current_step_no = NominationState.RETURNED, None
        _cancel_waiting(nomination)
        final = NominationState.RETURNED
    _write_rows(nomination, rows, NominationState.PENDING, final, now)
    _release_needs_if_closed(nomination)
    db.session.flush()
    return nomination


def _cancel_waiting(nomination: Nomination) -> None:
    db.session.execute(
        update(NominationStep)
        .where(
            NominationStep.nomination_id == nomination.id,
            NominationStep.round == nomination.round,
            NominationStep.status.in_([StepStatus.WAITING, StepStatus.PENDING]),
        )
        .values(status=StepStatus.CANCELLED)
        .execution_options(synchronize_session="fetch")
    )


def _release_needs_if_closed(nomination: Nomination) -> None:
    """A rejected or withdrawn nomination hands its needs back to the analysis (accepted)."""
    if nomination.state not in (NominationState.REJECTED, NominationState.WITHDRAWN):
        return
    if nomination.need_id is None:
        return
    needs_services.release_nominated(
        nomination.employee_id, nomination.event.program.competency_codes
    )


def decide(
    actor: Actor,
    nomination_id: int,
    decision: Decision,
    expected_version: int,
    expected_step: int | None = None,
    reason: RejectReason | None = None,
    comment: str = "",
) -> Nomination:
    """Approve, reject or return the open step; refused unless the actor is its approver."""
    nomination = db.session.get(Nomination, nomination_id)
    if nomination is None:
        raise TransitionRefused(_l("This nomination does not exist."))
    acting = acting_for(actor.principal, local_today())
    return _transaction(
        lambda: _decide(
            actor,
            acting,
            nomination,
            decision,
            expected_version,
            expected_step,
            reason,
            comment,
            utcnow(),
        )
    )


def approve_many(actor: Actor, items: Sequence[tuple[int, int]]) -> BulkResult:
    """Approve each (nomination id, version seen) in one request; see `decide_many`."""
    return decide_many(actor, items, Decision.APPROVE)


def decide_many(
    actor: Actor,
    items: Sequence[tuple[int, int]],
    decision: Decision,
    reason: RejectReason | None = None,
    comment: str = "",
) -> BulkResult:
    """Decide each (nomination id, version seen) in one request, by the single decision's
    rules (the reason and comment are checked once, before anything); each item on its own
    savepoint, so a refused item (not the actor's step, stale, over budget, full) leaves no
    trace and the others go through."""
    comment = _check_decision_input(decision, reason, comment)
    wanted = dict(items[:500])
    nominations = {
        n.id: n
        for n in db.session.scalars(select(Nomination).where(Nomination.id.in_(list(wanted))))
    }
    acting = acting_for(actor.principal, local_today())
    result = BulkResult()
    now = utcnow()
    for nomination_id, version in wanted.items():
        nomination = nominations.get(nomination_id)
        if nomination is None:
            result.refused.append((nomination_id, "", _("This nomination does not exist.")))
            continue
        try:
            with db.session.begin_nested():
                _decide(actor, acting, nomination, decision, version, None, reason, comment, now)
        except ServiceError as error:
            db.session.expire(nomination)
            result.refused.append((nomination_id, nomination.employee.name, str(error.message)))
        else:
            result.done.append(nomination_id)
    db.session.commit()
    return result


# ---- nominee and nominator -----------------------------------------------------------------


def withdraw(
    actor: Actor, nomination_id: int, expected_version: int, comment: str = ""
) -> Nomination:
    """Only the nominee withdraws, and only before the final decision."""
    nomination = db.session.get(Nomination, nomination_id)
    if nomination is None:
        raise TransitionRefused(_l("This nomination does not exist."))

    def work() -> Nomination:
        if not is_nominee(actor.principal, nomination):
            raise NotAllowed(_l("Only the nominee can withdraw a nomination."))
        if nomination.version != expected_version:
            raise already_decided(nomination.id)
        if nomination.state not in (NominationState.PENDING, NominationState.RETURNED):
            raise TransitionRefused(
                _l("Only a nomination still under review can be withdrawn; this one is final.")
            )
        cleaned = (comment or "").strip()[:TEXT_MAX]
        previous = nomination.state
        now = utcnow()
        _claim(nomination, expected_version, (NominationState.PENDING, NominationState.RETURNED))
        step_no = nomination.current_step_no
        nomination.state, nomination.current_step_no = NominationState.WITHDRAWN, None
        nomination.decided_at = now
        _cancel_waiting(nomination)
        row = _Row(ActionKind.WITHDRAW, step_no, actor, Capacity.NOMINEE, comment=cleaned)
        _write_rows(nomination, [row], previous, NominationState.WITHDRAWN, now)
        _release_needs_if_closed(nomination)
        db.session.flush()
        return nomination

    return _transaction(work)


def resubmit(
    actor: Actor, nomination_id: int, expected_version: int, justification: str
) -> Nomination:
    """A returned nomination, revised by its nominee or nominator, starts a new round at step 1."""
    nomination = db.session.get(Nomination, nomination_id)
    if nomination is None:
        raise TransitionRefused(_l("This nomination does not exist."))

    def work() -> Nomination:
        if not can_revise(actor.principal, nomination):
            raise NotAllowed(_l("Only the nominee or the person who proposed it can revise it."))
        text = check_justification(justification)
        if nomination.version != expected_version:
            raise already_decided(nomination.id)
        if nomination.state != NominationState.RETURNED:
            raise TransitionRefused(
                _l("Only a nomination returned for revision can be resubmitted.")
            )
        refusal = event_open_refusal(nomination.event, local_today())
        if refusal is not None:
            raise TransitionRefused(refusal)
        now = utcnow()
        _claim(nomination, expected_version, (NominationState.RETURNED,))
        nomination.round += 1
        nomination.justification = text
        nomination.state = NominationState.PENDING
        nomination.submitted_at = now
        db.session.flush()
        steps = _create_steps(nomination)
        capacity = (
            Capacity.NOMINEE if is_nominee(actor.principal, nomination) else Capacity.NOMINATOR
        )
        rows = [_Row(ActionKind.RESUBMIT, None, actor, capacity, comment=text)]
        finished = _open_next(nomination, steps, None, now, rows)
        final = _finish(nomination, finished, now)
        _write_rows(nomination, rows, NominationState.RETURNED, final, now)
        db.session.flush()
        return nomination

    return _transaction(work)


# ---- the audit trail reconstructs every decision -------------------------------------------


@dataclass
class Reconstruction:
    state: NominationState | None = None
    round: int = 0
    steps: dict[tuple[int, int], StepStatus] = field(default_factory=dict)
    deciders: dict[tuple[int, int], str] = field(default_factory=dict)


STEP_OUTCOME = {
    ActionKind.APPROVE: StepStatus.APPROVED,
    ActionKind.AUTO_APPROVE: StepStatus.APPROVED,
    ActionKind.SKIP: StepStatus.SKIPPED,
    ActionKind.REJECT: StepStatus.REJECTED,
    ActionKind.RETURN: StepStatus.RETURNED,
}


def reconstruct(nomination_id: int) -> Reconstruction:
    """Replay the audit rows: the state, and who decided each step of each round."""
    result = Reconstruction()
    for action in db.session.scalars(
        select(NominationAction)
        .where(NominationAction.nomination_id == nomination_id)
        .order_by(NominationAction.id)
    ):
        if action.from_state != result.state:
            raise ValueError(f"audit gap before action {action.id}")
        result.round = action.round
        outcome = STEP_OUTCOME.get(action.action)
        if outcome is not None and action.step_no is not None:
            result.steps[(action.round, action.step_no)] = outcome
            result.deciders[(action.round, action.step_no)] = action.actor_name
        result.state = action.to_state
    return result
