"""The feedback form rendered from the survey definition; answers land in the survey tables."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.mentoring.models import MentoringSession, Pairing
from app.surveys.models import Answer, Response
from tests.conftest import csrf_token, login
from tests.unit.mentoring.factories import build_mentoring, make_session

PARTIAL = {"HX-Request": "true", "HX-Request-Type": "partial"}


@pytest.fixture
def sessions(app, world):
    """A confirmed and an unconfirmed session of the staff's pairing with the world mentor."""
    with app.app_context():
        ids = build_mentoring(world)
        pairing = db.session.get(Pairing, ids["pairing"])
        confirmed = make_session(pairing, minutes=60, confirmed=True)
        open_ = make_session(pairing)
        db.session.commit()
        result = {"confirmed": confirmed.id, "open": open_.id, "pairing": pairing.id}
        result["held_on"] = confirmed.held_on.isoformat()
        db.session.remove()
    return result


def answers(sessions, **changes):
    data = {
        "tanggal_sesi": sessions["held_on"],
        "bentuk_sesi": "tatap_muka",
        "durasi_menit": "60",
        "topik": "Rencana kerja",
        "manfaat": "5",
        "kesiapan_mentor": "4",
        "kejelasan_tindak_lanjut": "4",
        "berjalan_baik": "ya",
    }
    data.update(changes)
    return data


def responses(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Response))


def test_form_is_rendered_from_the_definition_and_prefilled(client, sessions):
    login(client, "staff@test.example")
    response = client.get(f"/mentoring/sessions/{sessions['confirmed']}/feedback")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Umpan Balik Sesi Mentoring" in html
    assert f'value="{sessions["held_on"]}"' in html and 'value="60"' in html
    assert 'name="berjalan_baik" value="tidak"' in html
    assert 'name="kendala"' not in html  # only relevant once the pairing is "not working"
    assert 'class="error"' not in html


def test_preview_shows_the_follow_up_question_without_errors(client, sessions):
    login(client, "staff@test.example")
    url = f"/mentoring/sessions/{sessions['confirmed']}/feedback"
    token = csrf_token(client, url)
    response = client.post(
        f"{url}?preview=1",
        data={**answers(sessions, berjalan_baik="tidak"), "csrf_token": token},
        headers=PARTIAL,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.lstrip().startswith('<div id="feedback-form"')
    assert 'name="kendala"' in html and 'class="error"' not in html


def test_incomplete_answers_answer_422_with_errors(app, client, sessions):
    login(client, "staff@test.example")
    url = f"/mentoring/sessions/{sessions['confirmed']}/feedback"
    token = csrf_token(client, url)
    for headers in ({}, PARTIAL):
        response = client.post(
            url,
            data={**answers(sessions, berjalan_baik="tidak", manfaat=""), "csrf_token": token},
            headers=headers,
        )
        html = response.get_data(as_text=True)
        assert response.status_code == 422
        assert 'id="q-kendala-error"' in html and 'id="q-manfaat-error"' in html
    assert responses(app) == 0


def test_not_working_flags_the_pairing_and_stores_answers(app, client, sessions):
    login(client, "staff@test.example")
    url = f"/mentoring/sessions/{sessions['confirmed']}/feedback"
    token = csrf_token(client, url)
    response = client.post(
        url,
        data={
            **answers(
                sessions, berjalan_baik="tidak", kendala="Sering batal", perlu_koordinator="ya"
            ),
            "csrf_token": token,
        },
    )
    assert response.status_code == 303 and response.location.endswith("/mentoring/me")
    with app.app_context():
        pairing = db.session.get(Pairing, sessions["pairing"])
        assert pairing.flagged_at is not None and pairing.flag_note == "Sering batal"
        session = db.session.get(MentoringSession, sessions["confirmed"])
        fields = set(
            db.session.scalars(
                select(Answer.field).where(Answer.response_id == session.feedback_response_id)
            )
        )
        assert {"berjalan_baik", "kendala", "manfaat", "tanggal_sesi"} <= fields
    html = client.get(url).get_data(as_text=True)
    assert "Anda sudah memberi umpan balik untuk sesi ini." in html
    client.post(url, data={**answers(sessions), "csrf_token": token})
    assert responses(app) == 1
    hr = app.test_client()
    login(hr, "hr@test.example")
    assert 'id="flagged-count">1<' in hr.get("/mentoring/hr").get_data(as_text=True)


def test_unconfirmed_session_redirects_to_confirm_first(client, sessions):
    login(client, "staff@test.example")
    response = client.get(f"/mentoring/sessions/{sessions['open']}/feedback")
    assert response.status_code == 303 and response.location.endswith("/mentoring/me")


def test_only_the_mentee_answers(app, sessions):
    for email, status in [("mentor@test.example", 403), ("mitra@test.example", 404)]:
        client = app.test_client()
        login(client, email)
        assert client.get(f"/mentoring/sessions/{sessions['confirmed']}/feedback").status_code == (
            status
        )
