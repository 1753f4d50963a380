"""Needs-analysis pages: scopes per role, htmx fragments, 422 on bad input, constant queries."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.clock import local_today
from app.extensions import db
from app.jobs.models import Job, JobState
from app.needs import services
from app.needs.models import (
    Competency,
    CompetencyLevel,
    DevelopmentNeed,
    NeedsSettings,
    NeedStatus,
    PositionStandard,
    StandardDefault,
)
from app.needs.sample import CampaignSpec, ResponseSpec, add_campaign, add_responses
from app.org.models import Employee, OrgUnit, Position
from app.surveys.models import Audience
from tests.conftest import QueryCounter, csrf_token, login
from tests.factories import make_employee, make_position

PARTIAL = {"HX-Request": "true", "HX-Request-Type": "partial"}
YEAR = 2026
FIELDS = ["m01", "m02", "m03", "m04", "m05", "m06", "m07", "m08", "sk01"]
HR, HEAD, STAFF, KABID = (
    "hr@test.example",
    "head@test.example",
    "staff@test.example",
    "kabid@test.example",
)


def rate_everyone(instansi_id: int, employees: list[Employee], unit_id: int, low: int = 1) -> None:
    """Self, supervisor and three peer ratings for each employee; six stakeholders."""
    campaigns = {
        d: add_campaign(CampaignSpec(instansi_id, d, 1, a, YEAR))
        for d, a in (
            ("penilaian_diri_kompetensi", Audience.SELF),
            ("penilaian_atasan_rekan", Audience.SUPERVISOR),
            ("konsultasi_pemangku_kepentingan", Audience.STAKEHOLDER),
        )
    }
    selfs, ratings = [], []
    for n, person in enumerate(employees):
        values = {f: low + (n + i) % 3 for i, f in enumerate(FIELDS)}
        selfs.append(ResponseSpec("self", values, person.id, person.id, person.org_unit_id))
        ratings.append(
            ResponseSpec(
                "supervisor", {f: low for f in FIELDS}, person.id, None, person.org_unit_id
            )
        )
        for _ in range(3):
            ratings.append(
                ResponseSpec(
                    "peer", {f: low + 1 for f in FIELDS}, person.id, None, person.org_unit_id
                )
            )
    add_responses(campaigns["penilaian_diri_kompetensi"], "penilaian_diri_kompetensi", 1, selfs)
    add_responses(campaigns["penilaian_atasan_rekan"], "penilaian_atasan_rekan", 1, ratings)
    add_responses(
        campaigns["konsultasi_pemangku_kepentingan"],
        "konsultasi_pemangku_kepentingan",
        1,
        [
            ResponseSpec(
                "stakeholder", {f"kepentingan.{f}.imp": 5 for f in FIELDS}, org_unit_id=unit_id
            )
            for _ in range(6)
        ],
    )


def require_level_3(instansi_id: int, position_id: int) -> None:
    """The position requires level 3 in every competency (the pelaksana default is 1)."""
    for competency in db.session.scalars(
        select(Competency).where(Competency.instansi_id == instansi_id)
    ):
        db.session.add(
            PositionStandard(
                position_id=position_id,
                competency_id=competency.id,
                required_level=3,
                valid_from=date(2020, 1, 1),
            )
        )


@pytest.fixture
def analysed(app, world):
    """Instansi A with its dictionary, defaults, ratings of four people and a recompute."""
    with app.app_context():
        services.seed_dictionary(world.a.id)
        services.seed_defaults(world.a.id, date(2020, 1, 1))
        services.seed_dictionary(world.b.id)
        require_level_3(world.a.id, world.staff_position.id)
        db.session.commit()
        people = [
            db.session.get(Employee, e.id)
            for e in (world.staff, world.staff2, world.kabid, world.head)
        ]
        rate_everyone(world.a.id, people, world.opd.id)
        db.session.commit()
        services.recompute(world.a.id, YEAR)
        need = db.session.scalar(
            select(DevelopmentNeed)
            .where(DevelopmentNeed.employee_id == world.staff.id)
            .order_by(DevelopmentNeed.priority.desc(), DevelopmentNeed.id)
            .limit(1)
        )
        world.need_id = need.id
        world.need_code = need.competency_code
        db.session.remove()
    return world


# ---- analysis pages ------------------------------------------------------------------------


def test_hr_overview_shows_the_cycle_and_recomputes(app, client, analysed):
    login(client, HR)
    html = client.get("/needs/").get_data(as_text=True)
    assert "Analisis kebutuhan" in html and "Kota A" in html and "Hitung ulang" in html
    part = client.get("/needs/", headers=PARTIAL).get_data(as_text=True)
    assert part.lstrip().startswith('<section id="overview"') and "<html" not in part
    token = csrf_token(client, "/needs/")
    response = client.post(
        "/needs/recompute", data={"csrf_token": token, "instansi_id": analysed.a.id, "year": YEAR}
    )
    assert response.status_code == 303 and response.location.startswith("/jobs/")
    # eager mode: the job ran right after the commit; its page shows the summary
    assert "Analisis dihitung ulang" in client.get(response.location).get_data(as_text=True)
    with app.app_context():
        job = db.session.scalar(select(Job).where(Job.task == "needs.recompute"))
        assert job is not None and job.state == JobState.SUCCEEDED
        assert job.instansi_id == analysed.a.id and job.kwargs["year"] == YEAR
    again = client.post(
        "/needs/recompute", data={"csrf_token": token, "instansi_id": analysed.a.id, "year": YEAR}
    )
    assert again.location == response.location  # a double click within the minute: one job
    overview = client.get("/needs/").get_data(as_text=True)
    assert 'id="job-status"' in overview and "Analisis dihitung ulang" in overview
    bad = client.post(
        "/needs/recompute", data={"csrf_token": token, "instansi_id": analysed.a.id, "year": 1900}
    )
    assert bad.status_code == 422
    other = client.post(
        "/needs/recompute", data={"csrf_token": token, "instansi_id": analysed.b.id, "year": YEAR}
    )
    assert other.status_code == 403


def test_unit_head_sees_own_subtree_read_only(client, analysed):
    login(client, HEAD)
    html = client.get("/needs/").get_data(as_text=True)
    assert "Hitung ulang" not in html
    heat = client.get("/needs/heatmap").get_data(as_text=True)
    assert "Dinas Kesehatan" in heat and "Dinas Pendidikan" not in heat
    assert client.get(f"/needs/ranking?unit={analysed.other_opd.id}").status_code == 404
    assert client.get(f"/needs/?instansi={analysed.b.id}").status_code == 404
    assert client.get(f"/needs/employees/{analysed.other_staff.id}").status_code == 404


def test_ranking_ranks_competencies_and_filters_by_unit(client, analysed):
    login(client, HR)
    html = client.get("/needs/ranking").get_data(as_text=True)
    assert "Seluruh instansi" in html and "M.01" in html and "Dinas Kesehatan" in html
    part = client.get(f"/needs/ranking?unit={analysed.bidang.id}", headers=PARTIAL).get_data(
        as_text=True
    )
    assert part.lstrip().startswith('<section id="ranking-table"') and "Bidang Pelayanan" in part
    assert client.get("/needs/ranking?unit=999999").status_code == 404


def test_heatmap_drills_down_to_sub_units_and_employees(client, analysed):
    login(client, HR)
    html = client.get("/needs/heatmap").get_data(as_text=True)
    assert "heat-" in html and f"unit={analysed.opd.id}" in html
    part = client.get(f"/needs/heatmap?unit={analysed.opd.id}", headers=PARTIAL).get_data(
        as_text=True
    )
    assert part.lstrip().startswith('<section id="heatmap-table"') and "Bidang Pelayanan" in part
    cell = client.get(f"/needs/employees?unit={analysed.bidang.id}&code=M.01").get_data(
        as_text=True
    )
    assert "Staf Satu" in cell and "Staf Dua" in cell and "Kepala Dinas Uji" not in cell


def test_employee_drill_down_filters_and_paginates(client, analysed):
    login(client, HR)
    part = client.get("/needs/employees?category=below", headers=PARTIAL).get_data(as_text=True)
    assert part.lstrip().startswith('<section id="employee-table"')
    everyone = client.get("/needs/employees").get_data(as_text=True)
    assert "Staf Satu" in everyone and "JPM" in everyone
    assert re.search(r'>Staf Satu</a></td>\s*<td class="nip">\d{18}</td>', everyone)
    one_code = client.get("/needs/employees?code=M.01").get_data(as_text=True)
    assert re.search(r'>Staf Satu</a></td>\s*<td class="nip">\d{18}</td>', one_code)
    needs_only = client.get(f"/needs/employees?code={analysed.need_code}&needs=1").get_data(
        as_text=True
    )
    assert "Staf Satu" in needs_only


@pytest.mark.parametrize(
    "path",
    [
        "/needs/heatmap",
        "/needs/ranking",
        "/needs/employees?code=M.01",
        "/needs/development",
        "/needs/",
    ],
)
def test_pages_use_a_constant_number_of_queries(app, client, analysed, path):
    login(client, HR)

    def count() -> int:
        with QueryCounter(app) as counter:
            assert client.get(path).status_code == 200
        return counter.count

    small = count()
    with app.app_context():
        position = db.session.get(Position, analysed.staff_position.id)
        extra = [make_employee(position) for _ in range(25)]
        db.session.commit()
        rate_everyone(analysed.a.id, extra, analysed.opd.id)
        db.session.commit()
        services.recompute(analysed.a.id, YEAR)
        db.session.remove()
    assert count() == small


def test_profile_and_explain_show_the_arithmetic(client, analysed):
    login(client, STAFF)
    me = client.get("/needs/me")
    assert me.status_code == 303 and me.location.endswith(f"/needs/employees/{analysed.staff.id}")
    html = client.get(me.location).get_data(as_text=True)
    assert "Kesenjangan kompetensi" in html and "M.01" in html
    part = client.get(f"{me.location}?year={YEAR}", headers=PARTIAL).get_data(as_text=True)
    assert part.lstrip().startswith('<section id="profile-table"')
    explain = client.get(f"/needs/employees/{analysed.staff.id}/explain/M.01?year={YEAR}")
    text = explain.get_data(as_text=True)
    assert explain.status_code == 200
    assert "Atasan" in text and "Rekan kerja" in text and "Diri sendiri" in text
    assert "0,2" in text and "0,5" in text and "0,3" in text  # declared weights
    assert "standar jabatan itu sendiri" in text  # where the required level came from
    assert "anonim" in text  # the employee does not see who rated them
    assert (
        client.get(f"/needs/employees/{analysed.staff.id}/explain/X.99?year={YEAR}").status_code
        == 404
    )
    assert client.get(f"/needs/employees/{analysed.other_staff.id}").status_code == 404


def test_supervisor_sees_a_direct_report_and_hr_sees_the_raters(client, analysed):
    login(client, KABID)
    assert client.get(f"/needs/employees/{analysed.staff.id}").status_code == 200
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    login(client, HR)
    text = client.get(f"/needs/employees/{analysed.staff.id}/explain/M.01?year={YEAR}").get_data(
        as_text=True
    )
    assert "Staf Satu" in text  # HR sees the self-assessment's author


def test_exports_write_nip_as_text(client, analysed):
    login(client, HR)
    response = client.get(f"/needs/export.csv?year={YEAR}")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][0] == "NIP" and len(rows) > 10
    assert analysed.staff.nip in {row[0] for row in rows}
    response = client.get(f"/needs/export.xlsx?year={YEAR}")
    book = load_workbook(io.BytesIO(response.data))
    response.close()
    sheet = book.active
    assert sheet.cell(1, 1).value == "NIP" and isinstance(sheet.cell(2, 1).value, str)
    assert client.get("/needs/export.pdf").status_code == 404


def test_skipped_report_lists_reasons(client, analysed):
    login(client, HR)
    html = client.get("/needs/issues").get_data(as_text=True)
    assert "Pegawai tanpa penilaian" in html  # the two staff of the other OPD were not rated
    part = client.get("/needs/issues?reason=no_ratings", headers=PARTIAL).get_data(as_text=True)
    assert part.lstrip().startswith('<section id="issue-table"') and "Staf Pendidikan" in part


def test_instrument_results_show_stakeholder_importance(client, analysed):
    login(client, HR)
    html = client.get("/needs/instruments").get_data(as_text=True)
    assert (
        "Rata-rata tingkat kepentingan per kompetensi" in html and "Sangat diprioritaskan" in html
    )
    part = client.get(f"/needs/instruments?unit={analysed.opd.id}", headers=PARTIAL).get_data(
        as_text=True
    )
    assert part.lstrip().startswith('<section id="instrument-tables"')


# ---- development needs ---------------------------------------------------------------------


def need_status(app, need_id: int) -> NeedStatus:
    with app.app_context():
        return db.session.get(DevelopmentNeed, need_id).status


def test_hr_accepts_a_need_with_an_htmx_row_swap(app, client, analysed):
    login(client, HR)
    token = csrf_token(client, "/needs/development")
    response = client.post(
        f"/needs/development/{analysed.need_id}",
        data={"csrf_token": token, "action": "accept", "development_form": "mentoring"},
        headers=PARTIAL,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<tr id="need-{analysed.need_id}"') and "Diterima" in html
    assert need_status(app, analysed.need_id) == NeedStatus.ACCEPTED
    plain = client.post(
        f"/needs/development/{analysed.need_id}",
        data={"csrf_token": token, "action": "dismiss", "next": "//evil.example/"},
    )
    assert plain.status_code == 303 and plain.location.startswith("/needs/development")
    assert need_status(app, analysed.need_id) == NeedStatus.DISMISSED
    bad = client.post(
        f"/needs/development/{analysed.need_id}",
        data={"csrf_token": token, "action": "promote"},
        headers=PARTIAL,
    )
    assert bad.status_code == 422 and 'role="alert"' in bad.get_data(as_text=True)
    assert need_status(app, analysed.need_id) == NeedStatus.DISMISSED


def test_nominated_needs_cannot_be_changed(app, client, analysed):
    with app.app_context():
        db.session.get(DevelopmentNeed, analysed.need_id).status = NeedStatus.NOMINATED
        db.session.commit()
    login(client, HR)
    token = csrf_token(client, "/needs/development")
    response = client.post(
        f"/needs/development/{analysed.need_id}", data={"csrf_token": token, "action": "dismiss"}
    )
    assert response.status_code == 422
    assert need_status(app, analysed.need_id) == NeedStatus.NOMINATED


def test_bulk_decisions_touch_only_manageable_needs(app, client, analysed):
    with app.app_context():
        ids = list(db.session.scalars(select(DevelopmentNeed.id)))
    login(client, HR)
    token = csrf_token(client, "/needs/development")
    response = client.post(
        "/needs/development/bulk",
        data={"csrf_token": token, "action": "accept", "need_ids": [str(i) for i in ids]},
    )
    assert response.status_code == 303
    assert {need_status(app, i) for i in ids} == {NeedStatus.ACCEPTED}
    empty = client.post("/needs/development/bulk", data={"csrf_token": token, "action": "accept"})
    assert empty.status_code == 422
    filtered = client.get("/needs/development?status=accepted", headers=PARTIAL).get_data(
        as_text=True
    )
    assert filtered.lstrip().startswith('<section id="need-table"') and "Staf Satu" in filtered


def test_unit_head_sees_needs_but_cannot_decide(client, analysed):
    login(client, HEAD)
    html = client.get("/needs/development").get_data(as_text=True)
    assert "Staf Satu" in html and 'name="action"' not in html
    token = csrf_token(client, "/account")
    response = client.post(
        f"/needs/development/{analysed.need_id}", data={"csrf_token": token, "action": "accept"}
    )
    assert response.status_code == 403


# ---- supervisors: their team's lists, read-only --------------------------------------------


def add_reports(analysed, superior_id: int, names: list[str], unit_id: int) -> list[int]:
    """Employees whose positions report to `superior_id`, each position at level 3, rated."""
    ids = []
    for name in names:
        position = make_position(db.session.get(OrgUnit, unit_id), f"Jabatan {name}")
        position.superior_id = superior_id
        db.session.flush()
        require_level_3(analysed.a.id, position.id)
        ids.append(make_employee(position, name).id)
    db.session.commit()
    rate_everyone(analysed.a.id, [db.session.get(Employee, i) for i in ids], analysed.opd.id)
    db.session.commit()
    return ids


@pytest.fixture
def team(app, analysed):
    """The staff supervises Junior Dua (bidang) who supervises Magang Tiga (another OPD):
    a direct and an indirect report by the position tree alone."""
    with app.app_context():
        (junior,) = add_reports(
            analysed, analysed.staff_position.id, ["Junior Dua"], analysed.bidang.id
        )
        junior_position = db.session.get(Employee, junior).position_id
        (trainee,) = add_reports(analysed, junior_position, ["Magang Tiga"], analysed.other_opd.id)
        services.recompute(analysed.a.id, YEAR)
        needs = {
            employee_id: need_id
            for employee_id, need_id in db.session.execute(
                select(DevelopmentNeed.employee_id, func.min(DevelopmentNeed.id)).group_by(
                    DevelopmentNeed.employee_id
                )
            )
        }
        db.session.remove()
    analysed.junior, analysed.trainee, analysed.needs = junior, trainee, needs
    return analysed


def test_supervisor_sees_the_team_needs_read_only(client, team):
    login(client, STAFF)  # supervises Junior Dua directly and Magang Tiga indirectly
    for path, section in (
        ("/needs/development", "need-table"),
        ("/needs/employees", "employee-table"),
        ("/needs/employees?code=M.01", "employee-table"),
    ):
        html = client.get(path).get_data(as_text=True)
        table = html[html.index(f'id="{section}"') :]
        assert "Junior Dua" in table and "Magang Tiga" in table, path
        assert "Staf Satu" not in table and "Staf Dua" not in table, path  # self, a peer
        assert "Staf Pendidikan" not in table and "Kepala Dinas Uji" not in table, path
        assert "Tim saya" in html and 'href="/needs/ranking' not in html, path
        part = client.get(path, headers=PARTIAL).get_data(as_text=True)
        assert part.lstrip().startswith(f'<section id="{section}"'), path
    development = client.get("/needs/development").get_data(as_text=True)
    assert 'name="action"' not in development and 'id="bulk-form"' not in development
    for path in ("/needs/", "/needs/ranking", "/needs/heatmap", "/needs/export.csv"):
        assert client.get(path).status_code == 403, path
    assert client.get(f"/needs/development?instansi={team.b.id}").status_code == 404
    token = csrf_token(client, "/account")
    decide = {"csrf_token": token, "action": "accept"}
    assert (
        client.post(f"/needs/development/{team.needs[team.trainee]}", data=decide).status_code
        == 403
    )
    assert (
        client.post(f"/needs/development/{team.needs[team.staff2.id]}", data=decide).status_code
        == 404
    )


def test_one_reports_needs_and_gaps_open_from_the_team_page(client, team):
    login(client, STAFF)
    listing = client.get("/team").get_data(as_text=True)
    assert f'href="/needs/development?employee={team.trainee}"' in listing
    assert f'href="/needs/employees/{team.trainee}"' in listing
    dashboard = client.get("/").get_data(as_text=True)
    assert f'href="/needs/development?employee={team.junior}"' in dashboard
    html = client.get(f"/needs/development?employee={team.trainee}").get_data(as_text=True)
    table = html[html.index('id="need-table"') :]
    assert "Magang Tiga" in table and "Junior Dua" not in table
    assert f'href="/needs/employees/{team.trainee}?year={YEAR}"' in html
    part = client.get(
        f"/needs/development?employee={team.trainee}&status=proposed", headers=PARTIAL
    )
    assert part.get_data(as_text=True).lstrip().startswith('<section id="need-table"')
    assert "Magang Tiga" in part.get_data(as_text=True)
    gaps = client.get(f"/needs/employees/{team.trainee}").get_data(as_text=True)
    assert "Magang Tiga" in gaps and "M.01" in gaps
    assert f'href="/needs/development?employee={team.trainee}&amp;year={YEAR}"' in gaps
    own = client.get(f"/needs/employees/{team.staff.id}").get_data(as_text=True)
    assert "/needs/development?employee=" not in own  # one's own needs are not a team list
    assert (
        client.get(f"/needs/employees/{team.trainee}/explain/M.01?year={YEAR}").status_code == 200
    )
    for outsider in (team.staff2.id, team.other_staff.id, team.b_staff.id, team.staff.id, 999999):
        assert client.get(f"/needs/development?employee={outsider}").status_code == 404, outsider
    for outsider in (team.staff2.id, team.other_staff.id, team.b_staff.id):
        assert client.get(f"/needs/employees/{outsider}").status_code == 404, outsider


def test_head_of_bidang_sees_the_headed_subtree_and_hr_one_employee(app, client, team):
    login(client, KABID)  # heads the bidang: the staff, their peer and Junior Dua work there
    html = client.get("/needs/development").get_data(as_text=True)
    table = html[html.index('id="need-table"') :]
    assert "Staf Satu" in table and "Staf Dua" in table and "Junior Dua" in table
    assert "Magang Tiga" not in table and "Kepala Dinas Uji" not in table
    assert client.get(f"/needs/development?employee={team.trainee}").status_code == 404
    admin = app.test_client()
    login(admin, "admin@test.example")  # Kabupaten B comes first: the employee picks Kota A
    one = admin.get(f"/needs/development?employee={team.trainee}").get_data(as_text=True)
    assert "Magang Tiga" in one[one.index('id="need-table"') :]


@pytest.mark.parametrize(
    "path", ["/needs/development", "/needs/employees?code=M.01", "/needs/employees"]
)
def test_team_lists_use_a_constant_number_of_queries(app, client, team, path):
    login(client, STAFF)

    def count() -> tuple[int, str]:
        with QueryCounter(app) as counter:
            response = client.get(path)
            assert response.status_code == 200
        return counter.count, response.get_data(as_text=True)

    small, _html = count()
    with app.app_context():
        add_reports(
            team, team.staff_position.id, [f"Tambahan {n}" for n in range(6)], team.bidang.id
        )
        services.recompute(team.a.id, YEAR)
        db.session.remove()
    large, html = count()
    assert "Tambahan 5" in html
    assert large == small


# ---- dictionary, standards, settings -------------------------------------------------------


def competency_form(**overrides: str) -> dict[str, str]:
    data = {
        "code": "T.KES.02",
        "name_id": "Surveilans Epidemiologi",
        "name_en": "Epidemiological Surveillance",
        "definition_id": "Mengamati penyakit",
        "active": "y",
        **{f"level_{n}": f"Level {n}" for n in range(1, 6)},
    }
    data.update(overrides)
    return data


def test_hr_adds_a_technical_competency(app, client, analysed):
    login(client, HR)
    token = csrf_token(client, "/needs/competencies/new")
    response = client.post(
        "/needs/competencies/new", data={**competency_form(), "csrf_token": token}
    )
    assert response.status_code == 303
    with app.app_context():
        added = db.session.scalar(select(Competency).where(Competency.code == "T.KES.02"))
        assert added.instansi_id == analysed.a.id and added.kind.value == "teknis"
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(CompetencyLevel)
                .where(CompetencyLevel.competency_id == added.id)
            )
            == 5
        )
    assert "T.KES.02" in client.get("/needs/competencies").get_data(as_text=True)
    again = client.post(
        "/needs/competencies/new", data={**competency_form(), "csrf_token": token}, headers=PARTIAL
    )
    html = again.get_data(as_text=True)
    assert again.status_code == 422 and html.lstrip().startswith("<form")
    assert "Kamus sudah memiliki kode ini" in html
    missing_level = client.post(
        "/needs/competencies/new",
        data={**competency_form(code="T.KES.03", level_3=""), "csrf_token": token},
    )
    assert missing_level.status_code == 422
    core = client.post(
        "/needs/competencies/new", data={**competency_form(code="M.01"), "csrf_token": token}
    )
    assert core.status_code == 422


def test_core_competencies_cannot_be_edited_and_other_instansi_is_hidden(app, client, analysed):
    with app.app_context():
        core = db.session.scalar(
            select(Competency.id).where(
                Competency.instansi_id == analysed.a.id, Competency.code == "M.01"
            )
        )
        foreign = db.session.scalar(
            select(Competency.id).where(Competency.instansi_id == analysed.b.id).limit(1)
        )
    login(client, HR)
    assert client.get(f"/needs/competencies/{core}").status_code == 200
    assert client.get(f"/needs/competencies/{core}/edit").status_code == 403
    assert client.get(f"/needs/competencies/{foreign}").status_code == 404


def test_csv_import_is_all_or_nothing(app, client, analysed):
    login(client, HR)
    header = "code;name_id;level_1;level_2;level_3;level_4;level_5\n"
    good = header + "T.PBJ.01;Pengadaan;a;b;c;d;e\nT.DAT.01;Data;a;b;c;d;e\n"
    bad = header + "T.X.01;Baik;a;b;c;d;e\nM.01;Inti;a;b;c;d;e\n;Tanpa kode;a;b;c;d;e\n"

    def upload(text: str):
        token = csrf_token(client, "/needs/competencies/import")
        return client.post(
            "/needs/competencies/import",
            data={
                "csrf_token": token,
                "instansi_id": str(analysed.a.id),
                "file": (io.BytesIO(text.encode()), "kompetensi.csv"),
            },
            content_type="multipart/form-data",
        )

    response = upload(bad)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Baris 3" in html and "Baris 4" in html
    with app.app_context():
        assert db.session.scalar(select(Competency.id).where(Competency.code == "T.X.01")) is None
    assert upload(good).status_code == 303
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count()).select_from(Competency).where(Competency.code.like("T.%"))
            )
            == 2
        )
    assert upload("kode,nama\nx,y\n").status_code == 422


def test_standards_keep_history(app, client, analysed):
    login(client, HR)
    page = client.get("/needs/standards").get_data(as_text=True)
    assert "Fungsional · Ahli muda" in page and "Pengelola Layanan" in page
    token = csrf_token(client, "/needs/standards")
    response = client.post(
        "/needs/standards",
        data={"csrf_token": token, "instansi_id": analysed.a.id, "d_pelaksana__none": "2"},
    )
    assert response.status_code == 303
    with app.app_context():
        rows = list(
            db.session.scalars(
                select(StandardDefault).where(
                    StandardDefault.instansi_id == analysed.a.id,
                    StandardDefault.position_type == "pelaksana",
                )
            )
        )
        assert sorted((r.required_level, r.valid_to is None) for r in rows) == [
            (1, False),
            (2, True),
        ]
    bad = client.post(
        "/needs/standards",
        data={"csrf_token": token, "instansi_id": analysed.a.id, "d_pelaksana__none": "9"},
        headers=PARTIAL,
    )
    assert bad.status_code == 422 and bad.get_data(as_text=True).lstrip().startswith("<form")


def test_position_standard_changes_apply_from_today(app, client, analysed):
    login(client, HR)
    path = f"/needs/standards/positions/{analysed.staff_position.id}"
    assert "Integritas" in client.get(path).get_data(as_text=True)
    with app.app_context():
        m01 = db.session.scalar(
            select(Competency.id).where(
                Competency.instansi_id == analysed.a.id, Competency.code == "M.01"
            )
        )
    token = csrf_token(client, path)
    assert client.post(path, data={"csrf_token": token, f"c_{m01}": "4"}).status_code == 303
    with app.app_context():
        row = db.session.scalar(
            select(PositionStandard).where(
                PositionStandard.competency_id == m01, PositionStandard.valid_to.is_(None)
            )
        )
        assert row.required_level == 4 and row.valid_from == local_today()
    assert client.post(path, data={"csrf_token": token, f"c_{m01}": "x"}).status_code == 422
    with app.app_context():
        foreign = db.session.scalar(
            select(Position.id).where(Position.instansi_id == analysed.b.id)
        )
    assert client.get(f"/needs/standards/positions/{foreign}").status_code == 404


def test_settings_validate_thresholds(app, client, analysed):
    login(client, HR)
    token = csrf_token(client, "/needs/settings")
    good = {
        "csrf_token": token,
        "instansi_id": analysed.a.id,
        "jpm_meets": "85",
        "jpm_still_meets": "70",
        "need_min_gap": "0.5",
    }
    assert client.post("/needs/settings", data=good).status_code == 303
    with app.app_context():
        saved = db.session.scalar(
            select(NeedsSettings).where(NeedsSettings.instansi_id == analysed.a.id)
        )
        assert (saved.jpm_meets, saved.jpm_still_meets, saved.need_min_gap) == (85, 70, 0.5)
    bad = client.post("/needs/settings", data={**good, "jpm_still_meets": "90"}, headers=PARTIAL)
    assert bad.status_code == 422 and bad.get_data(as_text=True).lstrip().startswith("<form")
