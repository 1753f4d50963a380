"""Flask-Login wiring: the cookie carries a session token that the database must still honour."""

from __future__ import annotations

from flask import Flask, Response, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.extensions import login_manager

SESSION_TOKEN_KEY = "auth_token"


def init_login(app: Flask) -> None:
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please log in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        from app.accounts.services import user_for_session

        return user_for_session(user_id, session.get(SESSION_TOKEN_KEY))

    @login_manager.unauthorized_handler
    def unauthorized() -> Response:
        """Full pages redirect to login; htmx partials get HX-Redirect instead of a login fragment."""
        target = url_for("accounts.login", next=request.full_path.rstrip("?"))
        if request.headers.get("HX-Request"):
            response = Response(status=401)
            response.headers["HX-Redirect"] = target
            return response
        return redirect(target, 303)  # type: ignore[return-value]
