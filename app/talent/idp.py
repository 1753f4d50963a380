"""Individual development plans: drafted from the needs and the box, agreed with the supervisor.

Draft → submitted (by the employee) → agreed or returned (by the assessing official, who may
be a Plt/Plh) → a returned plan is edited and submitted again. Every step is audited. The JP
done come from the learning record, the single ledger of the 20 JP a year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.access.policy import Principal, can_manage_instansi
from app.clock import utcnow
from app.errors import ServiceError
from app.extensions import db
from app.learning.models import JP_TARGET_PER_YEAR
from app.learning.services import jp_total
from app.needs.models import DevelopmentForm
from app.needs.services import accept_agreed
from app.needs.targets import employee_needs
from app.org.models import Employee
from app.talent import audit
from app.talent.assessors import assessable_employees, assessor_positions, capacity_for
from app.talent.matrix import POOL_BOXES
from app.talent.models import ActivityKind, DevelopmentPlan, DevelopmentPlanItem, IdpStatus
from app.training.policy import Acting

ACTIVITY_OF_FORM: dict[DevelopmentForm, ActivityKind] = {
    DevelopmentForm.CLASSICAL: ActivityKind.TRAINING,
    DevelopmentForm.TECHNICAL_GUIDANCE: ActivityKind.TRAINING,
    DevelopmentForm.WORKSHOP: ActivityKind.TRAINING,
    DevelopmentForm.COACHING: ActivityKind.MENTORING,
    DevelopmentForm.MENTORING: ActivityKind.MENTORING,
    DevelopmentForm.E_LEARNING: ActivityKind.E_LEARNING,
    DevelopmentForm.SELF_STUDY: ActivityKind.E_LEARNING,
    DevelopmentForm.JOB_ROTATION: ActivityKind.ON_THE_JOB,
}
# Default JP planned per activity when drafting (editable on every item; secondary source).
DEFAULT_JP: dict[ActivityKind, float] = {
    ActivityKind.TRAINING: 24.0,
    ActivityKind.MENTORING: 8.0,
    ActivityKind.E_LEARNING: 6.0,
    ActivityKind.ON_THE_JOB: 10.0,
}
EDITABLE = (IdpStatus.DRAFT, IdpStatus.RETURNED)
MAX_DRAFT_ITEMS = 6


class NotAllowed(ServiceError):
    status = 403


class WrongState(ServiceError):
    status = 409


def plan_of(employee_id: int, year: int) -> DevelopmentPlan | None:
    return db.session.scalars(
        select(DevelopmentPlan).where(
            DevelopmentPlan.employee_id == employee_id, DevelopmentPlan.year == year
        )
    ).first()


def can_edit(principal: Principal, plan: DevelopmentPlan) -> bool:
    return principal.employee_id == plan.employee_id or can_manage_instansi(
        principal, plan.instansi_id
    )


def is_approver(acting: Acting, employee: Employee, day: date) -> bool:
    assessor = assessor_positions([employee], day)[employee.id]
    return (
        assessor is not None
        and assessor.position_id in acting.position_ids
        and acting.principal.employee_id != employee.id
    )


def draft(
    principal: Principal, employee: Employee, year: int, box: int | None, user_id: int
) -> DevelopmentPlan:
    """A new plan from the employee's open needs (largest gaps first) and their box."""
    if principal.employee_id != employee.id and not can_manage_instansi(
        principal, employee.instansi_id
    ):
        raise NotAllowed(_l("Only the employee or HR drafts the plan."))
    if plan_of(employee.id, year) is not None:
        raise WrongState(_l("A plan for %(year)d exists already.", year=year))
    plan = DevelopmentPlan(
        instansi_id=employee.instansi_id, employee_id=employee.id, year=year, box=box
    )
    db.session.add(plan)
    for need in employee_needs(employee.id, year)[:MAX_DRAFT_ITEMS]:
        activity = ACTIVITY_OF_FORM.get(need.suggested_form, ActivityKind.TRAINING)
        plan.items.append(
            DevelopmentPlanItem(
                need_id=need.id,
                competency_code=need.competency_code,
                target_position_id=need.target_position_id,
                activity=activity,
                title=str(_l("Close the gap in %(code)s", code=need.competency_code)),
                jp_planned=DEFAULT_JP[activity],
            )
        )
    if box in POOL_BOXES:
        plan.items.append(
            DevelopmentPlanItem(
                activity=ActivityKind.ON_THE_JOB,
                title=str(_l("Job enlargement or rotation (talent pool)")),
                jp_planned=DEFAULT_JP[ActivityKind.ON_THE_JOB],
            )
        )
    elif box is not None and box <= 3:
        plan.items.append(
            DevelopmentPlanItem(
                activity=ActivityKind.MENTORING,
                title=str(_l("Performance coaching with the supervisor")),
                jp_planned=DEFAULT_JP[ActivityKind.MENTORING],
            )
        )
    db.session.flush()
    audit.record(
        employee.instansi_id,
        "idp",
        plan.id,
        "draft",
        f"{year}: {len(plan.items)} items, box {box or '-'}",
        user_id,
        employee.id,
    )
    db.session.commit()
    return plan


def _editable(principal: Principal, plan: DevelopmentPlan) -> None:
    if not can_edit(principal, plan):
        raise NotAllowed(_l("Only the employee or HR edits the plan."))
    if plan.status not in EDITABLE:
        raise WrongState(_l("The plan was submitted; it can be changed once it is returned."))


def add_item(
    principal: Principal,
    plan: DevelopmentPlan,
    activity: ActivityKind,
    title: str,
    jp_planned: float,
    user_id: int,
) -> DevelopmentPlanItem:
    _editable(principal, plan)
    if not 0 < jp_planned <= 500:
        raise ServiceError(_l("Planned JP must be between 0 and 500."), "jp_planned")
    if not title.strip():
        raise ServiceError(_l("Name the activity."), "title")
    item = DevelopmentPlanItem(activity=activity, title=title.strip()[:200], jp_planned=jp_planned)
    plan.items.append(item)
    db.session.flush()
    audit.record(
        plan.instansi_id, "idp", plan.id, "add_item", f"{activity.value}: {item.title}", user_id,
        plan.employee_id,
    )  # fmt: skip
    db.session.commit()
    return item


def remove_item(principal: Principal, plan: DevelopmentPlan, item_id: int, user_id: int) -> None:
    _editable(principal, plan)
    item = next((i for i in plan.items if i.id == item_id), None)
    if item is None:
        raise ServiceError(_l("This item is not in the plan."))
    plan.items.remove(item)
    audit.record(
        plan.instansi_id, "idp", plan.id, "remove_item", item.title, user_id, plan.employee_id
    )
    db.session.commit()


def submit(principal: Principal, plan: DevelopmentPlan, user_id: int) -> None:
    """The employee sends the plan to the supervisor for agreement."""
    if principal.employee_id != plan.employee_id:
        raise NotAllowed(_l("The employee submits their own plan."))
    if plan.status not in EDITABLE:
        raise WrongState(_l("The plan was submitted already."))
    if not plan.items:
        raise ServiceError(_l("Add at least one activity first."))
    plan.status = IdpStatus.SUBMITTED
    audit.record(plan.instansi_id, "idp", plan.id, "submit", "", user_id, plan.employee_id)
    db.session.commit()


def decide(
    acting: Acting, plan: DevelopmentPlan, agree: bool, comment: str, user_id: int, day: date
) -> None:
    """The assessing official (or their Plt/Plh) agrees to the plan or returns it."""
    if not is_approver(acting, plan.employee, day):
        raise NotAllowed(_l("Only the employee's supervisor agrees to the plan."))
    if plan.status != IdpStatus.SUBMITTED:
        raise WrongState(_l("This plan is not waiting for agreement."))
    if not agree and not comment.strip():
        raise ServiceError(_l("Say what to change when returning the plan."), "comment")
    assessor = assessor_positions([plan.employee], day)[plan.employee_id]
    assert assessor is not None  # is_approver checked it
    plan.status = IdpStatus.AGREED if agree else IdpStatus.RETURNED
    plan.approver_employee_id = acting.principal.employee_id
    plan.approver_capacity = capacity_for(acting, assessor.position_id)
    plan.decided_at = utcnow()
    plan.comment = comment.strip()[:2000]
    if agree:
        accept_agreed([item.need_id for item in plan.items if item.need_id], user_id)
    audit.record(
        plan.instansi_id,
        "idp",
        plan.id,
        "agree" if agree else "return",
        f"{plan.approver_capacity}: {plan.comment[:200]}",
        user_id,
        plan.employee_id,
        assessor.position_id,
    )
    db.session.commit()


@dataclass(frozen=True)
class Progress:
    planned: float
    done: float
    target: int


def progress(plan: DevelopmentPlan) -> Progress:
    planned = sum(item.jp_planned for item in plan.items)
    return Progress(planned, jp_total(plan.employee_id, plan.year), JP_TARGET_PER_YEAR)


def inbox(acting: Acting, day: date) -> list[DevelopmentPlan]:
    """Submitted plans of the employees the principal assesses (definitively or Plt/Plh)."""
    ids = [e.id for e in assessable_employees(acting, day)]
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(DevelopmentPlan)
            .where(
                DevelopmentPlan.employee_id.in_(ids),
                DevelopmentPlan.status == IdpStatus.SUBMITTED,
            )
            .order_by(DevelopmentPlan.updated_at)
        )
    )


def agreed_items(instansi_id: int, year: int) -> list[DevelopmentPlanItem]:
    """Items of agreed plans, for nominations and the annual plan to read."""
    return list(
        db.session.scalars(
            select(DevelopmentPlanItem)
            .join(DevelopmentPlan, DevelopmentPlanItem.plan_id == DevelopmentPlan.id)
            .where(
                DevelopmentPlan.instansi_id == instansi_id,
                DevelopmentPlan.year == year,
                DevelopmentPlan.status == IdpStatus.AGREED,
            )
        )
    )
