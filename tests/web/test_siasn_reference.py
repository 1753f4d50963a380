"""SIASN reference page: check a unor export (full page and partial), then write it."""

from __future__ import annotations

import io

from sqlalchemy import select

from app.extensions import db
from app.org.models import OrgUnit
from tests.conftest import csrf_token, login
from tests.factories import ROLE_EMAILS

PARTIAL = {"HX-Request": "true", "HX-Request-Type": "partial"}
UNOR = b"ID;NAMA_UNOR;DIATASAN_ID\nX1;Dinas Pariwisata;\nX2;Bidang Promosi;X1\nX3;Bidang Hantu;X9\n"


def test_reference_page_checks_then_writes(app, client, world):
    login(client, ROLE_EMAILS["hr_admin"])
    token = csrf_token(client, "/siasn/reference")
    page = client.get("/siasn/reference")
    assert page.status_code == 200 and 'id="reference-panel"' in page.get_data(as_text=True)
    partial = client.get("/siasn/reference", headers=PARTIAL).get_data(as_text=True)
    assert "<html" not in partial and 'id="reference-panel"' in partial

    def post(confirm: bool, headers=None):  # type: ignore[no-untyped-def]
        data = {"csrf_token": token, "kind": "unor", "file": (io.BytesIO(UNOR), "unor.csv")}
        if confirm:
            data["confirm"] = "y"
        return client.post(
            "/siasn/reference", data=data, content_type="multipart/form-data", headers=headers
        )

    checked = post(False, PARTIAL)
    html = checked.get_data(as_text=True)
    assert checked.status_code == 200 and "X9" in html and "<html" not in html
    with app.app_context():
        assert db.session.scalar(select(OrgUnit).where(OrgUnit.name == "Dinas Pariwisata")) is None
    written = post(True)
    assert written.status_code == 200
    with app.app_context():
        dinas = db.session.scalar(select(OrgUnit).where(OrgUnit.name == "Dinas Pariwisata"))
        assert dinas is not None and dinas.instansi_id == world.a.id
    bad = client.post(
        "/siasn/reference",
        data={"csrf_token": token, "kind": "unor", "file": (io.BytesIO(b"A;B\n1;2"), "u.csv")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422
