"""Login, logout, language choice and the account page."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.accounts import services
from app.accounts.forms import LanguageForm, LoginForm, PasswordChangeForm
from app.accounts.login import SESSION_TOKEN_KEY
from app.web.forms import submit_form
from app.web.htmx import render_page
from app.web.urls import safe_next

bp = Blueprint("accounts", __name__)


def client_address() -> str:
    return request.remote_addr or "unknown"


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    """Email or NIP plus password; a fresh session on success, throttled on repeated failures."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"), 303)
    form = LoginForm()
    user, status = submit_form(
        form, lambda: services.authenticate(form.login.data, form.password.data, client_address())
    )
    if status == 303:
        token = services.start_session(
            user, client_address(), request.headers.get("User-Agent", "")
        )
        next_url = safe_next(request.args.get("next"), url_for("home.index"))
        session.clear()  # no pre-login value survives into the new session
        session[SESSION_TOKEN_KEY] = token
        session.permanent = True
        login_user(user)
        return redirect(next_url, 303)
    return render_page("auth/login.html", "login_form", form=form), status


@bp.post("/logout")
@login_required
def logout() -> ResponseReturnValue:
    """Revoke the server-side session, then clear the cookie."""
    services.end_session(session.get(SESSION_TOKEN_KEY))
    logout_user()
    session.clear()
    flash(_("You have logged out."), "success")
    return redirect(url_for("accounts.login"), 303)


@bp.post("/language")
def language() -> ResponseReturnValue:
    """Anyone may switch language; a signed-in user's choice is kept on the account."""
    form = LanguageForm()
    if not form.validate_on_submit():
        return redirect(url_for("home.index"), 303)
    if current_user.is_authenticated:
        services.set_locale(current_user, form.locale.data)
    session["lang"] = form.locale.data
    return redirect(safe_next(request.form.get("next"), url_for("home.index")), 303)


@bp.route("/account", methods=["GET", "POST"])
@login_required
def settings() -> ResponseReturnValue:
    """The account page: language and password."""
    form = PasswordChangeForm()
    done, status = submit_form(
        form,
        lambda: services.change_password(
            current_user,
            form.current_password.data,
            form.new_password.data,
            keep_token=session.get(SESSION_TOKEN_KEY),
        ),
    )
    if status == 303:
        flash(_("Your password has been changed; other sessions were signed out."), "success")
        return redirect(url_for("accounts.settings"), 303)
    return render_template("auth/settings.html", form=form), status
