"""A second factor (ASVS 2.8): time-based one-time passwords (TOTP, RFC 6238) and single-use
recovery codes.

Optional for everyone; an instansi may require it of its HR administrators
(`Instansi.hr_second_factor_required`, set by a sysadmin). The login asks for a code after the
password (routes.py); wrong codes are throttled like passwords, under their own account key.
A code is accepted once: the time step it belongs to is remembered. Recovery codes are random,
kept only as hashes and spent by one conditional update (two requests cannot both use one).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from datetime import timedelta

import pyotp
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, or_, select, update

from app.accounts.models import RecoveryCode, Role, User
from app.accounts.services import LoginThrottled, login_throttle, verify_password
from app.clock import utcnow
from app.database import rowcount
from app.errors import ServiceError
from app.extensions import db
from app.org.models import Instansi
from app.web.securitylog import security_event

ISSUER = "Bangkom"
RECOVERY_CODES = 10
CODE_FIELD = "code"
# A code is accepted one step (30 s) before and after the server's time: phone clocks drift.
VALID_STEPS = (-1, 0, 1)
PENDING_LOGIN = timedelta(minutes=5)


def is_enabled(user: User) -> bool:
    return user.totp_enabled_at is not None


def is_required(user: User) -> bool:
    """An HR administrator of an instansi that requires the second factor must use one."""
    hr_instansi = [g.instansi_id for g in user.grants if g.role == Role.HR_ADMIN and g.instansi_id]
    if not hr_instansi:
        return False
    return bool(
        db.session.scalar(
            select(Instansi.id)
            .where(Instansi.id.in_(hr_instansi), Instansi.hr_second_factor_required.is_(True))
            .limit(1)
        )
    )


def start_enrolment(user: User) -> str:
    """A fresh secret for an account that has no confirmed second factor yet."""
    if is_enabled(user):
        raise ServiceError(_l("The second factor is already set up."), field=CODE_FIELD)
    if not user.totp_secret:
        user.totp_secret = pyotp.random_base32()
        db.session.commit()
    return user.totp_secret


def provisioning_uri(user: User) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    assert user.totp_secret
    return pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def _matching_step(secret: str, code: str) -> int | None:
    """The time step whose code equals `code` near the portal's clock, or None."""
    totp = pyotp.TOTP(secret)
    now = utcnow().timestamp()
    for offset in VALID_STEPS:
        moment = now + offset * totp.interval
        if hmac.compare_digest(totp.at(moment), code):
            return totp.timecode(moment)
    return None


def _spend_step(user: User, step: int) -> bool:
    """Record `step` as used unless it (or a later one) already was: no code works twice."""
    result = db.session.execute(
        update(User)
        .where(
            User.id == user.id,
            or_(User.totp_last_step.is_(None), User.totp_last_step < step),
        )
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    return bool(rowcount(result))


def _clean(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _recovery_hash(code: str) -> str:
    return hashlib.sha256(_clean(code).encode()).hexdigest()


def _new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes; the plain codes are shown once and never stored."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = secrets.token_hex(5)  # 40 random bits each, shown as xxxxx-xxxxx
        codes.append(f"{raw[:5]}-{raw[5:]}")
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_recovery_hash(raw)))
    return codes


def confirm_enrolment(user: User, code: str) -> list[str]:
    """Switch the second factor on with a first valid code; returns the new recovery codes."""
    if is_enabled(user) or not user.totp_secret:
        raise ServiceError(_l("Start the set-up again."), field=CODE_FIELD)
    step = _matching_step(user.totp_secret, _clean(code))
    if step is None or not _spend_step(user, step):
        raise ServiceError(
            _l("The code is wrong or has expired; check your phone's clock."), field=CODE_FIELD
        )
    user.totp_enabled_at = utcnow()
    codes = _new_recovery_codes(user)
    db.session.commit()
    security_event("second_factor.enabled", user_id=user.id)
    return codes


def disable(user: User, password: str) -> None:
    """Switch the second factor off after the password; not while the instansi requires it."""
    if not verify_password(user, password):
        raise ServiceError(_l("The current password is wrong."), field="current_password")
    if is_required(user):
        raise ServiceError(
            _l("Your instansi requires a second factor for HR administrators."),
            field="current_password",
        )
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.commit()
    security_event("second_factor.disabled", user_id=user.id)


def _spend_recovery_code(user: User, code: str) -> bool:
    result = db.session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _recovery_hash(code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return bool(rowcount(result))


def verify_login_code(user: User, code: str, client_address: str) -> str:
    """Check the code typed after the password: a current TOTP or an unused recovery code.

    Returns "totp" or "recovery"; refusals raise. Attempts are counted like password attempts
    (same delays), under the account's second-factor key.
    """
    throttle = login_throttle()
    account = f"second-factor:user:{user.id}"
    wait = throttle.begin(client_address, account)
    if wait > 0:
        _failed(user, "throttled")
        raise LoginThrottled.after(wait)
    cleaned = _clean(code)
    method = None
    if user.totp_secret and len(cleaned) == 6 and cleaned.isdigit():
        step = _matching_step(user.totp_secret, cleaned)
        if step is not None and _spend_step(user, step):
            method = "totp"
    elif len(cleaned) == 10 and _spend_recovery_code(user, cleaned):
        method = "recovery"
    if method is None:
        db.session.rollback()
        _failed(user, "wrong_code")
        raise ServiceError(_l("The code is wrong or has expired."), field=CODE_FIELD)
    throttle.succeeded(client_address, account)
    db.session.commit()
    security_event("login.second_factor_succeeded", user_id=user.id, factor=method)
    return method


def _failed(user: User, reason: str) -> None:
    security_event(
        "login.second_factor_failed", level=logging.WARNING, user_id=user.id, reason=reason
    )


def unused_recovery_codes(user: User) -> int:
    return len(
        db.session.scalars(
            select(RecoveryCode.id).where(
                RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
            )
        ).all()
    )
