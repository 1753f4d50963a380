"""The Pemda's name and logo: HR's form (full page and htmx), the checks on the uploaded file,
the logo's own response, and the respondents' header that replaces the staff chrome."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from sqlalchemy import select

from app.extensions import db
from app.surveys.models import Branding
from app.surveys.services import MAX_LOGO_BYTES
from tests.conftest import csrf_token, login
from tests.web.matrix.surveys import open_campaign, png_logo

PARTIAL = {"HX-Request": "true", "HX-Request-Type": "partial"}
URL = "/surveys/branding"


def upload(client, data=b"", name="logo.png", url=URL, headers=None, **fields):  # type: ignore[no-untyped-def]
    body = {"csrf_token": csrf_token(client, url), "display_name": "Pemkot Pekanbaru", **fields}
    if data:
        body["logo"] = (io.BytesIO(data), name)
    return client.post(url, data=body, headers=headers or {}, content_type="multipart/form-data")


def jpeg_logo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 40), "green").save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def hr(client, world):
    login(client, "hr@test.example")
    return client


def test_the_form_renders_as_a_page_and_as_an_htmx_block(hr):
    page = hr.get(URL)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in html and "<html" in html
    block = hr.get(URL, headers=PARTIAL)
    assert block.status_code == 200
    assert block.get_data(as_text=True).strip().startswith('<section id="branding-form">')


def test_a_png_logo_and_a_name_show_on_the_survey_pages(app, hr, world):
    saved = upload(hr, png_logo(120, 60))
    assert saved.status_code == 303
    with app.app_context():
        row = db.session.get(Branding, world.a.id)
        assert row.display_name == "Pemkot Pekanbaru" and row.logo_type == "image/png"
        assert (row.logo_width, row.logo_height) == (120, 60)
        sha = row.logo_sha
        public = open_campaign(world.a.id).public_token
        db.session.commit()
    logo = hr.get(f"/brand/{world.a.id}/logo?v={sha[:12]}")
    assert logo.status_code == 200 and logo.headers["Content-Type"] == "image/png"
    assert logo.headers["X-Content-Type-Options"] == "nosniff"
    assert logo.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert Image.open(io.BytesIO(logo.data)).size == (120, 60)
    respondent = app.test_client()  # not signed in
    html = respondent.get(f"/s/{public}").get_data(as_text=True)
    header = html.split('<header class="site-header respondent-header">')[1].split("</header>")[0]
    assert "Pemkot Pekanbaru" in header and f"/brand/{world.a.id}/logo?v={sha[:12]}" in header
    assert 'width="120" height="60"' in header
    assert "Bangkom</a>" not in html and "nav-menu" not in html  # no staff chrome
    assert 'href="/my/surveys"' not in html
    assert 'class="respondent-back" href="/my/surveys"' in hr.get(f"/s/{public}").get_data(
        as_text=True
    )  # staff answering a survey find their way back
    assert respondent.get(f"/brand/{world.a.id}/logo").status_code == 200


def test_a_jpeg_is_accepted_and_stored_again_without_metadata(app, hr, world):
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010E] = "rahasia GPS"  # ImageDescription
    Image.new("RGB", (40, 40), "green").save(out, "JPEG", exif=exif)
    assert b"rahasia" in out.getvalue()
    assert upload(hr, out.getvalue(), "logo.jpg").status_code == 303
    logo = hr.get(f"/brand/{world.a.id}/logo")
    assert logo.headers["Content-Type"] == "image/jpeg" and b"rahasia" not in logo.data


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
)


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (SVG, "logo.svg", "Unggah logo sebagai gambar PNG atau JPEG"),
        (SVG, "logo.png", "Unggah logo sebagai gambar PNG atau JPEG"),  # the name does not decide
        (b"<html><body>hi</body></html>", "logo.png", "Unggah logo sebagai gambar PNG atau JPEG"),
        (b"\x89PNG\r\n\x1a\n" + b"not really a png" * 20, "logo.png", "dapat dibaca"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 200, "logo.jpg", "dapat dibaca"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * MAX_LOGO_BYTES, "big.png", "256 KB"),
        (png_logo(2000, 20), "wide.png", "antara 16 dan 1024 piksel"),
        (png_logo(8, 8), "tiny.png", "antara 16 dan 1024 piksel"),
    ],
)
def test_a_file_that_is_not_a_bounded_png_or_jpeg_is_refused(app, hr, world, data, name, message):
    refused = upload(hr, data, name)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and message in html
    assert re.search(r'class="error-summary"[^>]*autofocus', html)
    with app.app_context():
        assert db.session.get(Branding, world.a.id) is None  # nothing half-saved


def test_bad_input_through_htmx_comes_back_in_the_block(hr):
    refused = upload(hr, SVG, "x.svg", headers=PARTIAL)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and html.strip().startswith('<section id="branding-form">')
    too_long = upload(hr, display_name="x" * 201)
    assert too_long.status_code == 422


def test_another_instansi_is_refused_and_its_logo_stays_its_own(app, hr, world):
    assert hr.get(f"{URL}?instansi={world.b.id}").status_code == 403
    assert upload(hr, png_logo(), url=f"{URL}?instansi={world.b.id}").status_code == 403
    with app.app_context():
        assert db.session.scalar(select(Branding)) is None
    assert hr.get(f"/brand/{world.b.id}/logo").status_code == 404
    assert hr.get("/brand/999999/logo").status_code == 404


def test_the_logo_can_be_removed_and_the_name_falls_back_to_the_instansi(app, hr, world):
    assert upload(hr, png_logo()).status_code == 303
    assert upload(hr, display_name="", remove_logo="y").status_code == 303
    assert hr.get(f"/brand/{world.a.id}/logo").status_code == 404
    with app.app_context():
        public = open_campaign(world.a.id).public_token
        db.session.commit()
    html = app.test_client().get(f"/s/{public}").get_data(as_text=True)
    header = html.split('class="site-header respondent-header"')[1].split("</header>")[0]
    assert world.a.name in header and "<img" not in header


def test_staff_other_than_hr_cannot_open_the_form(client, world):
    login(client, "head@test.example")
    assert client.get(URL).status_code == 403
