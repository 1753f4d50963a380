"""Who may see, decide and allocate in training: plain functions over the principal.

Each rule exists twice in the same words: as an SQL condition for lists (the inbox, the
nomination list, budget lines) and as a check on one loaded object. Acting officials (Plt/Plh)
are resolved once per request into an `Acting` value: the positions a person may act for today.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, exists, false, or_, select, true

from app.access.policy import Principal, can_manage_instansi, can_view_employee, employee_scope
from app.accounts.models import Role
from app.extensions import db
from app.org.models import Employee, OrgUnit, Position
from app.training.models import (
    BudgetLine,
    Capacity,
    Delegation,
    DelegationKind,
    Nomination,
    NominationState,
    NominationStep,
    StepKind,
    StepStatus,
    TrainingProgram,
    is_current_step,
)


@dataclass(frozen=True)
class ActingRole:
    """A position the principal may act for today, and in what capacity."""

    position_id: int
    capacity: Capacity  # DEFINITIVE, PLT or PLH
    delegation_id: int | None = None
    unit_path: str | None = None  # the subtree the position heads, if it heads a unit
    position_name: str = ""


@dataclass(frozen=True)
class Acting:
    """The principal plus every position they hold or act for (Plt/Plh) on one day."""

    principal: Principal
    roles: tuple[ActingRole, ...] = field(default_factory=tuple)

    @property
    def position_ids(self) -> list[int]:
        return [role.position_id for role in self.roles]

    @property
    def delegated(self) -> list[ActingRole]:
        return [role for role in self.roles if role.capacity != Capacity.DEFINITIVE]

    @property
    def unit_paths(self) -> list[str]:
        """Subtrees the principal heads, definitively or as Plt/Plh."""
        return [role.unit_path for role in self.roles if role.unit_path]

    def role_for(self, position_id: int | None) -> ActingRole | None:
        """The definitive role wins over a delegation for the same position."""
        if position_id is None:
            return None
        matches = [role for role in self.roles if role.position_id == position_id]
        matches.sort(key=lambda role: role.capacity != Capacity.DEFINITIVE)
        return matches[0] if matches else None


def acting_for(principal: Principal, day: date) -> Acting:
    """Own position plus the head positions delegated to the principal on `day` (one query)."""
    roles: list[ActingRole] = []
    if principal.position_id is not None:
        roles.append(
            ActingRole(principal.position_id, Capacity.DEFINITIVE, None, principal.headed_unit_path)
        )
    if principal.employee_id is not None:
        rows = db.session.execute(
            select(
                Delegation.id, Delegation.position_id, Delegation.kind, OrgUnit.path, Position.name
            )
            .join(Position, Delegation.position_id == Position.id)
            .outerjoin(OrgUnit, Position.heads_unit_id == OrgUnit.id)
            .where(
                Delegation.delegate_employee_id == principal.employee_id,
                Delegation.revoked_at.is_(None),
                Delegation.valid_from <= day,
                Delegation.valid_to >= day,
            )
            .order_by(Delegation.id)
        )
        for delegation_id, position_id, kind, path, name in rows:
            capacity = Capacity.PLT if kind == DelegationKind.PLT else Capacity.PLH
            roles.append(ActingRole(position_id, capacity, delegation_id, path, name))
    return Acting(principal, tuple(roles))


def _in_subtrees(paths: Iterable[str]) -> ColumnElement[bool]:
    """Employees whose unit lies under one of `paths`."""
    conditions = [OrgUnit.path.startswith(path) for path in paths]
    if not conditions:
        return false()
    return Employee.org_unit_id.in_(select(OrgUnit.id).where(or_(*conditions)))


# ---- catalogue ----------------------------------------------------------------------------


def catalogue_instansi_ids(principal: Principal) -> set[int] | None:
    """Instansi whose catalogue the principal browses (None: all, for sysadmins)."""
    if principal.has(Role.SYSADMIN):
        return None
    ids = set(principal.hr_instansi_ids)
    if principal.employee_id is not None and principal.instansi_id is not None:
        ids.add(principal.instansi_id)
    return ids


def catalogue_scope(principal: Principal) -> ColumnElement[bool]:
    ids = catalogue_instansi_ids(principal)
    return true() if ids is None else TrainingProgram.instansi_id.in_(ids)


def can_view_program(principal: Principal, program: TrainingProgram) -> bool:
    """Employees browse their own instansi's catalogue; HR theirs; sysadmins all."""
    ids = catalogue_instansi_ids(principal)
    return ids is None or program.instansi_id in ids


def can_manage_catalogue(principal: Principal, instansi_id: int) -> bool:
    """HR administrators keep the catalogue, events and participation of their instansi."""
    return can_manage_instansi(principal, instansi_id)


# ---- who may be nominated by whom ---------------------------------------------------------


def nominee_scope(acting: Acting) -> ColumnElement[bool]:
    """Employees the principal may nominate: self, their scope, and subtrees they act for."""
    return or_(employee_scope(acting.principal), _in_subtrees(acting.unit_paths))


def can_nominate(acting: Acting, employee: Employee) -> bool:
    if can_view_employee(acting.principal, employee):
        return True
    return any(employee.org_unit.path.startswith(path) for path in acting.unit_paths)


def can_nominate_from_needs(principal: Principal) -> bool:
    """Bulk nomination from the needs analysis is for HR, heads and supervisors (their scope)."""
    return principal.has(Role.HR_ADMIN, Role.UNIT_HEAD, Role.SUPERVISOR, Role.SYSADMIN)


# ---- seeing nominations -------------------------------------------------------------------


def nomination_scope(acting: Acting) -> ColumnElement[bool]:
    """Nominations visible to the principal: own, proposed by them, in their scope or subtree
    acted for, or with a step they approve(d)."""
    principal = acting.principal
    if principal.has(Role.SYSADMIN):
        return true()
    conditions: list[ColumnElement[bool]] = [
        Nomination.employee_id.in_(
            select(Employee.id).where(
                or_(employee_scope(principal), _in_subtrees(acting.unit_paths))
            )
        )
    ]
    if principal.hr_instansi_ids:
        conditions.append(Nomination.instansi_id.in_(principal.hr_instansi_ids))
    if principal.employee_id is not None:
        conditions.append(Nomination.nominated_by_employee_id == principal.employee_id)
    if principal.user_id is not None:
        conditions.append(Nomination.nominated_by_user_id == principal.user_id)
    if acting.position_ids:
        conditions.append(
            exists().where(
                NominationStep.nomination_id == Nomination.id,
                NominationStep.approver_position_id.in_(acting.position_ids),
            )
        )
    return or_(*conditions)


def can_view_nomination(
    acting: Acting, nomination: Nomination, step_positions: Iterable[int | None]
) -> bool:
    """The object form of `nomination_scope`; `step_positions` are its steps' approver positions."""
    principal = acting.principal
    if principal.has(Role.SYSADMIN) or nomination.instansi_id in principal.hr_instansi_ids:
        return True
    if principal.employee_id is not None and principal.employee_id in (
        nomination.employee_id,
        nomination.nominated_by_employee_id,
    ):
        return True
    if principal.user_id is not None and nomination.nominated_by_user_id == principal.user_id:
        return True
    if can_nominate(acting, nomination.employee):
        return True
    return bool(set(acting.position_ids) & {p for p in step_positions if p is not None})


# ---- deciding -----------------------------------------------------------------------------


def awaiting_decision_by(acting: Acting) -> ColumnElement[bool]:
    """Open steps the principal may decide (join NominationStep to Nomination's current step):
    steps of positions they hold or act for, HR steps of their instansi; never their own."""
    principal = acting.principal
    mine: list[ColumnElement[bool]] = []
    if acting.position_ids:
        mine.append(NominationStep.approver_position_id.in_(acting.position_ids))
    if principal.hr_instansi_ids:
        mine.append(
            and_(
                NominationStep.kind == StepKind.HR,
                Nomination.instansi_id.in_(principal.hr_instansi_ids),
            )
        )
    if not mine:
        return false()
    conditions = [
        Nomination.state == NominationState.PENDING,
        is_current_step(),
        NominationStep.status == StepStatus.PENDING,
        or_(*mine),
    ]
    if principal.employee_id is not None:
        conditions.append(Nomination.employee_id != principal.employee_id)
    return and_(*conditions)


@dataclass(frozen=True)
class DecisionCapacity:
    """How the principal decides a step: the position acted for and the capacity."""

    capacity: Capacity
    position_id: int | None
    delegation_id: int | None


def decision_capacity(
    acting: Acting, nomination: Nomination, step: NominationStep
) -> DecisionCapacity | None:
    """The object form of `awaiting_decision_by`: None when the principal is not the approver."""
    principal = acting.principal
    if principal.employee_id is not None and principal.employee_id == nomination.employee_id:
        return None
    if step.kind == StepKind.HR:
        if nomination.instansi_id in principal.hr_instansi_ids:
            return DecisionCapacity(Capacity.HR, None, None)
        return None
    role = acting.role_for(step.approver_position_id)
    if role is None:
        return None
    return DecisionCapacity(role.capacity, role.position_id, role.delegation_id)


def is_nominee(principal: Principal, nomination: Nomination) -> bool:
    return principal.employee_id is not None and principal.employee_id == nomination.employee_id


def can_revise(principal: Principal, nomination: Nomination) -> bool:
    """A returned nomination is revised by its nominee or by whoever proposed it."""
    if is_nominee(principal, nomination):
        return True
    if principal.user_id is not None and principal.user_id == nomination.nominated_by_user_id:
        return True
    return (
        principal.employee_id is not None
        and principal.employee_id == nomination.nominated_by_employee_id
    )


# ---- budget: reserved to the definitive official ------------------------------------------


def budget_scope(acting: Acting) -> ColumnElement[bool]:
    """Budget lines the principal may see: HR's instansi, subtrees they head or act for."""
    principal = acting.principal
    if principal.has(Role.SYSADMIN):
        return true()
    conditions: list[ColumnElement[bool]] = []
    if principal.hr_instansi_ids:
        conditions.append(BudgetLine.instansi_id.in_(principal.hr_instansi_ids))
    paths = acting.unit_paths
    if paths:
        conditions.append(
            BudgetLine.org_unit_id.in_(
                select(OrgUnit.id).where(or_(*(OrgUnit.path.startswith(p) for p in paths)))
            )
        )
    return or_(*conditions) if conditions else false()


def can_view_budget(acting: Acting) -> bool:
    principal = acting.principal
    return principal.has(Role.SYSADMIN, Role.HR_ADMIN, Role.UNIT_HEAD) or bool(acting.unit_paths)


def acts_definitively(acting: Acting, position_id: int | None) -> bool | None:
    """True for the holder of the position, False for its Plt/Plh, None for anybody else.

    Decisions reserved to the definitive official (allocating budget, adopting the plan) ask
    this; routine ones (approving nominations) accept either."""
    role = acting.role_for(position_id)
    if role is None:
        return None
    return role.capacity == Capacity.DEFINITIVE


def allocation_refusal(acting: Acting, opd_head_position_id: int | None) -> object | None:
    """Allocating an OPD's budget is reserved to its definitive head: a Plt/Plh is refused."""
    definitive = acts_definitively(acting, opd_head_position_id)
    if definitive:
        return None
    if definitive is False:
        return _l(
            "Allocating budget is reserved to the definitive head of the OPD; an acting "
            "official (Plt/Plh) cannot do it."
        )
    return _l("Only the definitive head of the OPD allocates its training budget.")


def can_allocate_somewhere(acting: Acting) -> bool:
    """Definitive heads of an OPD (UNIT_HEAD) may open the allocation page."""
    return acting.principal.has(Role.UNIT_HEAD)


# ---- administration -----------------------------------------------------------------------


def can_manage_delegations(principal: Principal, instansi_id: int) -> bool:
    """HR records the SK of a Plt/Plh appointment for its instansi."""
    return can_manage_instansi(principal, instansi_id)


def can_manage_chain(principal: Principal, instansi_id: int) -> bool:
    return can_manage_instansi(principal, instansi_id)
