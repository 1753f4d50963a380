"""Login by email or NIP, fresh sessions, real logout, throttling, CSRF and language choice."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.accounts.services import login_throttle
from app.accounts.throttle import FallbackStore, RedisStore
from app.clock import utcnow
from app.extensions import db
from tests.conftest import TEST_PASSWORD, csrf_token, login


@pytest.fixture
def users(world):
    return world.users, world


def test_login_by_email_and_by_nip(client, users):
    accounts, world = users
    login(client, "STAFF@test.example")  # case-insensitive email
    assert client.get("/").status_code == 200
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, world.staff.nip_display)  # NIP typed with spaces
    assert "Staf Satu" in client.get("/").get_data(as_text=True)


def test_wrong_password_is_422_with_message_and_no_session(client, users):
    token = csrf_token(client)
    response = client.post(
        "/login",
        data={"login": "staff@test.example", "password": "wrong password!", "csrf_token": token},
    )
    assert response.status_code == 422
    assert "salah" in response.get_data(as_text=True)  # Indonesian by default
    assert client.get("/employees").status_code == 303


def test_login_page_partial_for_htmx(client, users):
    token = csrf_token(client)
    response = client.post(
        "/login",
        data={"login": "", "password": "", "csrf_token": token},
        headers={"HX-Request": "true", "HX-Request-Type": "partial"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<html" not in html and 'id="login-form"' in html


def test_session_id_changes_on_login_and_old_values_are_dropped(client, users):
    with client.session_transaction() as session:
        session["planted"] = "attacker"
    login(client, "staff@test.example")
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session.get("auth_token")


def test_copied_cookie_stops_working_after_logout(app, client, users):
    login(client, "staff@test.example")
    cookie = client.get_cookie("session").value
    assert client.get("/me").status_code == 303  # redirect to own profile: signed in
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    replay = app.test_client()
    replay.set_cookie("session", cookie, domain="localhost")
    response = replay.get("/me")
    assert response.status_code == 303 and "/login" in response.headers["Location"]


def test_logout_requires_post_with_csrf(client, users):
    login(client, "staff@test.example")
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    assert (
        client.get("/me").status_code == 303
        and "/employees/" in client.get("/me").headers["Location"]
    )


def test_htmx_request_without_csrf_header_is_refused(client, users):
    login(client, "hr@test.example")
    response = client.post(
        "/employees/validate-nip", data={"nip": "1"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 400
    token = csrf_token(client, "/employees/new")
    response = client.post(
        "/employees/validate-nip",
        data={"nip": "1"},
        headers={"HX-Request": "true", "X-CSRFToken": token},
    )
    assert response.status_code == 200


def test_account_throttle_after_repeated_failures(app, client, users):
    token = csrf_token(client)
    limit = app.config["LOGIN_LIMIT_PER_ACCOUNT"]
    for _ in range(limit):
        response = client.post(
            "/login",
            data={"login": "staff@test.example", "password": "nope nope nope", "csrf_token": token},
        )
        assert response.status_code == 422
    response = client.post(
        "/login",
        data={"login": "staff@test.example", "password": TEST_PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 429  # even the right password waits now


def test_client_throttle_counts_attempts_across_accounts(app, client, users):
    token = csrf_token(client)
    for n in range(app.config["LOGIN_LIMIT_PER_CLIENT"]):
        client.post(
            "/login",
            data={"login": f"x{n}@test.example", "password": "p" * 12, "csrf_token": token},
        )
    response = client.post(
        "/login",
        data={"login": "staff@test.example", "password": TEST_PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 429


def test_redis_backend_is_used_when_configured(app):
    app.config["REDIS_URL"] = "redis://127.0.0.1:6379/15"
    try:
        with app.app_context():
            store = login_throttle().store
            assert isinstance(store, FallbackStore) and isinstance(store.primary, RedisStore)
    finally:
        app.config["REDIS_URL"] = ""
        app.extensions.pop("bangkom_login_throttle", None)


def test_open_redirect_is_refused(client, users):
    token = csrf_token(client)
    response = client.post(
        "/login?next=//evil.example/x",
        data={"login": "staff@test.example", "password": TEST_PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"].endswith("/")
    assert "evil" not in response.headers["Location"]


def test_language_switch_for_visitor_and_user(app, client, users):
    assert "Masuk" in client.get("/login").get_data(as_text=True)
    token = csrf_token(client)
    client.post("/language", data={"locale": "en", "next": "/login", "csrf_token": token})
    assert "Log in to Bangkom" in client.get("/login").get_data(as_text=True)
    login(client, "staff@test.example")
    client.post("/language", data={"locale": "en", "csrf_token": csrf_token(client, "/")})
    accounts, _ = users
    with app.app_context():
        assert db.session.get(User, accounts["employee"].id).locale == "en"


def test_password_change_checks_current_and_policy(client, users):
    login(client, "staff@test.example")
    token = csrf_token(client, "/account")
    response = client.post(
        "/account",
        data={
            "current_password": "wrong",
            "new_password": "short",
            "confirm": "short",
            "csrf_token": token,
        },
    )
    assert response.status_code == 422
    new = "a much longer passphrase"
    response = client.post(
        "/account",
        data={
            "current_password": TEST_PASSWORD,
            "new_password": new,
            "confirm": new,
            "csrf_token": token,
        },
    )
    assert response.status_code == 303
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, "staff@test.example", new)


def test_security_headers_and_no_store(client, users):
    response = client.get("/login")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    login(client, "staff@test.example")
    assert client.get("/").headers["Cache-Control"] == "no-store"


def test_failures_by_email_and_by_nip_count_for_the_same_account(app, client, users):
    _, world = users
    token = csrf_token(client)
    limit = app.config["LOGIN_LIMIT_PER_ACCOUNT"]
    spellings = ["staff@test.example", world.staff.nip, world.staff.nip_display]
    for n in range(limit):
        client.post(
            "/login",
            data={"login": spellings[n % 3], "password": "nope nope nope", "csrf_token": token},
        )
    response = client.post(
        "/login", data={"login": world.staff.nip, "password": TEST_PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 429


def test_idle_session_expires(app, client, users):
    from datetime import timedelta

    from app.accounts.models import AuthSession

    login(client, "staff@test.example")
    with app.app_context():
        for auth in db.session.scalars(select(AuthSession)):
            auth.last_seen_at = utcnow() - app.config["SESSION_IDLE_TIMEOUT"] - timedelta(minutes=1)
        db.session.commit()
    response = client.get("/me")
    assert response.status_code == 303 and "/login" in response.headers["Location"]


def test_password_hash_is_argon2id_and_upgraded_when_cost_changes(app, client, users):
    accounts, _ = users
    with app.app_context():
        stored = db.session.get(User, accounts["employee"].id).password_hash
    assert stored.startswith("$argon2id$") and "m=1024" in stored
    app.config["PASSWORD_MEMORY_COST"] = 2048
    try:
        login(client, "staff@test.example")
        with app.app_context():
            assert "m=2048" in db.session.get(User, accounts["employee"].id).password_hash
    finally:
        app.config["PASSWORD_MEMORY_COST"] = 1024
