"""The cycle cockpit and the role home pages: scope, figures on the page, partials, exports."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest

from app.clock import local_today
from app.extensions import db
from app.learning.models import LearningSource
from app.learning.services import credit_jp
from app.training.models import BudgetLine, BudgetSource
from tests.conftest import login
from tests.factories import ROLE_EMAILS
from tests.web.test_export_injection import PAYLOADS, assert_xlsx_inert

YEAR = local_today().year
PARTIAL = {"HX-Request": "true", "HX-Request-Type": "partial"}


@pytest.fixture
def activity(app, world):
    """Staff Satu has 20 JP, the head 8; a budget line of the OPD is fully committed."""
    with app.app_context():
        credit_jp(world.staff.id, 20, LearningSource.MANUAL, "t:1", date(YEAR, 3, 1), "Diklat")
        credit_jp(world.head.id, 8, LearningSource.MANUAL, "t:2", date(YEAR, 4, 1), "Seminar")
        db.session.add(
            BudgetLine(
                instansi_id=world.a.id,
                org_unit_id=world.opd.id,
                year=YEAR,
                code="5.1.02",
                name="Diklat teknis",
                source=BudgetSource.APBD,
                amount=10_000_000,
                committed=10_000_000,
            )
        )
        db.session.commit()
    return world


def test_hr_sees_the_whole_instansi_with_alerts(client, activity):
    login(client, ROLE_EMAILS["hr_admin"])
    page = client.get(f"/monitoring/?year={YEAR}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'data-figure="jp-met"' in html
    # 5 active employees in Kota A, one of them at 20 JP
    assert "1 / 5" in html
    assert "Dinas Pendidikan" in html  # the other OPD is in HR's breakdown
    assert "<svg" in html and "<details" in html  # charts with their table equivalent
    assert "/training/budget" in html  # the exhausted line's alert links to the budget
    assert "Staf Dua" in html  # below 20 JP, listed


def test_partial_answers_only_the_cockpit_block(client, activity):
    login(client, ROLE_EMAILS["hr_admin"])
    partial = client.get(f"/monitoring/?year={YEAR}", headers=PARTIAL)
    html = partial.get_data(as_text=True)
    assert partial.status_code == 200
    assert html.lstrip().startswith('<div id="cockpit">')
    assert "<html" not in html


def test_head_sees_only_their_subtree(client, activity):
    login(client, ROLE_EMAILS["unit_head"])
    html = client.get(f"/monitoring/?year={YEAR}").get_data(as_text=True)
    assert "Staf Pendidikan" not in html  # other OPD's employee is not listed
    assert "Staf Dua" in html
    other = activity.other_opd.id
    assert client.get(f"/monitoring/?unit={other}").status_code == 404
    assert client.get(f"/monitoring/?unit={activity.bidang.id}").status_code == 200


@pytest.mark.parametrize(
    "query",
    ["unit=99999999999999999999", "unit=-1", "year=99999999999", "year=abc", "instansi=999999"],
)
def test_bad_parameters_never_fail(client, activity, query):
    login(client, ROLE_EMAILS["hr_admin"])
    assert client.get(f"/monitoring/?{query}").status_code in (200, 404)


def test_other_instansi_is_404_for_hr(client, activity):
    login(client, ROLE_EMAILS["hr_admin"])
    assert client.get(f"/monitoring/?instansi={activity.b.id}").status_code == 404


def test_export_tables(client, activity):
    login(client, ROLE_EMAILS["hr_admin"])
    response = client.get(f"/monitoring/export/jp-units.xlsx?year={YEAR}")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Unit kerja"  # Indonesian by default
    by_unit = {row[0]: row for row in rows[1:]}
    assert by_unit["Dinas Kesehatan"][1:3] == (4, 1)
    response.close()
    assert client.get("/monitoring/export/nothing.xlsx").status_code == 404


def test_export_is_formula_safe(client, activity):
    with client.application.app_context():
        staff = db.session.merge(activity.staff2)
        staff.name = PAYLOADS[0]
        db.session.commit()
    login(client, ROLE_EMAILS["hr_admin"])
    response = client.get(f"/monitoring/export/jp-below.xlsx?year={YEAR}")
    assert_xlsx_inert(response.data)
    response.close()


def test_employee_home_shows_next_actions_and_jp(client, activity):
    login(client, ROLE_EMAILS["employee"])
    html = client.get("/").get_data(as_text=True)
    assert 'data-figure="my-jp"' in html
    assert "20 / 20" in html


def test_head_home_shows_unit_compliance(client, activity):
    login(client, ROLE_EMAILS["unit_head"])
    html = client.get("/").get_data(as_text=True)
    assert 'data-figure="unit-jp"' in html
    assert 'data-figure="team-jp"' in html


def test_hr_home_shows_the_cockpit_alerts(client, activity):
    login(client, ROLE_EMAILS["hr_admin"])
    html = client.get("/").get_data(as_text=True)
    assert "/monitoring/" in html
    assert "/training/budget" in html


def test_stakeholder_home_lists_open_consultations_in_constant_statements(app, client, world):
    from tests.conftest import QueryCounter
    from tests.web.matrix.surveys import invite, open_campaign

    login(client, ROLE_EMAILS["stakeholder"])
    with QueryCounter(app) as few:
        client.get("/")
    with app.app_context():
        campaign = open_campaign(world.a.id, title="Konsultasi layanan 2026")
        invite(campaign, ROLE_EMAILS["stakeholder"], "akademisi")
        for n in range(3):
            invite(campaign, f"lain{n}@mitra.example", "akademisi")
        db.session.commit()
    with QueryCounter(app) as more:
        html = client.get("/").get_data(as_text=True)
    assert "1 konsultasi yang mengundang Anda" in html
    assert "Konsultasi terbuka: Konsultasi layanan 2026" in html
    assert 'id="earlier-input"' in html
    assert more.count == few.count
