"""Evaluation pages: the room link, results with the privacy threshold, L2/L3 tables, settings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.evaluation.models import EvaluationRequest, EventInstrument, Level
from app.evaluation.scan import run_due
from app.extensions import db
from app.org.models import Employee, EmployeeStatus
from app.surveys.models import Invitation
from app.surveys.services.days import local_today
from tests.conftest import csrf_token, login
from tests.factories import ROLE_EMAILS, make_employee
from tests.unit.evaluation.factories import answer, attend, ended_event

PARTIAL = {"HX-Request": "true", "HX-Request-Type": "partial"}


@pytest.fixture
def evaluated(app, world):
    """An event that ended yesterday with 6 participants, all asked for their reaction."""
    with app.app_context():
        event = ended_event(world, local_today() - timedelta(days=1))
        people = [world.staff, world.staff2]
        position = db.session.get(Employee, world.staff.id).position
        people += [make_employee(position, f"Peserta {n}", EmployeeStatus.PNS) for n in range(4)]
        for person in people:
            attend(event, person)
        run_due(local_today())
        db.session.commit()
        return {"event": event.id, "program": event.program_id, "world": world}


def reaction_invitations() -> list[Invitation]:
    campaign = db.session.scalar(
        select(EventInstrument.campaign_id).where(EventInstrument.level == Level.REACTION)
    )
    return list(db.session.scalars(select(Invitation).where(Invitation.campaign_id == campaign)))


def test_a_participant_reaches_their_survey_from_the_room_link(client, evaluated):
    login(client, ROLE_EMAILS["employee"])
    response = client.get(f"/evaluation/events/{evaluated['event']}/reaction")
    assert response.status_code == 303
    assert "/i/" in response.headers["Location"]
    assert client.get(response.headers["Location"]).status_code in (200, 303)


def test_someone_who_did_not_attend_is_refused_clearly(client, evaluated):
    login(client, ROLE_EMAILS["supervisor"])
    response = client.get(f"/evaluation/events/{evaluated['event']}/reaction")
    assert response.status_code == 403
    assert "peserta" in response.get_data(as_text=True).lower()


def test_reaction_results_stay_hidden_below_the_privacy_threshold(app, client, evaluated):
    with app.app_context():
        for invitation in reaction_invitations()[:4]:
            answer(invitation, {"materi.relevan_tugas": 2, "kepuasan_umum": 2})
        db.session.commit()
    login(client, ROLE_EMAILS["hr_admin"])
    html = client.get(f"/evaluation/events/{evaluated['event']}").get_data(as_text=True)
    assert 'data-figure="reaction-overall"' not in html
    assert "4 tanggapan sejauh ini" in html


def test_reaction_results_and_comments_above_the_threshold_flag_the_program(app, client, evaluated):
    with app.app_context():
        for invitation in reaction_invitations()[:5]:
            answer(
                invitation,
                {
                    "materi.relevan_tugas": 2,
                    "pengajar.menguasai": 3,
                    "kepuasan_umum": 2,
                    "saran_perbaikan": "Materi kurang sesuai tugas",
                },
            )
        db.session.commit()
    login(client, ROLE_EMAILS["hr_admin"])
    html = client.get(f"/evaluation/events/{evaluated['event']}").get_data(as_text=True)
    assert 'data-figure="reaction-overall"' in html
    assert "Materi kurang sesuai tugas" in html
    program = client.get(f"/evaluation/programs/{evaluated['program']}").get_data(as_text=True)
    assert 'data-figure="flagged"' in program
    listing = client.get("/evaluation/").get_data(as_text=True)
    assert "flagged" in listing


def test_follow_up_shows_both_views(app, client, evaluated):
    with app.app_context():
        run_due(local_today() + timedelta(days=90))
        db.session.commit()
        world = evaluated["world"]
        for invitation in db.session.scalars(
            select(Invitation).where(Invitation.subject_employee_id == world.staff.id)
        ):
            if invitation.rater_role == "supervisor":
                answer(invitation, {"perubahan_perilaku": 4})
            elif (
                invitation.rater_role == "participant"
                and invitation.campaign.definition_id == "tindak_lanjut_90_hari"
            ):
                answer(invitation, {"frekuensi_penerapan": 5})
        db.session.commit()
    login(client, ROLE_EMAILS["hr_admin"])
    html = client.get(f"/evaluation/events/{evaluated['event']}").get_data(as_text=True)
    assert 'data-figure="mean-behaviour"' in html
    assert "4,5" in html  # (5 + 4) / 2 in the Indonesian number format


def test_pages_answer_their_htmx_block(client, evaluated):
    login(client, ROLE_EMAILS["hr_admin"])
    event = client.get(f"/evaluation/events/{evaluated['event']}", headers=PARTIAL)
    assert event.get_data(as_text=True).lstrip().startswith('<div id="evaluation">')
    listing = client.get("/evaluation/", headers=PARTIAL).get_data(as_text=True)
    assert listing.lstrip().startswith('<section class="card" id="programs">')


def test_settings_refuse_a_survey_without_scored_questions(client, evaluated):
    login(client, ROLE_EMAILS["hr_admin"])
    path = f"/evaluation/programs/{evaluated['program']}"
    token = csrf_token(client, path)
    bad = client.post(
        path,
        data={
            "csrf_token": token,
            "follow_up_days": "90",
            "pretest_definition": "evaluasi_reaksi_pelatihan",
            "posttest_definition": "",
            "flag_threshold": "3.5",
        },
    )
    assert bad.status_code == 422  # not offered: the choice is refused by the form
    good = client.post(
        path,
        data={
            "csrf_token": token,
            "follow_up_days": "60",
            "pretest_definition": "uji_pengetahuan_pelayanan_publik",
            "posttest_definition": "uji_pengetahuan_pelayanan_publik",
            "flag_threshold": "3.5",
        },
    )
    assert good.status_code == 303
    huge = client.post(
        path, data={"csrf_token": token, "follow_up_days": "999999999999", "flag_threshold": "3"}
    )
    assert huge.status_code == 422


def test_other_instansi_cannot_see_an_event(client, evaluated, app):
    login(client, ROLE_EMAILS["hr_admin"])
    assert client.get("/evaluation/events/999999").status_code == 404
    assert client.get("/evaluation/programs/99999999999999").status_code == 404


def test_a_change_project_is_recorded(app, client, evaluated):
    login(client, ROLE_EMAILS["hr_admin"])
    path = f"/evaluation/events/{evaluated['event']}"
    with app.app_context():
        participation_id = db.session.scalar(
            select(EvaluationRequest.participation_id).where(
                EvaluationRequest.event_id == evaluated["event"]
            )
        )
    token = csrf_token(client, path)
    response = client.post(
        f"{path}/projects",
        data={
            "csrf_token": token,
            "participation_id": participation_id,
            "title": "Layanan daring",
            "status": "in_progress",
        },
    )
    assert response.status_code == 303
    assert "Layanan daring" in client.get(path).get_data(as_text=True)
    empty = client.post(
        f"{path}/projects", data={"csrf_token": token, "title": ""}, headers=PARTIAL
    )
    assert empty.status_code == 422


def test_home_and_cockpit_show_evaluations(app, client, evaluated):
    login(client, ROLE_EMAILS["employee"])
    home = client.get("/").get_data(as_text=True)
    assert "1 evaluasi pelatihan perlu dijawab" in home
    hr = client.application.test_client()
    login(hr, ROLE_EMAILS["hr_admin"])
    cockpit = hr.get("/monitoring/").get_data(as_text=True)
    assert 'id="evaluation"' in cockpit
