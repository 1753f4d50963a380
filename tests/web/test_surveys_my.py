"""My surveys: signed-in employees answer their own assignments (self, each subordinate,
peers); a stakeholder login sees the invitations sent to its email."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.extensions import db
from app.surveys.models import Audience, Invitation, Response, ResponseStatus
from tests.conftest import csrf_token_from, login
from tests.web.matrix.surveys import invite, open_campaign


def test_supervisor_sees_self_assessment_and_one_rating_per_subordinate(app, client, world):
    with app.app_context():
        open_campaign(
            world.a.id, "penilaian_diri_kompetensi", Audience.SELF, public_link=False, title="Diri"
        )
        open_campaign(
            world.a.id,
            "penilaian_atasan_rekan",
            Audience.SUPERVISOR,
            public_link=False,
            title="Atasan",
        )
        db.session.commit()
    login(client, "kabid@test.example")
    html = client.get("/my/surveys").get_data(as_text=True)
    assert html.count('class="card"') == 3  # self + Staf Satu + Staf Dua
    assert "Tentang: Staf Satu" in html and "Tentang: Staf Dua" in html
    links = re.findall(r'href="(/i/[^"]+)"', html)
    assert len(links) == 3
    entry = client.get(links[0])
    assert entry.status_code == 303 and "/p/" in entry.headers["Location"]


def test_employee_answers_own_self_assessment_from_my_surveys(app, client, world):
    with app.app_context():
        open_campaign(world.a.id, "penilaian_diri_kompetensi", Audience.SELF, public_link=False)
        db.session.commit()
    login(client, "staff@test.example")
    html = client.get("/my/surveys").get_data(as_text=True)
    link = re.search(r'href="(/i/[^"]+)"', html).group(1)
    assert "Mulai" in html
    page_url = client.get(link).headers["Location"]
    page = client.get(page_url).get_data(as_text=True)
    response = client.post(
        page_url,
        data={"csrf_token": csrf_token_from(page), "jabatan_sesuai": "ya", "action": "next"},
    )
    assert response.status_code == 303
    assert "Lanjutkan" in client.get("/my/surveys").get_data(as_text=True)
    with app.app_context():
        draft = db.session.scalar(select(Response))
        assert draft.status == ResponseStatus.DRAFT
        assert draft.respondent_employee_id == draft.subject_employee_id == world.staff.id
        assert draft.org_unit_id == world.bidang.id and draft.rater_role == "self"


def test_stakeholder_login_sees_invitations_to_its_email(app, client, world):
    with app.app_context():
        campaign = open_campaign(world.a.id)
        invite(campaign, "mitra@test.example", "akademisi")
        invite(campaign, "someone-else@test.example", "lsm")
        db.session.commit()
    login(client, "mitra@test.example")
    html = client.get("/my/surveys").get_data(as_text=True)
    assert html.count('class="card"') == 1 and "Konsultasi publik" in html


def test_nothing_to_answer_and_closed_campaigns_are_not_listed(app, client, world):
    login(client, "hr@test.example")
    assert "tidak ada survei" in client.get("/my/surveys").get_data(as_text=True)
    with app.app_context():
        campaign = open_campaign(
            world.a.id, "penilaian_diri_kompetensi", Audience.SELF, public_link=False
        )
        from app.surveys.services import close_campaign

        close_campaign(campaign)
        assert db.session.scalar(select(Invitation.id).limit(1)) is not None
    staff = app.test_client()
    login(staff, "staff@test.example")
    assert "tidak ada survei" in staff.get("/my/surveys").get_data(as_text=True)


def test_my_surveys_runs_a_constant_number_of_queries(app, client, world):
    from tests.conftest import QueryCounter
    from tests.factories import make_employee

    with app.app_context():
        open_campaign(
            world.a.id,
            "penilaian_atasan_rekan",
            Audience.SUPERVISOR,
            public_link=False,
            title="Atasan 1",
        )
        db.session.commit()
    login(client, "kabid@test.example")

    def queries() -> int:
        with QueryCounter(app) as counter:
            assert client.get("/my/surveys").status_code == 200
        return counter.count

    small = queries()
    with app.app_context():
        from app.org.models import Position

        position = db.session.get(Position, world.staff_position.id)
        for _ in range(12):
            make_employee(position)
        db.session.commit()
        open_campaign(
            world.a.id,
            "penilaian_atasan_rekan",
            Audience.SUPERVISOR,
            public_link=False,
            title="Atasan 2",
        )
        db.session.commit()
    assert "Atasan 2" in client.get("/my/surveys").get_data(as_text=True)
    assert queries() == small


def test_links_survive_a_new_secret_key_without_writing_in_the_get(app, client, world):
    """Hashes stored under the old key are re-keyed once, in a short write transaction of the
    service's own (the page's deferred read transaction commits nothing)."""
    with app.app_context():
        open_campaign(world.a.id, "penilaian_diri_kompetensi", Audience.SELF, public_link=False)
        db.session.commit()
        before = db.session.scalar(
            select(Invitation.token_hash).where(Invitation.respondent_employee_id == world.staff.id)
        )
    old_key = app.config["SECRET_KEY"]
    app.config["SECRET_KEY"] = "a-new-secret-key-after-a-leak-0123456789"
    try:
        login(client, "staff@test.example")
        html = client.get("/my/surveys").get_data(as_text=True)
        link = re.search(r'href="(/i/[^"]+)"', html).group(1)
        entry = client.get(link)
        assert entry.status_code == 303 and "/p/" in entry.headers["Location"]
        with app.app_context():
            after = db.session.scalar(
                select(Invitation.token_hash).where(
                    Invitation.respondent_employee_id == world.staff.id
                )
            )
        assert after != before
        again = client.get("/my/surveys").get_data(as_text=True)
        assert re.search(r'href="(/i/[^"]+)"', again).group(1) == link
    finally:
        app.config["SECRET_KEY"] = old_key
