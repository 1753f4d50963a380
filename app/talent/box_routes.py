"""9-box pages: the board per unit or instansi, one employee's box, the pool, the settings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from flask import abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from app.access.guards import current_principal, ensure, load_or_404, roles_required
from app.access.policy import can_manage_instansi, employee_scope
from app.accounts.models import Role, User
from app.errors import ServiceError
from app.extensions import db
from app.org.models import Employee, Instansi, Jenjang, PositionType
from app.org.services import manageable_instansi, visible_units
from app.talent import potential
from app.talent.board import CELL_H, CELL_W, LEFT, TOP, board, employee_placement
from app.talent.forms import PotentialInputForm, SettingsForm
from app.talent.matrix import (
    POOL_BOXES,
    POTENTIAL_LABELS,
    PREDIKAT_LABELS,
    RATING_LABELS,
    RECOMMENDATIONS,
)
from app.talent.models import Education
from app.talent.placement import BoxFilter
from app.talent.policy import BOX_VIEWERS, box_instansi, can_view_box, pool_instansi
from app.talent.skp import skp_history
from app.talent.web import bp, chosen_year, pick_instansi
from app.web.forms import choices, submit_form
from app.web.htmx import render_page
from app.web.navigation import NavEntry, add_nav
from app.web.pagination import Page
from app.web.params import ID, page_arg

PAGE_SIZE = 50

add_nav(
    NavEntry("talent.my_box", _l("My talent box"), (Role.EMPLOYEE,), order=15),
    NavEntry("talent.boxes", _l("9-box talent map"), BOX_VIEWERS, order=27),
    NavEntry("talent.pool", _l("Talent pool"), (Role.HR_ADMIN, Role.SYSADMIN), order=28),
    NavEntry("talent.settings", _l("Talent settings"), (Role.HR_ADMIN, Role.SYSADMIN), order=87),
)


def box_labels() -> dict[str, object]:
    return {
        "potential_labels": POTENTIAL_LABELS,
        "predikat_labels": PREDIKAT_LABELS,
        "rating_labels": RATING_LABELS,
        "recommendations": RECOMMENDATIONS,
        "pool_boxes": POOL_BOXES,
        "svg": {"w": CELL_W, "h": CELL_H, "left": LEFT, "top": TOP},
    }


def _filters(instansi: Instansi) -> tuple[BoxFilter, dict[str, Any]]:
    units = [u for u in visible_units(current_principal()) if u.instansi_id == instansi.id]
    unit = next((u for u in units if u.id == request.args.get("unit", type=ID)), None)
    kind = request.args.get("type", "")
    kind = kind if kind in set(PositionType) else ""
    jenjang = request.args.get("jenjang", "")
    jenjang = jenjang if jenjang in set(Jenjang) else ""
    box = request.args.get("box", type=ID)
    box = box if box in RECOMMENDATIONS else None
    page = page_arg()
    year = chosen_year()
    f = BoxFilter(instansi.id, year, unit.path if unit else None, kind or None, jenjang or None)
    args = {
        "instansi": instansi.id,
        "year": year,
        "unit": unit.id if unit else None,
        "type": kind or None,
        "jenjang": jenjang or None,
    }
    context = {
        "units": units,
        "unit_id": unit.id if unit else None,
        "kind": kind,
        "jenjang": jenjang,
        "box": box,
        "page": page,
        "year": year,
        "args": args,
        "position_types": list(PositionType),
        "jenjangs": list(Jenjang),
    }
    return f, context


def _board_page(template: str, block: str, options: list[Instansi], pool: bool) -> str:
    instansi = pick_instansi(options)
    f, context = _filters(instansi)
    scope = employee_scope(current_principal())
    settings = potential.settings_for(instansi.id)
    result = board(
        settings,
        f,
        scope,
        context["box"],
        PAGE_SIZE,
        (context["page"] - 1) * PAGE_SIZE,
        pool_only=pool,
    )
    return render_page(
        template,
        block,
        board=result,
        instansi=instansi,
        options=options,
        settings=settings,
        listing=Page([], result.total_rows, context["page"], PAGE_SIZE),
        endpoint="talent.pool" if pool else "talent.boxes",
        **context,
        **box_labels(),
    )


@bp.get("/boxes")
@login_required
@roles_required(*BOX_VIEWERS)
def boxes() -> ResponseReturnValue:
    """The 9-box of everyone in the user's scope: team, subtree or the whole instansi."""
    return _board_page("talent/boxes.html", "box_board", box_instansi(current_principal()), False)


@bp.get("/pool")
@login_required
def pool() -> ResponseReturnValue:
    """Boxes 7–9 of an instansi: HR and the PPK only."""
    options = pool_instansi(current_principal())
    ensure(bool(options))
    return _board_page("talent/pool.html", "box_board", options, True)


def _employee_page(employee: Employee, own: bool) -> ResponseReturnValue:
    settings = potential.settings_for(employee.instansi_id)
    year = chosen_year()
    principal = current_principal()
    return render_page(
        "talent/employee_box.html",
        "employee_box",
        employee=employee,
        own=own,
        year=year,
        placement=employee_placement(settings, employee, year),
        settings=settings,
        skp_rows=skp_history(employee.id)[:8],
        can_edit_inputs=can_manage_instansi(principal, employee.instansi_id),
        **box_labels(),
    )


@bp.get("/me")
@login_required
@roles_required(Role.EMPLOYEE)
def my_box() -> ResponseReturnValue:
    """The employee's own box, how it was reached and the recommended actions."""
    employee = db.session.get(Employee, current_principal().employee_id)
    if employee is None:
        abort(404)
    return _employee_page(employee, own=True)


@bp.get("/employees/<int:employee_id>")
@login_required
def employee_box(employee_id: int) -> ResponseReturnValue:
    """One employee's box: the employee, their supervisor, heads above and HR only."""
    employee = load_or_404(Employee, employee_id, can_view_box)
    return _employee_page(employee, own=employee.id == current_principal().employee_id)


def _parse_date(text: str | None) -> date | None | str:
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return "invalid"


@bp.route("/employees/<int:employee_id>/potential", methods=["GET", "POST"])
@login_required
@roles_required(Role.HR_ADMIN, Role.SYSADMIN)
def potential_input(employee_id: int) -> ResponseReturnValue:
    """HR records the qualification, assessment-centre score and time in grade of a year."""
    employee = load_or_404(
        Employee, employee_id, lambda p, e: can_manage_instansi(p, e.instansi_id)
    )
    year = chosen_year()
    form = PotentialInputForm()
    form.education.choices = choices(
        [("", "–"), *((e.value, potential.EDUCATION_LABELS[e]) for e in Education)]
    )
    if not form.is_submitted():
        row = potential.input_for(employee.id, year)
        if row is not None:
            form.education.data = row.education.value if row.education else ""
            form.assessment_score.data = (
                Decimal(row.assessment_score) if row.assessment_score is not None else None
            )
            form.grade_since.data = row.grade_since.isoformat() if row.grade_since else ""

    def save() -> object:
        since = _parse_date(form.grade_since.data)
        if since == "invalid":
            raise ServiceError(_("Write the date as YYYY-MM-DD."), "grade_since")
        score = form.assessment_score.data
        return potential.save_input(
            employee,
            year,
            Education(form.education.data) if form.education.data else None,
            float(score) if score is not None else None,
            since if isinstance(since, date) else None,
            current_user.id,
        )

    result, status = submit_form(form, save)
    if result is not None:
        flash(_("Potential inputs saved."), "success")
        return redirect(url_for("talent.employee_box", employee_id=employee.id, year=year), 303)
    return render_page(
        "talent/potential_form.html", "potential_form", form=form, employee=employee, year=year
    ), status


def _num(f: Any) -> float:
    return float(f.data)


@bp.route("/settings", methods=["GET", "POST"])
@login_required
@roles_required(Role.HR_ADMIN, Role.SYSADMIN)
def settings() -> ResponseReturnValue:
    """Weights and cut-offs of the potential per instansi; overlaps and gaps are refused."""
    options = manageable_instansi(current_principal())
    instansi = pick_instansi(options)
    current = potential.settings_for(instansi.id)
    form = SettingsForm()
    users = db.session.execute(
        select(User.id, User.display_name, User.email)
        .where(User.instansi_id == instansi.id)
        .order_by(User.display_name)
    ).all()
    form.ppk_user_id.choices = choices(
        [("", "–"), *((uid, f"{name} <{email}>") for uid, name, email in users)]
    )
    if not form.is_submitted():
        # Decimal(float) is the float's exact value: shown as "%.2f" showed the float
        form.weight_jpm.data = Decimal(current.weight_jpm)
        form.weight_qualification.data = Decimal(current.weight_qualification)
        form.weight_assessment.data = Decimal(current.weight_assessment)
        form.low_from.data, form.low_to.data = Decimal(0), Decimal(current.medium_from)
        form.medium_from.data = Decimal(current.medium_from)
        form.medium_to.data = Decimal(current.high_from)
        form.high_from.data, form.high_to.data = Decimal(current.high_from), Decimal(100)
        form.ppk_user_id.data = current.ppk_user_id

    def save() -> object:
        return potential.save_settings(
            instansi.id,
            (_num(form.weight_jpm), _num(form.weight_qualification), _num(form.weight_assessment)),
            potential.Band(str(_("Low")), _num(form.low_from), _num(form.low_to)),
            potential.Band(str(_("Medium")), _num(form.medium_from), _num(form.medium_to)),
            potential.Band(str(_("High")), _num(form.high_from), _num(form.high_to)),
            form.ppk_user_id.data if form.ppk_user_id.data in {u[0] for u in users} else None,
            current_user.id,
        )

    result, status = submit_form(form, save)
    if result is not None:
        flash(_("Talent settings saved."), "success")
        return redirect(url_for("talent.settings", instansi=instansi.id), 303)
    return render_page(
        "talent/settings.html",
        "settings_form",
        form=form,
        instansi=instansi,
        options=options,
    ), status
