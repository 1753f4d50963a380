"""Supervisor and unit head derive from the position tree; scopes match the per-object rules."""

from __future__ import annotations

from sqlalchemy import select

from app.access.policy import can_view_employee, employee_scope, principal_for
from app.accounts.models import Role
from app.extensions import db
from app.org.hierarchy import supervisor_of, unit_head_of
from app.org.models import Employee, PositionType
from tests.factories import build_users, build_world, make_employee, make_position


def test_staff_report_to_the_head_of_their_unit(ctx):
    world = build_world()
    assert supervisor_of(world.staff) == world.kabid
    assert supervisor_of(world.kabid) == world.head
    assert supervisor_of(world.head) is None
    assert unit_head_of(world.bidang) == world.kabid


def test_vacant_head_passes_supervision_up(ctx):
    world = build_world()
    world.kabid.active = False
    db.session.commit()
    assert supervisor_of(world.staff) == world.head


def test_explicit_superior_wins_over_unit_head(ctx):
    world = build_world()
    assistant = make_position(
        world.bidang, "Asisten", PositionType.PELAKSANA, superior=world.head_position
    )
    employee = make_employee(assistant)
    db.session.commit()
    assert supervisor_of(employee) == world.head


def test_derived_roles(ctx):
    world = build_world()
    users = build_users(world)
    assert principal_for(users["employee"]).roles == {Role.EMPLOYEE}
    assert principal_for(users["supervisor"]).roles == {Role.EMPLOYEE, Role.SUPERVISOR}
    assert principal_for(users["unit_head"]).roles == {
        Role.EMPLOYEE,
        Role.SUPERVISOR,
        Role.UNIT_HEAD,
    }
    assert principal_for(users["hr_admin"]).roles == {Role.HR_ADMIN}
    assert principal_for(users["mentor"]).roles == {Role.EMPLOYEE, Role.MENTOR}


def test_scope_query_agrees_with_object_rule_for_every_role(ctx):
    world = build_world()
    users = build_users(world)
    everyone = list(db.session.scalars(select(Employee)))
    for user in users.values():
        principal = principal_for(user)
        in_scope = set(db.session.scalars(select(Employee.id).where(employee_scope(principal))))
        by_rule = {e.id for e in everyone if can_view_employee(principal, e)}
        assert in_scope == by_rule, user.email


def test_scopes_follow_the_org_subtree(ctx):
    world = build_world()
    users = build_users(world)

    def visible(role: str) -> set[int]:
        principal = principal_for(users[role])
        return set(db.session.scalars(select(Employee.id).where(employee_scope(principal))))

    assert visible("employee") == {world.staff.id}
    assert visible("supervisor") == {world.kabid.id, world.staff.id, world.staff2.id}
    assert world.other_staff.id not in visible("unit_head")
    assert world.staff.id in visible("unit_head")
    assert world.b_staff.id not in visible("hr_admin")
    assert world.b_staff.id in visible("sysadmin")
    assert visible("stakeholder") == set()
