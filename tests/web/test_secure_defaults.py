"""Secure defaults in production mode: Secure session cookies off localhost, HSTS over HTTPS,
and demo/test tools outside the runtime dependencies."""

from __future__ import annotations

import tomllib
from pathlib import Path

from tests.conftest import TEST_PASSWORD, csrf_token_from

ROOT = Path(__file__).resolve().parents[2]
STAFF = "staff@test.example"


def login_cookie(app, base_url: str) -> str:
    client = app.test_client()
    token = csrf_token_from(client.get("/login", base_url=base_url).get_data(as_text=True))
    response = client.post(
        "/login",
        data={"login": STAFF, "password": TEST_PASSWORD, "csrf_token": token},
        base_url=base_url,
        headers={"Referer": f"{base_url}/login"},  # Flask-WTF checks it over HTTPS
    )
    assert response.status_code == 303
    return "; ".join(response.headers.getlist("Set-Cookie"))


def test_session_cookie_is_secure_unless_on_localhost(app, world):
    assert app.config["SESSION_COOKIE_SECURE"] is None  # the default: decided per host
    public = login_cookie(app, "https://bangkom.example.go.id")
    assert "Secure" in public and "HttpOnly" in public and "SameSite=Lax" in public
    local = login_cookie(app, "http://localhost")
    assert "Secure" not in local and "HttpOnly" in local


def test_session_cookie_setting_still_forces_either_way(app, world):
    app.config["SESSION_COOKIE_SECURE"] = True
    try:
        assert "Secure" in login_cookie(app, "http://localhost")
    finally:
        app.config["SESSION_COOKIE_SECURE"] = None


def test_hsts_only_over_https(client):
    secure = client.get("/login", base_url="https://bangkom.example.go.id")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "Strict-Transport-Security" not in client.get("/login").headers


def test_demo_and_test_tools_are_not_runtime_dependencies():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = {spec.split("=")[0].split("[")[0].lower() for spec in project["dependencies"]}
    for tool in ("faker", "pytest", "hypothesis", "playwright", "ruff", "aiosmtpd", "pyxform"):
        assert tool not in runtime, tool
    assert any(
        spec.lower().startswith("faker") for spec in project["optional-dependencies"]["demo"]
    )
