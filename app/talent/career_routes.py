"""Intended position and career paths, the IDP with its approval step, and succession."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.access.guards import current_principal, ensure, load_or_404, roles_required
from app.access.policy import can_manage_instansi, can_view_employee
from app.accounts.models import Role
from app.extensions import db
from app.needs.analysis import competency_names
from app.org.models import Employee
from app.org.services import manageable_instansi, position_choices
from app.talent import careers, idp, potential
from app.talent import succession as successors
from app.talent.audit import action_label, trail
from app.talent.board import employee_placement
from app.talent.forms import (
    ACTIVITY_LABELS,
    CareerPathForm,
    IdpDecisionForm,
    IdpItemForm,
    KeyPositionForm,
    PinForm,
    TargetForm,
)
from app.talent.models import (
    ActivityKind,
    CareerPath,
    DevelopmentPlan,
    KeyPosition,
    SuccessionCandidate,
)
from app.talent.policy import can_view_pool, pool_instansi
from app.talent.web import bp, chosen_year, current_acting, pick_instansi, today
from app.web.forms import CsrfForm, choices, submit_form
from app.web.htmx import render_page
from app.web.navigation import NavEntry, add_nav

add_nav(
    NavEntry("talent.my_target", _l("My career"), (Role.EMPLOYEE,), order=16),
    NavEntry("talent.my_idp", _l("My development plan"), (Role.EMPLOYEE,), order=17),
    NavEntry("talent.idp_inbox", _l("Plans to agree"), (Role.SUPERVISOR, Role.UNIT_HEAD), order=29),
    NavEntry("talent.succession", _l("Succession"), (Role.HR_ADMIN, Role.SYSADMIN), order=30),
    NavEntry("talent.career_paths", _l("Career paths"), (Role.HR_ADMIN, Role.SYSADMIN), order=88),
)


# ---- intended position and career paths ------------------------------------------------


def _target_page(employee: Employee, form: TargetForm, status: int = 200) -> ResponseReturnValue:
    year = chosen_year()
    view = careers.gap_view(employee, year)
    steps = careers.path_lines(employee.instansi_id, year, careers.next_steps(employee))
    return render_page(
        "talent/target.html",
        "target_page",
        employee=employee,
        own=employee.id == current_principal().employee_id,
        form=form,
        view=view,
        steps=steps,
        names=competency_names(employee.instansi_id),
        can_set=careers.can_set_target(current_principal(), employee),
        year=year,
    ), status


def _target_form(employee: Employee) -> TargetForm:
    form = TargetForm()
    form.position_id.choices = choices(
        [("", _("– none –")), *position_choices(employee.instansi_id)]
    )
    return form


@bp.get("/target")
@login_required
@roles_required(Role.EMPLOYEE)
def my_target() -> ResponseReturnValue:
    """The employee's intended position, both gaps side by side, and the next career steps."""
    employee = db.session.get(Employee, current_principal().employee_id)
    if employee is None:
        abort(404)
    return _target_page(employee, _filled_target_form(employee))


def _filled_target_form(employee: Employee) -> TargetForm:
    form = _target_form(employee)
    if not form.is_submitted():
        current = careers.targets.target_of(employee.id)
        form.position_id.data = current.position_id if current else None
        form.reason.data = current.reason if current else ""
    return form


@bp.route("/employees/<int:employee_id>/target", methods=["GET", "POST"])
@login_required
def target(employee_id: int) -> ResponseReturnValue:
    """Set the intended position (the employee or HR); supervisors and heads may look."""
    employee = load_or_404(Employee, employee_id, can_view_employee)
    form = _filled_target_form(employee)
    _done, status = submit_form(
        form,
        lambda: careers.set_intended_position(
            current_principal(),
            employee,
            form.position_id.data,
            current_user.id,
            form.reason.data or "",
        ),
    )
    if status == 303:
        flash(_("Intended position saved."), "success")
        return redirect(url_for("talent.target", employee_id=employee.id), 303)
    return _target_page(employee, form, status)


def _paths_page(form: CareerPathForm, status: int = 200) -> ResponseReturnValue:
    options = manageable_instansi(current_principal())
    instansi = pick_instansi(options)
    year = chosen_year()
    positions = position_choices(instansi.id)
    form.from_position_id.choices = choices(positions)
    form.to_position_id.choices = choices(positions)
    return render_page(
        "talent/career_paths.html",
        "career_paths",
        form=form,
        instansi=instansi,
        options=options,
        lines=careers.path_lines(instansi.id, year, careers.paths(instansi.id)),
        names=competency_names(instansi.id),
        delete_form=CsrfForm(),
    ), status


@bp.route("/career-paths", methods=["GET", "POST"])
@login_required
@roles_required(Role.HR_ADMIN, Role.SYSADMIN)
def career_paths() -> ResponseReturnValue:
    """Career paths as data: position A → B, with the competencies whose standard rises."""
    form = CareerPathForm()
    instansi = pick_instansi(manageable_instansi(current_principal()))
    positions = position_choices(instansi.id)
    form.from_position_id.choices = choices(positions)
    form.to_position_id.choices = choices(positions)
    result, status = submit_form(
        form,
        lambda: careers.add_path(
            instansi.id,
            form.from_position_id.data,
            form.to_position_id.data,
            form.rumpun.data or "",
            form.min_years_in_grade.data or 0,
            form.note.data or "",
            current_user.id,
        ),
    )
    if result is not None:
        flash(_("Career path added."), "success")
        return redirect(url_for("talent.career_paths", instansi=instansi.id), 303)
    return _paths_page(form, status)


@bp.post("/career-paths/<int:path_id>/delete")
@login_required
@roles_required(Role.HR_ADMIN, Role.SYSADMIN)
def career_path_delete(path_id: int) -> ResponseReturnValue:
    row = load_or_404(CareerPath, path_id, lambda p, r: can_manage_instansi(p, r.instansi_id))
    if not CsrfForm().validate_on_submit():
        abort(400)
    careers.remove_path(row, current_user.id)
    flash(_("Career path removed."), "success")
    return redirect(url_for("talent.career_paths", instansi=row.instansi_id), 303)


# ---- individual development plan -------------------------------------------------------


def _plan_visible(principal: object, plan: DevelopmentPlan) -> bool:
    return can_view_employee(current_principal(), plan.employee)


def _plan_page(
    plan: DevelopmentPlan,
    item_form: IdpItemForm | None = None,
    decision_form: IdpDecisionForm | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    principal = current_principal()
    return render_page(
        "talent/idp.html",
        "idp_page",
        plan=plan,
        employee=plan.employee,
        progress=idp.progress(plan),
        editable=idp.can_edit(principal, plan) and plan.status in idp.EDITABLE,
        can_submit=principal.employee_id == plan.employee_id and plan.status in idp.EDITABLE,
        can_decide=idp.is_approver(current_acting(), plan.employee, today())
        and plan.status == "submitted",
        item_form=item_form or IdpItemForm(),
        decision_form=decision_form or IdpDecisionForm(),
        confirm_form=CsrfForm(),
        activity_labels=ACTIVITY_LABELS,
        trail=trail("idp", plan.id),
        action_label=action_label,
    ), status


def _no_plan_page(employee: Employee, year: int) -> str:
    return render_page(
        "talent/idp_none.html",
        "idp_page",
        employee=employee,
        year=year,
        form=CsrfForm(),
        can_draft=employee.id == current_principal().employee_id
        or can_manage_instansi(current_principal(), employee.instansi_id),
    )


@bp.get("/idp")
@login_required
@roles_required(Role.EMPLOYEE)
def my_idp() -> ResponseReturnValue:
    """The employee's plan for the year, or the button that drafts it."""
    employee = db.session.get(Employee, current_principal().employee_id)
    if employee is None:
        abort(404)
    year = chosen_year()
    plan = idp.plan_of(employee.id, year)
    return _plan_page(plan) if plan else _no_plan_page(employee, year)


@bp.post("/employees/<int:employee_id>/idp")
@login_required
def idp_draft(employee_id: int) -> ResponseReturnValue:
    """Draft the year's plan from the employee's needs and box."""
    employee = load_or_404(Employee, employee_id, can_view_employee)
    form = CsrfForm()
    year = chosen_year()
    placement = employee_placement(potential.settings_for(employee.instansi_id), employee, year)
    box = placement.row["box"] if placement.row else None

    def act() -> DevelopmentPlan:
        return idp.draft(current_principal(), employee, year, box, current_user.id)

    plan, status = submit_form(form, act)
    if plan is None:
        if status == 403:
            abort(403)
        flash(" ".join(form.form_errors) or _("The plan could not be drafted."), "error")
        return _no_plan_page(employee, year), status
    flash(_("Plan drafted from your needs and box; adjust it, then submit it."), "success")
    return redirect(url_for("talent.idp_detail", plan_id=plan.id), 303)


@bp.get("/idp/<int:plan_id>")
@login_required
def idp_detail(plan_id: int) -> ResponseReturnValue:
    """One plan: the employee, their supervisor and heads, HR."""
    return _plan_page(load_or_404(DevelopmentPlan, plan_id, _plan_visible))


@bp.post("/idp/<int:plan_id>/items")
@login_required
def idp_item_add(plan_id: int) -> ResponseReturnValue:
    plan = load_or_404(DevelopmentPlan, plan_id, _plan_visible)
    form = IdpItemForm()
    result, status = submit_form(
        form,
        lambda: idp.add_item(
            current_principal(),
            plan,
            ActivityKind(form.activity.data),
            form.title.data or "",
            float(form.jp_planned.data or 0),
            current_user.id,
        ),
    )
    if result is not None:
        return redirect(url_for("talent.idp_detail", plan_id=plan.id), 303)
    return _plan_page(plan, item_form=form, status=status)


@bp.post("/idp/<int:plan_id>/items/<int:item_id>/delete")
@login_required
def idp_item_delete(plan_id: int, item_id: int) -> ResponseReturnValue:
    plan = load_or_404(DevelopmentPlan, plan_id, _plan_visible)
    form = CsrfForm()
    _done, status = submit_form(
        form, lambda: idp.remove_item(current_principal(), plan, item_id, current_user.id)
    )
    if status == 303:
        return redirect(url_for("talent.idp_detail", plan_id=plan.id), 303)
    return _plan_page(plan, status=status)


@bp.post("/idp/<int:plan_id>/submit")
@login_required
def idp_submit(plan_id: int) -> ResponseReturnValue:
    """The employee sends the plan to the supervisor."""
    plan = load_or_404(DevelopmentPlan, plan_id, _plan_visible)
    form = CsrfForm()
    _done, status = submit_form(
        form, lambda: idp.submit(current_principal(), plan, current_user.id)
    )
    if status == 303:
        flash(_("Plan sent to your supervisor."), "success")
        return redirect(url_for("talent.idp_detail", plan_id=plan.id), 303)
    for message in form.form_errors:
        flash(message, "error")
    return _plan_page(plan, status=status)


@bp.post("/idp/<int:plan_id>/decide")
@login_required
def idp_decide(plan_id: int) -> ResponseReturnValue:
    """The supervisor (or their Plt/Plh) agrees to the plan or returns it with a comment."""
    plan = load_or_404(DevelopmentPlan, plan_id, _plan_visible)
    form = IdpDecisionForm()
    _done, status = submit_form(
        form,
        lambda: idp.decide(
            current_acting(),
            plan,
            form.decision.data == "agree",
            form.comment.data or "",
            current_user.id,
            today(),
        ),
    )
    if status == 303:
        flash(_("Decision saved."), "success")
        return redirect(url_for("talent.idp_inbox"), 303)
    return _plan_page(plan, decision_form=form, status=status)


@bp.get("/idp/inbox")
@login_required
@roles_required(Role.EMPLOYEE)
def idp_inbox() -> ResponseReturnValue:
    """Plans waiting for the user's agreement, as supervisor or as Plt/Plh."""
    return render_page(
        "talent/idp_inbox.html", "idp_inbox", plans=idp.inbox(current_acting(), today())
    )


# ---- succession --------------------------------------------------------------------------


@bp.route("/succession", methods=["GET", "POST"])
@login_required
def succession() -> ResponseReturnValue:
    """Key positions of an instansi; HR marks new ones. HR and the PPK only."""
    options = pool_instansi(current_principal())
    ensure(bool(options))
    instansi = pick_instansi(options)
    form = KeyPositionForm()
    form.position_id.choices = choices(position_choices(instansi.id))
    can_edit = can_manage_instansi(current_principal(), instansi.id)
    if form.is_submitted():
        ensure(can_edit)
    result, status = submit_form(
        form,
        lambda: successors.mark_key(
            instansi.id, form.position_id.data, form.note.data or "", current_user.id
        ),
    )
    if result is not None:
        flash(_("Key position marked."), "success")
        return redirect(url_for("talent.succession", instansi=instansi.id), 303)
    return render_page(
        "talent/succession.html",
        "succession_list",
        form=form,
        instansi=instansi,
        options=options,
        keys=successors.key_positions(instansi.id),
        can_edit=can_edit,
        remove_form=CsrfForm(),
    ), status


def _key_visible(principal: object, key: KeyPosition) -> bool:
    return can_view_pool(current_principal(), key.instansi_id)


@bp.get("/succession/<int:key_id>")
@login_required
def succession_detail(key_id: int) -> ResponseReturnValue:
    """The ranked candidates for one key position, with readiness and what each must close."""
    key = load_or_404(KeyPosition, key_id, _key_visible)
    year = chosen_year()
    settings = potential.settings_for(key.instansi_id)
    return render_page(
        "talent/succession_detail.html",
        "candidates",
        key=key,
        year=year,
        rows=successors.candidates(settings, key, year, today()),
        labels=successors.READINESS_LABELS,
        names=competency_names(key.instansi_id),
        can_edit=can_manage_instansi(current_principal(), key.instansi_id),
        pin_form=PinForm(),
        confirm_form=CsrfForm(),
        trail=trail("succession", key.id),
        action_label=action_label,
    )


@bp.post("/succession/<int:key_id>/remove")
@login_required
def key_position_remove(key_id: int) -> ResponseReturnValue:
    key = load_or_404(KeyPosition, key_id, _key_visible)
    ensure(can_manage_instansi(current_principal(), key.instansi_id))
    if not CsrfForm().validate_on_submit():
        abort(400)
    instansi_id = key.instansi_id
    successors.unmark_key(key, current_user.id)
    flash(_("Key position removed."), "success")
    return redirect(url_for("talent.succession", instansi=instansi_id), 303)


@bp.post("/succession/<int:key_id>/candidates")
@login_required
def candidate_pin(key_id: int) -> ResponseReturnValue:
    """HR puts a candidate in the succession plan; the change is audited."""
    key = load_or_404(KeyPosition, key_id, _key_visible)
    ensure(can_manage_instansi(current_principal(), key.instansi_id))
    form = PinForm()
    if not form.validate_on_submit():
        abort(400 if not form.csrf_token.data else 422)
    employee = db.session.get(Employee, form.employee_id.data)
    if employee is None:
        abort(404)
    _done, status = submit_form(
        CsrfForm(), lambda: successors.pin(key, employee, form.note.data or "", current_user.id)
    )
    if status != 303:
        flash(_("The candidate could not be added."), "error")
    return redirect(url_for("talent.succession_detail", key_id=key.id), 303)


@bp.post("/succession/<int:key_id>/candidates/<int:candidate_id>/remove")
@login_required
def candidate_unpin(key_id: int, candidate_id: int) -> ResponseReturnValue:
    key = load_or_404(KeyPosition, key_id, _key_visible)
    ensure(can_manage_instansi(current_principal(), key.instansi_id))
    row = db.session.get(SuccessionCandidate, candidate_id)
    if row is None or row.key_position_id != key.id:
        abort(404)
    if not CsrfForm().validate_on_submit():
        abort(400)
    successors.unpin(key, row, current_user.id)
    return redirect(url_for("talent.succession_detail", key_id=key.id), 303)
