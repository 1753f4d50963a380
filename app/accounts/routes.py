"""Login, logout, language choice and the account page."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.accounts import second_factor, services
from app.accounts.forms import (
    LanguageForm,
    LoginForm,
    PasswordChangeForm,
    SecondFactorDisableForm,
    SecondFactorForm,
)
from app.accounts.login import SESSION_TOKEN_KEY
from app.accounts.models import User
from app.clock import utcnow
from app.extensions import db
from app.web.forms import CsrfForm, submit_form
from app.web.htmx import render_page
from app.web.qr import qr_svg_response
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
        form,
        lambda: services.authenticate(
            form.login.data or "", form.password.data or "", client_address()
        ),
    )
    if user is not None:  # signed in (303)
        next_url = safe_next(request.args.get("next"), url_for("home.index"))
        if second_factor.is_enabled(user):
            session.clear()  # no pre-login value survives; the password step is remembered
            session[PENDING_KEY] = {"user": user.id, "at": utcnow().timestamp(), "next": next_url}
            return redirect(url_for("accounts.login_second_factor"), 303)
        return _finish_login(user, next_url)
    return render_page("auth/login.html", "login_form", form=form), status


PENDING_KEY = "second_factor_pending"  # the password was right; the code is still due
ENROL_KEY = "second_factor_enrol"  # the instansi requires a second factor the user lacks
ENROL_ENDPOINTS = {
    "accounts.second_factor_settings",
    "accounts.second_factor_start",
    "accounts.second_factor_confirm",
    "accounts.second_factor_qr",
    "accounts.logout",
    "accounts.language",
    "static",
}


def _finish_login(user: User, next_url: str) -> ResponseReturnValue:
    """A fresh server-side session; an HR admin who must enrol a second factor goes there first."""
    token = services.start_session(user, client_address(), request.headers.get("User-Agent", ""))
    session.clear()  # no pre-login value survives into the new session
    session[SESSION_TOKEN_KEY] = token
    session.permanent = True
    login_user(user)
    if second_factor.is_required(user) and not second_factor.is_enabled(user):
        session[ENROL_KEY] = True
        flash(_("Your instansi requires a second factor: please set it up now."), "info")
        return redirect(url_for("accounts.second_factor_settings"), 303)
    return redirect(next_url, 303)


@bp.before_app_request
def enrolment_first() -> ResponseReturnValue | None:
    """Until the required second factor is set up, only its pages (and logout) open."""
    if session.get(ENROL_KEY) and request.endpoint not in ENROL_ENDPOINTS:
        return redirect(url_for("accounts.second_factor_settings"), 303)
    return None


def _pending_user() -> User | None:
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict) or not isinstance(pending.get("user"), int):
        return None
    age = utcnow().timestamp() - float(pending.get("at", 0))
    if not 0 <= age <= second_factor.PENDING_LOGIN.total_seconds():
        return None
    user = db.session.get(User, pending["user"])
    if user is None or not user.is_active_account or not second_factor.is_enabled(user):
        return None
    return user


@bp.route("/login/second-factor", methods=["GET", "POST"])
def login_second_factor() -> ResponseReturnValue:
    """The second step of a login with a second factor: a code from the app or a recovery code."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"), 303)
    user = _pending_user()
    if user is None:
        session.pop(PENDING_KEY, None)
        flash(_("Please log in again."), "info")
        return redirect(url_for("accounts.login"), 303)
    form = SecondFactorForm()
    method, status = submit_form(
        form, lambda: second_factor.verify_login_code(user, form.code.data or "", client_address())
    )
    if status == 303:
        if method == "recovery":
            flash(
                _(
                    "You used a recovery code; %(n)d remain.",
                    n=second_factor.unused_recovery_codes(user),
                ),
                "info",
            )
        return _finish_login(user, session[PENDING_KEY]["next"])
    return render_template("auth/second_factor.html", form=form), status


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
            form.current_password.data or "",
            form.new_password.data or "",
            keep_token=session.get(SESSION_TOKEN_KEY),
        ),
    )
    if status == 303:
        flash(_("Your password has been changed; other sessions were signed out."), "success")
        return redirect(url_for("accounts.settings"), 303)
    return render_template("auth/settings.html", form=form), status


def _second_factor_page(status: int = 200, **forms: object) -> ResponseReturnValue:
    user = current_user
    return render_template(
        "auth/second_factor_settings.html",
        enabled=second_factor.is_enabled(user),
        required=second_factor.is_required(user),
        pending_secret=None if second_factor.is_enabled(user) else user.totp_secret,
        remaining=second_factor.unused_recovery_codes(user),
        start_form=forms.get("start_form") or CsrfForm(),
        confirm_form=forms.get("confirm_form") or SecondFactorForm(),
        disable_form=forms.get("disable_form") or SecondFactorDisableForm(),
        recovery_codes=forms.get("recovery_codes"),
    ), status


@bp.get("/account/second-factor")
@login_required
def second_factor_settings() -> ResponseReturnValue:
    """The second factor: set it up (QR code or secret, then a first code), or switch it off."""
    return _second_factor_page()


@bp.post("/account/second-factor/start")
@login_required
def second_factor_start() -> ResponseReturnValue:
    form = CsrfForm()
    _done, status = submit_form(form, lambda: second_factor.start_enrolment(current_user))
    if status == 303:
        return redirect(url_for("accounts.second_factor_settings"), 303)
    return _second_factor_page(status, start_form=form)


@bp.get("/account/second-factor/qr.svg")
@login_required
def second_factor_qr() -> ResponseReturnValue:
    """The QR code of the secret being set up (none once it is confirmed)."""
    if second_factor.is_enabled(current_user) or not current_user.totp_secret:
        abort(404)
    return qr_svg_response(second_factor.provisioning_uri(current_user), private=True)


@bp.post("/account/second-factor/confirm")
@login_required
def second_factor_confirm() -> ResponseReturnValue:
    """A first valid code switches the second factor on; the recovery codes are shown once."""
    form = SecondFactorForm()
    codes, status = submit_form(
        form, lambda: second_factor.confirm_enrolment(current_user, form.code.data or "")
    )
    if status == 303:
        session.pop(ENROL_KEY, None)
        return _second_factor_page(200, recovery_codes=codes)
    return _second_factor_page(status, confirm_form=form)


@bp.post("/account/second-factor/disable")
@login_required
def second_factor_disable() -> ResponseReturnValue:
    form = SecondFactorDisableForm()
    _done, status = submit_form(
        form, lambda: second_factor.disable(current_user, form.current_password.data or "")
    )
    if status == 303:
        flash(_("The second factor is switched off."), "success")
        return redirect(url_for("accounts.second_factor_settings"), 303)
    return _second_factor_page(status, disable_form=form)
