"""Certificate numbering settings (HR) and the printable certificate of a completion."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.training.models import CertificateSetting
from tests.conftest import csrf_token, login
from tests.factories import ROLE_EMAILS

PARTIAL = {"HX-Request": "true", "HX-Request-Type": "partial"}
SETTINGS = "/training/certificates"


def saved_pattern(app) -> str | None:  # type: ignore[no-untyped-def]
    with app.app_context():
        value = db.session.scalar(select(CertificateSetting.pattern))
        db.session.remove()
    return value


def test_hr_sees_the_default_and_saves_a_pattern(app, client, world):
    login(client, ROLE_EMAILS["hr_admin"])
    page = client.get(SETTINGS).get_data(as_text=True)
    assert "<html" in page and 'value="{seq:04d}/BKPSDM/{year}"' in page and "0007/BKPSDM/" in page
    partial = client.get(SETTINGS, headers=PARTIAL).get_data(as_text=True)
    assert partial.lstrip().startswith('<form method="post" class="card" id="certificate-form"')
    token = csrf_token(client, SETTINGS)
    response = client.post(SETTINGS, data={"csrf_token": token, "pattern": "SERT/{seq:05d}/{year}"})
    assert response.status_code == 303
    assert saved_pattern(app) == "SERT/{seq:05d}/{year}"
    assert "SERT/00007/" in client.get(SETTINGS).get_data(as_text=True)


def test_bad_patterns_are_422_beside_the_field(app, client, world):
    login(client, ROLE_EMAILS["hr_admin"])
    token = csrf_token(client, SETTINGS)
    for pattern in ("", "BKPSDM/{year}", "{seq}/{nama}", "{seq}<script>", "{seq}" + "A" * 90):
        response = client.post(
            SETTINGS, data={"csrf_token": token, "pattern": pattern}, headers=PARTIAL
        )
        html = response.get_data(as_text=True)
        assert response.status_code == 422, pattern
        assert html.lstrip().startswith("<form") and 'id="pattern-error"' in html
    assert saved_pattern(app) is None


def test_others_may_not_change_the_numbering(app, client, world):
    for role in ("employee", "supervisor", "unit_head", "mentor"):
        login(client, ROLE_EMAILS[role])
        token = csrf_token(client, "/account")
        assert client.get(SETTINGS).status_code == 403
        response = client.post(SETTINGS, data={"csrf_token": token, "pattern": "{seq}"})
        assert response.status_code == 403
        client.post("/logout", data={"csrf_token": token})
    assert saved_pattern(app) is None
