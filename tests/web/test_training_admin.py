"""Approval chain, Plt/Plh delegations, budget allocation (reserved to the definitive head), roster."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.clock import local_today
from app.extensions import db
from app.learning.models import LearningRecord
from app.training.models import (
    ApprovalChainStep,
    BudgetLine,
    Delegation,
    Participation,
    TrainingEvent,
)
from tests.conftest import csrf_token, login
from tests.factories import ROLE_EMAILS
from tests.unit.training.factories import (
    approve_as,
    build_training,
    make_delegation,
    submit_as,
)

PARTIAL = {"HX-Request": "true", "HX-Request-Type": "partial"}


def test_hr_sets_the_chain_and_bad_chains_are_refused(app, client, world):
    login(client, ROLE_EMAILS["hr_admin"])
    page = client.get("/training/chain").get_data(as_text=True)
    assert 'selected value="supervisor"' in page  # the default chain is shown
    token = csrf_token(client, "/training/chain")
    twice = client.post(
        "/training/chain",
        data={"csrf_token": token, "step_1": "supervisor", "step_2": "supervisor"},
        headers=PARTIAL,
    )
    assert twice.status_code == 422 and twice.get_data(as_text=True).lstrip().startswith("<form")
    empty = client.post("/training/chain", data={"csrf_token": token})
    assert empty.status_code == 422
    response = client.post(
        "/training/chain", data={"csrf_token": token, "step_1": "unit_head", "step_3": "hr"}
    )
    assert response.status_code == 303
    with app.app_context():
        kinds = db.session.scalars(
            select(ApprovalChainStep.kind).order_by(ApprovalChainStep.step_no)
        ).all()
        assert [k.value for k in kinds] == ["unit_head", "hr"]
        db.session.remove()


def test_hr_records_and_ends_a_plt(app, client, world):
    login(client, ROLE_EMAILS["hr_admin"])
    path = "/training/delegations/new"
    token = csrf_token(client, path)
    base = {
        "csrf_token": token,
        "position_id": world.head_position.id,
        "delegate_employee_id": world.kabid.id,
        "kind": "plt",
        "valid_from": local_today().isoformat(),
        "sk_number": "821/7/BKPSDM",
    }
    too_long = client.post(
        path, data={**base, "valid_to": (local_today() + timedelta(days=200)).isoformat()}
    )
    assert too_long.status_code == 422 and "tiga bulan" in too_long.get_data(as_text=True)
    holder = client.post(
        path,
        data={
            **base,
            "delegate_employee_id": world.head.id,
            "valid_to": (local_today() + timedelta(days=30)).isoformat(),
        },
    )
    assert holder.status_code == 422
    response = client.post(
        path, data={**base, "valid_to": (local_today() + timedelta(days=30)).isoformat()}
    )
    assert response.status_code == 303
    overlap = client.post(
        path, data={**base, "valid_to": (local_today() + timedelta(days=10)).isoformat()}
    )
    assert overlap.status_code == 422
    page = client.get("/training/delegations").get_data(as_text=True)
    assert "Kepala Bidang Uji" in page and "aktif" in page
    with app.app_context():
        delegation_id = db.session.scalars(select(Delegation.id)).one()
        db.session.remove()
    response = client.post(
        f"/training/delegations/{delegation_id}/revoke", data={"csrf_token": token}
    )
    assert response.status_code == 303
    with app.app_context():
        delegation = db.session.get(Delegation, delegation_id)
        assert delegation.revoked_at is not None and not delegation.active_on(local_today())
        db.session.remove()


def allocation(world, **overrides):
    data = {
        "org_unit_id": world.bidang.id,
        "year": str(local_today().year),
        "name": "Pengembangan Kompetensi Bidang Pelayanan",
        "code": "5.02.01",
        "source": "apbd",
        "amount": "25000000",
    }
    data.update(overrides)
    return data


def test_definitive_head_allocates_budget(app, client, world):
    login(client, ROLE_EMAILS["unit_head"])
    token = csrf_token(client, "/training/budget/allocate")
    response = client.post(
        "/training/budget/allocate", data={**allocation(world), "csrf_token": token}
    )
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Rp25.000.000" in page
    foreign = client.post(
        "/training/budget/allocate",
        data={**allocation(world, org_unit_id=world.other_opd.id), "csrf_token": token},
    )
    assert foreign.status_code == 422  # not a unit of the head's OPD


def test_plt_can_approve_but_cannot_allocate_budget(app, client, world):
    with app.app_context():
        make_delegation(world.head_position.id, db.session.merge(world.kabid))
        db.session.commit()
        db.session.remove()
    login(client, ROLE_EMAILS["supervisor"])  # the kabid, Plt of the head today
    page = client.get("/training/budget/allocate")
    assert page.status_code == 403
    assert "Plt/Plh tidak berwenang" in page.get_data(as_text=True)
    token = csrf_token(client, "/account")
    response = client.post(
        "/training/budget/allocate",
        data={**allocation(world, org_unit_id=world.opd.id), "csrf_token": token},
        headers=PARTIAL,
    )
    assert response.status_code == 403
    assert response.get_data(as_text=True).lstrip().startswith('<section id="budget-form"')
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(BudgetLine)) == 0
        db.session.remove()
    # …while the budget page itself is open to the Plt, read-only.
    assert client.get("/training/budget").status_code == 200


def test_hr_cannot_allocate_and_amount_never_drops_below_commitments(app, client, world):
    with app.app_context():
        training = build_training(world, cost=2_000_000, budget=10_000_000)
        nomination_id = submit_as(ROLE_EMAILS["supervisor"], training.event_id, world.staff.id)
        for email in ("supervisor", "unit_head", "hr_admin"):
            approve_as(ROLE_EMAILS[email], nomination_id)
        year = db.session.get(BudgetLine, training.budget_id).year
        db.session.remove()
    login(client, ROLE_EMAILS["hr_admin"])
    assert client.get("/training/budget/allocate").status_code == 403
    page = client.get(f"/training/budget?year={year}").get_data(as_text=True)
    assert "Rp2.000.000" in page and "Rp8.000.000" in page
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    login(client, ROLE_EMAILS["unit_head"])
    token = csrf_token(client, "/training/budget/allocate")
    response = client.post(
        "/training/budget/allocate",
        data={
            **allocation(world, org_unit_id=world.opd.id, year=str(year), amount="1000000"),
            "csrf_token": token,
        },
    )
    assert response.status_code == 422 and "Rp2.000.000" in response.get_data(as_text=True)


def test_roster_records_attendance_and_completion_credits_jp_once(app, client, world):
    with app.app_context():
        training = build_training(world)
        nomination_id = submit_as(ROLE_EMAILS["supervisor"], training.event_id, world.staff.id)
        for email in ("supervisor", "unit_head", "hr_admin"):
            approve_as(ROLE_EMAILS[email], nomination_id)
        participation_id = db.session.scalars(select(Participation.id)).one()
        db.session.remove()
    login(client, ROLE_EMAILS["hr_admin"])
    roster = f"/training/events/{training.event_id}/participants"
    page = client.get(roster).get_data(as_text=True)
    assert "Staf Satu" in page and "setelah angkatan dimulai" in page
    token = csrf_token(client, roster)
    path = f"/training/participations/{participation_id}"
    prefix = f"p{participation_id}-"
    data = {
        "csrf_token": token,
        prefix + "attendance": "present",
        prefix + "completion": "completed",
        prefix + "certificate_number": "SERT/001",
    }
    early = client.post(path, data=data, headers=PARTIAL)
    assert early.status_code == 422  # the event has not started
    with app.app_context():
        event = db.session.get(TrainingEvent, training.event_id)
        event.start_date, event.end_date = (
            local_today() - timedelta(days=3),
            local_today() - timedelta(days=1),
        )
        db.session.commit()
        db.session.remove()
    absent = client.post(path, data={**data, prefix + "attendance": "absent"}, headers=PARTIAL)
    assert absent.status_code == 422
    assert (
        absent.get_data(as_text=True)
        .lstrip()
        .startswith(f'<tr id="participation-{participation_id}"')
    )
    done = client.post(path, data=data, headers=PARTIAL)
    assert done.status_code == 200 and "Tersimpan" in done.get_data(as_text=True)
    again = client.post(path, data={**data, prefix + "certificate_number": "SERT/001-A"})
    assert again.status_code == 303
    undo = client.post(path, data={**data, prefix + "completion": "not_completed"}, headers=PARTIAL)
    assert undo.status_code == 422
    with app.app_context():
        records = db.session.scalars(select(LearningRecord)).all()
        assert len(records) == 1
        assert records[0].jp == 24 and records[0].certificate_number == "SERT/001-A"
        assert records[0].employee_id == world.staff.id
        db.session.remove()
    client.post("/logout", data={"csrf_token": token})
    login(client, ROLE_EMAILS["unit_head"])
    assert client.get(roster).status_code == 403
    data["csrf_token"] = csrf_token(client, "/account")
    assert client.post(path, data=data).status_code == 403
