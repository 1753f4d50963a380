"""ASVS 7.1.1–7.2.2: security events reach the structured log, with no secrets in it.

One journey through the portal: failed and successful logins, a throttled login, an access
denial, a CSRF failure, a password change and a role change by an administrator. Every record
written meanwhile (security events and request lines) is formatted as the production JSON log
and searched for the passwords, the session cookie, the session token and the e-mail addresses.
"""

from __future__ import annotations

import json

from app.web.securitylog import login_hash
from tests.conftest import TEST_PASSWORD, csrf_token, login

NEW_PASSWORD = "a brand new passphrase"
WRONG_PASSWORD = "not the right passphrase"


def _logout(client) -> None:
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})


def test_security_events_are_logged_without_secrets(app, client, world, json_log):
    staff_id, hr_id = world.users["employee"].id, world.users["hr_admin"].id
    secrets: list[str] = [TEST_PASSWORD, NEW_PASSWORD, WRONG_PASSWORD]

    token = csrf_token(client)
    wrong = {"login": "staff@test.example", "password": WRONG_PASSWORD, "csrf_token": token}
    assert client.post("/login", data=wrong).status_code == 422
    unknown = {"login": "nobody@test.example", "password": WRONG_PASSWORD, "csrf_token": token}
    assert client.post("/login", data=unknown).status_code == 422

    login(client, "hr@test.example")
    with client.session_transaction() as session:
        secrets.append(session["auth_token"])
    secrets.append(client.get_cookie("session").value)
    assert client.get("/admin/instansi").status_code == 403  # sysadmin only
    assert client.post("/account", data={"current_password": "x"}).status_code == 400  # CSRF
    response = client.post(
        f"/admin/users/{staff_id}",
        data={"roles": ["mentor"], "csrf_token": csrf_token(client, f"/admin/users/{staff_id}")},
    )
    assert response.status_code == 303
    _logout(client)

    login(client, "staff@test.example")
    response = client.post(
        "/account",
        data={
            "current_password": TEST_PASSWORD,
            "new_password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
            "csrf_token": csrf_token(client, "/account"),
        },
    )
    assert response.status_code == 303
    _logout(client)

    token = csrf_token(client)
    attempt = {"login": "staff@test.example", "password": WRONG_PASSWORD, "csrf_token": token}
    statuses = [
        client.post("/login", data=attempt).status_code
        for _ in range(app.config["LOGIN_LIMIT_PER_ACCOUNT"] + 1)
    ]
    assert statuses[-1] == 429

    entries = [json.loads(line) for line in json_log.lines]
    events = [e for e in entries if e["logger"] == "bangkom.security"]

    def find(name: str, **fields) -> list[dict]:
        return [
            e
            for e in events
            if e["event"] == name and all(e.get(k) == v for k, v in fields.items())
        ]

    with app.app_context():
        staff_hash = login_hash("staff@test.example")
        unknown_hash = login_hash("nobody@test.example")
    assert find("login.failed", reason="wrong_password", user_id=staff_id, login_hash=staff_hash)
    assert find("login.failed", reason="unknown_account", login_hash=unknown_hash)
    assert find("login.succeeded", user_id=hr_id)
    assert find("login.succeeded", user_id=staff_id)
    assert find("access.denied", status=403, path="/admin/instansi", actor_id=hr_id)
    assert find("csrf.failed", path="/account", method="POST")
    assert find("roles.changed", user_id=staff_id, actor_id=hr_id, after=f"mentor@{world.a.id}")
    assert find("password.changed", user_id=staff_id, actor_id=staff_id)
    assert find("login.failed", reason="throttled", user_id=staff_id)
    assert find("rate_limited", status=429, path="/login")
    assert find("logout", actor_id=hr_id)
    assert [e for e in events if not e.get("request_id")] == []

    text = "\n".join(json_log.lines)
    for secret in secrets:
        assert secret not in text
    for address in ("staff@test.example", "hr@test.example", "nobody@test.example"):
        assert address not in text


def test_link_tokens_in_paths_are_redacted_in_the_log(client, world, json_log):
    """Survey, invitation and resume links carry a secret in the path; the log keeps the route."""
    secret = "Zq8sEcReTtOkEn0123456789abcdef"
    for path in (f"/s/{secret}", f"/i/{secret}", f"/r/{secret}"):
        client.get(path)
    paths = [json.loads(line).get("path") for line in json_log.lines]
    assert {"/s/[redacted]", "/i/[redacted]", "/r/[redacted]"} <= set(paths)
    assert not any(secret in line for line in json_log.lines)
