"""ASVS items without a test elsewhere: password length rules, upload size, generic errors with
debug off in the production factory."""

from __future__ import annotations

import pytest

from app import create_app
from app.accounts.services import check_password_policy
from app.errors import ServiceError
from app.extensions import db
from tests.conftest import login


def test_password_length_rules_without_composition_rules():
    """ASVS 2.1.1–2.1.4, 2.1.9: 12 to 128 characters, any characters, spaces kept."""
    for accepted in ("a" * 12, "correct horse battery staple", "🙂" * 12, "x" * 64, "y" * 128):
        check_password_policy(accepted)
    for refused in ("a" * 11, "z" * 129):
        with pytest.raises(ServiceError):
            check_password_policy(refused)


def test_an_oversized_upload_is_refused_with_413(app, client, world):
    """ASVS 12.1.1: the request body limit applies before anything is parsed or stored."""
    login(client, "hr@test.example")
    body = b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1)  # in memory: no spooled temp file
    response = client.post(
        "/employees/import", data=body, content_type="multipart/form-data; boundary=b"
    )
    assert response.status_code == 413


def test_errors_are_generic_and_debug_is_off_in_production(app):
    """ASVS 7.4.1, 14.3.2, 14.3.3: a failure shows a generic page, no stack trace or version."""
    production = create_app({**app.config, "TESTING": False, "DEBUG": False})
    assert production.debug is False and production.testing is False

    def boom() -> str:
        raise RuntimeError("secret detail /srv/bangkom/app.py")

    production.add_url_rule("/boom", "boom", boom)
    response = production.test_client().get("/boom")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Traceback" not in body and "secret detail" not in body and "Werkzeug" not in body
    assert "Server" not in response.headers or "/" not in response.headers["Server"]
    with production.app_context():
        db.session.remove()
        db.engine.dispose()
