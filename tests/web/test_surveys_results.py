"""Results: filters, per-question summaries with charts, small groups hidden, the head of an
OPD sees only the subtree, constant query counts, and CSV/XLSX exports that respect anonymity."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
from sqlalchemy import select

from app.clock import local_today
from app.extensions import db
from app.surveys import services
from app.surveys.logic import evaluate_all
from app.surveys.models import Answer, Audience, Campaign, Invitation, Response, ResponseStatus
from tests.conftest import QueryCounter, login
from tests.web.matrix.surveys import open_campaign

PARTIAL = {"HX-Request": "true", "HX-Request-Type": "partial"}
ROWS = ("m01", "m02", "m03", "m04", "m05", "m06", "m07", "m08", "sk01")


def stakeholder_answers(
    group: str, satisfaction: int, note: str | None = None
) -> dict[str, object]:
    answers: dict[str, object] = {
        "kelompok": group,
        "layanan_digunakan": ["kesehatan"],
        "frekuensi": "bulanan",
        "kepuasan": satisfaction,
        "pernah_mengadu": "tidak",
        "prioritas_1": "biaya",
        "prioritas_2": "kecepatan",
        "prioritas_3": "digital",
        **{f"kepentingan.{row}.imp": 4 for row in ROWS},
    }
    if note:
        answers["saran_layanan"] = note
    return answers


def store(campaign: Campaign, answers: dict[str, object], **fields: object) -> Response:
    """A submitted response written the way the submit service writes it."""
    definition = services.campaign_definition(campaign)
    state = evaluate_all(definition, answers)
    assert state.is_complete, dict(state.errors)
    response = Response(
        campaign_id=campaign.id,
        definition_id=campaign.definition_id,
        definition_version=campaign.definition_version,
        rater_role=fields.pop("rater_role", campaign.audience.value),
        status=ResponseStatus.SUBMITTED,
        started_on=local_today(),
        submitted_on=local_today(),
        draft_answers="{}",
        **fields,
    )
    db.session.add(response)
    db.session.flush()
    db.session.add_all(
        Answer(**row) for row in services.answer_rows(definition, response.id, state.values)
    )
    return response


@pytest.fixture
def consultation(app, world):
    """(c) with 6 public responses about the head's OPD and 2 about another OPD."""
    with app.app_context():
        campaign = open_campaign(world.a.id)
        for n in range(6):
            group = "masyarakat" if n < 5 else "swasta"
            store(
                campaign,
                stakeholder_answers(group, 2 + n % 3, f"Saran <b>{n}</b>"),
                org_unit_id=world.opd.id,
                stakeholder_group=group,
            )
        for _ in range(2):
            store(
                campaign,
                stakeholder_answers("lsm", 5),
                org_unit_id=world.other_opd.id,
                stakeholder_group="lsm",
            )
        db.session.commit()
        campaign_id = campaign.id
    return campaign_id


def test_summary_shows_charts_for_large_enough_groups(app, client, consultation):
    login(client, "hr@test.example")
    response = client.get(f"/surveys/results?campaign={consultation}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "8 respons terkirim dalam pilihan ini." in html
    assert '<svg class="bar"' in html and 'id="sum-kepuasan"' in html
    assert "kurang dari 5" in html  # swasta (1) and lsm (2) are too small to show
    assert ">5<" in html  # masyarakat: 5 responses
    assert "&lt;b&gt;" in html and "<b>0" not in html  # free texts are escaped
    assert "style=" not in html


def test_a_selection_below_the_minimum_hides_every_summary(app, client, consultation):
    login(client, "hr@test.example")
    html = client.get(f"/surveys/results?campaign={consultation}&group=lsm").get_data(as_text=True)
    assert 'id="summary-hidden"' in html and 'id="sum-kepuasan"' not in html
    assert "2 respons terkirim" in html


def test_filters_swap_the_results_fragment(app, client, consultation):
    login(client, "hr@test.example")
    response = client.get(
        f"/surveys/results?campaign={consultation}&status=submitted&role=stakeholder",
        headers=PARTIAL,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert html.strip().startswith('<div id="results-body">')
    assert "8 respons" in html
    drafts = client.get(f"/surveys/results?campaign={consultation}&status=draft").get_data(
        as_text=True
    )
    assert "0 respons" in drafts


def test_head_of_opd_reads_only_the_subtree(app, client, world, consultation):
    login(client, "head@test.example")
    html = client.get(f"/surveys/results?campaign={consultation}").get_data(as_text=True)
    assert "6 respons terkirim" in html
    assert "Ekspor CSV" not in html  # raw rows leave only through HR
    assert client.get(f"/surveys/results/export.csv?campaign={consultation}").status_code == 403
    unknown_unit = client.get(f"/surveys/results?campaign={consultation}&unit={world.b_opd.id}")
    assert "6 respons terkirim" in unknown_unit.get_data(
        as_text=True
    )  # filter outside scope ignored


def test_results_page_runs_a_constant_number_of_queries(app, client, world, consultation):
    login(client, "hr@test.example")

    def queries() -> int:
        with QueryCounter(app) as counter:
            assert client.get(f"/surveys/results?campaign={consultation}").status_code == 200
        return counter.count

    small = queries()
    with app.app_context():
        campaign = db.session.get(Campaign, consultation)
        for n in range(30):
            store(
                campaign,
                stakeholder_answers("akademisi", 1 + n % 5, "lagi"),
                org_unit_id=world.opd.id,
                stakeholder_group="akademisi",
            )
        db.session.commit()
    assert queries() == small


def test_csv_export_has_codes_labels_and_no_identity_for_anonymous(app, client, consultation):
    login(client, "hr@test.example")
    response = client.get(f"/surveys/results/export.csv?campaign={consultation}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    header, data = rows[0], rows[1:]
    assert len(data) == 8
    assert header[:6] == [
        "response_id",
        "submitted_on",
        "language",
        "rater_role",
        "stakeholder_group",
        "unit",
    ]
    assert "respondent_name" not in header and "subject_name" not in header
    assert "kelompok" in header and "kelompok:label" in header and "kepentingan.m05.imp" in header
    first = dict(zip(header, data[0], strict=True))
    assert first["kelompok"] == "masyarakat" and first["kelompok:label"] == "Masyarakat umum"
    assert first["kepentingan.m05.imp"] == "4" and first["unit"] == "Dinas Kesehatan"
    assert first["layanan_digunakan"] == "kesehatan"
    only_lsm = client.get(f"/surveys/results/export.csv?campaign={consultation}&group=lsm")
    assert len(only_lsm.get_data(as_text=True).strip().splitlines()) == 3


def test_xlsx_export_has_a_codebook(app, client, consultation):
    login(client, "hr@test.example")
    response = client.get(f"/surveys/results/export.xlsx?campaign={consultation}")
    assert response.status_code == 200
    content = response.data
    response.close()  # send_file keeps the temporary file open until the response closes
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    responses, codebook = workbook.worksheets
    rows = list(responses.iter_rows(values_only=True))
    assert len(rows) == 9 and rows[0][0] == "response_id"
    assert isinstance(rows[1][rows[0].index("kepuasan")], int | float)
    book = list(codebook.iter_rows(values_only=True))
    assert ("kelompok", "Anda mengisi survei ini sebagai", None, None) in book
    assert any(row[2] == "akademisi" and row[3] == "Akademisi / perguruan tinggi" for row in book)
    workbook.close()


def test_rating_export_names_supervisors_but_never_peers(app, client, world):
    with app.app_context():
        campaign = open_campaign(
            world.a.id, "penilaian_atasan_rekan", Audience.SUPERVISOR, public_link=False
        )
        answers = {
            "lama_bekerja_sama": "1_3_tahun",
            "cukup_mengamati": "ya",
            **dict.fromkeys(ROWS, 3),
        }
        invitation = db.session.scalar(
            select(Invitation).where(Invitation.subject_employee_id == world.staff.id)
        )
        store(
            campaign,
            answers,
            respondent_employee_id=world.kabid.id,
            subject_employee_id=world.staff.id,
            org_unit_id=world.bidang.id,
            invitation_id=invitation.id,
        )
        store(
            campaign,
            answers,
            rater_role="peer",
            respondent_employee_id=world.staff2.id,
            subject_employee_id=world.staff.id,
            org_unit_id=world.bidang.id,
        )
        db.session.commit()
        campaign_id = campaign.id
    login(client, "hr@test.example")
    text = client.get(f"/surveys/results/export.csv?campaign={campaign_id}").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    by_role = {row["rater_role"]: row for row in rows}
    assert by_role["supervisor"]["respondent_name"] == "Kepala Bidang Uji"
    assert by_role["peer"]["respondent_name"] == "" and by_role["peer"]["respondent_nip"] == ""
    assert by_role["peer"]["subject_name"] == "Staf Satu"
    listing = client.get(f"/surveys/results?campaign={campaign_id}").get_data(as_text=True)
    assert "Staf Dua" not in listing  # the peer is never named


def test_exports_refuse_other_roles_and_unknown_campaigns(app, client, world, consultation):
    login(client, "staff@test.example")
    assert client.get(f"/surveys/results/export.csv?campaign={consultation}").status_code == 403
    client.post("/logout", data={})
    login(app.test_client(), "hr@test.example")
    hr = app.test_client()
    login(hr, "hr@test.example")
    assert hr.get("/surveys/results/export.csv").status_code == 404
    assert hr.get("/surveys/results/export.pdf?campaign=1").status_code == 404
    assert hr.get("/surveys/results/export.csv?campaign=99999").status_code == 404
    with app.app_context():
        draft = open_campaign(world.a.id, publish=False, title="Draf")
        db.session.commit()
        draft_id = draft.id
    assert hr.get(f"/surveys/results/export.csv?campaign={draft_id}").status_code == 404


def test_summary_counts_choices_and_scale_points(app, world, consultation):
    from flask import Flask

    assert isinstance(app, Flask)
    with app.test_request_context():
        from app.access.policy import principal_for
        from app.accounts.models import User

        hr = db.session.scalar(select(User).where(User.email == "hr@test.example"))
        campaign = db.session.get(Campaign, consultation)
        summary = services.summarize(principal_for(hr), campaign, services.ResultFilters(), "id")
        by_id = {q.item_id: q for q in summary.questions}
        satisfaction = {bar.code: bar.count for bar in by_id["kepuasan"].bars}
        assert satisfaction == {"1": 0, "2": 2, "3": 2, "4": 2, "5": 2}
        groups = {bar.code: bar.count for bar in by_id["kelompok"].bars}
        assert groups["masyarakat"] == 5 and groups["lsm"] == 2 and groups["swasta"] == 1
        assert by_id["kepentingan"].rows[0].mean == pytest.approx(4.0)
        assert len(by_id["saran_layanan"].texts) == services.TEXTS_PER_QUESTION
        assert summary.responses == 8 and not summary.hidden
        assert campaign.closes_on > local_today() - timedelta(days=1)
