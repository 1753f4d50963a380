"""Pages of the needs analysis: dictionary, standards, analysis per cycle, development needs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

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
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select

from app import jobs
from app.access.guards import (
    current_principal,
    ensure,
    load_or_404,
    redirect_to_own,
    roles_required,
)
from app.access.policy import Principal, can_manage_instansi, team_scope
from app.accounts.models import Role
from app.clock import local_today
from app.errors import ServiceError
from app.extensions import db
from app.jobs import exports as job_exports
from app.jobs.routes import STATE_LABELS as JOB_STATE_LABELS
from app.needs import analysis, services
from app.needs.forms import (
    BulkForm,
    CompetencyForm,
    DecideForm,
    ImportForm,
    RecomputeForm,
    SettingsForm,
    level_form,
)
from app.needs.labels import (
    CATEGORY_LABELS,
    FORM_LABELS,
    KIND_LABELS,
    METHOD_LABELS,
    REASON_HELP,
    REASON_LABELS,
    ROLE_LABELS,
    SOURCE_LABELS,
    STATUS_LABELS,
    band_label,
    localized,
    position_type_label,
)
from app.needs.models import (
    Competency,
    CompetencyKind,
    DevelopmentNeed,
    IssueReason,
)
from app.needs.policy import (
    Scope,
    analysis_instansi,
    can_decide_need,
    can_view_need,
    can_view_profile,
    scope_for,
    team_instansi,
    team_scope_for,
)
from app.org.models import Employee, Instansi, OrgUnit, Position
from app.web import formats
from app.web.forms import apply_service_error, submit_form
from app.web.htmx import is_partial, render_page
from app.web.navigation import NavEntry, add_nav
from app.web.params import ID, YEAR, page_arg
from app.web.urls import safe_next

bp = Blueprint("needs", __name__, url_prefix="/needs")
Key = TypeVar("Key")

MANAGERS = (Role.HR_ADMIN, Role.SYSADMIN)
VIEWERS = (Role.HR_ADMIN, Role.SYSADMIN, Role.UNIT_HEAD)
# The per-employee lists also open for supervisors, narrowed to their team (Scope.members).
TEAM_VIEWERS = (*VIEWERS, Role.SUPERVISOR)

add_nav(
    NavEntry("needs.my_profile", _l("My competency gaps"), (Role.EMPLOYEE,), order=12),
    NavEntry("needs.index", _l("Needs analysis"), VIEWERS, order=40),
    NavEntry("needs.development", _l("Development needs"), TEAM_VIEWERS, order=41),
    NavEntry("needs.competencies", _l("Competency dictionary"), MANAGERS, order=42),
)


def num(value: float | None, digits: int = 2) -> str:
    """A number in the user's locale (1,25 in Indonesian, no trailing zeros); '–' when none."""
    return formats.number(value, digits)


def gap_text(gap: float | None) -> str:
    """A gap as users read it: zero or negative means the standard is met or exceeded."""
    if gap is not None and gap <= 0:
        return str(_("meets or exceeds the standard"))
    return num(gap)


def priority_text(gap: float | None, priority: float | None, digits: int = 1) -> str:
    """A priority only for a real gap."""
    if gap is None or gap <= 0:
        return "–"
    return num(priority, digits)


@bp.app_context_processor
def needs_labels() -> dict[str, object]:
    return {
        "num": num,
        "gap_text": gap_text,
        "priority_text": priority_text,
        "category_labels": CATEGORY_LABELS,
        "form_labels": FORM_LABELS,
        "kind_labels": KIND_LABELS,
        "method_labels": METHOD_LABELS,
        "reason_labels": REASON_LABELS,
        "role_labels": ROLE_LABELS,
        "status_labels": STATUS_LABELS,
        "band_label": band_label,
        "localized": localized,
        "position_type_label": position_type_label,
    }


# ---- choosing the instansi, year and unit --------------------------------------------------


def _instansi_from(options: list[Instansi], wanted: int | None) -> Instansi:
    if wanted:
        chosen = next((i for i in options if i.id == wanted), None)
        if chosen is None:
            abort(404)
        return chosen
    if not options:
        abort(403)
    return options[0]


def current_scope(
    team: bool = False, employee: Employee | None = None
) -> tuple[Scope, list[Instansi], Instansi]:
    """The instansi (?instansi=), cycle year (?year=) and subtree the user may look at; with
    `team`, a supervisor's reports (only for pages whose queries apply Scope.members). A page
    about one `employee` defaults to their instansi and latest scored cycle, and answers 404
    when the employee lies outside the scope."""
    principal = current_principal()
    options = team_instansi(principal) if team else analysis_instansi(principal)
    wanted = request.args.get("instansi", type=ID)
    if employee is not None:
        wanted = wanted or employee.instansi_id
    chosen = _instansi_from(options, wanted)
    year = request.args.get("year", type=YEAR)
    if year is None or not 2000 <= year <= 2100:
        years = analysis.profile_years(employee.id) if employee is not None else []
        year = years[0] if years else analysis.default_year(chosen.id)
    scope = (team_scope_for if team else scope_for)(principal, chosen.id, year)
    if scope is None:
        abort(403)
    if employee is not None and not scope.includes(employee):
        abort(404)
    return scope, options, chosen


def render_scoped(
    template: str, block: str, scope: Scope, options: list[Instansi], instansi: Instansi, **ctx: Any
) -> str:
    """An analysis page with what every one of them shows: the scope, the instansi choice and
    the cycle years that have results."""
    return render_page(
        template,
        block,
        scope=scope,
        options=options,
        instansi=instansi,
        scope_title=scope_title(scope, instansi),
        years=analysis.years_for(instansi.id),
        **ctx,
    )


def scope_title(scope: Scope, instansi: Instansi) -> str:
    """What the page covers: the supervisor's team, the head's OPD for a subtree scope, else
    the instansi."""
    if scope.team is not None:
        return str(_("My team"))
    if scope.unit_path is None:
        return instansi.name
    name = db.session.scalar(
        select(OrgUnit.name).where(
            OrgUnit.instansi_id == scope.instansi_id, OrgUnit.path == scope.unit_path
        )
    )
    return name or instansi.name


def unit_in_scope(scope: Scope, unit_id: int | None) -> OrgUnit | None:
    """The ?unit= filter; a unit outside the scope answers 404."""
    if not unit_id:
        return None
    unit = db.session.get(OrgUnit, unit_id)
    if unit is None or unit.instansi_id != scope.instansi_id or not scope.contains_path(unit.path):
        abort(404)
    return unit


def scope_units(scope: Scope) -> list[OrgUnit]:
    """Units offered in the filters: the instansi's tree, the viewer's subtree, or the units a
    supervisor's team works in."""
    query = select(OrgUnit).where(OrgUnit.instansi_id == scope.instansi_id)
    if scope.unit_path is not None:
        query = query.where(OrgUnit.path.startswith(scope.unit_path))
    if scope.team is not None:
        query = query.where(
            OrgUnit.id.in_(select(Employee.org_unit_id).where(team_scope(scope.team)))
        )
    return list(db.session.scalars(query.order_by(OrgUnit.path)))


def managed_instansi(wanted: int | None = None) -> Instansi:
    """An instansi the user administers (HR: their own; sysadmin: any), from ?instansi=."""
    from app.org.services import manageable_instansi

    options = manageable_instansi(current_principal())
    return _instansi_from(options, wanted or request.args.get("instansi", type=ID))


# ---- analysis per cycle ---------------------------------------------------------------------


@bp.get("/")
@login_required
@roles_required(*VIEWERS)
def index() -> ResponseReturnValue:
    """A cycle at a glance: JPM categories, needs, what was skipped, the recompute button."""
    scope, options, instansi = current_scope()
    form = RecomputeForm(data={"instansi_id": instansi.id, "year": scope.year})
    return render_scoped(
        "needs/index.html",
        "overview",
        scope,
        options,
        instansi,
        summary=analysis.overview(scope),
        form=form,
        recompute_job=services.last_recompute_job(instansi.id, scope.year),
        state_labels=JOB_STATE_LABELS,
    )


@bp.post("/recompute")
@login_required
@roles_required(*MANAGERS)
def recompute() -> ResponseReturnValue:
    """HR recomputes the cycle from the raw answers, as a background job (progress page)."""
    form = RecomputeForm()
    try:
        instansi_id = int(form.instansi_id.data or 0)
    except ValueError:
        instansi_id = 0
    if instansi_id:
        ensure(can_manage_instansi(current_principal(), instansi_id))
    if not instansi_id or not form.validate_on_submit():
        abort(422)
    try:
        job = services.queue_recompute(instansi_id, form.year.data or 0, current_user.id)
    except ServiceError as error:
        flash(str(error.message), "error")
        return redirect(url_for("needs.index", instansi=instansi_id), 303)
    return redirect(jobs.progress_url(job), 303)


@bp.get("/ranking")
@login_required
@roles_required(*VIEWERS)
def ranking() -> ResponseReturnValue:
    """Competencies ranked by priority, for the instansi or one unit, with each OPD's top."""
    scope, options, instansi = current_scope()
    unit = unit_in_scope(scope, request.args.get("unit", type=ID))
    rows_units = analysis.child_units(unit) if unit is not None else analysis.scope_top_units(scope)
    return render_scoped(
        "needs/ranking.html",
        "ranking_table",
        scope,
        options,
        instansi,
        unit=unit,
        units=scope_units(scope),
        rows=analysis.ranking(scope, unit),
        per_unit=analysis.unit_ranking(scope, rows_units),
        row_units=rows_units,
        names=analysis.competency_names(instansi.id),
        settings=services.settings_for(instansi.id),
    )


@bp.get("/heatmap")
@login_required
@roles_required(*VIEWERS)
def heatmap() -> ResponseReturnValue:
    """Units × competencies, mean gap per cell; a unit name opens its sub-units."""
    scope, options, instansi = current_scope()
    parent = unit_in_scope(scope, request.args.get("unit", type=ID))
    up = db.session.get(OrgUnit, parent.parent_id) if parent and parent.parent_id else None
    return render_scoped(
        "needs/heatmap.html",
        "heatmap_table",
        scope,
        options,
        instansi,
        heat=analysis.heatmap(scope, parent),
        up_id=up.id if up is not None and scope.contains_path(up.path) else None,
        names=analysis.competency_names(instansi.id),
    )


@bp.get("/employees")
@login_required
@roles_required(*TEAM_VIEWERS)
def employees() -> ResponseReturnValue:
    """The employees behind a number: filter by unit, competency, JPM category, needs only."""
    scope, options, instansi = current_scope(team=True)
    unit = unit_in_scope(scope, request.args.get("unit", type=ID))
    code = (request.args.get("code") or "")[:30] or None
    category = request.args.get("category") or None
    needs_only = request.args.get("needs") == "1"
    result = analysis.employee_rows(scope, unit, code, category, needs_only, page_arg())
    return render_scoped(
        "needs/employees.html",
        "employee_table",
        scope,
        options,
        instansi,
        unit=unit,
        units=scope_units(scope),
        code=code,
        category=category,
        needs_only=needs_only,
        result=result,
        names=analysis.competency_names(instansi.id),
        bands=analysis.band_labels(analysis.plan_for(instansi.id, scope.year)) if code else {},
    )


@bp.get("/me")
@login_required
def my_profile() -> ResponseReturnValue:
    """The signed-in employee's own gap profile."""
    return redirect_to_own("needs.profile")


def _profile_year(employee: Employee) -> int:
    year = request.args.get("year", type=YEAR)
    if year is not None and 2000 <= year <= 2100:
        return year
    years = analysis.profile_years(employee.id)
    return years[0] if years else analysis.default_year(employee.instansi_id)


@bp.get("/employees/<int:employee_id>")
@login_required
def profile(employee_id: int) -> ResponseReturnValue:
    """An employee's gap profile and JPM for one cycle."""
    employee = load_or_404(Employee, employee_id, can_view_profile)
    year = _profile_year(employee)
    years = sorted({*analysis.profile_years(employee.id), year}, reverse=True)
    lists = team_scope_for(current_principal(), employee.instansi_id, year)
    return render_page(
        "needs/profile.html",
        "profile_table",
        employee=employee,
        year=year,
        years=years,
        result=analysis.profile(employee, year),
        bands=analysis.band_labels(analysis.plan_for(employee.instansi_id, year)),
        needs_list=lists is not None and lists.includes(employee),
    )


@bp.get("/employees/<int:employee_id>/explain/<code>")
@login_required
def explain(employee_id: int, code: str) -> ResponseReturnValue:
    """The arithmetic of one score: rater means, weights, required level, importance."""
    employee = load_or_404(Employee, employee_id, can_view_profile)
    year = _profile_year(employee)
    principal = current_principal()
    show_raters = can_manage_instansi(principal, employee.instansi_id) or bool(
        principal.headed_unit_path and employee.org_unit.path.startswith(principal.headed_unit_path)
    )
    result = analysis.explain(employee, code[:30], year, show_raters)
    if result is None:
        abort(404)
    levels = services.levels_of(result.competency.id) if result.competency else {}
    return render_template(
        "needs/explain.html",
        employee=employee,
        year=year,
        code=code,
        x=result,
        levels=levels,
        source_labels=SOURCE_LABELS,
    )


@bp.get("/export.<fmt>")
@login_required
@roles_required(*VIEWERS)
def export(fmt: str) -> ResponseReturnValue:
    """Every score of the cycle in the scope as CSV or XLSX (NIP written as text); a large one
    is written by a job."""
    if fmt not in ("csv", "xlsx"):
        abort(404)
    return job_exports.respond("needs.export", fmt)


@job_exports.builder("needs.export")
def needs_export(fmt: str) -> job_exports.Export:
    scope, _options, instansi = current_scope()
    unit = unit_in_scope(scope, request.args.get("unit", type=ID))
    query = analysis.export_query(scope, unit)
    return job_exports.select_export(
        f"kebutuhan-{instansi.code}-{scope.year}",
        fmt,
        query,
        (analysis.EXPORT_COLUMNS, analysis.csv_batches),
        analysis.write_xlsx,
        instansi.id,
    )


@bp.get("/issues")
@login_required
@roles_required(*VIEWERS)
def issues() -> ResponseReturnValue:
    """What the last recompute skipped or worked around, and why."""
    scope, options, instansi = current_scope()
    raw = request.args.get("reason") or ""
    reason = IssueReason(raw) if raw in {r.value for r in IssueReason} else None
    return render_scoped(
        "needs/issues.html",
        "issue_table",
        scope,
        options,
        instansi,
        reason=reason,
        summary=analysis.overview(scope),
        result=analysis.issue_rows(scope, reason, page_arg()),
        reason_help=REASON_HELP,
    )


@bp.get("/instruments")
@login_required
@roles_required(*VIEWERS)
def instruments() -> ResponseReturnValue:
    """Hennessy-Hicks, Borich, priority-product and mean scores of the cycle's instruments."""
    scope, options, instansi = current_scope()
    unit = unit_in_scope(scope, request.args.get("unit", type=ID))
    plan = analysis.plan_for(instansi.id, scope.year)
    return render_scoped(
        "needs/instruments.html",
        "instrument_tables",
        scope,
        options,
        instansi,
        unit=unit,
        units=analysis.rule_units(scope),
        results=analysis.rule_results(scope, unit),
        bands=analysis.band_labels(plan),
        names=analysis.competency_names(instansi.id),
    )


# ---- development needs ----------------------------------------------------------------------


def _development_page(
    scope: Scope,
    options: list[Instansi],
    instansi: Instansi,
    errors: list[str] | None = None,
    employee: Employee | None = None,
) -> str:
    """The needs list with the filters in the query string (and any errors to show)."""
    unit = unit_in_scope(scope, request.args.get("unit", type=ID))
    status = request.args.get("status") or None
    code = (request.args.get("code") or "")[:30] or None
    form_filter = request.args.get("form") or None
    return render_scoped(
        "needs/development.html",
        "need_table",
        scope,
        options,
        instansi,
        unit=unit,
        units=scope_units(scope),
        status=status,
        code=code,
        form_filter=form_filter,
        result=analysis.need_rows(
            scope, status, unit, code, form_filter, page_arg(), employee.id if employee else None
        ),
        names=analysis.competency_names(instansi.id),
        bulk_form=BulkForm(formdata=None),
        errors=errors or [],
        employee=employee,
    )


@bp.get("/development")
@login_required
@roles_required(*TEAM_VIEWERS)
def development() -> ResponseReturnValue:
    """Needs of the cycle, highest priority first; HR accepts or dismisses them. ?employee=
    narrows to one employee (by default in their latest scored cycle); someone outside the
    viewer's scope answers 404."""
    employee_id = request.args.get("employee", type=ID)
    employee = load_or_404(Employee, employee_id, can_view_profile) if employee_id else None
    scope, options, instansi = current_scope(team=True, employee=employee)
    return _development_page(scope, options, instansi, employee=employee)


def _need_scope(need: DevelopmentNeed) -> tuple[Scope, list[Instansi], Instansi]:
    principal = current_principal()
    scope = scope_for(principal, need.instansi_id, need.cycle_year)
    ensure(scope is not None)
    instansi = db.session.get(Instansi, need.instansi_id)
    assert scope is not None and instansi is not None
    return scope, analysis_instansi(principal), instansi


@bp.post("/development/<int:need_id>")
@login_required
def decide(need_id: int) -> ResponseReturnValue:
    """Accept, dismiss or reopen one need; htmx swaps just its row."""
    need = load_or_404(DevelopmentNeed, need_id, can_view_need)
    ensure(can_decide_need(current_principal(), need))
    form = DecideForm()
    error = None
    if form.validate_on_submit():
        try:
            services.decide_need(
                need,
                form.action.data,
                current_user.id,
                form.development_form.data or None,
                form.note.data,
            )
        except ServiceError as failure:
            db.session.rollback()
            error = str(failure.message)
    else:
        error = _("Choose a valid decision and development form.")
    status = 422 if error else 200
    if is_partial():
        return render_page(
            "needs/development.html",
            "need_row",
            line=analysis.need_line(need.id),
            names=analysis.competency_names(need.instansi_id),
            row_error=error,
            scope=None,
        ), status
    if error:
        scope, options, instansi = _need_scope(need)
        return _development_page(scope, options, instansi, [error]), 422
    flash(_("Decision saved."), "success")
    fallback = url_for("needs.development", instansi=need.instansi_id, year=need.cycle_year)
    return redirect(safe_next(request.form.get("next"), fallback), 303)


@bp.post("/development/bulk")
@login_required
@roles_required(*MANAGERS)
def bulk_decide() -> ResponseReturnValue:
    """Accept or dismiss every ticked need in one statement."""
    form = BulkForm()
    principal = current_principal()
    error = None
    changed = 0
    if not form.validate_on_submit():
        error = _("Choose a valid decision.")
    else:
        allowed = None if principal.has(Role.SYSADMIN) else set(principal.hr_instansi_ids)
        try:
            changed = services.bulk_decide(
                form.need_ids.data or [], form.action.data, allowed, current_user.id
            )
        except ServiceError as failure:
            error = str(failure.message)
    if error:
        scope, options, instansi = current_scope()
        return _development_page(scope, options, instansi, [error]), 422
    flash(_("%(n)d needs updated.", n=changed), "success")
    return redirect(safe_next(request.form.get("next"), url_for("needs.development")), 303)


# ---- competency dictionary ------------------------------------------------------------------


@bp.get("/competencies")
@login_required
@roles_required(*MANAGERS)
def competencies() -> ResponseReturnValue:
    """The instansi's dictionary: core competencies and the technical ones HR added."""
    from app.org.services import manageable_instansi

    instansi = managed_instansi()
    return render_template(
        "needs/competencies.html",
        instansi=instansi,
        options=manageable_instansi(current_principal()),
        rows=services.competencies(instansi.id),
    )


def _competency_visible(principal: Principal, competency: Competency) -> bool:
    return can_manage_instansi(principal, competency.instansi_id)


@bp.get("/competencies/<int:competency_id>")
@login_required
@roles_required(*MANAGERS)
def competency_detail(competency_id: int) -> ResponseReturnValue:
    competency = load_or_404(Competency, competency_id, _competency_visible)
    return render_template(
        "needs/competency_detail.html",
        competency=competency,
        levels=services.levels_of(competency.id),
    )


def _competency_data(form: CompetencyForm, code: str | None = None) -> services.CompetencyData:
    return services.CompetencyData(
        code=code if code is not None else (form.code.data or ""),
        name_id=form.name_id.data or "",
        name_en=form.name_en.data or "",
        definition_id=form.definition_id.data or "",
        definition_en=form.definition_en.data or "",
        levels_id=[getattr(form, f"level_{n}").data or "" for n in services.LEVELS],
        levels_en=[getattr(form, f"level_{n}_en").data or "" for n in services.LEVELS],
        active=bool(form.active.data),
    )


@bp.route("/competencies/new", methods=["GET", "POST"])
@login_required
@roles_required(*MANAGERS)
def competency_create() -> ResponseReturnValue:
    """HR adds a technical competency with its five level descriptions."""
    instansi = managed_instansi()
    form = CompetencyForm()
    saved, status = submit_form(
        form,
        lambda: services.save_competency(instansi.id, _competency_data(form)),
    )
    return _competency_form_outcome(form, saved, status, instansi, None)


@bp.route("/competencies/<int:competency_id>/edit", methods=["GET", "POST"])
@login_required
@roles_required(*MANAGERS)
def competency_edit(competency_id: int) -> ResponseReturnValue:
    """HR changes a technical competency (the code stays); core ones are fixed."""
    competency = load_or_404(Competency, competency_id, _competency_visible)
    ensure(competency.kind == CompetencyKind.TECHNICAL)
    form = CompetencyForm(obj=competency)
    form.code.data = competency.code
    if request.method == "GET":
        for level, row in services.levels_of(competency.id).items():
            getattr(form, f"level_{level}").data = row.description_id
            getattr(form, f"level_{level}_en").data = row.description_en
    saved, status = submit_form(
        form,
        lambda: services.save_competency(
            competency.instansi_id, _competency_data(form, competency.code), competency
        ),
    )
    return _competency_form_outcome(
        form, saved, status, competency_instansi(competency), competency
    )


def _competency_form_outcome(
    form: CompetencyForm,
    saved: Competency | None,
    status: int,
    instansi: Instansi,
    competency: Competency | None,
) -> ResponseReturnValue:
    """A saved competency opens its page; otherwise the form again (new when `competency` is None)."""
    if status == 303 and saved is not None:
        flash(_("Competency saved."), "success")
        return redirect(url_for("needs.competency_detail", competency_id=saved.id), 303)
    return render_page(
        "needs/competency_form.html",
        "competency_form",
        form=form,
        instansi=instansi,
        competency=competency,
    ), status


def competency_instansi(competency: Competency) -> Instansi:
    instansi = db.session.get(Instansi, competency.instansi_id)
    assert instansi is not None
    return instansi


@bp.route("/competencies/import", methods=["GET", "POST"])
@login_required
@roles_required(*MANAGERS)
def competency_import() -> ResponseReturnValue:
    """Technical competencies from a CSV file; one bad row and nothing is saved."""
    instansi = managed_instansi(request.form.get("instansi_id", type=ID))
    form = ImportForm()
    result, status = submit_form(
        form,
        lambda: services.import_competencies(instansi.id, form.file.data.read()),
    )
    if result is not None:  # imported (303)
        flash(
            _(
                "Import finished: %(created)d new, %(updated)d updated.",
                created=result.created,
                updated=result.updated,
            ),
            "success",
        )
        return redirect(url_for("needs.competencies", instansi=instansi.id), 303)
    return render_template("needs/competency_import.html", form=form, instansi=instansi), status


# ---- standards and settings -----------------------------------------------------------------


def _default_field(position_type: str, jenjang: str) -> str:
    return f"d_{position_type}__{jenjang or 'none'}"


@bp.route("/standards", methods=["GET", "POST"])
@login_required
@roles_required(*MANAGERS)
def standards() -> ResponseReturnValue:
    """Default levels per position type and jenjang, and every position's standard."""
    instansi = managed_instansi(request.form.get("instansi_id", type=ID))
    today = local_today()
    lines = services.default_lines(instansi.id, today)
    form_class = level_form(
        (
            _default_field(line.position_type, line.jenjang),
            position_type_label(line.position_type, line.jenjang),
        )
        for line in lines
    )
    form = form_class()
    fields = {
        (line.position_type, line.jenjang): _default_field(line.position_type, line.jenjang)
        for line in lines
    }
    changed, status = _submit_levels(
        form, fields, lambda levels: services.save_defaults(instansi.id, levels, today)
    )
    if status == 303:
        flash(_("%(n)d default levels changed.", n=changed), "success")
        return redirect(url_for("needs.standards", instansi=instansi.id), 303)
    if status == 200:
        for line in lines:
            getattr(form, fields[line.position_type, line.jenjang]).data = (
                str(line.level) if line.level else ""
            )
    from app.org.services import manageable_instansi

    return render_page(
        "needs/standards.html",
        "defaults_form",
        instansi=instansi,
        options=manageable_instansi(current_principal()),
        lines=lines,
        form=form,
        field_name=_default_field,
        positions=services.position_lines(instansi.id, today),
    ), status


def _submit_levels(
    form: FlaskForm, fields: dict[Key, str], save: Callable[[dict[Key, int | None]], int]
) -> tuple[int, int]:
    """Save a level form whose field `fields[key]` holds the level (blank: none) for `key`.

    (levels changed, 303) once saved; (0, 200) for a first display; (0, 422) when a level is not
    1–5 or the service refused, with the reason on the form and nothing saved.
    """
    if not form.validate_on_submit():
        return 0, 422 if form.is_submitted() else 200
    read = {key: _level(getattr(form, name).data) for key, name in fields.items()}
    levels = {key: value for key, value in read.items() if not isinstance(value, str)}
    if len(levels) < len(read):  # a level read as "bad"
        form.form_errors.append(_("Levels run from 1 to 5."))
        return 0, 422
    try:
        return save(levels), 303
    except ServiceError as error:
        apply_service_error(form, error)
        return 0, 422


def _level(value: str | int | None) -> int | None | str:
    """'' → None (no level); '1'…'5' → int; anything else → 'bad'."""
    if value is None or value == "":
        return None
    try:
        level = int(value)
    except (TypeError, ValueError):
        return "bad"
    return level if level in services.LEVELS else "bad"


def _position_visible(principal: Principal, position: Position) -> bool:
    return can_manage_instansi(principal, position.instansi_id)


@bp.route("/standards/positions/<int:position_id>", methods=["GET", "POST"])
@login_required
@roles_required(*MANAGERS)
def position_standards(position_id: int) -> ResponseReturnValue:
    """One position's required level per competency; changes keep the old value as history."""
    position = load_or_404(Position, position_id, _position_visible)
    today = local_today()
    lines = services.standard_lines(position, today)
    form_class = level_form((f"c_{line.competency.id}", line.competency.code) for line in lines)
    form = form_class()
    fields = {line.competency.id: f"c_{line.competency.id}" for line in lines}
    changed, status = _submit_levels(
        form, fields, lambda levels: services.save_position_levels(position, levels, today)
    )
    if status == 303:
        flash(_("%(n)d levels changed.", n=changed), "success")
        return redirect(url_for("needs.position_standards", position_id=position.id), 303)
    if status == 200:
        for line in lines:
            getattr(form, fields[line.competency.id]).data = (
                str(line.explicit) if line.explicit else ""
            )
    return render_page(
        "needs/position_standards.html",
        "standard_form",
        position=position,
        lines=lines,
        form=form,
        history=services.standard_history(position.id),
    ), status


@bp.route("/settings", methods=["GET", "POST"])
@login_required
@roles_required(*MANAGERS)
def settings() -> ResponseReturnValue:
    """JPM category thresholds and the gap that makes a development need."""
    instansi = managed_instansi(request.form.get("instansi_id", type=ID))
    current = services.settings_for(instansi.id)
    form = SettingsForm(obj=current)
    saved, status = submit_form(
        form,
        lambda: services.save_settings(
            instansi.id,
            form.jpm_meets.data or 0.0,  # InputRequired: never None once valid
            form.jpm_still_meets.data or 0.0,
            form.need_min_gap.data or 0.0,
        ),
    )
    if status == 303:
        flash(_("Settings saved. Recompute the analysis to apply the need threshold."), "success")
        return redirect(url_for("needs.settings", instansi=instansi.id), 303)
    return render_page("needs/settings.html", "settings_form", form=form, instansi=instansi), status
