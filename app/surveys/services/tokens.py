"""Link tokens: random tokens, their stored hashes and the HMAC of invitation links."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable

from flask import current_app
from sqlalchemy import bindparam

from app.database import own_write_transaction
from app.surveys.models import (
    Invitation,
)

TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{20,64}")
KEY_RE = re.compile(r"[A-Za-z0-9_-]{16,64}")  # submission keys


def sha256_hex(text: str) -> str:
    """Hex SHA-256 of a token: what the database keeps instead of the token."""
    return hashlib.sha256(text.encode()).hexdigest()


def new_token() -> str:
    """A 256-bit URL-safe random token."""
    return secrets.token_urlsafe(32)


def new_submission_key() -> str:
    """The per-render key of a submit form: a retried submit carries the same key."""
    return secrets.token_urlsafe(18)


def invitation_token(nonce: str) -> str:
    """The personal token: HMAC(SECRET_KEY, nonce), so the database alone never reveals it."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    digest = hmac.new(key, b"survey-invitation:" + nonce.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def new_invitation_secret() -> tuple[str, str]:
    """(nonce, token hash) for a new invitation."""
    nonce = secrets.token_hex(16)
    return nonce, sha256_hex(invitation_token(nonce))


def link_tokens(invitations: Iterable[Invitation]) -> dict[int, str]:
    """invitation id → link token, for a page that only reads (My surveys).

    A hash stored under an earlier SECRET_KEY is re-keyed in a short write transaction of its
    own (never in the request's deferred read transaction); the loaded rows stay untouched.
    """
    tokens: dict[int, str] = {}
    stale: list[dict[str, object]] = []
    for invitation in invitations:
        token = invitation_token(invitation.token_nonce)
        tokens[invitation.id] = token
        if sha256_hex(token) != invitation.token_hash:
            stale.append({"row_id": invitation.id, "token_hash": sha256_hex(token)})
    if stale:
        table = Invitation.__table__
        with own_write_transaction() as connection:
            connection.execute(
                table.update()
                .where(table.c.id == bindparam("row_id"))
                .values(token_hash=bindparam("token_hash")),
                stale,
            )
    return tokens


def token_for(invitation: Invitation) -> str:
    """The invitation's link token; re-keys the stored hash if SECRET_KEY has changed."""
    token = invitation_token(invitation.token_nonce)
    if sha256_hex(token) != invitation.token_hash:
        invitation.token_hash = sha256_hex(token)
    return token
