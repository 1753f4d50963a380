"""HR authoring: upload into a draft with messages by row, phone preview without storing,
publish versions, diff, YAML and XLSForm exports (round trip), campaigns from a version."""

from __future__ import annotations

import gc
import io
import re
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.extensions import db
from app.surveys.models import Campaign, DefinitionDraft, DefinitionVersion, Response
from app.surveys.services import authoring
from app.surveys.xlsform import convert_xlsform
from app.surveys.xlsform_export import export_xlsform
from tests.conftest import csrf_token, login
from tests.xlsform_samples import FAMILY_FORM_ID, family_form

PARTIAL = {"HX-Request": "true", "HX-Request-Type": "partial"}
HR = "hr@test.example"


def upload(client, content: bytes, name: str = "keluarga.xlsx", headers=None):
    token = csrf_token(client, "/surveys/authoring")
    return client.post(
        "/surveys/authoring/upload",
        data={"csrf_token": token, "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
        headers=headers or {},
    )


def draft_id(response) -> int:
    assert response.status_code == 303, response.get_data(as_text=True)[:800]
    return int(re.search(r"/drafts/(\d+)", response.headers["Location"]).group(1))


def publish(client, number: int):
    token = csrf_token(client, f"/surveys/authoring/drafts/{number}")
    return client.post(f"/surveys/authoring/drafts/{number}/publish", data={"csrf_token": token})


def test_index_full_page_and_partial(client, world):
    login(client, HR)
    page = client.get("/surveys/authoring").get_data(as_text=True)
    assert "<html" in page and 'enctype="multipart/form-data"' in page
    partial = client.get("/surveys/authoring", headers=PARTIAL).get_data(as_text=True)
    assert partial.lstrip().startswith('<section class="card" id="authoring-upload"')
    assert "<html" not in partial


def test_upload_makes_a_draft_with_messages_beside_their_rows(app, client, world):
    login(client, HR)
    number = draft_id(upload(client, family_form()))
    page = client.get(f"/surveys/authoring/drafts/{number}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "survei_keluarga" in html and "/preview" in html and "/publish" in html
    # a form with an unsupported type: the message sits in the row of its sheet row
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "survey"
    for row in (
        ["type", "name", "label"],
        ["text", "a", "A"],
        ["image", "foto", "Foto"],
        ["text", "b", "B"],
    ):
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    other = draft_id(upload(client, buffer.getvalue(), "foto.xlsx"))
    html = client.get(f"/surveys/authoring/drafts/{other}").get_data(as_text=True)
    row = re.search(r"<tr class=\"issue-warning\">(.*?)</tr>", html, re.S).group(1)
    assert ">3<" in row and "foto" in row and "photo" in row
    partial = client.get(f"/surveys/authoring/drafts/{other}", headers=PARTIAL).get_data(
        as_text=True
    )
    assert partial.lstrip().startswith('<section id="draft-issues"') and "<html" not in partial


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("form.pdf", b"%PDF-1.4", "Unggah XLSForm"),
        ("form.xlsx", b"not a spreadsheet", "is not a .xlsx spreadsheet"),
        ("big.csv", b"type,name,label\n" * 400_000, "5 MB"),
        ("bad.yaml", b"id: [unclosed", None),
    ],
)
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_bad_uploads_are_refused_with_the_reason_never_a_500(client, world, name, content, reason):
    login(client, HR)
    response = upload(client, content, name)
    if reason is None:  # broken YAML: a draft with the error, no crash
        number = draft_id(response)
        assert "invalid YAML" in client.get(f"/surveys/authoring/drafts/{number}").get_data(
            as_text=True
        )
        return
    assert response.status_code == 422
    assert reason in response.get_data(as_text=True)
    del response
    gc.collect()  # werkzeug's temporary file of a large upload


@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_upload_over_the_request_limit_is_a_clear_413(app, client, world):
    login(client, HR)
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    try:
        response = upload(client, b"x" * (2 * 1024 * 1024), "huge.xlsx")
    finally:
        app.config["MAX_CONTENT_LENGTH"] = 10 * 1024 * 1024
    assert response.status_code == 413
    assert "<html" in response.get_data(as_text=True)
    # werkzeug leaves the half-received upload's temporary file to the garbage collector
    del response
    gc.collect()


def test_a_bundled_id_is_refused_at_publish(client, world):
    login(client, HR)
    text = Path("surveys/konsultasi_pemangku_kepentingan.yaml").read_bytes()
    number = draft_id(upload(client, text, "konsultasi.yaml"))
    assert "bundled definition" in client.get(f"/surveys/authoring/drafts/{number}").get_data(
        as_text=True
    )
    assert publish(client, number).status_code == 422


def test_preview_walks_the_pages_in_a_phone_frame_and_stores_nothing(app, client, world):
    login(client, HR)
    number = draft_id(upload(client, family_form()))
    first = client.get(f"/surveys/authoring/drafts/{number}/preview").get_data(as_text=True)
    assert 'class="phone-frame"' in first and "Provinsi" in first
    token = csrf_token(client, f"/surveys/authoring/drafts/{number}/preview")
    url = f"/surveys/authoring/drafts/{number}/preview"
    # required province missing: 422 with the error
    missing = client.post(
        url + "?page=wilayah", data={"csrf_token": token, "_answers": "{}", "action": "next"}
    )
    assert missing.status_code == 422
    second = client.post(
        url + "?page=wilayah",
        data={"csrf_token": token, "_answers": "{}", "prov": "riau", "action": "next"},
    ).get_data(as_text=True)
    # the city list is narrowed to the chosen province (cascading, no JavaScript)
    assert "Pekanbaru" in second and "Dumai" in second and "Bandung" not in second
    answers = re.search(r'name="_answers" value="([^"]*)"', second).group(1)
    partial = client.post(
        url + "?page=kota_page",
        data={
            "csrf_token": token,
            "_answers": answers.replace("&#34;", '"').replace("&quot;", '"'),
            "kota": "dumai",
        },
        headers=PARTIAL,
    ).get_data(as_text=True)
    assert partial.lstrip().startswith('<div id="preview-page"') and "<html" not in partial
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Response)) == 0


def test_publish_versions_history_diff_and_exports(app, client, world):
    login(client, HR)
    first = draft_id(upload(client, family_form()))
    response = publish(client, first)
    assert response.status_code == 303 and "/v/1" in response.headers["Location"]
    second = draft_id(upload(client, family_form(extra_question=True)))
    assert publish(client, second).status_code == 303
    with app.app_context():
        numbers = db.session.scalars(
            select(DefinitionVersion.version).order_by(DefinitionVersion.version)
        ).all()
        instansi = db.session.scalar(
            select(DefinitionDraft.instansi_id).where(DefinitionDraft.id == second)
        )
    assert numbers == [1, 2]
    base = f"/surveys/authoring/{FAMILY_FORM_ID}"
    q = f"?instansi={instansi}"
    history = client.get(base + "/versions" + q).get_data(as_text=True)
    assert "v1" in history and "v2" in history
    assert (
        client.get(base + "/versions" + q, headers=PARTIAL)
        .get_data(as_text=True)
        .lstrip()
        .startswith('<div class="table-wrap" id="version-list"')
    )
    diff = client.get(base + "/v/2" + q).get_data(as_text=True)
    assert 'class="diff-add"' in diff and "kontak" in diff
    partial = client.get(base + "/v/2" + q, headers=PARTIAL).get_data(as_text=True)
    assert partial.lstrip().startswith('<section class="card" id="version-diff"')
    yaml_text = client.get(base + "/v/2/definition.yaml" + q).get_data(as_text=True)
    assert "version: 2" in yaml_text and "kontak" in yaml_text
    xlsx = client.get(base + "/v/2/xlsform.xlsx" + q)
    assert xlsx.status_code == 200
    content = xlsx.data
    xlsx.close()
    sheets = load_workbook(io.BytesIO(content), read_only=True).sheetnames
    assert sheets[:2] == ["survey", "choices"]
    assert client.get(base + "/v/9" + q).status_code == 404


def test_a_campaign_uses_the_latest_published_version(app, client, world):
    login(client, HR)
    number = draft_id(upload(client, family_form()))
    publish(client, number)
    form_page = client.get("/surveys/campaigns/new").get_data(as_text=True)
    assert f'value="{FAMILY_FORM_ID}"' in form_page
    today = date.today()
    token = csrf_token(client, "/surveys/campaigns/new")
    response = client.post(
        "/surveys/campaigns/new",
        data={
            "csrf_token": token,
            "definition_id": FAMILY_FORM_ID,
            "title": "Keluarga",
            "audience": "stakeholder",
            "cycle_year": str(today.year),
            "opens_on": today.isoformat(),
            "closes_on": (today + timedelta(days=20)).isoformat(),
            "audience_unit_id": "0",
            "public_link": "y",
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    with app.app_context():
        campaign = db.session.scalar(
            select(Campaign).where(Campaign.definition_id == FAMILY_FORM_ID)
        )
        assert campaign.definition_version == 1 and "kota" in campaign.definition_text


def test_bundled_definition_exports_as_xlsform(client, world):
    login(client, HR)
    response = client.get("/surveys/definitions/konsultasi_pemangku_kepentingan/xlsform.xlsx")
    assert response.status_code == 200
    response.close()
    assert client.get("/surveys/definitions/nope/xlsform.xlsx").status_code == 404


def roundtrip(data: dict) -> dict:
    path, _warnings = export_xlsform(data)
    try:
        return convert_xlsform(path).data
    finally:
        path.unlink()


@pytest.mark.parametrize("name", sorted(p.name for p in Path("tests/data/xlsform").glob("*.xls*")))
def test_an_exported_form_reimports_to_the_same_definition(name: str) -> None:
    data = convert_xlsform(Path("tests/data/xlsform") / name).data
    assert roundtrip(data) == data


def test_the_family_form_round_trips() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "f.xlsx"
        path.write_bytes(family_form())
        data = convert_xlsform(path).data
    assert roundtrip(data) == data


def test_bundled_yaml_reaches_a_fixpoint_and_reports_what_xlsform_cannot_hold() -> None:
    data = authoring.plain_data(Path("surveys/konsultasi_pemangku_kepentingan.yaml").read_text())
    path, warnings = export_xlsform(data)
    path.unlink()
    assert any("scoring" in w for w in warnings)
    once = roundtrip(data)
    assert roundtrip(once) == once
