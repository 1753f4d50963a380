"""ASVS 2.1.7: passwords on a local list of common/breached passwords are refused wherever a
password is set (account creation by HR, a user's own change), whatever their letter case."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.accounts.models import User
from app.accounts.services import _common_passwords, check_password_policy, is_common_password
from app.errors import ServiceError
from app.extensions import db
from tests.conftest import TEST_PASSWORD, csrf_token, login

REFUSED_TEXT = "daftar kata sandi umum atau yang pernah bocor"


def test_common_passwords_are_refused_whatever_their_case():
    listed = _common_passwords()
    assert len(listed) > 200  # the long entries of zxcvbn's 30,000 most common passwords
    assert all(len(word) >= 12 and word == word.casefold() for word in listed)
    for refused in ("qwerty123456", "QWERTY123456", "1Qaz2Wsx3Edc", " leavemealone "):
        assert is_common_password(refused)
        with pytest.raises(ServiceError) as caught:
            check_password_policy(refused)
        assert caught.value.field == "password"
    for accepted in (TEST_PASSWORD, "qwerty123456 but longer", "a much longer passphrase"):
        assert not is_common_password(accepted)
        check_password_policy(accepted)


def test_a_common_password_is_refused_on_change_with_a_field_error(client, world):
    login(client, "staff@test.example")
    token = csrf_token(client, "/account")
    response = client.post(
        "/account",
        data={
            "current_password": TEST_PASSWORD,
            "new_password": "Qwerty123456",
            "confirm": "Qwerty123456",
            "csrf_token": token,
        },
    )
    assert response.status_code == 422
    assert REFUSED_TEXT in response.get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, "staff@test.example")  # the old password still holds


def test_a_common_password_is_refused_for_a_new_account(app, client, world):
    login(client, "hr@test.example")
    response = client.post(
        "/admin/users/new",
        data={
            "kind": "employee",
            "nip": world.staff2.nip_display,
            "email": "dua@kota-a.example",
            "password": "1QAZ2WSX3EDC",
            "csrf_token": csrf_token(client, "/admin/users/new"),
        },
    )
    assert response.status_code == 422
    assert REFUSED_TEXT in response.get_data(as_text=True)
    with app.app_context():
        count = db.session.scalar(
            select(func.count()).select_from(User).where(User.email == "dua@kota-a.example")
        )
        db.session.remove()
    assert count == 0
