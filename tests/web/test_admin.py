"""Account creation, role grants and instansi administration."""

from __future__ import annotations

from sqlalchemy import select

from app.accounts.models import Role, User
from app.clock import TimeZoneName
from app.extensions import db
from app.org.models import Instansi
from tests.conftest import csrf_token, login


def test_hr_creates_an_employee_account_that_can_log_in(app, client, world):
    login(client, "hr@test.example")
    token = csrf_token(client, "/admin/users/new")
    response = client.post(
        "/admin/users/new",
        data={
            "kind": "employee",
            "nip": world.staff2.nip_display,
            "email": "dua@kota-a.example",
            "password": "a long enough secret",
            "csrf_token": token,
        },
    )
    assert response.status_code == 303
    other = app.test_client()
    login(other, "dua@kota-a.example", "a long enough secret")
    assert "Staf Dua" in other.get("/").get_data(as_text=True)


def test_hr_cannot_create_accounts_for_another_instansi_or_twice(client, world):
    login(client, "hr@test.example")
    token = csrf_token(client, "/admin/users/new")
    base = {
        "kind": "employee",
        "email": "x@kab-b.example",
        "password": "a long enough secret",
        "csrf_token": token,
    }
    response = client.post("/admin/users/new", data={**base, "nip": world.b_staff.nip})
    assert response.status_code == 422 and "Tidak ada pegawai" in response.get_data(as_text=True)
    response = client.post("/admin/users/new", data={**base, "nip": world.staff.nip})
    assert response.status_code == 422 and "sudah memiliki akun" in response.get_data(as_text=True)


def test_stakeholder_account_gets_the_stakeholder_role(app, client, world):
    login(client, "hr@test.example")
    token = csrf_token(client, "/admin/users/new")
    response = client.post(
        "/admin/users/new",
        data={
            "kind": "stakeholder",
            "display_name": "Dr. Rina",
            "organisation": "Universitas Riau",
            "email": "rina@unri.example",
            "password": "a long enough secret",
            "csrf_token": token,
        },
    )
    assert response.status_code == 303
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "rina@unri.example"))
        assert [g.role for g in user.grants] == [
            Role.STAKEHOLDER
        ] and user.instansi_id == world.a.id


def test_hr_grants_mentor_but_not_sysadmin(app, client, world):
    login(client, "hr@test.example")
    target = world.users["employee"].id
    token = csrf_token(client, f"/admin/users/{target}")
    response = client.post(
        f"/admin/users/{target}", data={"roles": ["sysadmin"], "csrf_token": token}
    )
    assert response.status_code == 422
    response = client.post(
        f"/admin/users/{target}", data={"roles": ["mentor"], "csrf_token": token}
    )
    assert response.status_code == 303
    with app.app_context():
        grants = db.session.get(User, target).grants
        assert [(g.role, g.instansi_id) for g in grants] == [(Role.MENTOR, world.a.id)]


def test_hr_cannot_administer_accounts_of_another_instansi(client, world):
    login(client, "hr@test.example")
    assert client.get(f"/admin/users/{world.users['sysadmin'].id}").status_code == 404


def test_sysadmin_adds_an_instansi_and_duplicate_codes_are_refused(app, client, world):
    login(client, "admin@test.example")
    token = csrf_token(client, "/admin/instansi")
    data = {
        "code": "kota-plaju",
        "name": "Kota Plaju",
        "kind": "kota",
        "ppk_title": "Wali Kota",
        "csrf_token": token,
    }
    assert client.post("/admin/instansi", data=data).status_code == 303
    response = client.post("/admin/instansi", data=data)
    assert response.status_code == 422 and "sudah dipakai" in response.get_data(as_text=True)
    response = client.post("/admin/instansi", data={**data, "code": "Bad Code!"})
    assert response.status_code == 422
    with app.app_context():
        assert (
            db.session.scalar(select(Instansi).where(Instansi.code == "kota-plaju")).name
            == "Kota Plaju"
        )


def test_sysadmin_chooses_the_time_zone_of_an_instansi(app, client, world):
    login(client, "admin@test.example")
    data = {
        "code": "kab-sorong-selatan",
        "name": "Kabupaten Sorong Selatan",
        "kind": "kabupaten",
        "time_zone": "Asia/Jayapura",
        "csrf_token": csrf_token(client, "/admin/instansi"),
    }
    assert client.post("/admin/instansi", data=data).status_code == 303
    response = client.post("/admin/instansi", data={**data, "code": "x", "time_zone": "Mars/Base"})
    assert response.status_code == 422
    html = client.get("/admin/instansi").get_data(as_text=True)
    assert "WIT (Waktu Indonesia Timur, UTC+9)" in html and "Zona waktu portal" in html
    with app.app_context():
        rows = db.session.execute(select(Instansi.code, Instansi.time_zone)).all()
        assert dict(rows)["kab-sorong-selatan"] == TimeZoneName.WIT
        assert dict(rows)[world.a.code] is None


def test_user_list_partial_for_htmx(client, world):
    login(client, "admin@test.example")
    html = client.get(
        "/admin/users?q=staff", headers={"HX-Request": "true", "HX-Request-Type": "partial"}
    ).get_data(as_text=True)
    assert html.lstrip().startswith('<section id="user-table"') and "staff@test.example" in html
