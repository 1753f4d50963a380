"""Pages for the organisation tree, employees, and the employee import and export."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app.access.guards import (
    current_principal,
    ensure,
    load_or_404,
    managed_instansi_or_403,
    redirect_to_own,
    roles_required,
)
from app.access.policy import (
    can_edit_employee,
    can_manage_instansi,
    can_view_employee,
    can_view_unit,
)
from app.accounts.models import Role
from app.errors import ServiceError
from app.extensions import db
from app.jobs import exports as job_exports
from app.org import services, transfer
from app.org.forms import EmployeeForm, ImportForm, PositionForm, UnitForm
from app.org.hierarchy import employee_context, unit_head_of
from app.org.labels import code_label
from app.org.models import Employee, Instansi, Jenjang, OrgUnit, Position, PositionType, UnitKind
from app.web.forms import CsrfForm, apply_service_error, choices, submit_form
from app.web.htmx import render_page
from app.web.pagination import paginate
from app.web.params import ID, page_arg

bp = Blueprint("org", __name__)
bp.add_app_template_global(code_label, "code_label")

MANAGERS = (Role.HR_ADMIN, Role.SYSADMIN)
BROWSERS = (Role.SUPERVISOR, Role.UNIT_HEAD, Role.HR_ADMIN, Role.SYSADMIN)


# ---- organisation tree -------------------------------------------------------------------


@bp.get("/org/units")
@login_required
@roles_required(Role.UNIT_HEAD, Role.HR_ADMIN, Role.SYSADMIN)
def units() -> ResponseReturnValue:
    """The unit tree the user may browse, indented by depth."""
    principal = current_principal()
    instansi = {i.id: i for i in db.session.scalars(select(Instansi))}
    return render_template(
        "org/units.html",
        units=services.visible_units(principal),
        instansi=instansi,
        can_manage=principal.has(*MANAGERS),
    )


@bp.get("/org/units/<int:unit_id>")
@login_required
def unit_detail(unit_id: int) -> ResponseReturnValue:
    """One unit: head, positions and sub-units."""
    unit = load_or_404(OrgUnit, unit_id, can_view_unit)
    positions = list(
        db.session.scalars(
            select(Position).where(Position.org_unit_id == unit.id).order_by(Position.name)
        )
    )
    children = list(
        db.session.scalars(
            select(OrgUnit).where(OrgUnit.parent_id == unit.id).order_by(OrgUnit.name)
        )
    )
    return render_template(
        "org/unit_detail.html",
        unit=unit,
        head=unit_head_of(unit),
        positions=positions,
        children=children,
        can_manage=can_manage_instansi(current_principal(), unit.instansi_id),
    )


@bp.route("/org/units/new", methods=["GET", "POST"])
@login_required
@roles_required(*MANAGERS)
def unit_create() -> ResponseReturnValue:
    """HR adds a unit (an OPD when no parent is chosen)."""
    instansi = managed_instansi_or_403()
    form = UnitForm()
    form.parent_id.choices = choices(
        [(0, _("— none (a new OPD) —")), *services.unit_choices(instansi.id)]
    )
    unit, status = submit_form(
        form,
        lambda: services.create_unit(
            instansi, form.parent_id.data, form.name.data or "", UnitKind(form.kind.data)
        ),
    )
    if unit is not None:  # saved (303)
        flash(_("Unit saved."), "success")
        return redirect(url_for("org.unit_detail", unit_id=unit.id), 303)
    return render_template("org/unit_form.html", form=form, instansi=instansi), status


@bp.route("/org/units/<int:unit_id>/positions/new", methods=["GET", "POST"])
@login_required
def position_create(unit_id: int) -> ResponseReturnValue:
    """HR adds a position to a unit; at most one position heads the unit."""
    unit = load_or_404(OrgUnit, unit_id, can_view_unit)
    ensure(can_manage_instansi(current_principal(), unit.instansi_id))
    form = PositionForm()
    form.superior_id.choices = choices(
        [(0, _("— derived from the unit tree —")), *services.position_choices(unit.instansi_id)]
    )
    done, status = submit_form(
        form,
        lambda: services.create_position(
            unit,
            form.name.data or "",
            PositionType(form.position_type.data),
            Jenjang(form.jenjang.data) if form.jenjang.data else None,
            form.heads_unit.data,
            form.superior_id.data,
        ),
    )
    if status == 303:
        flash(_("Position saved."), "success")
        return redirect(url_for("org.unit_detail", unit_id=unit.id), 303)
    return render_template("org/position_form.html", form=form, unit=unit), status


# ---- employees ---------------------------------------------------------------------------


@bp.get("/employees")
@login_required
@roles_required(*BROWSERS)
def employees() -> ResponseReturnValue:
    """Employees in the user's scope; searching swaps only the table."""
    principal = current_principal()
    search = request.args.get("q", "")[:100]
    unit_id = request.args.get("unit", type=ID)
    page = page_arg()
    query = services.employee_query(principal, search, unit_id)
    pagination = paginate(query, page, services.PAGE_SIZE, scalars=True)
    return render_page(
        "employees/index.html",
        "employee_table",
        pagination=pagination,
        search=search,
        unit_id=unit_id,
        units=services.visible_units(principal),
        can_manage=principal.has(*MANAGERS),
    )


@bp.get("/me")
@login_required
def my_profile() -> ResponseReturnValue:
    """The signed-in employee's own master-data page."""
    return redirect_to_own("org.employee_detail")


@bp.get("/employees/<int:employee_id>")
@login_required
def employee_detail(employee_id: int) -> ResponseReturnValue:
    """One employee with the supervisor and unit head derived from the tree."""
    employee = load_or_404(Employee, employee_id, can_view_employee)
    return render_template(
        "employees/detail.html",
        me=employee_context(employee),
        can_edit=can_edit_employee(current_principal(), employee),
    )


def _employee_form(instansi_id: int, obj: Employee | None = None) -> EmployeeForm:
    form = EmployeeForm(obj=obj)
    form.org_unit_id.choices = choices(services.unit_choices(instansi_id))
    form.position_id.choices = choices([(0, "–"), *services.position_choices(instansi_id)])
    return form


def _employee_data(form: EmployeeForm) -> services.EmployeeData:
    return services.EmployeeData(
        nip=form.nip.data or "",
        name=form.name.data or "",
        status=form.status.data or "",
        golongan=form.golongan.data or None,
        org_unit_id=form.org_unit_id.data or 0,
        position_id=form.position_id.data or None,
        email=form.email.data,
        phone=form.phone.data,
    )


@bp.route("/employees/new", methods=["GET", "POST"])
@login_required
@roles_required(*MANAGERS)
def employee_create() -> ResponseReturnValue:
    """HR registers an employee; birth date and gender come from the NIP."""
    instansi = managed_instansi_or_403()
    form = _employee_form(instansi.id)
    employee, status = submit_form(
        form, lambda: services.save_employee(instansi.id, _employee_data(form))
    )
    if employee is not None:  # saved (303)
        flash(_("Employee saved."), "success")
        return redirect(url_for("org.employee_detail", employee_id=employee.id), 303)
    return render_page(
        "employees/form.html", "employee_form", form=form, instansi=instansi, employee=None
    ), status


@bp.route("/employees/<int:employee_id>/edit", methods=["GET", "POST"])
@login_required
def employee_edit(employee_id: int) -> ResponseReturnValue:
    """HR of the employee's instansi changes master data; others may only look."""
    employee = load_or_404(Employee, employee_id, can_view_employee)
    ensure(can_edit_employee(current_principal(), employee))
    form = _employee_form(employee.instansi_id, obj=employee)
    done, status = submit_form(
        form,
        lambda: services.save_employee(
            employee.instansi_id, _employee_data(form), existing=employee
        ),
    )
    if status == 303:
        flash(_("Employee saved."), "success")
        return redirect(url_for("org.employee_detail", employee_id=employee.id), 303)
    return render_page(
        "employees/form.html",
        "employee_form",
        form=form,
        instansi=employee.instansi,
        employee=employee,
    ), status


@bp.post("/employees/validate-nip")
@login_required
@roles_required(*MANAGERS)
def validate_nip() -> ResponseReturnValue:
    """Inline check of the NIP field while the form is being filled (htmx)."""
    form = EmployeeForm()
    parsed, problem = services.check_nip(form.nip.data or "", form.status.data or "PNS")
    form.nip.errors = [problem] if problem else []
    return render_template("employees/_nip_field.html", form=form, parsed=parsed), 200


# ---- import and export -------------------------------------------------------------------


@bp.route("/employees/import", methods=["GET", "POST"])
@login_required
@roles_required(*MANAGERS)
def import_employees() -> ResponseReturnValue:
    """Upload → preview of every bad row; nothing is written until confirmed."""
    options = services.manageable_instansi(current_principal())
    form = ImportForm()
    form.instansi_id.choices = choices((i.id, i.name) for i in options)
    status = 200
    preview = None
    if form.validate_on_submit():
        ensure(can_manage_instansi(current_principal(), form.instansi_id.data))
        upload = form.file.data
        try:
            preview = transfer.stage_upload(
                form.instansi_id.data, current_user.id, upload.filename or "", upload.read()
            )
        except ServiceError as error:
            apply_service_error(form, error)
            status = 422
    elif form.is_submitted():
        status = 422
    return render_template(
        "employees/import.html", form=form, preview=preview, confirm_form=CsrfForm()
    ), status


@bp.post("/employees/import/<token>")
@login_required
@roles_required(*MANAGERS)
def confirm_import(token: str) -> ResponseReturnValue:
    """Re-check the staged file and write its valid rows in one transaction."""
    form = CsrfForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        preview = transfer.load_staged(token, current_user.id)
        ensure(can_manage_instansi(current_principal(), preview.instansi_id))
        created, updated = transfer.apply_import(preview)
    except ServiceError as error:
        flash(str(error.message), "error")
        return redirect(url_for("org.import_employees"), 303)
    flash(
        _(
            "Import finished: %(created)d new, %(updated)d updated, %(skipped)d rows skipped.",
            created=created,
            updated=updated,
            skipped=len(preview.problems),
        ),
        "success",
    )
    return redirect(url_for("org.employees"), 303)


@bp.get("/employees/export.<fmt>")
@login_required
@roles_required(*BROWSERS)
def export_employees(fmt: str) -> ResponseReturnValue:
    """The employee list in the import's columns; the NIP is always written as text; a large
    list is written by a job."""
    if fmt not in ("csv", "xlsx"):
        abort(404)
    return job_exports.respond("org.employees_export", fmt)


@job_exports.builder("org.employees_export")
def employees_export(fmt: str) -> job_exports.Export:
    principal = current_principal()
    query = services.employee_query(
        principal, request.args.get("q", "")[:100], request.args.get("unit", type=ID)
    )
    return job_exports.select_export(
        "pegawai",
        fmt,
        query,
        (transfer.EXPORT_COLUMNS, transfer.csv_batches),
        transfer.write_xlsx,
        principal.instansi_id,
    )
