"""Nomination pages: nominate, the timeline, decisions with clear refusals, withdraw, revise."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.training.models import Nomination, NominationAction, NominationState
from tests.conftest import csrf_token, login
from tests.factories import ROLE_EMAILS
from tests.unit.training.factories import (
    JUSTIFY,
    approve_as,
    build_training,
    submit_as,
    version_of,
)

PARTIAL = {"HX-Request": "true", "HX-Request-Type": "partial"}


@pytest.fixture
def setup(app, world):
    with app.app_context():
        training = build_training(world)
        nomination_id = submit_as(ROLE_EMAILS["supervisor"], training.event_id, world.staff.id)
        db.session.remove()
    return training, nomination_id


def state_of(app, nomination_id: int) -> tuple[str, int, int]:
    with app.app_context():
        nomination = db.session.get(Nomination, nomination_id)
        actions = db.session.scalar(
            select(func.count())
            .select_from(NominationAction)
            .where(NominationAction.nomination_id == nomination_id)
        )
        result = (nomination.state.value, nomination.version, actions)
        db.session.remove()
    return result


def post_decision(client, nomination_id, headers=None, **data):
    path = f"/training/nominations/{nomination_id}"
    token = csrf_token(client, path)
    return client.post(f"{path}/decide", data={"csrf_token": token, **data}, headers=headers or {})


def test_employee_nominates_themself(app, client, world):
    with app.app_context():
        training = build_training(world)
        db.session.remove()
    login(client, ROLE_EMAILS["employee"])
    path = f"/training/events/{training.event_id}/nominate"
    page = client.get(path).get_data(as_text=True)
    assert "Staf Satu" in page and "Staf Dua" not in page  # only themself to choose
    token = csrf_token(client, path)
    response = client.post(
        path, data={"csrf_token": token, "employee_id": world.staff.id, "justification": JUSTIFY}
    )
    assert response.status_code == 303
    assert "/training/nominations/" in response.headers["Location"]
    again = client.post(
        path, data={"csrf_token": token, "employee_id": world.staff.id, "justification": JUSTIFY}
    )
    assert again.status_code == 422 and "sudah" in again.get_data(as_text=True)


def test_nominate_with_bad_input_answers_422_and_the_form_only_for_htmx(app, client, world):
    with app.app_context():
        training = build_training(world)
        db.session.remove()
    login(client, ROLE_EMAILS["supervisor"])
    path = f"/training/events/{training.event_id}/nominate"
    token = csrf_token(client, path)
    response = client.post(
        path,
        data={"csrf_token": token, "employee_id": world.staff.id, "justification": "short"},
        headers=PARTIAL,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert html.lstrip().startswith("<form") and "<html" not in html
    outsider = client.post(
        path,
        data={"csrf_token": token, "employee_id": world.b_staff.id, "justification": JUSTIFY},
    )
    assert outsider.status_code == 422  # not a choice for this supervisor
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Nomination)) == 0


def test_timeline_for_the_nominee_and_decision_form_for_the_approver(app, client, setup):
    _training, nomination_id = setup
    login(client, ROLE_EMAILS["employee"])
    page = client.get(f"/training/nominations/{nomination_id}").get_data(as_text=True)
    assert "Kepala Bidang" in page and 'id="decision-form"' not in page
    assert 'id="withdraw-form"' in page
    partial = client.get(f"/training/nominations/{nomination_id}", headers=PARTIAL)
    assert partial.get_data(as_text=True).lstrip().startswith('<section id="nomination-panel"')
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    login(client, ROLE_EMAILS["supervisor"])
    page = client.get(f"/training/nominations/{nomination_id}").get_data(as_text=True)
    assert 'id="decision-form"' in page and 'name="version" type="hidden" value="1"' in page


def test_approver_approves_and_is_redirected(app, client, setup):
    _training, nomination_id = setup
    login(client, ROLE_EMAILS["supervisor"])
    response = post_decision(client, nomination_id, decision="approve", version=1, step=1)
    assert response.status_code == 303
    assert state_of(app, nomination_id)[:2] == ("pending", 2)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Keputusan disimpan" in page


def test_stale_tab_gets_409_naming_who_decided_and_nothing_changes(app, client, setup):
    _training, nomination_id = setup
    login(client, ROLE_EMAILS["supervisor"])
    assert (
        post_decision(client, nomination_id, decision="approve", version=1, step=1).status_code
        == 303
    )
    before = state_of(app, nomination_id)
    response = post_decision(
        client, nomination_id, decision="reject", version=1, step=1, reason="workload"
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Kepala Bidang Uji" in html and "menyetujui" in html
    assert state_of(app, nomination_id) == before


def test_not_the_approver_gets_403_with_the_reason(app, client, setup):
    _training, nomination_id = setup
    login(client, ROLE_EMAILS["unit_head"])
    response = post_decision(
        client, nomination_id, decision="approve", version=1, step=1, headers=PARTIAL
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 403
    assert html.lstrip().startswith('<section id="nomination-panel"')
    assert "Kepala Bidang" in html
    assert state_of(app, nomination_id) == ("pending", 1, 1)


def test_skipping_a_step_gets_409(app, client, setup):
    _training, nomination_id = setup
    login(client, ROLE_EMAILS["supervisor"])
    response = post_decision(client, nomination_id, decision="approve", version=1, step=2)
    assert response.status_code == 409
    assert state_of(app, nomination_id) == ("pending", 1, 1)


def test_reject_without_reason_is_422_beside_the_field(app, client, setup):
    _training, nomination_id = setup
    login(client, ROLE_EMAILS["supervisor"])
    response = post_decision(client, nomination_id, decision="reject", version=1, step=1)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="reason-error"' in html
    assert state_of(app, nomination_id) == ("pending", 1, 1)
    response = post_decision(
        client, nomination_id, decision="reject", version=1, step=1, reason="other", comment=""
    )
    assert response.status_code == 422 and 'id="comment-error"' in response.get_data(as_text=True)
    response = post_decision(client, nomination_id, decision="bogus", version=1, step=1)
    assert response.status_code == 422


def test_approving_a_rejected_nomination_gets_409(app, client, setup):
    _training, nomination_id = setup
    login(client, ROLE_EMAILS["supervisor"])
    response = post_decision(
        client, nomination_id, decision="reject", version=1, step=1, reason="budget"
    )
    assert response.status_code == 303
    response = post_decision(client, nomination_id, decision="approve", version=2, step=1)
    assert response.status_code == 409
    assert "ditolak" in response.get_data(as_text=True)
    assert state_of(app, nomination_id)[:2] == ("rejected", 2)


def test_nominee_withdraws_others_cannot(app, client, setup):
    _training, nomination_id = setup
    login(client, ROLE_EMAILS["supervisor"])
    path = f"/training/nominations/{nomination_id}"
    token = csrf_token(client, path)
    response = client.post(f"{path}/withdraw", data={"csrf_token": token, "version": 1})
    assert response.status_code == 403
    client.post("/logout", data={"csrf_token": token})
    login(client, ROLE_EMAILS["employee"])
    token = csrf_token(client, path)
    response = client.post(
        f"{path}/withdraw", data={"csrf_token": token, "version": 1, "comment": "Sedang cuti"}
    )
    assert response.status_code == 303
    assert state_of(app, nomination_id)[0] == "withdrawn"


def test_returned_nomination_is_revised_and_resubmitted(app, client, setup):
    _training, nomination_id = setup
    login(client, ROLE_EMAILS["supervisor"])
    response = post_decision(
        client, nomination_id, decision="return", version=1, step=1, comment="Tambahkan target SKP."
    )
    assert response.status_code == 303
    path = f"/training/nominations/{nomination_id}/revise"
    page = client.get(path).get_data(as_text=True)
    assert "Tambahkan target SKP." in page
    token = csrf_token(client, path)
    bad = client.post(path, data={"csrf_token": token, "version": 2, "justification": ""})
    assert bad.status_code == 422
    response = client.post(
        path, data={"csrf_token": token, "version": 2, "justification": JUSTIFY + " SKP 3."}
    )
    assert response.status_code == 303
    state, version, _actions = state_of(app, nomination_id)
    assert state == "pending" and version == 3


def test_someone_elses_nomination_is_404(app, client, world, setup):
    _training, nomination_id = setup
    login(client, ROLE_EMAILS["mentor"])  # an employee of another OPD
    assert client.get(f"/training/nominations/{nomination_id}").status_code == 404
    assert client.get("/training/nominations/999999").status_code == 404
    token = csrf_token(client, "/account")
    response = client.post(
        f"/training/nominations/{nomination_id}/decide",
        data={"csrf_token": token, "decision": "approve", "version": 1, "step": 1},
    )
    assert response.status_code == 404


def test_nomination_list_shows_own_and_scope(app, client, world, setup):
    _training, nomination_id = setup
    login(client, ROLE_EMAILS["unit_head"])
    page = client.get("/training/nominations").get_data(as_text=True)
    assert "Staf Satu" in page
    partial = client.get("/training/nominations?state=rejected", headers=PARTIAL)
    html = partial.get_data(as_text=True)
    assert html.lstrip().startswith('<section id="nomination-table"') and "Staf Satu" not in html
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    login(client, ROLE_EMAILS["mentor"])
    assert "Staf Satu" not in client.get("/training/nominations").get_data(as_text=True)


def test_final_approval_over_budget_is_refused_clearly(app, client, world):
    with app.app_context():
        training = build_training(world, cost=5_000_000, budget=4_000_000)
        nomination_id = submit_as(ROLE_EMAILS["supervisor"], training.event_id, world.staff.id)
        approve_as(ROLE_EMAILS["supervisor"], nomination_id)
        approve_as(ROLE_EMAILS["unit_head"], nomination_id)
        version = version_of(nomination_id)
        db.session.remove()
    login(client, ROLE_EMAILS["hr_admin"])
    response = post_decision(client, nomination_id, decision="approve", version=version, step=3)
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Rp4.000.000" in html and "Rp5.000.000" in html
    assert state_of(app, nomination_id)[:2] == ("pending", version)
    with app.app_context():
        assert db.session.get(Nomination, nomination_id).state == NominationState.PENDING
        db.session.remove()


def test_list_and_detail_query_counts_do_not_depend_on_data_size(app, client, world):
    from tests.conftest import QueryCounter
    from tests.unit.training.factories import make_event, make_need, make_program

    with app.app_context():
        training = build_training(world)
        first = submit_as(ROLE_EMAILS["supervisor"], training.event_id, world.staff.id)
        other = make_event(make_program(world.a.id, code="ONE"), batch="B")
        db.session.commit()
        submit_as(ROLE_EMAILS["supervisor"], other.id, world.staff.id)  # one item of history
        make_need(db.session.merge(world.staff), "M.08")
        db.session.commit()
        db.session.remove()
    login(client, ROLE_EMAILS["unit_head"])

    def counts() -> tuple[int, int]:
        with QueryCounter(app) as listing:
            assert client.get("/training/nominations").status_code == 200
        with QueryCounter(app) as detail:
            assert client.get(f"/training/nominations/{first}").status_code == 200
        return listing.count, detail.count

    small = counts()
    with app.app_context():
        program = make_program(world.a.id, code="MORE", competencies=(("M.03", 3), ("M.05", 2)))
        for n in range(8):
            event = make_event(program, batch=f"B{n}")
            db.session.commit()
            submit_as(ROLE_EMAILS["supervisor"], event.id, world.staff.id)
            submit_as(ROLE_EMAILS["supervisor"], event.id, world.staff2.id)
        for code in ("M.01", "M.02", "M.04", "M.05"):
            make_need(db.session.merge(world.staff), code)
        approve_as(ROLE_EMAILS["supervisor"], first)
        db.session.commit()
        db.session.remove()
    assert counts() == small
