"""SKP entry: the assessing official from the position tree, Plt/Plh, predikat, audit."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.clock import local_today
from app.errors import ServiceError
from app.extensions import db
from app.talent import skp
from app.talent.assessors import assessor_positions
from app.talent.models import (
    AssessorCapacity,
    Predikat,
    Rating,
    SkpPeriod,
    SkpSource,
    TalentAudit,
)
from app.training.models import DelegationKind
from tests.factories import build_users, build_world, make_employee, make_user
from tests.unit.talent.helpers import acting, delegate

TODAY = local_today()


@pytest.fixture
def w(ctx):
    world = build_world()
    world.users = build_users(world)
    return world


def test_assessor_comes_from_the_tree(w):
    found = assessor_positions([w.staff, w.kabid, w.head], TODAY)
    assert found[w.staff.id].position_id == w.kabid_position.id
    assert found[w.kabid.id].position_id == w.head_position.id
    assert found[w.head.id] is None  # the top of the tree has no assessor in the portal


def test_supervisor_assesses_and_predikat_is_computed(w):
    row = skp.record_skp(
        acting(w.users["supervisor"]), w.staff, TODAY.year, SkpPeriod.ANNUAL,
        Rating.ABOVE, Rating.ABOVE, "Bagus", w.users["supervisor"].id, TODAY,
    )  # fmt: skip
    assert row.predikat == Predikat.SANGAT_BAIK
    assert row.source == SkpSource.MANUAL and row.capacity == AssessorCapacity.DEFINITIVE
    again = skp.record_skp(
        acting(w.users["supervisor"]), w.staff, TODAY.year, SkpPeriod.ANNUAL,
        Rating.BELOW, Rating.BELOW, "", w.users["supervisor"].id, TODAY,
    )  # fmt: skip
    assert again.id == row.id and again.predikat == Predikat.SANGAT_KURANG
    details = [a.detail for a in db.session.scalars(select(TalentAudit))]
    assert len(details) == 2 and "sangat_baik" in details[1] and "sangat_kurang" in details[1]


def test_only_the_assessing_official(w):
    for role in ("unit_head", "hr_admin", "employee"):
        with pytest.raises(ServiceError) as refused:
            skp.record_skp(
                acting(w.users[role]), w.staff, TODAY.year, SkpPeriod.ANNUAL,
                Rating.MEETS, Rating.MEETS, "", w.users[role].id, TODAY,
            )  # fmt: skip
        assert refused.value.status == 403
    # the head assesses the kabid, not the kabid's staff
    row = skp.record_skp(
        acting(w.users["unit_head"]), w.kabid, TODAY.year, SkpPeriod.Q1,
        Rating.MEETS, Rating.BELOW, "", w.users["unit_head"].id, TODAY,
    )  # fmt: skip
    assert row.predikat == Predikat.KURANG


def test_future_year_refused(w):
    with pytest.raises(ServiceError) as refused:
        skp.record_skp(
            acting(w.users["supervisor"]), w.staff, TODAY.year + 1, SkpPeriod.ANNUAL,
            Rating.MEETS, Rating.MEETS, "", w.users["supervisor"].id, TODAY,
        )  # fmt: skip
    assert refused.value.field == "year"


@pytest.mark.parametrize("kind", [DelegationKind.PLT, DelegationKind.PLH])
def test_plt_or_plh_may_assess_a_vacant_superior(w, kind):
    """The kabid leaves; a Plt/Plh for the kabid position assesses the staff."""
    w.kabid.active = False
    deputy = make_employee(w.staff_position, "Staf Senior")
    deputy_user = make_user("deputy@test.example", deputy)
    delegate(w.kabid_position.id, deputy, kind)
    db.session.commit()
    assert assessor_positions([w.staff], TODAY)[w.staff.id].position_id == w.kabid_position.id
    row = skp.record_skp(
        acting(deputy_user), w.staff, TODAY.year, SkpPeriod.ANNUAL,
        Rating.MEETS, Rating.ABOVE, "", deputy_user.id, TODAY,
    )  # fmt: skip
    assert row.capacity == AssessorCapacity(kind.value)
    assert row.assessor_position_id == w.kabid_position.id
    # the Plt's team lists the staff, but not the Plt themself
    team = [r.employee.id for r in skp.team_rows(acting(deputy_user), TODAY.year, TODAY)]
    assert w.staff.id in team and deputy.id not in team
    with pytest.raises(ServiceError):
        skp.record_skp(
            acting(deputy_user), deputy, TODAY.year, SkpPeriod.ANNUAL,
            Rating.MEETS, Rating.ABOVE, "", deputy_user.id, TODAY,
        )  # fmt: skip


def test_vacant_superior_without_delegate_passes_up(w):
    w.kabid.active = False
    db.session.commit()
    assert assessor_positions([w.staff], TODAY)[w.staff.id].position_id == w.head_position.id
    team = [r.employee.id for r in skp.team_rows(acting(w.users["unit_head"]), TODAY.year, TODAY)]
    assert w.staff.id in team and w.staff2.id in team
