"""The list scope and the single-object rule agree, for every role of the world."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.access.policy import principal_for
from app.accounts.models import User
from app.extensions import db
from app.mentoring.models import Pairing, PairingState
from app.mentoring.policy import can_decide, can_view_pairing, pairing_scope
from tests.factories import ROLE_EMAILS
from tests.unit.mentoring.factories import make_pairing, make_program


@pytest.mark.parametrize("role", list(ROLE_EMAILS))
def test_scope_and_rule_agree(world, m, role):
    mine = make_pairing(m.program, m.mentor, m.mentee)
    b_program = make_program(world.b.id)
    elsewhere = make_pairing(b_program, m.b_staff, m.head)  # mentee of instansi A, program of B
    other = make_pairing(m.program, m.kabid, m.mentee2, PairingState.PROPOSED)
    db.session.commit()
    user = db.session.get(User, world.users[role].id)
    principal = principal_for(user)
    listed = set(db.session.scalars(select(Pairing.id).where(pairing_scope(principal))))
    for pairing in (mine, elsewhere, other):
        assert (pairing.id in listed) == can_view_pairing(principal, pairing), (role, pairing.id)


def test_head_of_the_mentees_opd_decides_hr_only_when_vacant(world, m):
    pairing = make_pairing(m.program, m.mentor, m.mentee, PairingState.PROPOSED)
    db.session.commit()
    principals = {
        role: principal_for(db.session.get(User, world.users[role].id)) for role in ROLE_EMAILS
    }
    assert [r for r, p in principals.items() if can_decide(p, pairing)] == ["unit_head"]
    m.head.active = False  # the post of head is vacant: HR of the instansi decides
    db.session.commit()
    principals = {
        role: principal_for(db.session.get(User, world.users[role].id)) for role in ROLE_EMAILS
    }
    assert sorted(r for r, p in principals.items() if can_decide(p, pairing)) == [
        "hr_admin",
        "sysadmin",
    ]
