"""SKP pages: own history, the assessor's team, one employee, assessing, and the import."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.access.guards import current_principal, ensure, load_or_404, roles_required
from app.access.policy import can_manage_instansi, can_view_employee
from app.accounts.models import Role
from app.errors import ServiceError
from app.extensions import db
from app.org.models import Employee
from app.org.services import manageable_instansi
from app.talent import skp
from app.talent import skp_import as importer
from app.talent.assessors import assessor_positions
from app.talent.forms import PERIOD_LABELS, AssessForm, SkpImportForm
from app.talent.matrix import PREDIKAT_LABELS, PREDIKAT_MATRIX, RATING_LABELS
from app.talent.models import Rating, SkpPeriod
from app.talent.web import bp, chosen_year, current_acting, today
from app.web.forms import CsrfForm, apply_service_error, choices, filled, submit_form
from app.web.htmx import render_page
from app.web.navigation import NavEntry, add_nav

add_nav(
    NavEntry("talent.my_skp", _l("My performance (SKP)"), (Role.EMPLOYEE,), order=14),
    NavEntry("talent.skp_team", _l("Assess SKP"), (Role.SUPERVISOR, Role.UNIT_HEAD), order=26),
    NavEntry("talent.skp_import", _l("Import SKP"), (Role.HR_ADMIN, Role.SYSADMIN), order=86),
)


def skp_labels() -> dict[str, object]:
    return {
        "rating_labels": RATING_LABELS,
        "predikat_labels": PREDIKAT_LABELS,
        "period_labels": PERIOD_LABELS,
        "matrix": PREDIKAT_MATRIX,
        "ratings": list(Rating),
    }


def _history_page(employee: Employee, own: bool) -> ResponseReturnValue:
    principal = current_principal()
    assessor = assessor_positions([employee], today())[employee.id]
    can_assess = assessor is not None and assessor.position_id in current_acting().position_ids
    return render_page(
        "talent/skp_history.html",
        "skp_history",
        employee=employee,
        own=own,
        rows=skp.skp_history(employee.id),
        can_assess=can_assess and principal.employee_id != employee.id,
        **skp_labels(),
    )


@bp.get("/skp")
@login_required
@roles_required(Role.EMPLOYEE)
def my_skp() -> ResponseReturnValue:
    """The employee's own SKP periods and predikat."""
    employee = db.session.get(Employee, current_principal().employee_id)
    if employee is None:
        abort(404)
    return _history_page(employee, own=True)


@bp.get("/skp/employees/<int:employee_id>")
@login_required
def skp_employee(employee_id: int) -> ResponseReturnValue:
    """One employee's SKP: the employee, their superiors and HR only."""
    employee = load_or_404(Employee, employee_id, can_view_employee)
    return _history_page(employee, own=employee.id == current_principal().employee_id)


@bp.get("/skp/team")
@login_required
@roles_required(Role.EMPLOYEE)
def skp_team() -> ResponseReturnValue:
    """Everyone the user assesses this year, definitively or as Plt/Plh."""
    year = chosen_year()
    return render_page(
        "talent/skp_team.html",
        "skp_team",
        year=year,
        rows=skp.team_rows(current_acting(), year, today()),
        delegated=current_acting().delegated,
        **skp_labels(),
    )


@bp.route("/skp/employees/<int:employee_id>/assess", methods=["GET", "POST"])
@login_required
def skp_assess(employee_id: int) -> ResponseReturnValue:
    """The assessing official rates hasil kerja and perilaku; the predikat is computed."""
    employee = db.session.get(Employee, employee_id)
    if employee is None:
        abort(404)
    acting = current_acting()
    if not skp.may_assess(acting, employee, today()) or acting.principal.employee_id == employee.id:
        abort(404 if not can_view_employee(acting.principal, employee) else 403)
    form = AssessForm()
    if not form.is_submitted():
        form.year.data = chosen_year()
        period = request.args.get("period", SkpPeriod.ANNUAL.value)
        form.period.data = period if period in set(SkpPeriod) else SkpPeriod.ANNUAL.value
        existing = skp.find_skp(employee.id, form.year.data, SkpPeriod(form.period.data))
        if existing is not None:
            form.hasil_kerja.data = existing.hasil_kerja.value
            form.perilaku.data = existing.perilaku.value
            form.note.data = existing.note
    result, status = submit_form(
        form,
        lambda: skp.record_skp(
            acting,
            employee,
            form.year.data or 0,
            SkpPeriod(form.period.data),
            Rating(form.hasil_kerja.data),
            Rating(form.perilaku.data),
            form.note.data or "",
            current_user.id,
            today(),
        ),
    )
    if result is not None:
        flash(_("SKP saved: %(predikat)s.", predikat=PREDIKAT_LABELS[result.predikat]), "success")
        return redirect(url_for("talent.skp_team", year=result.year), 303)
    return render_page(
        "talent/skp_assess.html", "assess_form", form=form, employee=employee, **skp_labels()
    ), status


@bp.route("/skp/import", methods=["GET", "POST"])
@login_required
@roles_required(Role.HR_ADMIN, Role.SYSADMIN)
def skp_import() -> ResponseReturnValue:
    """Upload → preview of every bad row with its line and reason; nothing written yet."""
    options = manageable_instansi(current_principal())
    form = SkpImportForm()
    form.instansi_id.choices = choices((i.id, i.name) for i in options)
    if not form.is_submitted():
        form.year.data = today().year - 1
    status, preview = 200, None
    if form.validate_on_submit():
        ensure(can_manage_instansi(current_principal(), form.instansi_id.data))
        upload = form.file.data
        try:
            preview = importer.stage(
                form.instansi_id.data,
                filled(form.year.data),
                current_user.id,
                upload.filename or "",
                upload.read(),
            )
        except ServiceError as error:
            apply_service_error(form, error)
            status = 422
    elif form.is_submitted():
        status = 422
    return render_page(
        "talent/skp_import.html",
        "import_preview",
        form=form,
        preview=preview,
        confirm_form=CsrfForm(),
    ), status


@bp.post("/skp/import/<token>")
@login_required
@roles_required(Role.HR_ADMIN, Role.SYSADMIN)
def skp_import_confirm(token: str) -> ResponseReturnValue:
    """Re-check the staged file and write all its rows in one transaction, or none."""
    if not CsrfForm().validate_on_submit():
        abort(400)
    try:
        preview = importer.load_staged(token, current_user.id)
        ensure(can_manage_instansi(current_principal(), preview.instansi_id))
        count = importer.apply(preview, current_user.id)
    except ServiceError as error:
        flash(str(error.message), "error")
        return redirect(url_for("talent.skp_import"), 303)
    flash(_("SKP import finished: %(n)d rows written.", n=count), "success")
    return redirect(url_for("talent.skp_import"), 303)
