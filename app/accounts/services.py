"""Password hashing, authentication, server-side sessions and role grants."""

from __future__ import annotations

import hashlib
import logging
import math
import secrets
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from app.accounts.models import INSTANSI_SCOPED_ROLES, AuthSession, Role, RoleGrant, User
from app.accounts.throttle import LoginThrottle, Policy, make_store
from app.clock import utcnow
from app.database import own_write_transaction, rowcount
from app.errors import ServiceError
from app.extensions import db
from app.org.models import Employee
from app.org.nip import normalize_nip
from app.web.securitylog import login_hash, security_event

PASSWORD_MIN_LENGTH = 12
PASSWORD_MAX_LENGTH = 128
LAST_SEEN_RESOLUTION = timedelta(minutes=1)


class LoginRefused(ServiceError):
    pass


class LoginThrottled(ServiceError):
    status = 429

    @classmethod
    def after(cls, wait: float) -> LoginThrottled:
        return cls(
            _l(
                "Too many failed login attempts. Please wait %(seconds)d seconds and try again.",
                seconds=math.ceil(wait),
            )
        )


@lru_cache(maxsize=8)
def _hasher(time_cost: int, memory_cost: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)


def password_hasher() -> PasswordHasher:
    """Argon2id with the configured cost (tests lower it to stay fast)."""
    cfg = current_app.config
    return _hasher(
        cfg["PASSWORD_TIME_COST"], cfg["PASSWORD_MEMORY_COST"], cfg["PASSWORD_PARALLELISM"]
    )


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    """The most common leaked passwords long enough to pass the length rule, case-folded.

    The list ships inside the zxcvbn package (the 30,000 most frequent passwords of public
    breach corpora, MIT licence): nothing is asked over the network.
    """
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(
        word.casefold() for word in FREQUENCY_LISTS["passwords"] if len(word) >= PASSWORD_MIN_LENGTH
    )


def is_common_password(password: str) -> bool:
    """True for a password on the common/breached list, whatever its letter case."""
    return password.strip().casefold() in _common_passwords()


def check_password_policy(password: str) -> None:
    """ASVS L2: 12 to 128 characters, any characters, no composition rules, not a common
    (breached) password."""
    if len(password) < PASSWORD_MIN_LENGTH:
        raise ServiceError(
            _l("Use at least %(n)d characters.", n=PASSWORD_MIN_LENGTH), field="password"
        )
    if len(password) > PASSWORD_MAX_LENGTH:
        raise ServiceError(
            _l("Use at most %(n)d characters.", n=PASSWORD_MAX_LENGTH), field="password"
        )
    if is_common_password(password):
        raise ServiceError(
            _l("This password is on a list of common or leaked passwords; choose another."),
            field="password",
        )


def hash_password(password: str) -> str:
    return password_hasher().hash(password)


def verify_password(user: User, password: str) -> bool:
    """Check the password and upgrade the stored hash when the cost settings changed."""
    hasher = password_hasher()
    try:
        hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    return True


def find_user_by_login(login: str) -> User | None:
    """A login is an email address or an 18-digit NIP."""
    login = login.strip()
    if not login:
        return None
    nip = normalize_nip(login)
    if nip.isdigit():
        return db.session.scalars(
            select(User).join(Employee, User.employee_id == Employee.id).where(Employee.nip == nip)
        ).first()
    return db.session.scalars(select(User).where(func.lower(User.email) == login.lower())).first()


def login_throttle() -> LoginThrottle:
    throttle = current_app.extensions.get("bangkom_login_throttle")
    if throttle is None:
        cfg = current_app.config
        delays = {
            "base": cfg["LOGIN_DELAY_BASE_SECONDS"],
            "cap": cfg["LOGIN_DELAY_MAX_SECONDS"],
            "memory": cfg["LOGIN_LIMIT_WINDOW_SECONDS"],
        }
        throttle = LoginThrottle(
            make_store(cfg["LOGIN_COUNTER_STORE"], cfg["REDIS_URL"]),
            pair=Policy(free=cfg["LOGIN_LIMIT_PER_ACCOUNT"], **delays),
            client=Policy(free=cfg["LOGIN_LIMIT_PER_CLIENT"], **delays),
            account=Policy(free=cfg["LOGIN_LIMIT_ACCOUNT_WIDE"], **delays),
            known_seconds=cfg["LOGIN_KNOWN_CLIENT_DAYS"] * 24 * 3600,
        )
        current_app.extensions["bangkom_login_throttle"] = throttle
    return throttle


def authenticate(login: str, password: str, client_address: str) -> User:
    """Return the user for valid credentials; throttled or wrong attempts raise.

    Every attempt counts for its account and client pair, its client and (from unknown
    clients) its account, whether the account was named by email or by NIP; an unknown login is
    counted under its normalised spelling. A success takes the attempt back (`throttle.py`).
    """
    throttle = login_throttle()
    user = find_user_by_login(login)
    account = f"user:{user.id}" if user is not None else f"login:{normalize_nip(login).lower()}"
    user_id = user.id if user is not None else None
    wait = throttle.begin(client_address, account)
    if wait > 0:
        _login_failed("throttled", login, user_id)
        raise LoginThrottled.after(wait)
    if user is None:
        password_hasher().hash(password)  # same work as a real check: no timing oracle
        _login_failed("unknown_account", login, None)
        raise LoginRefused(_l("Email/NIP or password is wrong."))
    password_ok = verify_password(user, password)
    if not password_ok or not user.is_active_account:
        _login_failed("inactive" if password_ok else "wrong_password", login, user.id)
        raise LoginRefused(_l("Email/NIP or password is wrong."))
    throttle.succeeded(client_address, account)
    db.session.commit()  # a re-hashed password is kept
    security_event(
        "login.succeeded",
        user_id=user.id,
        login_hash=login_hash(login),
        second_factor_due=user.totp_enabled_at is not None,  # the session waits for the code
    )
    return user


def _login_failed(reason: str, login: str, user_id: int | None) -> None:
    security_event(
        "login.failed",
        level=logging.WARNING,
        reason=reason,
        user_id=user_id,
        login_hash=login_hash(login),
    )


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: User, client_address: str, user_agent: str) -> str:
    """Record a new login session and return the random token for the cookie."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(
        AuthSession(
            token_hash=_token_hash(token),
            user=user,
            created_at=now,
            last_seen_at=now,
            client_address=client_address[:64],
            user_agent=user_agent[:300],
        )
    )
    user.last_login_at = now
    db.session.commit()
    return token


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def user_for_session(user_id: str, token: str | None) -> User | None:
    """The session's user if the token is live: not revoked, not idle or too old."""
    if not token or not user_id.isdigit():
        return None
    auth = db.session.scalars(
        select(AuthSession).where(
            AuthSession.token_hash == _token_hash(token),
            AuthSession.user_id == int(user_id),
            AuthSession.revoked_at.is_(None),
        )
    ).first()
    if auth is None or not auth.user.is_active_account:
        return None
    cfg = current_app.config
    now = utcnow()
    if now - _aware(auth.created_at) > cfg["PERMANENT_SESSION_LIFETIME"]:
        return None
    if now - _aware(auth.last_seen_at) > cfg["SESSION_IDLE_TIMEOUT"]:
        return None
    if now - _aware(auth.last_seen_at) > LAST_SEEN_RESOLUTION:
        _touch_session(auth.id, now)
    return auth.user


def _touch_session(session_id: int, now: datetime) -> None:
    """Move last_seen forward in its own short write transaction (reads may be deferred)."""
    with own_write_transaction() as connection:
        connection.execute(
            update(AuthSession).where(AuthSession.id == session_id).values(last_seen_at=now)
        )


def end_session(token: str | None) -> None:
    """Revoke the session so a copied cookie stops working."""
    if not token:
        return
    db.session.execute(
        update(AuthSession)
        .where(AuthSession.token_hash == _token_hash(token), AuthSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    db.session.commit()
    security_event("logout")


def set_locale(user: User, locale: str) -> None:
    if locale not in current_app.config["LANGUAGES"]:
        raise ServiceError(_l("Unknown language."), field="locale")
    user.locale = locale
    db.session.commit()


def create_user(
    email: str,
    display_name: str,
    password: str,
    *,
    employee: Employee | None = None,
    instansi_id: int | None = None,
    organisation: str | None = None,
    roles: tuple[tuple[Role, int | None], ...] = (),
) -> User:
    """Create an account with its grants; the password must meet the policy."""
    check_password_policy(password)
    email = email.strip().lower()
    if db.session.scalar(select(func.count()).select_from(User).where(User.email == email)):
        raise ServiceError(_l("An account with this email already exists."), field="email")
    user = User(
        email=email,
        display_name=display_name,
        password_hash=hash_password(password),
        employee=employee,
        instansi_id=instansi_id
        if instansi_id is not None
        else (employee.instansi_id if employee else None),
        organisation=organisation,
    )
    for role, role_instansi in roles:
        user.grants.append(_make_grant(role, role_instansi))
    db.session.add(user)
    db.session.commit()
    security_event("account.created", user_id=user.id, roles=_grant_text(user.grants))
    return user


def _make_grant(role: Role, instansi_id: int | None) -> RoleGrant:
    if role in (Role.EMPLOYEE, Role.SUPERVISOR, Role.UNIT_HEAD):
        raise ServiceError(_l("This role follows from the position tree and cannot be granted."))
    if role in INSTANSI_SCOPED_ROLES and instansi_id is None:
        raise ServiceError(_l("This role needs an instansi."), field="instansi_id")
    return RoleGrant(role=role, instansi_id=instansi_id)


def set_grants(user: User, grants: list[tuple[Role, int | None]]) -> None:
    """Replace a user's granted roles in one transaction."""
    new = [_make_grant(role, instansi_id) for role, instansi_id in grants]
    before = _grant_text(user.grants)
    user.grants.clear()
    db.session.flush()
    user.grants.extend(new)
    db.session.commit()
    security_event("roles.changed", user_id=user.id, before=before, after=_grant_text(new))


def _grant_text(grants: list[RoleGrant]) -> str:
    """Grants for the log, e.g. `hr_admin@3 mentor@3`."""
    return " ".join(
        sorted(f"{g.role.value}@{g.instansi_id}" if g.instansi_id else g.role.value for g in grants)
    )


def change_password(user: User, current: str, new: str, keep_token: str | None) -> None:
    """Change the password after re-checking the old one; other sessions are signed out."""
    if not verify_password(user, current):
        security_event(
            "password.change_failed", level=logging.WARNING, reason="wrong_current", user_id=user.id
        )
        raise ServiceError(_l("The current password is wrong."), field="current_password")
    try:
        check_password_policy(new)
    except ServiceError as error:
        error.field = "new_password"
        raise
    user.password_hash = hash_password(new)
    keep_hash = _token_hash(keep_token) if keep_token else ""
    revoked = db.session.execute(
        update(AuthSession)
        .where(
            AuthSession.user_id == user.id,
            AuthSession.revoked_at.is_(None),
            AuthSession.token_hash != keep_hash,
        )
        .values(revoked_at=utcnow())
    )
    db.session.commit()
    security_event("password.changed", user_id=user.id, sessions_revoked=rowcount(revoked))
