"""The learning record: each employee's JP this year toward 20, seen by them, their head, HR."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from app.access.guards import current_principal, load_or_404, roles_required
from app.access.policy import can_manage_instansi, can_view_employee, employee_scope
from app.accounts.models import Role
from app.clock import local_today
from app.errors import ServiceError
from app.extensions import db
from app.learning import services
from app.learning.forms import ManualRecordForm
from app.learning.models import JP_TARGET_PER_YEAR, MINUTES_PER_JP
from app.org.models import Employee
from app.org.nip import normalize_nip
from app.org.services import visible_units
from app.web.forms import filled, submit_form
from app.web.htmx import render_page
from app.web.navigation import NavEntry, add_nav
from app.web.pagination import Page
from app.web.params import ID, YEAR, page_arg

bp = Blueprint("learning", __name__, url_prefix="/learning")

PAGE_SIZE = 50
PROGRESS_VIEWERS = (Role.SUPERVISOR, Role.UNIT_HEAD, Role.HR_ADMIN, Role.SYSADMIN)

add_nav(
    NavEntry("learning.my_record", _l("My learning record"), (Role.EMPLOYEE,), order=12),
    NavEntry("learning.team", _l("JP progress"), PROGRESS_VIEWERS, order=25),
)


def chosen_year() -> int:
    year = request.args.get("year", type=YEAR) or local_today().year
    return year if 2000 <= year <= 2100 else local_today().year


def _record_page(employee: Employee, own: bool) -> ResponseReturnValue:
    year = chosen_year()
    total = services.jp_total(employee.id, year)
    return render_page(
        "learning/record.html",
        "record_table",
        employee=employee,
        own=own,
        year=year,
        records=services.records_of(employee.id, year),
        total=total,
        target=JP_TARGET_PER_YEAR,
        percent=min(100, round(100 * total / JP_TARGET_PER_YEAR)),
        minutes_per_jp=MINUTES_PER_JP,
    )


@bp.get("")
@login_required
@roles_required(Role.EMPLOYEE)
def my_record() -> ResponseReturnValue:
    """The employee's own record and progress toward 20 JP this year."""
    employee = db.session.get(Employee, current_user.employee_id)
    if employee is None:
        abort(404)
    return _record_page(employee, own=True)


@bp.get("/employees/<int:employee_id>")
@login_required
def employee_record(employee_id: int) -> ResponseReturnValue:
    """One employee's record, for whoever may see the employee (self, superiors, HR)."""
    employee = load_or_404(Employee, employee_id, can_view_employee)
    return _record_page(employee, own=employee.id == current_principal().employee_id)


@bp.get("/team")
@login_required
@roles_required(*PROGRESS_VIEWERS)
def team() -> ResponseReturnValue:
    """JP progress of everyone in the user's scope, lowest first, with the share that met 20."""
    principal = current_principal()
    scope = employee_scope(principal)
    year = chosen_year()
    search = request.args.get("q", "")[:100]
    unit_id = request.args.get("unit", type=ID)
    below = request.args.get("below") == "1"
    page = page_arg()
    units = visible_units(principal)
    unit = next((u for u in units if u.id == unit_id), None)
    rows, count = services.jp_progress_page(
        scope,
        year,
        search,
        unit.path if unit else None,
        below,
        PAGE_SIZE,
        (page - 1) * PAGE_SIZE,
    )
    return render_page(
        "learning/team.html",
        "progress_table",
        rows=rows,
        count=count,
        summary=services.jp_summary(scope, year),
        year=year,
        search=search,
        unit_id=unit.id if unit else None,
        below=below,
        units=units,
        page=page,
        listing=Page([], count, page, PAGE_SIZE),
        target=JP_TARGET_PER_YEAR,
        can_record=principal.has(Role.HR_ADMIN, Role.SYSADMIN),
    )


@bp.route("/records/new", methods=["GET", "POST"])
@login_required
@roles_required(Role.HR_ADMIN, Role.SYSADMIN)
def record_create() -> ResponseReturnValue:
    """HR credits JP for an activity done outside the portal, found by the employee's NIP."""
    form = ManualRecordForm()

    def record() -> Employee:
        employee = db.session.scalars(
            select(Employee).where(Employee.nip == normalize_nip(form.nip.data or ""))
        ).first()
        if employee is None or not can_manage_instansi(current_principal(), employee.instansi_id):
            raise ServiceError(_("No employee of your instansi has this NIP."), "nip")
        services.record_manual_credit(
            employee,
            form.title.data or "",
            filled(form.activity_date.data),
            float(filled(form.jp.data)),
            form.certificate_number.data,
            current_user.id,
        )
        return employee

    employee, status = submit_form(form, record)
    if employee is not None:  # saved (303)
        flash(_("Learning record saved."), "success")
        return redirect(url_for("learning.employee_record", employee_id=employee.id), 303)
    return render_page("learning/record_form.html", "record_form", form=form), status
