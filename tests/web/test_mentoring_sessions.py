"""Logging a session on the mentor dashboard, confirming it as the mentee, JP on the record."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.learning.services import jp_total
from app.mentoring.models import MentoringSession
from tests.conftest import QueryCounter, csrf_token, login
from tests.unit.mentoring.factories import build_mentoring, make_pairing, make_session, today

PARTIAL = {"HX-Request": "true", "HX-Request-Type": "partial"}


@pytest.fixture
def ids(app, world):
    with app.app_context():
        built = build_mentoring(world)
        db.session.remove()
    return built


def session_form(ids, **changes):
    data = {
        "pairing_id": str(ids["pairing"]),
        "held_on": today().isoformat(),
        "duration_minutes": "90",
        "mode": "tatap_muka",
        "topics": "Telaahan staf",
        "notes": "",
        "agreed_actions": "Draf minggu depan",
    }
    data.update(changes)
    return data


def sessions(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(MentoringSession))


def test_mentor_dashboard_has_the_small_form_dated_today(client, ids):
    login(client, "mentor@test.example")
    response = client.get("/mentoring/mentor")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" in html
    assert f'value="{today().isoformat()}"' in html and 'name="duration_minutes"' in html
    assert 'hx-post="/mentoring/sessions"' in html and "Staf Satu" in html
    partial = client.get("/mentoring/mentor", headers=PARTIAL).get_data(as_text=True)
    assert partial.lstrip().startswith('<div id="mentor-board"') and "<html" not in partial


def test_logging_with_htmx_swaps_the_board(app, client, ids):
    login(client, "mentor@test.example")
    token = csrf_token(client, "/mentoring/mentor")
    response = client.post(
        "/mentoring/sessions", data={**session_form(ids), "csrf_token": token}, headers=PARTIAL
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.lstrip().startswith('<div id="mentor-board"')
    assert 'id="unconfirmed-count">1<' in html
    assert sessions(app) == 1


def test_logging_without_javascript_redirects(app, client, ids):
    login(client, "mentor@test.example")
    token = csrf_token(client, "/mentoring/mentor")
    response = client.post("/mentoring/sessions", data={**session_form(ids), "csrf_token": token})
    assert response.status_code == 303 and response.location.endswith("/mentoring/mentor")
    assert sessions(app) == 1


@pytest.mark.parametrize(
    ("changes", "field", "text"),
    [
        ({"duration_minutes": "0"}, "duration_minutes", "Durasi harus lebih dari nol."),
        ({"duration_minutes": "-15"}, "duration_minutes", "Durasi harus lebih dari nol."),
        ({"duration_minutes": "abc"}, "duration_minutes", ""),
        ({"held_on": "future"}, "held_on", "Tanggal sesi tidak boleh di masa depan."),
        ({"held_on": "before"}, "held_on", "sesi tidak boleh lebih awal"),
        ({"held_on": "2026-02-31"}, "held_on", ""),
        ({"topics": ""}, "topics", ""),
        ({"pairing_id": "999999"}, "pairing_id", ""),
        ({"pairing_id": "x"}, "pairing_id", ""),
    ],
)
def test_bad_session_input_answers_422_and_saves_nothing(app, client, ids, changes, field, text):
    if changes.get("held_on") == "future":
        changes["held_on"] = (today() + timedelta(days=1)).isoformat()
    elif changes.get("held_on") == "before":
        changes["held_on"] = (today() - timedelta(days=31)).isoformat()
    login(client, "mentor@test.example")
    token = csrf_token(client, "/mentoring/mentor")
    for headers in ({}, PARTIAL):
        response = client.post(
            "/mentoring/sessions",
            data={**session_form(ids, **changes), "csrf_token": token},
            headers=headers,
        )
        html = response.get_data(as_text=True)
        assert response.status_code == 422, html[:500]
        assert f'id="{field}-error"' in html or 'class="error-summary"' in html
        if text:
            assert text in html
    assert sessions(app) == 0


def test_mentor_cannot_log_for_someone_elses_pairing(app, client, world, ids):
    with app.app_context():
        from tests.unit.mentoring.factories import make_profile

        make_profile(world.kabid.id)
        db.session.commit()
    login(client, "mentor@test.example")
    with app.app_context():
        from app.mentoring.models import MentoringProgram

        program = db.session.get(MentoringProgram, ids["program"])
        foreign = make_pairing(program, world.kabid.id, world.staff2.id)
        db.session.commit()
        foreign_id = foreign.id
        db.session.remove()
    token = csrf_token(client, "/mentoring/mentor")
    response = client.post(
        "/mentoring/sessions",
        data={**session_form(ids, pairing_id=str(foreign_id)), "csrf_token": token},
    )
    assert response.status_code == 422 and sessions(app) == 0


def test_only_mentors_reach_the_session_log(client, ids):
    login(client, "staff@test.example")
    assert client.get("/mentoring/mentor").status_code == 403
    token = csrf_token(client, "/mentoring/me")
    response = client.post("/mentoring/sessions", data={**session_form(ids), "csrf_token": token})
    assert response.status_code == 403


def test_mentee_confirms_and_jp_rises_by_the_rate(app, client, world, ids):
    with app.app_context():
        from app.mentoring.models import Pairing

        session = make_session(db.session.get(Pairing, ids["pairing"]), minutes=90)
        db.session.commit()
        session_id, year = session.id, session.held_on.year
        before = jp_total(world.staff.id, year)
        db.session.remove()
    login(client, "staff@test.example")
    page = client.get("/mentoring/me").get_data(as_text=True)
    assert f"/mentoring/sessions/{session_id}/confirm" in page
    token = csrf_token(client, "/mentoring/me")
    response = client.post(f"/mentoring/sessions/{session_id}/confirm", data={"csrf_token": token})
    assert response.status_code == 303 and response.location.endswith("/mentoring/me")
    page = client.get("/mentoring/me").get_data(as_text=True)
    assert f'data-jp="{before + 2.0}"' in page
    assert f"/mentoring/sessions/{session_id}/feedback" in page
    again = client.post(
        f"/mentoring/sessions/{session_id}/confirm", data={"csrf_token": token}, headers=PARTIAL
    )
    assert again.status_code == 200 and again.get_data(as_text=True).lstrip().startswith(
        '<div id="mentee-board"'
    )
    with app.app_context():
        assert jp_total(world.staff.id, year) == before + 2.0  # credited once


def test_confirming_is_for_the_mentee_only(app, client, ids):
    with app.app_context():
        from app.mentoring.models import Pairing

        session = make_session(db.session.get(Pairing, ids["pairing"]))
        db.session.commit()
        session_id = session.id
        db.session.remove()
    for email, status in [
        ("mentor@test.example", 403),
        ("hr@test.example", 403),
        ("mitra@test.example", 404),
    ]:
        client = app.test_client()
        login(client, email)
        token = csrf_token(client, "/account")
        response = client.post(
            f"/mentoring/sessions/{session_id}/confirm", data={"csrf_token": token}
        )
        assert response.status_code == status, email
    with app.app_context():
        assert db.session.get(MentoringSession, session_id).confirmed_at is None


def test_mentor_deletes_an_unconfirmed_session_not_a_confirmed_one(app, client, ids):
    with app.app_context():
        from app.mentoring.models import Pairing

        pairing = db.session.get(Pairing, ids["pairing"])
        wrong = make_session(pairing).id
        kept = make_session(pairing, confirmed=True).id
        db.session.commit()
        db.session.remove()
    login(client, "mentor@test.example")
    token = csrf_token(client, "/mentoring/mentor")
    response = client.post(
        f"/mentoring/sessions/{wrong}/delete", data={"csrf_token": token}, headers=PARTIAL
    )
    assert response.status_code == 200 and "mentor-board" in response.get_data(as_text=True)
    response = client.post(f"/mentoring/sessions/{kept}/delete", data={"csrf_token": token})
    assert response.status_code == 303
    assert sessions(app) == 1


def grow(app, world, ids, mentees: int) -> None:
    """Add mentees with sessions and goals, so query counts can be compared at two sizes."""
    from app.mentoring.models import Goal, MentoringProgram
    from tests.factories import make_employee

    with app.app_context():
        from app.mentoring.models import MentorProfile
        from app.org.models import Position

        program = db.session.get(MentoringProgram, ids["program"])
        db.session.scalar(
            select(MentorProfile).where(MentorProfile.employee_id == world.other_staff.id)
        ).capacity = 100
        position = db.session.get(Position, world.staff_position.id)
        for _ in range(mentees):
            mentee = make_employee(position)
            pairing = make_pairing(program, world.other_staff.id, mentee.id)
            for days in (3, 10):
                make_session(pairing, held_on=today() - timedelta(days=days))
            db.session.add(Goal(pairing_id=pairing.id, description="Sasaran", progress=50))
        db.session.commit()
        db.session.remove()


@pytest.mark.parametrize(
    ("email", "path"),
    [("mentor@test.example", "/mentoring/mentor"), ("staff@test.example", "/mentoring/me")],
)
def test_dashboards_use_a_constant_number_of_queries(app, client, world, ids, email, path):
    login(client, email)
    counts = []
    for extra in (2, 12):
        grow(app, world, ids, extra)
        with QueryCounter(app) as counter:
            assert client.get(path).status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], counts
