"""Matching, proposing, deciding, closing, goals and flags through the web, with bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.clock import utcnow
from app.extensions import db
from app.mentoring.models import Goal, MentoringProgram, Pairing, PairingState
from tests.conftest import QueryCounter, csrf_token, login
from tests.unit.mentoring.factories import (
    add_gap,
    make_pairing,
    make_profile,
    make_program,
    today,
)

PARTIAL = {"HX-Request": "true", "HX-Request-Type": "partial"}


@pytest.fixture
def program_id(app, world):
    """A program and the world mentor's profile; no pairing yet."""
    with app.app_context():
        program = make_program(world.a.id)
        make_profile(world.other_staff.id, capacity=1, strengths=("M.03",))
        from app.org.models import Employee

        add_gap(db.session.get(Employee, world.staff.id), "M.03", 1.5)
        db.session.commit()
        program_id = program.id
        db.session.remove()
    return program_id


def propose_data(world, program, **changes):
    data = {
        "program_id": str(program),
        "mentee_id": str(world.staff.id),
        "mentor_id": str(world.other_staff.id),
        "start_date": today().isoformat(),
        "end_date": (today() + timedelta(weeks=12)).isoformat(),
        "focus": "Komunikasi",
    }
    data.update(changes)
    return data


def pairings(app) -> list[Pairing]:
    with app.app_context():
        rows = list(db.session.scalars(select(Pairing).order_by(Pairing.id)))
        db.session.expunge_all()
        return rows


def new_pairing(app, world, program_id, state=PairingState.ACTIVE, mentee=None) -> int:
    with app.app_context():
        program = db.session.get(MentoringProgram, program_id)
        pairing = make_pairing(program, world.other_staff.id, mentee or world.staff.id, state)
        db.session.commit()
        pairing_id = pairing.id
        db.session.remove()
    return pairing_id


def test_mentee_sees_ranked_mentors_with_reasons(client, world, program_id):
    login(client, "staff@test.example")
    response = client.get("/mentoring/match")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Staf Pendidikan" in html and "M.03" in html  # the mentor and the covered gap
    assert f'name="mentor_id" value="{world.other_staff.id}"' in html
    partial = client.get("/mentoring/match", headers=PARTIAL).get_data(as_text=True)
    assert partial.lstrip().startswith('<div id="mentor-matches"')


def test_hr_searches_a_mentee_then_sees_the_matches(client, world, program_id):
    login(client, "hr@test.example")
    html = client.get("/mentoring/match?q=Staf Satu").get_data(as_text=True)
    assert f"/mentoring/match?mentee={world.staff.id}" in html
    html = client.get(f"/mentoring/match?mentee={world.staff.id}").get_data(as_text=True)
    assert "Staf Pendidikan" in html
    assert client.get(f"/mentoring/match?mentee={world.b_staff.id}").status_code == 404


def test_employee_cannot_pick_another_mentee(client, world, program_id):
    login(client, "staff@test.example")
    assert client.get(f"/mentoring/match?mentee={world.staff2.id}").status_code == 404


def test_mentee_proposes_then_head_of_opd_approves(app, client, world, program_id):
    login(client, "staff@test.example")
    token = csrf_token(client, "/mentoring/match")
    response = client.post(
        "/mentoring/pairings", data={**propose_data(world, program_id), "csrf_token": token}
    )
    assert response.status_code == 303
    (pairing,) = pairings(app)
    assert pairing.state == PairingState.PROPOSED and "M.03" in pairing.match_reason
    assert response.location.endswith(f"/mentoring/pairings/{pairing.id}")

    head = app.test_client()
    login(head, "head@test.example")
    assert f"/mentoring/pairings/{pairing.id}" in head.get("/mentoring/approvals").get_data(
        as_text=True
    )
    token = csrf_token(head, "/mentoring/approvals")
    response = head.post(
        f"/mentoring/pairings/{pairing.id}/decide",
        data={"decision": "approve", "csrf_token": token},
    )
    assert response.status_code == 303
    assert pairings(app)[0].state == PairingState.ACTIVE


def test_head_rejects_a_proposal(app, client, world, program_id):
    pairing_id = new_pairing(app, world, program_id, PairingState.PROPOSED)
    login(client, "head@test.example")
    token = csrf_token(client, f"/mentoring/pairings/{pairing_id}")
    response = client.post(
        f"/mentoring/pairings/{pairing_id}/decide",
        data={"decision": "reject", "note": "Belum perlu", "csrf_token": token},
    )
    assert response.status_code == 303
    assert pairings(app)[0].state == PairingState.CANCELLED
    again = client.post(
        f"/mentoring/pairings/{pairing_id}/decide",
        data={"decision": "approve", "csrf_token": token},
    )
    assert again.status_code == 404 or again.status_code == 403 or again.status_code == 422


def test_hr_and_mentor_cannot_decide_while_the_head_is_in_post(app, client, world, program_id):
    pairing_id = new_pairing(app, world, program_id, PairingState.PROPOSED)
    for email in ("hr@test.example", "mentor@test.example", "kabid@test.example"):
        other = app.test_client()
        login(other, email)
        token = csrf_token(other, "/account")
        response = other.post(
            f"/mentoring/pairings/{pairing_id}/decide",
            data={"decision": "approve", "csrf_token": token},
        )
        assert response.status_code == 403, email
    assert pairings(app)[0].state == PairingState.PROPOSED


@pytest.mark.parametrize(
    ("changes", "text"),
    [
        ({"mentor_id": "self"}, "tidak dapat menjadi mentor bagi dirinya sendiri"),
        ({"end_date": "short"}, "Program ini berlangsung 4 sampai 24 minggu."),
        ({"program_id": "0"}, ""),
        ({"mentor_id": "abc"}, ""),
        ({"start_date": ""}, ""),
    ],
)
def test_bad_proposals_answer_422_and_save_nothing(app, client, world, program_id, changes, text):
    login(client, "hr@test.example")
    if changes.get("mentor_id") == "self":
        changes["mentor_id"] = str(world.staff.id)
    if changes.get("end_date") == "short":
        changes["end_date"] = (today() + timedelta(days=7)).isoformat()
    token = csrf_token(client, f"/mentoring/match?mentee={world.staff.id}")
    response = client.post(
        "/mentoring/pairings",
        data={**propose_data(world, program_id, **changes), "csrf_token": token},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "error" in html
    if text:
        assert text in html
    assert pairings(app) == []


def test_proposing_to_a_full_mentor_answers_422(app, client, world, program_id):
    new_pairing(app, world, program_id, mentee=world.staff2.id)  # capacity 1 is now taken
    login(client, "staff@test.example")
    token = csrf_token(client, "/mentoring/match")
    response = client.post(
        "/mentoring/pairings", data={**propose_data(world, program_id), "csrf_token": token}
    )
    assert response.status_code == 422
    assert 'id="mentor_id"' in response.get_data(as_text=True)
    assert len(pairings(app)) == 1


def test_proposing_for_someone_else_is_forbidden(app, client, world, program_id):
    login(client, "kabid@test.example")
    token = csrf_token(client, "/mentoring/match")
    response = client.post(
        "/mentoring/pairings", data={**propose_data(world, program_id), "csrf_token": token}
    )
    assert response.status_code == 403  # kabid sees staff (a subordinate) but may not propose
    other = app.test_client()
    login(other, "mentor@test.example")
    token = csrf_token(other, "/mentoring/match")
    response = other.post(
        "/mentoring/pairings", data={**propose_data(world, program_id), "csrf_token": token}
    )
    assert response.status_code == 404
    assert pairings(app) == []


def test_pairing_page_full_and_other_instansi_hidden(app, client, world, program_id):
    pairing_id = new_pairing(app, world, program_id)
    login(client, "staff@test.example")
    html = client.get(f"/mentoring/pairings/{pairing_id}").get_data(as_text=True)
    assert "Staf Pendidikan" in html and 'id="goal-list"' in html
    assert client.get("/mentoring/pairings/999999").status_code == 404
    with app.app_context():
        b_program = make_program(world.b.id)
        make_profile(world.b_staff.id)
        from app.org.models import OrgUnit
        from tests.factories import make_employee, make_position

        b_mentee = make_employee(make_position(db.session.get(OrgUnit, world.b_opd.id), "B2"))
        foreign = make_pairing(b_program, world.b_staff.id, b_mentee.id).id
        db.session.commit()
        db.session.remove()
    hr = app.test_client()
    login(hr, "hr@test.example")
    assert hr.get(f"/mentoring/pairings/{foreign}").status_code == 404
    assert hr.get(f"/mentoring/pairings/{pairing_id}").status_code == 200


def test_complete_early_and_cancel(app, client, world, program_id):
    pairing_id = new_pairing(app, world, program_id)
    login(client, "mentor@test.example")
    token = csrf_token(client, f"/mentoring/pairings/{pairing_id}")
    response = client.post(
        f"/mentoring/pairings/{pairing_id}/close",
        data={"outcome": "completed", "note": "Tercapai", "csrf_token": token},
    )
    assert response.status_code == 303
    (pairing,) = pairings(app)
    assert pairing.state == PairingState.COMPLETED and pairing.ended_on == today()
    assert pairing.ended_on < pairing.end_date  # early, and still completed
    response = client.post(
        f"/mentoring/pairings/{pairing_id}/close",
        data={"outcome": "cancelled", "csrf_token": token},
    )
    assert response.status_code == 422
    assert pairings(app)[0].state == PairingState.COMPLETED


def test_mentee_cancels_a_proposal(app, client, world, program_id):
    pairing_id = new_pairing(app, world, program_id, PairingState.PROPOSED)
    login(client, "staff@test.example")
    token = csrf_token(client, f"/mentoring/pairings/{pairing_id}")
    response = client.post(
        f"/mentoring/pairings/{pairing_id}/close",
        data={"outcome": "cancelled", "csrf_token": token},
    )
    assert response.status_code == 303
    assert pairings(app)[0].state == PairingState.CANCELLED


def test_goals_are_added_and_progress_updated_with_htmx(app, client, world, program_id):
    pairing_id = new_pairing(app, world, program_id)
    login(client, "staff@test.example")
    token = csrf_token(client, f"/mentoring/pairings/{pairing_id}")
    response = client.post(
        f"/mentoring/pairings/{pairing_id}/goals",
        data={"description": "Memimpin rapat", "competency_code": "M.03", "csrf_token": token},
        headers=PARTIAL,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.lstrip().startswith(
        '<section class="card" id="goal-list"'
    )
    assert "Memimpin rapat" in html
    with app.app_context():
        goal_id = db.session.scalar(select(Goal.id))
    response = client.post(
        f"/mentoring/goals/{goal_id}",
        data={"progress": "150", "csrf_token": token},
        headers=PARTIAL,
    )
    assert response.status_code == 422 and f'id="progress-{goal_id}-error"' in response.get_data(
        as_text=True
    )
    response = client.post(
        f"/mentoring/goals/{goal_id}", data={"progress": "100", "csrf_token": token}
    )
    assert response.status_code == 303
    with app.app_context():
        goal = db.session.get(Goal, goal_id)
        assert goal.progress == 100 and goal.completed_at is not None
    response = client.post(
        f"/mentoring/pairings/{pairing_id}/goals",
        data={"description": "", "competency_code": "ZZ", "csrf_token": token},
    )
    assert response.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Goal)) == 1
    assert client.post("/mentoring/goals/999999", data={"csrf_token": token}).status_code == 404


def test_head_of_opd_sees_but_cannot_edit_goals(app, client, world, program_id):
    pairing_id = new_pairing(app, world, program_id)
    login(client, "head@test.example")
    assert client.get(f"/mentoring/pairings/{pairing_id}").status_code == 200
    token = csrf_token(client, f"/mentoring/pairings/{pairing_id}")
    response = client.post(
        f"/mentoring/pairings/{pairing_id}/goals",
        data={"description": "X", "csrf_token": token},
    )
    assert response.status_code == 403


def test_hr_clears_a_flag(app, client, world, program_id):
    pairing_id = new_pairing(app, world, program_id)
    with app.app_context():
        db.session.get(Pairing, pairing_id).flagged_at = utcnow()
        db.session.commit()
    login(client, "hr@test.example")
    html = client.get(f"/mentoring/pairings/{pairing_id}").get_data(as_text=True)
    assert f"/mentoring/pairings/{pairing_id}/resolve-flag" in html
    token = csrf_token(client, f"/mentoring/pairings/{pairing_id}")
    assert (
        client.post(
            f"/mentoring/pairings/{pairing_id}/resolve-flag", data={"csrf_token": token}
        ).status_code
        == 303
    )
    assert pairings(app)[0].flagged_at is None


def test_match_page_uses_a_constant_number_of_queries(app, client, world, program_id):
    from app.accounts.models import Role
    from app.org.models import OrgUnit
    from tests.factories import make_employee, make_position, make_user

    login(client, "staff@test.example")
    counts = []
    for batch, size in ((1, 2), (2, 10)):
        with app.app_context():
            unit = db.session.get(OrgUnit, world.other_opd.id)
            position = make_position(unit, f"Analis {batch}")
            for n in range(size):
                mentor = make_employee(position)
                make_user(f"m{batch}-{n}@test.example", mentor, ((Role.MENTOR, world.a.id),))
                make_profile(mentor.id, strengths=("M.03", "M.04"))
                from app.org.models import Employee

                add_gap(db.session.get(Employee, mentor.id), "M.03", -1.0)
            db.session.commit()
            db.session.remove()
        with QueryCounter(app) as counter:
            assert client.get("/mentoring/match").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], counts


def test_impossible_ids_never_reach_the_database(app, client, world, program_id):
    huge = "99999999999999"
    login(client, "hr@test.example")
    for path in (
        f"/mentoring/pairings/{huge}",
        f"/mentoring/mentors/{huge}/profile",
        f"/mentoring/programs/{huge}",
        f"/mentoring/sessions/{huge}/feedback",
    ):
        assert client.get(path).status_code == 404, path
    assert client.get(f"/mentoring/match?mentee={huge}").status_code == 200
    token = csrf_token(client, "/mentoring/match")
    response = client.post(
        "/mentoring/pairings",
        data={
            **propose_data(world, huge, mentee_id=huge, mentor_id=huge),
            "csrf_token": token,
        },
    )
    assert response.status_code == 422
    mentor = app.test_client()
    login(mentor, "mentor@test.example")
    token = csrf_token(mentor, "/mentoring/mentor")
    response = mentor.post(
        "/mentoring/sessions",
        data={
            "pairing_id": huge,
            "held_on": today().isoformat(),
            "duration_minutes": huge,
            "mode": "daring",
            "topics": "x",
            "csrf_token": token,
        },
    )
    assert response.status_code == 422
    assert pairings(app) == []
