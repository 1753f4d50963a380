"""Error pages: a small banner for htmx partials, the full layout otherwise; 500 rolls back."""

from __future__ import annotations

import logging

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from app.extensions import db
from app.web.htmx import render_page
from app.web.securitylog import refusal_event, security_event

HANDLED = (400, 401, 403, 404, 405, 410, 413, 422, 429)


def render_error(status: int, description: str | None = None) -> tuple[str, int]:
    return render_page(
        "errors/error.html", "error_banner", status=status, description=description
    ), status


def init_errors(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str, int]:
        security_event("csrf.failed", level=logging.WARNING, reason=str(error.description))
        return render_error(400, "csrf")

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int] | HTTPException:
        refusal_event(error.code)
        if error.code in HANDLED:
            return render_error(error.code or 500)
        return error

    @app.errorhandler(InternalServerError)
    def server_error(error: InternalServerError) -> tuple[str, int]:
        db.session.rollback()
        return render_template("errors/error.html", status=500, description=None), 500
