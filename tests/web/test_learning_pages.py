"""Learning record pages: own progress toward 20 JP, the head's and HR's view, HR's entry form."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from app.clock import local_today
from app.extensions import db
from app.learning.models import LearningRecord, LearningSource
from app.learning.services import credit_jp
from tests.conftest import QueryCounter, csrf_token, login
from tests.factories import ROLE_EMAILS, make_employee

PARTIAL = {"HX-Request": "true", "HX-Request-Type": "partial"}
THIS_YEAR = local_today().year


def credit(app, employee_id: int, jp: float, ref: str, day: date | None = None) -> None:
    with app.app_context():
        credit_jp(
            employee_id,
            jp,
            LearningSource.TRAINING,
            ref,
            day or date(THIS_YEAR, 1, 15),
            f"Kegiatan {ref}",
            "CERT-1",
        )
        db.session.commit()
        db.session.remove()


def test_employee_sees_own_progress(app, client, world):
    credit(app, world.staff.id, 12, "participation:1")
    credit(app, world.staff.id, 5, "participation:2", date(THIS_YEAR - 1, 6, 1))
    login(client, ROLE_EMAILS["employee"])
    page = client.get("/learning").get_data(as_text=True)
    assert "12 / 20 JP" in page and "Kegiatan participation:1" in page
    assert "Kegiatan participation:2" not in page
    last_year = client.get(f"/learning?year={THIS_YEAR - 1}", headers=PARTIAL).get_data(
        as_text=True
    )
    assert last_year.lstrip().startswith('<section id="record-table"')
    assert "5 / 20 JP" in last_year
    full = client.get(f"/learning?year={THIS_YEAR - 1}").get_data(as_text=True)
    assert f'name="year" type="number" min="2000" max="2100" value="{THIS_YEAR - 1}"' in full
    assert client.get("/learning?year=99999").status_code == 200  # out of range: this year


def test_head_and_hr_see_progress_of_their_scope(app, client, world):
    credit(app, world.staff.id, 24, "participation:1")
    credit(app, world.staff2.id, 6, "participation:2")
    login(client, ROLE_EMAILS["unit_head"])
    page = client.get("/learning/team").get_data(as_text=True)
    assert "Staf Satu" in page and "Staf Dua" in page and "Staf Pendidikan" not in page
    below = client.get("/learning/team?below=1", headers=PARTIAL).get_data(as_text=True)
    assert below.lstrip().startswith('<section id="progress-table"')
    assert "Staf Dua" in below and "Staf Satu" not in below
    assert client.get(f"/learning/employees/{world.staff.id}").status_code == 200
    assert client.get(f"/learning/employees/{world.other_staff.id}").status_code == 404
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    login(client, ROLE_EMAILS["hr_admin"])
    page = client.get("/learning/team").get_data(as_text=True)
    assert "Staf Pendidikan" in page and "Staf Kabupaten" not in page
    assert client.get(f"/learning/employees/{world.b_staff.id}").status_code == 404


def test_team_progress_query_count_is_constant(app, client, world):
    login(client, ROLE_EMAILS["hr_admin"])

    def count() -> int:
        with QueryCounter(app) as counter:
            assert client.get("/learning/team").status_code == 200
        return counter.count

    small = count()
    with app.app_context():
        position = db.session.merge(world.staff_position)
        for n in range(40):
            employee = make_employee(position, f"Pegawai {n:02d}")
            credit_jp(
                employee.id, n % 25 + 1, LearningSource.MANUAL, f"m:{n}", date(THIS_YEAR, 2, 1), "x"
            )
        db.session.commit()
        db.session.remove()
    assert count() == small


def test_hr_records_an_outside_activity(app, client, world):
    login(client, ROLE_EMAILS["hr_admin"])
    path = "/learning/records/new"
    token = csrf_token(client, path)
    data = {
        "csrf_token": token,
        "nip": world.staff.nip_display,
        "title": "Webinar Literasi Digital",
        "activity_date": date(THIS_YEAR, 1, 10).isoformat(),
        "jp": "3",
        "certificate_number": "LD-77",
    }
    unknown = client.post(path, data={**data, "nip": "199001012020121001"}, headers=PARTIAL)
    assert unknown.status_code == 422 and unknown.get_data(as_text=True).lstrip().startswith(
        "<form"
    )
    other = client.post(path, data={**data, "nip": world.b_staff.nip})
    assert other.status_code == 422
    future = client.post(
        path, data={**data, "activity_date": (local_today() + timedelta(days=3)).isoformat()}
    )
    assert future.status_code == 422
    bad_jp = client.post(path, data={**data, "jp": "0"})
    assert bad_jp.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LearningRecord)) == 0
        db.session.remove()
    response = client.post(path, data=data)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/learning/employees/{world.staff.id}")
    with app.app_context():
        record = db.session.scalars(select(LearningRecord)).one()
        assert record.source == LearningSource.MANUAL and record.jp == 3
        db.session.remove()


def test_roles_without_a_record_are_refused(client, world):
    login(client, ROLE_EMAILS["hr_admin"])
    assert client.get("/learning").status_code == 403
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    login(client, ROLE_EMAILS["employee"])
    assert client.get("/learning/team").status_code == 403
    assert client.get("/learning/records/new").status_code == 403
