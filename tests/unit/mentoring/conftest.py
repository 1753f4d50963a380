"""Fixtures for mentoring service tests: the standard world plus a program and a mentor profile."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from app.extensions import db
from app.mentoring.models import MentoringProgram
from app.org.models import Employee
from tests.unit.mentoring.factories import make_profile, make_program


@dataclass
class Mentoring:
    """Fresh, attached objects: `mentor` (other_staff, holds the role), `mentee` (staff)."""

    program: MentoringProgram
    mentor: Employee
    mentee: Employee
    mentee2: Employee
    head: Employee
    kabid: Employee
    b_staff: Employee


@pytest.fixture
def m(world, ctx) -> Mentoring:
    program = make_program(world.a.id)
    make_profile(world.other_staff.id, capacity=2, strengths=("M.03",))
    db.session.commit()

    def get(employee: Employee) -> Employee:
        found = db.session.get(Employee, employee.id)
        assert found is not None
        return found

    return Mentoring(
        program=program,
        mentor=get(world.other_staff),
        mentee=get(world.staff),
        mentee2=get(world.staff2),
        head=get(world.head),
        kabid=get(world.kabid),
        b_staff=get(world.b_staff),
    )
