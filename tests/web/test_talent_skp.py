"""SKP pages: full page and htmx partial, assessing with the computed predikat, the import."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from app.clock import local_today
from app.extensions import db
from app.talent.models import Predikat, SkpRating
from tests.conftest import csrf_token, login
from tests.factories import ROLE_EMAILS
from tests.web.talent_pages import PARTIAL, full_and_partial

YEAR = local_today().year


def skp_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(SkpRating))


@pytest.mark.parametrize(
    ("role", "path", "marker"),
    [
        ("employee", "/talent/skp", 'id="skp-history"'),
        ("supervisor", "/talent/skp/team", 'id="skp-team"'),
        ("hr_admin", "/talent/skp/employees/{staff}", 'id="skp-history"'),
        ("supervisor", "/talent/skp/employees/{staff}/assess", 'id="assess-form"'),
        ("hr_admin", "/talent/skp/import", 'id="import-preview"'),
    ],
)
def test_full_page_and_partial(client, world, role, path, marker):
    full = full_and_partial(client, role, path.format(staff=world.staff.id), marker)
    assert full


def test_supervisor_assesses_and_employee_sees_predikat(app, client, world):
    login(client, ROLE_EMAILS["supervisor"])
    team = client.get("/talent/skp/team").get_data(as_text=True)
    assert "Staf Satu" in team and "Staf Dua" in team
    url = f"/talent/skp/employees/{world.staff.id}/assess"
    token = csrf_token(client, url)
    bad = client.post(url, data={"csrf_token": token, "year": YEAR, "period": "tahunan"})
    assert bad.status_code == 422 and skp_count(app) == 0
    forged = client.post(
        url,
        data={
            "csrf_token": token, "year": YEAR, "period": "tahunan",
            "hasil_kerja": "di_atas", "perilaku": "di_atas", "predikat": "sangat_kurang",
        },
    )  # fmt: skip
    assert forged.status_code == 303
    with app.app_context():
        assert db.session.scalars(select(SkpRating)).one().predikat == Predikat.SANGAT_BAIK
    partial = client.post(
        url,
        data={"csrf_token": token, "year": YEAR + 5, "period": "tahunan",
              "hasil_kerja": "sesuai", "perilaku": "sesuai"},
        headers=PARTIAL,
    )  # fmt: skip
    assert partial.status_code == 422 and "<html" not in partial.get_data(as_text=True)
    client.post("/logout", data={"csrf_token": token})
    login(client, ROLE_EMAILS["employee"])
    own = client.get("/talent/skp").get_data(as_text=True)
    assert "Sangat Baik" in own


def test_employee_never_sees_another_skp(client, world):
    login(client, ROLE_EMAILS["employee"])
    assert client.get(f"/talent/skp/employees/{world.staff2.id}").status_code == 404
    assert client.get(f"/talent/skp/employees/{world.staff2.id}/assess").status_code == 404


def upload(client, world, rows: list[str]):
    token = csrf_token(client, "/talent/skp/import")
    body = ("NIP,TAHUN,PERIODE,HASIL_KERJA,PERILAKU,PREDIKAT\n" + "\n".join(rows)).encode()
    return client.post(
        "/talent/skp/import",
        data={
            "csrf_token": token,
            "instansi_id": str(world.a.id),
            "year": str(YEAR - 1),
            "file": (io.BytesIO(body), "ekinerja.csv"),
        },
        content_type="multipart/form-data",
    )


def test_import_preview_then_confirm(app, client, world):
    login(client, ROLE_EMAILS["hr_admin"])
    bad = upload(client, world, [f"{world.staff.nip},{YEAR - 1},,sesuai,sesuai,Sangat Baik"])
    html = bad.get_data(as_text=True)
    assert (
        bad.status_code == 200
        and "bertentangan dengan matriks" in html
        and "Impor 1 baris" not in html
    )
    assert skp_count(app) == 0
    good = upload(client, world, [f"{world.staff.nip},{YEAR - 1},,sesuai,sesuai,Baik"])
    html = good.get_data(as_text=True)
    action = html.split('action="/talent/skp/import/')[1].split('"')[0]
    token = csrf_token(client, "/talent/skp/import")
    done = client.post(f"/talent/skp/import/{action}", data={"csrf_token": token})
    assert done.status_code == 303 and skp_count(app) == 1
    again = client.post(f"/talent/skp/import/{action}", data={"csrf_token": token})
    assert again.status_code == 303 and skp_count(app) == 1


def test_import_refuses_wrong_file_type_with_422(client, world):
    login(client, ROLE_EMAILS["hr_admin"])
    token = csrf_token(client, "/talent/skp/import")
    response = client.post(
        "/talent/skp/import",
        data={"csrf_token": token, "instansi_id": str(world.a.id), "year": "2025",
              "file": (io.BytesIO(b"x"), "e.pdf")},
        content_type="multipart/form-data",
    )  # fmt: skip
    assert response.status_code == 422
