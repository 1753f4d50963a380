"""Per-request hooks: transaction mode, security headers, cache rules for htmx and private pages."""

from __future__ import annotations

from flask import Flask, Response, abort, request
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user

from app.database import read_only_transactions

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "[::1]", "::1"})


class LocalAwareSessionInterface(SecureCookieSessionInterface):
    """SESSION_COOKIE_SECURE unset: the cookie is Secure for every host but localhost, so a
    production deployment cannot forget it while `make run` on 127.0.0.1 keeps working."""

    def get_cookie_secure(self, app: Flask) -> bool:
        setting = app.config.get("SESSION_COOKIE_SECURE")
        if setting is not None:
            return bool(setting)
        host = request.host.rsplit(":", 1)[0] if not request.host.endswith("]") else request.host
        return host.lower() not in LOCAL_HOSTS


def init_hooks(app: Flask) -> None:
    app.session_interface = LocalAwareSessionInterface()

    @app.before_request
    def choose_transaction_mode() -> None:
        """GET/HEAD only read; every other method takes SQLite's write lock when it begins."""
        read_only_transactions.set(request.method in ("GET", "HEAD"))

    @app.before_request
    def refuse_nul_bytes() -> None:
        """No text a person types contains NUL; PostgreSQL cannot store it, so stop it here."""
        for values in (request.args, request.form):
            if any("\x00" in value for value in values.values()):
                abort(400)

    @app.after_request
    def redirect_htmx_as_navigation(response: Response) -> Response:
        """fetch() would follow a redirect and swap the next page into a fragment target;
        htmx instead gets HX-Redirect and navigates the whole window."""
        if request.headers.get("HX-Request") and response.status_code in (301, 302, 303, 307):
            location = response.headers.get("Location", "/")
            response.status_code = 200
            response.headers["HX-Redirect"] = location
            del response.headers["Location"]
            response.set_data(b"")
        return response

    @app.after_request
    def security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.add("Vary", "HX-Request, HX-Request-Type")
        if current_user and current_user.is_authenticated:
            headers["Cache-Control"] = "no-store"
        hsts = int(app.config.get("HSTS_SECONDS") or 0)
        if hsts > 0 and request.is_secure:  # behind a proxy: TRUSTED_PROXY_HOPS gives the scheme
            headers.setdefault("Strict-Transport-Security", f"max-age={hsts}; includeSubDomains")
        return response
