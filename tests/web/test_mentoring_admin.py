"""Programs, mentor profiles, approvals and the HR dashboard: pages, 422s and query counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.mentoring.models import MentoringProgram, MentorProfile, PairingState
from tests.conftest import QueryCounter, csrf_token, login
from tests.unit.mentoring.factories import (
    add_gap,
    make_pairing,
    make_profile,
    make_program,
    make_session,
    today,
)

PARTIAL = {"HX-Request": "true", "HX-Request-Type": "partial"}


def program_form(world, **changes):
    data = {
        "instansi_id": str(world.a.id),
        "name": "Mentoring Manajerial",
        "objective": "Kepemimpinan",
        "min_weeks": "4",
        "max_weeks": "24",
        "matching_mode": "suggested",
        "minutes_per_jp": "45",
        "active": "y",
    }
    data.update(changes)
    return data


def program_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(MentoringProgram))


def test_hr_creates_and_edits_a_program(app, client, world):
    login(client, "hr@test.example")
    assert client.get("/mentoring/programs/new").status_code == 200
    token = csrf_token(client, "/mentoring/programs/new")
    response = client.post(
        "/mentoring/programs/new", data={**program_form(world), "csrf_token": token}
    )
    assert response.status_code == 303
    with app.app_context():
        program_id = db.session.scalar(select(MentoringProgram.id))
    assert "Mentoring Manajerial" in client.get("/mentoring/programs").get_data(as_text=True)
    response = client.post(
        f"/mentoring/programs/{program_id}",
        data={**program_form(world, minutes_per_jp="60"), "csrf_token": token},
    )
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(MentoringProgram, program_id).minutes_per_jp == 60


@pytest.mark.parametrize(
    "changes",
    [
        {"min_weeks": "10", "max_weeks": "5"},
        {"minutes_per_jp": "0"},
        {"minutes_per_jp": "-1"},
        {"name": ""},
        {"min_weeks": "x"},
        {"instansi_id": "other"},
    ],
)
def test_bad_program_input_answers_422(app, client, world, changes):
    if changes.get("instansi_id") == "other":
        changes["instansi_id"] = str(world.b.id)
    login(client, "hr@test.example")
    token = csrf_token(client, "/mentoring/programs/new")
    for headers in ({}, PARTIAL):
        response = client.post(
            "/mentoring/programs/new",
            data={**program_form(world, **changes), "csrf_token": token},
            headers=headers,
        )
        assert response.status_code == 422
    assert program_count(app) == 0


def test_hr_of_another_instansi_cannot_edit(app, client, world):
    with app.app_context():
        program_id = make_program(world.b.id).id
        db.session.commit()
    login(client, "hr@test.example")
    assert client.get(f"/mentoring/programs/{program_id}").status_code == 404


def test_mentor_keeps_own_profile_hr_sees_the_roster(app, client, world):
    login(client, "mentor@test.example")
    path = f"/mentoring/mentors/{world.other_staff.id}/profile"
    html = client.get(path).get_data(as_text=True)
    assert 'name="strengths" type="checkbox" value="M.03"' in html or 'value="M.03"' in html
    token = csrf_token(client, path)
    response = client.post(
        path,
        data={
            "capacity": "4",
            "available": "y",
            "availability": "Kamis",
            "strengths": ["M.03", "M.08"],
            "csrf_token": token,
        },
    )
    assert response.status_code == 303 and response.location.endswith("/mentoring/mentor")
    bad = client.post(path, data={"capacity": "-2", "csrf_token": token})
    assert bad.status_code == 422
    with app.app_context():
        profile = db.session.scalar(select(MentorProfile))
        assert profile.capacity == 4 and profile.strength_codes == ["M.03", "M.08"]
    assert client.get(f"/mentoring/mentors/{world.staff.id}/profile").status_code == 404
    hr = app.test_client()
    login(hr, "hr@test.example")
    html = hr.get("/mentoring/mentors").get_data(as_text=True)
    assert "Staf Pendidikan" in html and "M.08" in html
    assert hr.get(path).status_code == 200
    # An employee without the mentor role has no profile page.
    assert hr.get(f"/mentoring/mentors/{world.staff.id}/profile").status_code == 404


def test_approvals_list_and_hr_decides_when_the_head_is_vacant(app, client, world):
    with app.app_context():
        program = make_program(world.a.id)
        make_profile(world.other_staff.id)
        pairing_id = make_pairing(
            program, world.other_staff.id, world.staff.id, PairingState.PROPOSED, start=today()
        ).id
        db.session.commit()
    login(client, "hr@test.example")
    html = client.get("/mentoring/approvals").get_data(as_text=True)
    assert "Staf Satu" in html and f"/mentoring/pairings/{pairing_id}/decide" not in html
    with app.app_context():
        from app.org.models import Employee

        db.session.get(Employee, world.head.id).active = False
        db.session.commit()
    html = client.get("/mentoring/approvals").get_data(as_text=True)
    assert f"/mentoring/pairings/{pairing_id}/decide" in html
    token = csrf_token(client, "/mentoring/approvals")
    response = client.post(
        f"/mentoring/pairings/{pairing_id}/decide",
        data={"decision": "approve", "csrf_token": token},
    )
    assert response.status_code == 303


def test_hr_dashboard_shows_pairings_stale_ones_months_and_gap_change(app, client, world):
    with app.app_context():
        from app.org.models import Employee

        program = make_program(world.a.id)
        make_profile(world.other_staff.id, capacity=5)
        fresh = make_pairing(program, world.other_staff.id, world.staff.id)
        stale = make_pairing(
            program, world.other_staff.id, world.staff2.id, start=today() - timedelta(days=60)
        )
        make_session(fresh, held_on=today() - timedelta(days=2), minutes=90, confirmed=True)
        make_session(stale, held_on=today() - timedelta(days=45), minutes=30)
        staff = db.session.get(Employee, world.staff.id)
        add_gap(staff, "M.03", 2.0, year=2025)
        add_gap(staff, "M.03", 1.0, year=2026)
        db.session.commit()
    login(client, "hr@test.example")
    response = client.get("/mentoring/hr")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="active-count">2<' in html and 'id="stale-count">1<' in html
    assert "Staf Dua" in html and "2025" in html and "-1.00" in html
    assert f"{today():%Y-%m}" in html
    partial = client.get("/mentoring/hr", headers=PARTIAL).get_data(as_text=True)
    assert partial.lstrip().startswith('<div id="hr-board"')


def test_hr_dashboard_without_two_cycles_says_so(client, world):
    login(client, "hr@test.example")
    html = client.get("/mentoring/hr").get_data(as_text=True)
    assert 'id="active-count">0<' in html


@pytest.mark.parametrize(
    ("email", "path"),
    [
        ("hr@test.example", "/mentoring/hr"),
        ("head@test.example", "/mentoring/approvals"),
        ("hr@test.example", "/mentoring/mentors"),
    ],
)
def test_hr_pages_use_a_constant_number_of_queries(app, client, world, email, path):
    from app.accounts.models import Role
    from app.org.models import Employee, Position
    from tests.factories import make_employee, make_user

    with app.app_context():
        program_id = make_program(world.a.id).id
        db.session.commit()
    login(client, email)
    counts = []
    for batch, size in ((1, 2), (2, 12)):
        with app.app_context():
            program = db.session.get(MentoringProgram, program_id)
            position = db.session.get(Position, world.staff_position.id)
            for n in range(size):
                mentor = make_employee(position)
                make_user(f"m{batch}-{n}@test.example", mentor, ((Role.MENTOR, world.a.id),))
                make_profile(mentor.id, strengths=("M.03",))
                mentee = make_employee(position)
                for year, gap in ((2025, 1.5), (2026, 1.0)):
                    add_gap(db.session.get(Employee, mentee.id), "M.03", gap, year=year)
                active = make_pairing(program, mentor.id, mentee.id)
                make_session(active, minutes=60, confirmed=n % 2 == 0)
                make_pairing(program, mentor.id, world.staff.id, PairingState.PROPOSED)
            db.session.commit()
            db.session.remove()
        with QueryCounter(app) as counter:
            assert client.get(path).status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], counts
