"""ASVS 2.8: an optional TOTP second factor with single-use recovery codes, throttled like the
password, and an instansi setting that requires it of HR administrators.

Codes are computed in the test with pyotp at the frozen portal clock.
"""

from __future__ import annotations

import json
import re

import pyotp
from sqlalchemy import select

from app.accounts.models import RecoveryCode, User
from app.extensions import db
from tests.conftest import TEST_PASSWORD, csrf_token, login

HR = "hr@test.example"
SECRET_PATTERN = re.compile(r'<code class="secret-key">([A-Z2-7]+)</code>')
RECOVERY_PATTERN = re.compile(r"<li><code>([0-9a-f]{5}-[0-9a-f]{5})</code></li>")


def code_at(secret: str, clock, seconds: float = 0) -> str:
    return pyotp.TOTP(secret).at(clock.now.timestamp() + seconds)


def enrol(client, clock) -> tuple[str, list[str]]:
    """Set up the second factor for the signed-in user: (secret, recovery codes)."""
    token = csrf_token(client, "/account/second-factor")
    assert (
        client.post("/account/second-factor/start", data={"csrf_token": token}).status_code == 303
    )
    page = client.get("/account/second-factor").get_data(as_text=True)
    secret = SECRET_PATTERN.search(page).group(1)
    response = client.post(
        "/account/second-factor/confirm",
        data={"code": code_at(secret, clock), "csrf_token": token},
    )
    assert response.status_code == 200
    codes = RECOVERY_PATTERN.findall(response.get_data(as_text=True))
    assert len(codes) == 10 and len(set(codes)) == 10
    return secret, codes


def logout(client) -> None:
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})


def password_step(client, email: str = HR) -> None:
    """The password is right: the login goes on to the code, nothing opens yet."""
    token = csrf_token(client)
    response = client.post(
        "/login", data={"login": email, "password": TEST_PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/login/second-factor")
    assert client.get("/account").status_code == 303  # not signed in yet


def code_step(client, code: str) -> int:
    token = csrf_token(client, "/login/second-factor")
    return client.post("/login/second-factor", data={"code": code, "csrf_token": token}).status_code


def test_enrolment_then_the_login_asks_for_a_fresh_code(app, client, world, clock):
    login(client, HR)
    token = csrf_token(client, "/account/second-factor")
    client.post("/account/second-factor/start", data={"csrf_token": token})
    page = client.get("/account/second-factor").get_data(as_text=True)
    secret = SECRET_PATTERN.search(page).group(1)
    qr = client.get("/account/second-factor/qr.svg")
    assert qr.mimetype == "image/svg+xml" and b"<svg" in qr.data
    assert qr.headers["Cache-Control"] == "no-store"
    wrong = client.post(
        "/account/second-factor/confirm", data={"code": "000000", "csrf_token": token}
    )
    assert wrong.status_code == 422
    confirmed = client.post(
        "/account/second-factor/confirm", data={"code": code_at(secret, clock), "csrf_token": token}
    )
    assert confirmed.status_code == 200
    assert client.get("/account/second-factor/qr.svg").status_code == 404  # secret not shown again
    logout(client)

    password_step(client)
    assert code_step(client, "123456" if code_at(secret, clock) != "123456" else "654321") == 422
    assert code_step(client, code_at(secret, clock)) == 422  # the enrolment's code: spent
    assert code_step(client, code_at(secret, clock, -60)) == 422  # too old
    clock.advance(seconds=30)
    assert code_step(client, code_at(secret, clock)) == 303
    assert client.get("/account").status_code == 200
    logout(client)

    password_step(client)
    clock.advance(minutes=6)  # the password step is forgotten after five minutes
    response = client.get("/login/second-factor")
    assert response.status_code == 303 and response.headers["Location"].startswith("/login")
    assert client.get("/account").status_code == 303
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == HR))
        assert user.totp_enabled_at is not None
        db.session.remove()


def test_recovery_codes_are_hashed_and_single_use(app, client, world, clock, json_log):
    login(client, HR)
    secret, codes = enrol(client, clock)
    logout(client)
    password_step(client)
    assert code_step(client, codes[0].upper()) == 303
    logout(client)
    password_step(client)
    assert code_step(client, codes[0]) == 422
    assert code_step(client, codes[1]) == 303
    with app.app_context():
        stored = db.session.scalars(select(RecoveryCode.code_hash)).all()
        db.session.remove()
    assert len(stored) == 10
    assert not any(code.replace("-", "") in h or code in h for code in codes for h in stored)
    events = [json.loads(line) for line in json_log.lines]
    due = [e["second_factor_due"] for e in events if e.get("event") == "login.succeeded"]
    assert due == [False, True, True]  # before and after the set-up
    factors = [e.get("factor") for e in events if e.get("event") == "login.second_factor_succeeded"]
    assert factors == ["recovery", "recovery"]
    assert [e["reason"] for e in events if e.get("event") == "login.second_factor_failed"] == [
        "wrong_code"
    ]
    log = "\n".join(json_log.lines)  # neither the key nor a code is ever written to the log
    assert secret not in log and not any(code in log for code in codes)


def test_wrong_codes_are_throttled_like_passwords(app, client, world, clock):
    login(client, HR)
    secret, _ = enrol(client, clock)
    logout(client)
    clock.advance(seconds=30)
    password_step(client)
    limit = app.config["LOGIN_LIMIT_PER_ACCOUNT"]
    statuses = [code_step(client, "000000") for _ in range(limit + 1)]
    assert statuses[:limit] == [422] * limit and statuses[-1] == 429
    assert code_step(client, code_at(secret, clock)) == 429  # even the right one waits


def test_an_instansi_can_require_the_second_factor_of_its_hr(app, client, world, clock):
    admin = app.test_client()
    login(admin, "admin@test.example")
    response = admin.post(
        f"/admin/instansi/{world.a.id}/second-factor",
        data={"required": "y", "csrf_token": csrf_token(admin, "/admin/instansi")},
    )
    assert response.status_code == 303

    token = csrf_token(client)
    response = client.post(
        "/login", data={"login": HR, "password": TEST_PASSWORD, "csrf_token": token}
    )
    assert response.headers["Location"].endswith("/account/second-factor")
    assert client.get("/employees").headers["Location"].endswith("/account/second-factor")
    secret, _ = enrol(client, clock)
    assert client.get("/employees").status_code == 200  # set up: the portal opens
    response = client.post(
        "/account/second-factor/disable",
        data={"current_password": TEST_PASSWORD, "csrf_token": csrf_token(client, "/account")},
    )
    assert response.status_code == 422  # required: cannot be switched off
    logout(client)

    staff = app.test_client()
    login(staff, "staff@test.example")  # not HR: no second factor asked
    assert staff.get("/account").status_code == 200

    response = admin.post(
        f"/admin/instansi/{world.a.id}/second-factor",
        data={"csrf_token": csrf_token(admin, "/admin/instansi")},
    )
    assert response.status_code == 303
    clock.advance(seconds=30)
    password_step(client)
    assert code_step(client, code_at(secret, clock)) == 303
    response = client.post(
        "/account/second-factor/disable",
        data={"current_password": TEST_PASSWORD, "csrf_token": csrf_token(client, "/account")},
    )
    assert response.status_code == 303
    logout(client)
    login(client, HR)  # the password alone again
