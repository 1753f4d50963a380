"""Employee assignments derived set-based from the position tree when a campaign opens."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select

from app.extensions import db
from app.org.hierarchy import ancestor_ids
from app.org.models import Employee, OrgUnit, Position
from app.surveys.models import (
    Audience,
    Campaign,
)
from app.surveys.services.invitations import insert_invitations
from app.surveys.services.vocabulary import EMPLOYEE_AUDIENCES

PEERS_PER_EMPLOYEE = 3


@dataclass(frozen=True)
class _Person:
    id: int
    position_id: int | None
    org_unit_id: int
    email: str | None
    name: str


def _active_employees(instansi_id: int, unit_path: str | None) -> list[_Person]:
    query = (
        select(
            Employee.id, Employee.position_id, Employee.org_unit_id, Employee.email, Employee.name
        )
        .where(Employee.instansi_id == instansi_id, Employee.active.is_(True))
        .order_by(Employee.id)
    )
    if unit_path:
        query = query.join(OrgUnit, Employee.org_unit_id == OrgUnit.id).where(
            OrgUnit.path.startswith(unit_path)
        )
    return [_Person(*row) for row in db.session.execute(query)]


def supervisors_by_employee(instansi_id: int) -> dict[int, int]:
    """employee id → supervisor id for a whole instansi, in four queries.

    The same rule as app.org.hierarchy.supervisor_of (explicit superior first, then the heads
    of the unit and of each unit above it; the active holder of the nearest filled position,
    never the employee), computed set-based so a 10,000-employee publish stays fast.
    """
    positions = {
        pid: (superior_id, heads_unit_id)
        for pid, superior_id, heads_unit_id in db.session.execute(
            select(Position.id, Position.superior_id, Position.heads_unit_id).where(
                Position.instansi_id == instansi_id
            )
        )
    }
    head_of_unit = {unit: pid for pid, (_, unit) in positions.items() if unit is not None}
    paths = dict(
        db.session.execute(
            select(OrgUnit.id, OrgUnit.path).where(OrgUnit.instansi_id == instansi_id)
        ).all()
    )
    holder: dict[int, int] = {}  # position → active holder with the highest id (as supervisor_of)
    everyone = list(
        db.session.execute(
            select(Employee.id, Employee.position_id, Employee.org_unit_id, Employee.active)
            .where(Employee.instansi_id == instansi_id)
            .order_by(Employee.id)
        )
    )
    for employee_id, position_id, _unit, active in everyone:
        if active and position_id is not None:
            holder[position_id] = employee_id
    result: dict[int, int] = {}
    for employee_id, position_id, unit_id, active in everyone:
        if not active:
            continue
        candidates: list[int] = []
        own = positions.get(position_id) if position_id is not None else None
        if own is not None and own[0] is not None:
            candidates.append(own[0])
        for ancestor in reversed(ancestor_ids(paths.get(unit_id, ""))):
            head = head_of_unit.get(ancestor)
            if head is not None and head != position_id and head not in candidates:
                candidates.append(head)
        for candidate in candidates:
            found = holder.get(candidate)
            if found is not None and found != employee_id:
                result[employee_id] = found
                break
    return result


def peer_pairs(people: list[_Person], supervisors: Mapping[int, int]) -> list[tuple[int, int]]:
    """(rater, subject) pairs: up to three colleagues of the same unit rate each employee.

    Colleagues are taken round-robin by id, so everyone rates about as many people as rate
    them; a direct supervisor or subordinate is never a "peer".
    """
    by_unit: dict[int, list[int]] = {}
    for person in people:
        by_unit.setdefault(person.org_unit_id, []).append(person.id)
    pairs: list[tuple[int, int]] = []
    for members in by_unit.values():
        count = len(members)
        for index, subject in enumerate(members):
            chosen = 0
            for step in range(1, count):
                if chosen == PEERS_PER_EMPLOYEE:
                    break
                rater = members[(index + step) % count]
                if supervisors.get(subject) == rater or supervisors.get(rater) == subject:
                    continue
                pairs.append((rater, subject))
                chosen += 1
    return pairs


def create_assignments(campaign: Campaign) -> int:
    """Invitations for an employee audience, bulk-inserted; other audiences get none here."""
    if campaign.audience not in EMPLOYEE_AUDIENCES:
        return 0
    unit_path = None
    if campaign.audience_unit_id is not None:
        unit = db.session.get(OrgUnit, campaign.audience_unit_id)
        unit_path = unit.path if unit is not None else None
    people = _active_employees(campaign.instansi_id, unit_path)
    by_id = {person.id: person for person in people}
    pairs: list[tuple[int, int]]
    if campaign.audience == Audience.SELF:
        pairs = [(person.id, person.id) for person in people]
    else:
        supervisors = supervisors_by_employee(campaign.instansi_id)
        if campaign.audience == Audience.SUPERVISOR:
            pairs = [(supervisors[p.id], p.id) for p in people if p.id in supervisors]
            missing = set(supervisors.values()) - by_id.keys()
            if missing:  # a supervisor outside the chosen subtree still rates their staff
                for row in db.session.execute(
                    select(
                        Employee.id,
                        Employee.position_id,
                        Employee.org_unit_id,
                        Employee.email,
                        Employee.name,
                    ).where(Employee.id.in_(missing))
                ):
                    by_id[row[0]] = _Person(*row)
        else:
            pairs = peer_pairs(people, supervisors)
    return insert_invitations(
        campaign,
        [
            {
                "rater_role": campaign.audience.value,
                "respondent_employee_id": rater,
                "subject_employee_id": subject,
                "org_unit_id": by_id[subject].org_unit_id,
                "email": by_id[rater].email,
                "name": by_id[rater].name,
            }
            for rater, subject in pairs
        ],
    )
