"""Pages of the budget optimiser: the plans, a revision's scenarios side by side, one
scenario explained need by need, applying it, its XLSX, and the settings."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app import jobs
from app.access.guards import current_principal, ensure, roles_required
from app.accounts.models import Role
from app.evaluation.feeds import measured_effects
from app.evaluation.results import reaction_min_group
from app.extensions import db
from app.optimiser import exports, messages, services, settings
from app.optimiser.forms import (
    AdoptForm,
    ApplyForm,
    FormRow,
    FormsForm,
    RulesForm,
    ScenarioForm,
)
from app.optimiser.models import Scenario, ScenarioStatus
from app.org.models import Instansi
from app.org.services import manageable_instansi
from app.planning import queries as plan_queries
from app.planning import services as plan_services
from app.planning.audit import PlanActor
from app.planning.models import ItemStatus, Plan, Revision
from app.planning.policy import can_manage_plans, plan_scope
from app.planning.routes import acting, can_edit, load_revision
from app.web.forms import submit_form
from app.web.htmx import render_page
from app.web.navigation import NavEntry, add_nav
from app.web.params import ID

bp = Blueprint("optimiser", __name__, url_prefix="/optimiser")

add_nav(
    NavEntry(
        "optimiser.index",
        _l("Budget optimiser"),
        (Role.HR_ADMIN, Role.UNIT_HEAD, Role.SYSADMIN),
        41,
    )
)

PAGE = 100


@bp.app_template_global("optimiser_note")
def _note(note: object) -> str:
    return messages.text(note)  # type: ignore[arg-type]


@bp.app_template_global("optimiser_reason")
def _reason(reason: str, params: str) -> str:
    return messages.choice_text(reason, params)


@bp.app_template_global("optimiser_status")
def _status(status: str) -> object:
    return messages.STATUS.get(status, status)


def load_scenario(scenario_id: int) -> tuple[Scenario, Revision]:
    scenario = db.session.get(Scenario, scenario_id)
    if scenario is None:
        abort(404)
    return scenario, load_revision(scenario.revision_id)


def actor() -> PlanActor:
    user = current_user._get_current_object()
    return PlanActor(user.id, user.display_name)


def load_instansi(instansi_id: int) -> Instansi:
    instansi = db.session.get(Instansi, instansi_id)
    if instansi is None:
        abort(404)
    ensure(can_manage_plans(current_principal(), instansi.id))
    return instansi


# ---- plans and scenarios --------------------------------------------------------------------


@bp.get("/")
@login_required
@roles_required(Role.HR_ADMIN, Role.UNIT_HEAD, Role.SYSADMIN)
def index() -> ResponseReturnValue:
    """The plans whose latest revision can be optimised."""
    rows = plan_queries.plan_list(plan_scope(acting(), set()))
    return render_page(
        "optimiser/index.html",
        "optimiser_plans",
        rows=rows,
        instansi=manageable_instansi(current_principal()),
    )


def _revision_context(revision: Revision, form: ScenarioForm) -> dict[str, object]:
    scenarios = services.scenarios_of(revision.id)
    return {
        "revision": revision,
        "plan": revision.plan,
        "form": form,
        "scenarios": scenarios,
        "compared": [s for s in scenarios if s.status == ScenarioStatus.DONE],
        "others": [s for s in scenarios if s.status != ScenarioStatus.DONE],
        "editable": can_edit(revision.plan) and revision.editable,
    }


@bp.get("/revisions/<int:revision_id>")
@login_required
def revision(revision_id: int) -> ResponseReturnValue:
    """A revision's scenarios side by side, and a new scenario."""
    found = load_revision(revision_id)
    form = ScenarioForm(formdata=None)
    return render_page("optimiser/revision.html", "scenarios", **_revision_context(found, form))


@bp.post("/revisions/<int:revision_id>/scenarios")
@login_required
def create(revision_id: int) -> ResponseReturnValue:
    """Run a new scenario as a background job; its progress page links to the result."""
    found = load_revision(revision_id)
    ensure(can_edit(found.plan))
    form = ScenarioForm()
    scenario, status = submit_form(
        form,
        lambda: services.create_scenario(
            found,
            form.name.data or "",
            (form.budget_percent.data / 100) if form.budget_percent.data is not None else None,
            form.partner_amount.data,
            actor(),
        ),
    )
    if scenario is not None:
        job = db.session.get(jobs.Job, scenario.job_id)
        if job is not None and not job.finished:
            return redirect(jobs.progress_url(job), 303)
        return redirect(url_for("optimiser.scenario", scenario_id=scenario.id), 303)
    context = _revision_context(found, form)
    return render_page("optimiser/revision.html", "scenarios", **context), status


def _scenario_context(found: Scenario, rev: Revision, form: ApplyForm) -> dict[str, object]:
    show = request.args.get("show", "unfunded")
    funded = {"funded": True, "unfunded": False}.get(show)
    page = max(request.args.get("page", 1, type=ID) or 1, 1)
    choices = services.choices_of(found.id, funded, page, PAGE)
    return {
        "scenario": found,
        "revision": rev,
        "conflicts": services.load_notes(found.conflicts),
        "notes": services.load_notes(found.notes),
        "lines": services.line_summary(found),
        "choices": choices,
        "show": show if funded is not None else "all",
        "page": page,
        "form": form,
        "editable": can_edit(rev.plan) and rev.editable and found.status == ScenarioStatus.DONE,
        "can_estimate": can_edit(rev.plan)
        and rev.editable
        and any(
            n.code in ("missing_cost", "no_line") for n in services.load_notes(found.conflicts)
        ),
        "job": db.session.get(jobs.Job, found.job_id) if found.job_id else None,
    }


@bp.get("/scenarios/<int:scenario_id>")
@login_required
def scenario(scenario_id: int) -> ResponseReturnValue:
    """One scenario: figures, conflicts, budget lines with shadow values, every need explained."""
    found, rev = load_scenario(scenario_id)
    context = _scenario_context(found, rev, ApplyForm(formdata=None))
    return render_page("optimiser/scenario.html", "choice_list", **context)


@bp.post("/scenarios/<int:scenario_id>/apply")
@login_required
def apply(scenario_id: int) -> ResponseReturnValue:
    """Make the scenario the draft's items (ordinary items HR can still edit)."""
    found, rev = load_scenario(scenario_id)
    ensure(can_edit(rev.plan))
    form = ApplyForm()
    summary, status = submit_form(form, lambda: services.apply(found, actor()))
    if summary is not None:
        flash(
            _(
                "Scenario applied: %(funded)d items funded, %(moved)d needs moved.",
                funded=summary["funded_items"],
                moved=summary["moved"],
            ),
            "success",
        )
        return redirect(url_for("planning.plan", plan_id=rev.plan_id), 303)
    context = _scenario_context(found, rev, form)
    return render_page("optimiser/scenario.html", "apply_box", **context), status


@bp.post("/revisions/<int:revision_id>/estimate")
@login_required
def estimate(revision_id: int) -> ResponseReturnValue:
    """Cost the items without a unit cost at their form's estimate (HR edits them later)."""
    found = load_revision(revision_id)
    ensure(can_edit(found.plan))
    form = ApplyForm()
    count, status = submit_form(form, lambda: services.estimate_missing_costs(found, actor()))
    if count is not None:
        flash(
            _(
                "%(n)d items costed with the estimate of their form; run the scenario again.",
                n=count,
            ),
            "success",
        )
        return redirect(url_for("optimiser.revision", revision_id=found.id), 303)
    context = _revision_context(found, ScenarioForm(formdata=None))
    return render_page("optimiser/revision.html", "scenarios", **context), status


@bp.get("/scenarios/<int:scenario_id>/export.xlsx")
@login_required
def export(scenario_id: int) -> ResponseReturnValue:
    found, rev = load_scenario(scenario_id)
    return exports.scenario_xlsx(found, rev)


# ---- settings -------------------------------------------------------------------------------


def _settings_context(
    instansi: Instansi, rules_form: RulesForm | None = None, forms_form: FormsForm | None = None
) -> dict[str, object]:
    rules = settings.rules_for(instansi.id)
    items = _item_choices(instansi.id)
    if rules_form is None:
        rules_form = RulesForm(formdata=None)
        rules_form.jp_ceiling.data = rules.jp_ceiling
        rules_form.min_jp.data = rules.min_jp
        rules_form.non_classical_share.data = round(rules.non_classical_share * 100, 2)
        rules_form.time_limit.data = rules.time_limit
        rules_form.mip_gap.data = round(rules.mip_gap * 100, 3)
        rules_form.mandatory.data = sorted(rules.mandatory_keys)
        rules_form.flagged_percent.data = round(rules.flagged_factor * 100, 2)
    rules_form.mandatory.choices = items
    if forms_form is None:
        forms_form = FormsForm(formdata=None)
        for terms in settings.form_terms(instansi.id).values():
            forms_form.forms.append_entry(
                {"code": terms.form, "effect": terms.effect, "unit_cost": terms.unit_cost,
                 "jp": terms.jp, "alternative": terms.alternative}
            )  # fmt: skip
    return {
        "instansi": instansi,
        "rules_form": rules_form,
        "forms_form": forms_form,
        "measured": measured_effects(instansi.id),
        "adopt_form": AdoptForm(formdata=None),
        "adopt_errors": {},
        "min_measured": reaction_min_group(),
        "options": manageable_instansi(current_principal()),
    }


def _item_choices(instansi_id: int) -> list[tuple[str, str]]:
    """Active items of the instansi's newest plan, by key (keys stay across revisions)."""
    plans = [
        row
        for row in plan_queries.plan_list(Plan.instansi_id == instansi_id)
        if row.revision is not None
    ]
    if not plans:
        return []
    newest = max(plans, key=lambda row: row.plan.year).revision
    assert newest is not None
    return [
        (c.key, f"{c.key}")
        for c in plan_services.candidate_items(newest.id)
        if c.status == ItemStatus.ACTIVE.value
    ]


@bp.get("/settings/<int:instansi_id>")
@login_required
@roles_required(Role.HR_ADMIN, Role.SYSADMIN)
def settings_page(instansi_id: int) -> ResponseReturnValue:
    instansi = load_instansi(instansi_id)
    return render_page("optimiser/settings.html", "rules_form", **_settings_context(instansi))


@bp.post("/settings/<int:instansi_id>/rules")
@login_required
@roles_required(Role.HR_ADMIN, Role.SYSADMIN)
def save_rules(instansi_id: int) -> ResponseReturnValue:
    instansi = load_instansi(instansi_id)
    form = RulesForm()
    form.mandatory.choices = _item_choices(instansi.id)
    result, status = submit_form(
        form,
        lambda: settings.save_rules(
            instansi.id, form.jp_ceiling.data, form.min_jp.data, form.non_classical_share.data,
            form.time_limit.data, form.mip_gap.data, list(form.mandatory.data or []),
            _flagged_percent(instansi.id, form.flagged_percent.data),
        ),
    )  # fmt: skip
    if result is not None:
        flash(_("Rules saved."), "success")
        return redirect(url_for("optimiser.settings_page", instansi_id=instansi.id), 303)
    context = _settings_context(instansi, rules_form=form)
    return render_page("optimiser/settings.html", "rules_form", **context), status


def _flagged_percent(instansi_id: int, given: float | None) -> float:
    """The submitted share for flagged programs, or the current one when the field was left out."""
    if given is not None:
        return given
    return settings.rules_for(instansi_id).flagged_factor * 100


@bp.post("/settings/<int:instansi_id>/forms")
@login_required
@roles_required(Role.HR_ADMIN, Role.SYSADMIN)
def save_forms(instansi_id: int) -> ResponseReturnValue:
    instansi = load_instansi(instansi_id)
    form = FormsForm()
    result, status = submit_form(
        form,
        lambda: settings.save_forms(
            instansi.id,
            [
                settings.FormInput(
                    str(row.code.data),
                    row.effect.data,
                    row.unit_cost.data,
                    row.jp.data,
                    bool(row.alternative.data),
                )  # fmt: skip
                for row in form.forms
            ],
        ),
    )
    if status == 303:
        flash(_("Expected effects saved."), "success")
        return redirect(url_for("optimiser.settings_page", instansi_id=instansi.id), 303)
    context = _settings_context(instansi, forms_form=form)
    return render_page("optimiser/settings.html", "forms_table", **context), status


@bp.post("/settings/<int:instansi_id>/forms/<form_code>/adopt")
@login_required
@roles_required(Role.HR_ADMIN, Role.SYSADMIN)
def adopt_effect(instansi_id: int, form_code: str) -> ResponseReturnValue:
    """Take the measured effect as one form's expected effect; its other terms stay."""
    instansi = load_instansi(instansi_id)
    if form_code not in settings.DEFAULT_FORMS:
        abort(404)
    form = AdoptForm()
    result, status = submit_form(
        form, lambda: settings.save_effect(instansi.id, form_code, form.effect.data)
    )
    if result is not None:
        flash(_("Measured effect adopted."), "success")
        return redirect(url_for("optimiser.settings_page", instansi_id=instansi.id), 303)
    context = _settings_context(instansi)
    context["adopt_errors"] = {form_code: [str(e) for e in form.effect.errors]}
    return render_page("optimiser/settings.html", "forms_table", **context), status


__all__ = ["FormRow", "bp"]
