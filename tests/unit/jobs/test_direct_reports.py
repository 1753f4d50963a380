"""Direct reports on the home pages (rewritten as a UNION for 200,000 employees): staff of the
headed unit and heads of its direct sub-units, never the person themself."""

from __future__ import annotations

from app.access.policy import principal_for
from app.accounts.models import User
from app.extensions import db
from app.home.services import direct_reports
from tests.factories import ROLE_EMAILS, build_users, build_world


def names_for(email: str) -> set[str]:
    user = db.session.query(User).filter_by(email=email).one()
    return {employee.name for employee in direct_reports(principal_for(user))}


def test_reports_of_a_bidang_head_and_of_the_opd_head(ctx):
    world = build_world()
    build_users(world)
    db.session.commit()
    supervisor = names_for(ROLE_EMAILS["supervisor"])
    assert {"Staf Satu", world.staff2.name} <= supervisor
    assert world.kabid.name not in supervisor and world.b_staff.name not in supervisor
    head = names_for(ROLE_EMAILS["unit_head"])
    assert world.kabid.name in head and "Staf Satu" not in head
    assert names_for(ROLE_EMAILS["employee"]) == set()
