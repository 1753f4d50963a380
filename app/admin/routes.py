"""Accounts, role grants and the regional governments hosted in the portal."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required

from app.access.guards import current_principal, load_or_404, roles_required
from app.accounts.models import Role, User
from app.admin import services
from app.admin.forms import (
    ZONE_LABELS,
    AccountForm,
    InstansiForm,
    RolesForm,
    SecondFactorPolicyForm,
)
from app.errors import ServiceError
from app.extensions import db
from app.org.models import Instansi
from app.web.forms import apply_service_error, choices, submit_form
from app.web.htmx import render_page
from app.web.navigation import role_label
from app.web.pagination import paginate
from app.web.params import page_arg

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/users")
@login_required
@roles_required(Role.HR_ADMIN, Role.SYSADMIN)
def users() -> ResponseReturnValue:
    """Accounts the user administers, searchable by email or NIP."""
    search = request.args.get("q", "")[:100]
    page = page_arg()
    pagination = paginate(services.user_query(current_principal(), search), page, 50, scalars=True)
    return render_page("admin/users.html", "user_table", pagination=pagination, search=search)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@login_required
@roles_required(Role.HR_ADMIN, Role.SYSADMIN)
def user_roles(user_id: int) -> ResponseReturnValue:
    """Grant or withdraw roles; supervisor and unit head follow from the position tree."""
    user = load_or_404(User, user_id, services.can_administer)
    principal = current_principal()
    form = RolesForm()
    form.roles.choices = choices(
        [(r.value, str(role_label(r))) for r in services.grantable_roles(principal)]
    )
    if not form.is_submitted():
        form.roles.data = [g.role.value for g in user.grants]
    done, status = submit_form(
        form, lambda: services.update_roles(principal, user, form.roles.data or [])
    )
    if status == 303:
        flash(_("Roles saved."), "success")
        return redirect(url_for("admin.user_roles", user_id=user.id), 303)
    return render_template("admin/user_roles.html", user=user, form=form), status


@bp.route("/users/new", methods=["GET", "POST"])
@login_required
@roles_required(Role.HR_ADMIN, Role.SYSADMIN)
def user_create() -> ResponseReturnValue:
    """Create a login for an employee of the instansi (by NIP) or for an external stakeholder."""
    form = AccountForm()
    user, status = submit_form(
        form,
        lambda: services.create_account(
            current_principal(),
            form.kind.data,
            form.email.data or "",
            form.password.data or "",
            nip=form.nip.data or "",
            display_name=form.display_name.data or "",
            organisation=form.organisation.data or "",
        ),
    )
    if user is not None:  # created (303)
        flash(_("Account created."), "success")
        return redirect(url_for("admin.user_roles", user_id=user.id), 303)
    return render_template("admin/user_form.html", form=form), status


@bp.get("/instansi")
@login_required
@roles_required(Role.SYSADMIN)
def instansi_list() -> ResponseReturnValue:
    """The regional governments hosted in this portal, with their size."""
    from app.home.services import instansi_summaries

    return render_template(
        "admin/instansi.html",
        summaries=instansi_summaries(None),
        form=InstansiForm(),
        zone_labels=ZONE_LABELS,
    )


@bp.post("/instansi")
@login_required
@roles_required(Role.SYSADMIN)
def instansi_create() -> ResponseReturnValue:
    """Add a regional government; its HR administrators are then granted on the user page."""
    form = InstansiForm()
    if form.validate_on_submit():
        try:
            services.create_instansi(
                form.code.data or "",
                form.name.data or "",
                form.kind.data,
                form.ppk_title.data or "",
                form.time_zone.data or "",
            )
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            flash(_("Instansi saved."), "success")
            return redirect(url_for("admin.instansi_list"), 303)
    from app.home.services import instansi_summaries

    return render_template(
        "admin/instansi.html",
        summaries=instansi_summaries(None),
        form=form,
        zone_labels=ZONE_LABELS,
    ), 422


@bp.post("/instansi/<int:instansi_id>/second-factor")
@login_required
@roles_required(Role.SYSADMIN)
def instansi_second_factor(instansi_id: int) -> ResponseReturnValue:
    """Require (or stop requiring) a second factor of the instansi's HR administrators."""
    instansi = db.session.get(Instansi, instansi_id)
    if instansi is None:
        abort(404)
    form = SecondFactorPolicyForm()
    if form.validate_on_submit():
        services.set_hr_second_factor(instansi, bool(form.required.data))
        flash(_("Instansi saved."), "success")
    return redirect(url_for("admin.instansi_list"), 303)
