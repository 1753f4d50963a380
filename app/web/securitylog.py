"""Security events (ASVS 7.1, 7.2): logins, throttling, denials, CSRF failures, password and
role changes, as structured records of the `bangkom.security` logger.

They go out through the JSON log of `requestlog` with the request id. A record names the
account by its id, and a login name (email or NIP) only by a keyed hash, so failures against
one account can be correlated without writing who was tried. Never pass passwords, tokens,
codes or cookie values here: the fields are chosen by the callers below and nothing else.
"""

from __future__ import annotations

import hashlib
import hmac
import logging

from flask import current_app, has_request_context, request
from flask_login import current_user

SECURITY_LOGGER = logging.getLogger("bangkom.security")

FieldValue = str | int | float | bool | None


def login_hash(login: str) -> str:
    """A keyed, shortened hash of a login name as typed (trimmed, lower-case)."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    digest = hmac.new(key, login.strip().lower().encode(), hashlib.sha256).hexdigest()
    return digest[:16]


def _acting_user_id() -> int | None:
    try:
        if current_user.is_authenticated:
            return int(current_user.id)
    except RuntimeError:  # no request or no login manager
        return None
    return None


def security_event(event: str, *, level: int = logging.INFO, **fields: FieldValue) -> None:
    """Log one security event; the request's method, path, client and signed-in user are added."""
    extra: dict[str, FieldValue] = {"event": event}
    if has_request_context():
        extra["method"] = request.method
        extra["path"] = redacted_path()
        extra["client"] = request.remote_addr or ""
        extra.setdefault("actor_id", _acting_user_id())
    extra.update(fields)
    SECURITY_LOGGER.log(level, event, extra=extra)


REFUSALS = {403: "access.denied", 429: "rate_limited"}


def refusal_event(status: int | None) -> None:
    """Log a 403 or 429 answer (an aborted request or a refusing service); others are not events."""
    if status in REFUSALS:
        security_event(REFUSALS[status], level=logging.WARNING, status=status)


SECRET_VIEW_ARGS = ("token",)


def redacted_path() -> str:
    """The request path with secret URL parts (survey and resume tokens) replaced."""
    path = request.path
    for name in SECRET_VIEW_ARGS:
        value = (request.view_args or {}).get(name)
        if isinstance(value, str) and value:
            path = path.replace(value, "[redacted]")
    return path
