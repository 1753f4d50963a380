"""The plan's participation page and documents through the web: a job per document, its progress
page, the download; drafting runs as a job too."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.extensions import db
from app.jobs.models import Job, JobState
from app.planning.models import PlanItem, Revision
from tests.conftest import csrf_token, login
from tests.factories import ROLE_EMAILS
from tests.unit.planning.factories import year
from tests.unit.planning.test_documents import consultation
from tests.web.test_export_injection import PAYLOADS, assert_xlsx_inert
from tests.web.test_planning_pages import _draft


def test_drafting_runs_as_a_job(app, client, world):
    plan_id, _item_id = _draft(app, client, world)
    with app.app_context():
        job = db.session.scalar(select(Job).where(Job.task == "planning.draft"))
        assert job.state == JobState.SUCCEEDED and job.result["url"] == f"/planning/{plan_id}"
        assert job.instansi_id == world.a.id
        db.session.remove()
    page = client.get(f"/planning/{plan_id}").get_data(as_text=True)
    assert "Rancangan disusun dari 3 kebutuhan" in page  # the job's summary, flashed


def test_participation_page_full_and_partial(app, client, world):
    plan_id, _item_id = _draft(app, client, world)
    with app.app_context():
        consultation(world)
        revision_id = db.session.scalar(select(Revision.id).where(Revision.plan_id == plan_id))
        db.session.remove()
    path = f"/planning/revisions/{revision_id}/participation"
    page = client.get(path).get_data(as_text=True)
    assert "Partisipasi pemangku kepentingan" in page and "Konsultasi pemangku kepentingan" in page
    assert "Akademisi" in page and "Tanpa unit (tautan publik)" in page
    partial = client.get(path, headers={"HX-Request": "true", "HX-Request-Type": "partial"})
    assert partial.get_data(as_text=True).lstrip().startswith('<section id="participation-tables"')


def test_document_job_progress_and_download(app, client, world):
    plan_id, item_id = _draft(app, client, world)
    with app.app_context():
        revision_id = db.session.scalar(select(Revision.id).where(Revision.plan_id == plan_id))
        item = db.session.get(PlanItem, item_id)
        item.title = PAYLOADS[0]  # a title a spreadsheet would evaluate
        db.session.commit()
        db.session.remove()
    token = csrf_token(client, f"/planning/{plan_id}")
    response = client.post(
        f"/planning/revisions/{revision_id}/documents/xlsx", data={"csrf_token": token}
    )
    assert response.status_code == 303 and re.match(r".*/jobs/\d+$", response.headers["Location"])
    progress = client.get(response.headers["Location"]).get_data(as_text=True)
    link = re.search(r'href="(/planning/documents/\d+)"', progress)
    assert link, progress[:3000]
    download = client.get(link.group(1))
    assert download.status_code == 200
    assert f"rpk-{world.a.code}-{year()}.xlsx" in download.headers["Content-Disposition"]
    assert_xlsx_inert(download.data)
    assert (
        client.post(
            f"/planning/revisions/{revision_id}/documents/odt", data={"csrf_token": token}
        ).status_code
        == 404
    )
    assert client.post(f"/planning/revisions/{revision_id}/documents/pdf").status_code == 400


def test_other_instansi_cannot_download(app, client, world):
    plan_id, _item_id = _draft(app, client, world)
    with app.app_context():
        from app.planning import documents, publishing

        revision = db.session.scalar(select(Revision).where(Revision.plan_id == plan_id))
        document_id = publishing.make_document(
            revision.id, "xlsx", documents.content_stamp(revision), None
        ).id
        db.session.remove()
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    login(client, ROLE_EMAILS["employee"])
    assert client.get(f"/planning/documents/{document_id}").status_code == 404
