"""Intended position, IDP drafting and agreement (Plt/Plh), succession readiness and audit."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.access.policy import principal_for
from app.clock import local_today
from app.errors import ServiceError
from app.extensions import db
from app.needs.models import CompetencyGap, DevelopmentForm, DevelopmentNeed, NeedStatus
from app.talent import careers, idp, potential, succession
from app.talent.models import (
    ActivityKind,
    Education,
    IdpStatus,
    PotentialInput,
    Rating,
    TalentAudit,
)
from app.training.models import DelegationKind
from tests.factories import build_users, build_world, make_employee, make_user
from tests.unit.talent.helpers import acting, delegate
from tests.unit.talent.test_boxes import jpm, skp

YEAR = local_today().year
TODAY = local_today()


@pytest.fixture
def w(ctx):
    world = build_world()
    world.users = build_users(world)
    return world


def gap(employee, code: str, current: float, required: float = 3.0) -> None:
    db.session.add(
        CompetencyGap(
            instansi_id=employee.instansi_id, cycle_year=YEAR, employee_id=employee.id,
            org_unit_id=employee.org_unit_id, competency_code=code, required_level=required,
            current_level=current, gap=required - current,
        )
    )  # fmt: skip


def test_intended_position_rules_and_audit(w):
    staff = principal_for(w.users["employee"])
    careers.set_intended_position(staff, w.staff, w.kabid_position.id, 1, "Ingin jadi kabid")
    assert careers.targets.target_of(w.staff.id).position_id == w.kabid_position.id
    with pytest.raises(ServiceError):  # the current position is not a target
        careers.set_intended_position(staff, w.staff, w.staff_position.id, 1, "")
    with pytest.raises(ServiceError) as refused:  # a supervisor does not set it
        careers.set_intended_position(principal_for(w.users["supervisor"]), w.staff, None, 2, "")
    assert refused.value.status == 403
    careers.set_intended_position(principal_for(w.users["hr_admin"]), w.staff, None, 3, "")
    assert careers.targets.target_of(w.staff.id) is None
    actions = [a.action for a in db.session.scalars(select(TalentAudit))]
    assert actions == ["set", "clear"]


def test_idp_drafted_submitted_and_agreed_by_a_plh(w):
    db.session.add(
        DevelopmentNeed(
            instansi_id=w.a.id, cycle_year=YEAR, employee_id=w.staff.id, competency_code="M.01",
            gap=1.5, suggested_form=DevelopmentForm.COACHING, status=NeedStatus.ACCEPTED,
            target_position_id=w.kabid_position.id,
        )
    )  # fmt: skip
    db.session.commit()
    staff = principal_for(w.users["employee"])
    plan = idp.draft(staff, w.staff, YEAR, 8, w.users["employee"].id)
    kinds = [(i.activity, i.target_position_id) for i in plan.items]
    assert kinds == [
        (ActivityKind.MENTORING, w.kabid_position.id),
        (ActivityKind.ON_THE_JOB, None),
    ]  # the need (serving the intended position) and the pool's rotation
    with pytest.raises(ServiceError):
        idp.draft(staff, w.staff, YEAR, 8, 1)  # one plan per year
    idp.add_item(staff, plan, ActivityKind.E_LEARNING, "MOOC", 6, 1)
    with pytest.raises(ServiceError):  # the employee does not agree to their own plan
        idp.decide(acting(w.users["employee"]), plan, True, "", 1, TODAY)
    idp.submit(staff, plan, 1)
    with pytest.raises(ServiceError) as refused:
        idp.add_item(staff, plan, ActivityKind.E_LEARNING, "MOOC 2", 6, 1)
    assert refused.value.status == 409
    with pytest.raises(ServiceError):  # returning needs a comment
        idp.decide(acting(w.users["supervisor"]), plan, False, "", 1, TODAY)
    idp.decide(acting(w.users["supervisor"]), plan, False, "Tambah JP", 1, TODAY)
    assert plan.status == IdpStatus.RETURNED
    idp.submit(staff, plan, 1)
    # the kabid goes on leave; a Plh of the kabid position agrees
    deputy = make_employee(w.staff_position, "Plh Kabid")
    deputy_user = make_user("plh@test.example", deputy)
    delegate(w.kabid_position.id, deputy, DelegationKind.PLH)
    db.session.commit()
    assert [p.id for p in idp.inbox(acting(deputy_user), TODAY)] == [plan.id]
    idp.decide(acting(deputy_user), plan, True, "", deputy_user.id, TODAY)
    assert plan.status == IdpStatus.AGREED and plan.approver_capacity.value == "plh"
    assert idp.progress(plan).planned == pytest.approx(8 + 10 + 6)
    assert [i.title for i in idp.agreed_items(w.a.id, YEAR)][-1] == "MOOC"
    trail = [a.action for a in db.session.scalars(select(TalentAudit).order_by(TalentAudit.id))]
    assert trail == ["draft", "add_item", "submit", "return", "submit", "agree"]


def seed_standards(w) -> None:
    from app.needs import services as needs_services

    needs_services.seed_dictionary(w.a.id)
    needs_services.seed_defaults(w.a.id, date(2020, 1, 1))
    db.session.commit()


def test_succession_ranks_the_pool_by_readiness(w):
    seed_standards(w)
    ready = make_employee(w.staff_position, "Siap")
    later = make_employee(w.staff_position, "Nanti")
    for person, level, value in ((ready, 4.0, 95), (later, 2.0, 85), (w.staff, 3.5, 60)):
        skp(person, YEAR, Rating.ABOVE, Rating.ABOVE)
        jpm(person, YEAR, value)
        db.session.add(
            PotentialInput(
                instansi_id=w.a.id, employee_id=person.id, year=YEAR, education=Education.S2,
                assessment_score=value, grade_since=date(2019, 1, 1),
            )
        )  # fmt: skip
        for code in ("M.01", "M.02"):
            gap(person, code, level)
    db.session.commit()
    key = succession.mark_key(w.a.id, w.kabid_position.id, "Kabid", 1)
    with pytest.raises(ServiceError):
        succession.mark_key(w.a.id, w.kabid_position.id, "", 1)
    settings = potential.settings_for(w.a.id)
    rows = succession.candidates(settings, key, YEAR, TODAY)
    # staff has potential (60·60+20·90+20·60)/100 = 66 → rendah → box 4: not in the pool
    assert [c.name for c in rows] == ["Siap", "Nanti"]
    assert rows[0].readiness == succession.Readiness.NOW and rows[0].match == pytest.approx(100)
    assert rows[1].readiness == succession.Readiness.LATER and rows[1].to_close
    assert rows[0].years_in_grade > 5
    pinned = succession.pin(key, later, "Dibina", 1)
    assert succession.candidates(settings, key, YEAR, TODAY)[0].name == "Nanti"
    with pytest.raises(ServiceError):
        succession.pin(key, later, "", 1)
    succession.unpin(key, pinned, 1)
    actions = [a.action for a in db.session.scalars(select(TalentAudit).order_by(TalentAudit.id))]
    assert actions == ["mark", "add", "remove"]


def test_career_path_competencies_to_close(w):
    seed_standards(w)
    row = careers.add_path(w.a.id, w.staff_position.id, w.kabid_position.id, "Kesehatan", 2, "", 1)
    with pytest.raises(ServiceError):
        careers.add_path(w.a.id, w.staff_position.id, w.kabid_position.id, "", 0, "", 1)
    (line,) = careers.path_lines(w.a.id, YEAR, [row])
    # pelaksana (level 1) → administrator (level 3) on every managerial competency
    assert ("M.01", 1, 3) in line.to_close


def test_agreed_idp_accepts_its_proposed_needs_for_the_annual_plan(w):
    from app.needs.planning_feed import accepted_need_rows

    def need(code: str, status: NeedStatus) -> DevelopmentNeed:
        row = DevelopmentNeed(
            instansi_id=w.a.id, cycle_year=YEAR, employee_id=w.staff.id, competency_code=code,
            gap=1.0, suggested_form=DevelopmentForm.CLASSICAL, status=status,
        )  # fmt: skip
        db.session.add(row)
        return row

    proposed, accepted, later_dismissed = (
        need("M.01", NeedStatus.PROPOSED),
        need("M.02", NeedStatus.ACCEPTED),
        need("M.03", NeedStatus.PROPOSED),
    )
    db.session.commit()
    staff = principal_for(w.users["employee"])
    plan = idp.draft(staff, w.staff, YEAR, None, w.users["employee"].id)
    assert {i.need_id for i in plan.items} == {proposed.id, accepted.id, later_dismissed.id}
    idp.submit(staff, plan, 1)
    later_dismissed.status = NeedStatus.DISMISSED  # HR dismissed it while the plan waited
    db.session.commit()
    assert [r.need_id for r in accepted_need_rows(w.a.id, YEAR)] == [accepted.id]

    supervisor = w.users["supervisor"]
    idp.decide(acting(supervisor), plan, True, "", supervisor.id, TODAY)
    db.session.expire_all()
    assert db.session.get(DevelopmentNeed, proposed.id).status == NeedStatus.ACCEPTED
    assert db.session.get(DevelopmentNeed, proposed.id).decided_by_id == supervisor.id
    assert db.session.get(DevelopmentNeed, later_dismissed.id).status == NeedStatus.DISMISSED
    assert sorted(r.need_id for r in accepted_need_rows(w.a.id, YEAR)) == sorted(
        [proposed.id, accepted.id]
    )


def test_returned_idp_accepts_nothing(w):
    row = DevelopmentNeed(
        instansi_id=w.a.id, cycle_year=YEAR, employee_id=w.staff.id, competency_code="M.01",
        gap=1.0, suggested_form=DevelopmentForm.CLASSICAL, status=NeedStatus.PROPOSED,
    )  # fmt: skip
    db.session.add(row)
    db.session.commit()
    staff = principal_for(w.users["employee"])
    plan = idp.draft(staff, w.staff, YEAR, None, 1)
    idp.submit(staff, plan, 1)
    idp.decide(acting(w.users["supervisor"]), plan, False, "Tambah JP", 1, TODAY)
    assert db.session.get(DevelopmentNeed, row.id).status == NeedStatus.PROPOSED
