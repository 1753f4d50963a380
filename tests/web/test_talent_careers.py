"""Career pages: intended position, career paths, the IDP with its approval, succession."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.clock import local_today
from app.extensions import db
from app.talent.models import DevelopmentPlan, IdpStatus, KeyPosition
from tests.conftest import csrf_token, login
from tests.factories import ROLE_EMAILS
from tests.web.talent_pages import full_and_partial

YEAR = local_today().year


@pytest.fixture
def key_id(app, world):
    with app.app_context():
        key = KeyPosition(instansi_id=world.a.id, position_id=world.kabid_position.id)
        db.session.add(key)
        db.session.commit()
        return key.id


@pytest.mark.parametrize(
    ("role", "path", "marker"),
    [
        ("employee", "/talent/target", 'id="target-page"'),
        ("supervisor", "/talent/employees/{staff}/target", 'id="target-page"'),
        ("hr_admin", "/talent/career-paths", 'id="career-paths"'),
        ("employee", "/talent/idp", 'id="idp-page"'),
        ("supervisor", "/talent/idp/inbox", 'id="idp-inbox"'),
        ("hr_admin", "/talent/succession", 'id="succession-list"'),
        ("hr_admin", "/talent/succession/{key}", 'id="candidates"'),
    ],
)
def test_full_page_and_partial(client, world, key_id, role, path, marker):
    full_and_partial(client, role, path.format(staff=world.staff.id, key=key_id), marker)


def test_employee_sets_target_and_sees_second_gap(client, world):
    login(client, ROLE_EMAILS["employee"])
    url = f"/talent/employees/{world.staff.id}/target"
    token = csrf_token(client, url)
    same = client.post(url, data={"csrf_token": token, "position_id": world.staff_position.id})
    assert same.status_code == 422
    ok = client.post(url, data={"csrf_token": token, "position_id": world.kabid_position.id})
    assert ok.status_code == 303
    html = client.get("/talent/target").get_data(as_text=True)
    assert 'id="target-gap"' in html and "Kepala Bidang" in html
    assert client.get(f"/talent/employees/{world.staff2.id}/target").status_code == 404


def test_idp_draft_submit_and_supervisor_agrees(app, client, world):
    login(client, ROLE_EMAILS["employee"])
    token = csrf_token(client, "/talent/idp")
    drafted = client.post(f"/talent/employees/{world.staff.id}/idp", data={"csrf_token": token})
    assert drafted.status_code == 303
    plan_url = drafted.headers["Location"]
    added = client.post(
        f"{plan_url}/items",
        data={
            "csrf_token": token,
            "activity": "e_learning",
            "title": "MOOC ASN",
            "jp_planned": "6",
        },
    )
    assert added.status_code == 303
    bad = client.post(f"{plan_url}/items", data={"csrf_token": token, "activity": "x"})
    assert bad.status_code == 422
    assert client.post(f"{plan_url}/submit", data={"csrf_token": token}).status_code == 303
    client.post("/logout", data={"csrf_token": token})
    login(client, ROLE_EMAILS["supervisor"])
    inbox = client.get("/talent/idp/inbox").get_data(as_text=True)
    assert "Staf Satu" in inbox
    token = csrf_token(client, plan_url)
    no_comment = client.post(f"{plan_url}/decide", data={"csrf_token": token, "decision": "return"})
    assert no_comment.status_code == 422
    agreed = client.post(f"{plan_url}/decide", data={"csrf_token": token, "decision": "agree"})
    assert agreed.status_code == 303
    with app.app_context():
        assert db.session.scalars(select(DevelopmentPlan)).one().status == IdpStatus.AGREED
    page = client.get(plan_url).get_data(as_text=True)
    timeline = page[page.index('<ol class="timeline">') :]
    assert "· Dikirim ke atasan" in timeline and "· Kegiatan ditambahkan" in timeline
    assert "· submit" not in timeline and "· add_item" not in timeline


def test_key_positions_marked_by_hr_only(client, world):
    login(client, ROLE_EMAILS["hr_admin"])
    token = csrf_token(client, "/talent/succession")
    done = client.post(
        "/talent/succession", data={"csrf_token": token, "position_id": world.head_position.id}
    )
    assert done.status_code == 303
    again = client.post(
        "/talent/succession", data={"csrf_token": token, "position_id": world.head_position.id}
    )
    assert again.status_code == 422


def test_career_path_added_and_refused_twice(client, world):
    login(client, ROLE_EMAILS["hr_admin"])
    token = csrf_token(client, "/talent/career-paths")
    data = {
        "csrf_token": token,
        "from_position_id": world.staff_position.id,
        "to_position_id": world.kabid_position.id,
        "min_years_in_grade": "2",
    }
    assert client.post("/talent/career-paths", data=data).status_code == 303
    assert client.post("/talent/career-paths", data=data).status_code == 422
