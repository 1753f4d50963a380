"""9-box pages: full page and partial, access to boxes and the pool, settings refusals."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.talent.models import TalentSettings
from tests.conftest import csrf_token, login
from tests.factories import ROLE_EMAILS, make_user
from tests.web.talent_pages import full_and_partial


@pytest.mark.parametrize(
    ("role", "path", "marker"),
    [
        ("employee", "/talent/me", 'id="employee-box"'),
        ("supervisor", "/talent/boxes", 'id="box-board"'),
        ("hr_admin", "/talent/boxes?box=9&type=pelaksana", 'id="box-board"'),
        ("hr_admin", "/talent/employees/{staff}", 'id="employee-box"'),
        ("hr_admin", "/talent/pool", 'id="box-board"'),
        ("hr_admin", "/talent/settings", 'id="settings-form"'),
        ("hr_admin", "/talent/employees/{staff}/potential", 'id="potential-form"'),
    ],
)
def test_full_page_and_partial(client, world, role, path, marker):
    full = full_and_partial(client, role, path.format(staff=world.staff.id), marker)
    if "boxes" in path or "pool" in path:
        assert "<svg" in full and "<table" in full  # the chart and its table equivalent


def test_employee_never_sees_another_box(client, world):
    login(client, ROLE_EMAILS["employee"])
    assert client.get(f"/talent/employees/{world.staff2.id}").status_code == 404
    assert client.get("/talent/boxes").status_code == 403
    assert client.get("/talent/pool").status_code == 403


def test_ppk_login_sees_the_pool(app, client, world):
    with app.app_context():
        ppk = make_user("ppk@test.example", None, instansi=world.a)
        db.session.add(TalentSettings(instansi_id=world.a.id, ppk_user_id=ppk.id))
        db.session.commit()
    login(client, "ppk@test.example")
    assert client.get("/talent/pool").status_code == 200
    assert client.get("/talent/settings").status_code == 403


def post_settings(client, **values):
    data = {
        "weight_jpm": "60", "weight_qualification": "20", "weight_assessment": "20",
        "low_from": "0", "low_to": "78", "medium_from": "78", "medium_to": "90",
        "high_from": "90", "high_to": "100", "ppk_user_id": "",
    }  # fmt: skip
    data.update(values)
    data["csrf_token"] = csrf_token(client, "/talent/settings")
    return client.post("/talent/settings", data=data)


def test_settings_refuse_gaps_and_overlaps_naming_values(client, world):
    login(client, ROLE_EMAILS["hr_admin"])
    gap = post_settings(client, medium_from="80")
    html = gap.get_data(as_text=True)
    assert gap.status_code == 422 and "78" in html and "80" in html
    overlap = post_settings(client, medium_to="92")
    assert overlap.status_code == 422 and "92" in overlap.get_data(as_text=True)
    weights = post_settings(client, weight_jpm="70")
    assert weights.status_code == 422 and "110" in weights.get_data(as_text=True)
    assert post_settings(client, low_to="70", medium_from="70").status_code == 303


def test_potential_inputs_saved(client, world):
    login(client, ROLE_EMAILS["hr_admin"])
    url = f"/talent/employees/{world.staff.id}/potential"
    token = csrf_token(client, url)
    bad = client.post(url, data={"csrf_token": token, "assessment_score": "120"})
    assert bad.status_code == 422
    bad_date = client.post(url, data={"csrf_token": token, "grade_since": "kemarin"})
    assert bad_date.status_code == 422
    ok = client.post(
        url,
        data={"csrf_token": token, "education": "s2", "assessment_score": "88",
              "grade_since": "2020-01-01"},
    )  # fmt: skip
    assert ok.status_code == 303
    assert "88" in client.get(f"/talent/employees/{world.staff.id}").get_data(as_text=True)
