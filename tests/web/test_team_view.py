"""Supervisors' team view: direct and indirect reports by the position tree, with JP, gaps and
development needs, linked from the dashboard; their gap profiles open for the supervisor."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.org.models import OrgUnit, Position
from tests.conftest import QueryCounter, login
from tests.factories import ROLE_EMAILS, make_employee, make_position


@pytest.fixture
def chain(app, world):
    """staff ← junior ← trainee in the position tree (no unit headship involved)."""
    with app.app_context():
        staff_position = db.session.get(Position, world.staff_position.id)
        junior_position = make_position(
            db.session.get(OrgUnit, staff_position.org_unit_id), "Pengadministrasi Umum"
        )
        junior_position.superior_id = staff_position.id
        db.session.flush()
        trainee_position = make_position(
            db.session.get(OrgUnit, staff_position.org_unit_id), "Calon Pengadministrasi"
        )
        trainee_position.superior_id = junior_position.id
        db.session.flush()
        junior = make_employee(junior_position, "Junior Dua")
        trainee = make_employee(trainee_position, "Magang Tiga")
        db.session.commit()
        return junior.id, trainee.id


def test_supervisor_sees_direct_and_indirect_reports(client, world, chain):
    junior_id, trainee_id = chain
    login(client, ROLE_EMAILS["employee"])  # staff now supervises junior, who supervises trainee
    html = client.get("/team").get_data(as_text=True)
    table = html[html.index('id="team-table"') :]
    assert "Junior Dua" in table and "Magang Tiga" in table and "Staf Satu" not in table
    assert client.get(f"/needs/employees/{trainee_id}").status_code == 200
    assert client.get(f"/employees/{trainee_id}").status_code == 200
    dashboard = client.get("/").get_data(as_text=True)
    assert 'href="/team"' in dashboard


def test_team_page_is_for_supervisors_only(client, world):
    login(client, ROLE_EMAILS["hr_admin"])
    assert client.get("/team").status_code == 403


def test_unit_head_sees_the_headed_subtree(client, world):
    login(client, ROLE_EMAILS["unit_head"])
    html = client.get("/team").get_data(as_text=True)
    assert "Staf Satu" in html


def test_partial_and_constant_statements(app, client, world, chain):
    login(client, ROLE_EMAILS["employee"])
    part = client.get("/team", headers={"HX-Request": "true", "HX-Request-Type": "partial"})
    assert part.get_data(as_text=True).lstrip().startswith('<section id="team-table"')
    with QueryCounter(app) as small:
        client.get("/team")
    with app.app_context():
        parent = db.session.get(Position, world.staff_position.id)
        for n in range(5):
            position = make_position(db.session.get(OrgUnit, parent.org_unit_id), f"Tambahan {n}")
            position.superior_id = parent.id
            db.session.flush()
            make_employee(position, f"Tambahan {n}")
        db.session.commit()
    with QueryCounter(app) as large:
        html = client.get("/team").get_data(as_text=True)
    assert "Tambahan 4" in html
    assert large.count == small.count
