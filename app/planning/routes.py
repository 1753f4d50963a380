"""Pages of the development plan: list, drafting, the plan with its items, item editing,
budget lines, providers and settings. Lifecycle and documents live in `routes_lifecycle.py`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Blueprint, abort, flash, g, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from app import jobs
from app.access.guards import current_principal, ensure, roles_required
from app.accounts.models import Role
from app.clock import local_today
from app.errors import ServiceError
from app.evaluation.feeds import review_flags
from app.extensions import db
from app.org.models import Instansi, OrgUnit, Position
from app.org.services import manageable_instansi
from app.planning import lifecycle, publishing, queries, services
from app.planning.audit import PlanActor
from app.planning.forms import (
    AdoptForm,
    CommentForm,
    CountTargetForm,
    DraftForm,
    ItemForm,
    LineForm,
    MergeForm,
    ProviderForm,
    ReviseForm,
    SettingsForm,
    StatusForm,
    TargetsForm,
    conformity,
    conformity_value,
)
from app.planning.labels import MONTHS, plan_label
from app.planning.models import (
    FORM_VALUES,
    SOURCE_VALUES,
    ActorCapacity,
    BudgetLine,
    FundingSource,
    Plan,
    PlanItem,
    PlanSettings,
    Provider,
    Revision,
)
from app.planning.policy import (
    acts_for_ppk,
    adoption_refusal,
    can_manage_plans,
    can_view_plan,
    plan_scope,
)
from app.training.labels import label as training_label
from app.training.models import TrainingForm
from app.training.policy import Acting, acting_for
from app.web.forms import BaseForm, choices, submit_form
from app.web.htmx import render_page
from app.web.navigation import NavEntry, add_nav
from app.web.params import ID

T = TypeVar("T")

bp = Blueprint("planning", __name__, url_prefix="/planning")

add_nav(
    NavEntry(
        "planning.index",
        _l("Development plan"),
        (Role.HR_ADMIN, Role.UNIT_HEAD, Role.SYSADMIN),
        order=40,
    ),
)


@bp.app_template_global("plan_label")
def _plan_label(value: object) -> object:
    return plan_label(value)


@bp.app_template_global("form_label")
def _form_label(value: str | None) -> object:
    return training_label(TrainingForm(value)) if value in FORM_VALUES else (value or "")


@bp.app_template_global("source_label")
def _source_label(value: str | None) -> object:
    if value in SOURCE_VALUES:
        return plan_label(FundingSource(value))
    return _("No budget line")


@bp.app_template_global("month_label")
def _month_label(month: int | None) -> object:
    return MONTHS[month - 1] if month and 1 <= month <= 12 else ""


# ---- helpers ------------------------------------------------------------------------------


def acting() -> Acting:
    value = g.get("planning_acting")
    if value is None:
        value = acting_for(current_principal(), local_today())
        g.planning_acting = value
    return value


def settings_of(instansi_id: int) -> PlanSettings:
    cache = g.setdefault("planning_settings", {})
    if instansi_id not in cache:
        cache[instansi_id] = services.settings_for(instansi_id)
    return cache[instansi_id]


def actor(instansi_id: int | None = None) -> PlanActor:
    """The signed-in user; for the PPK's position, the capacity they act in."""
    user = current_user._get_current_object()
    if instansi_id is not None:
        role = acting().role_for(settings_of(instansi_id).ppk_position_id)
        if role is not None and not can_manage_plans(current_principal(), instansi_id):
            return PlanActor(
                user.id,
                user.display_name,
                ActorCapacity(role.capacity.value),
                role.position_id,
                role.position_name or _position_name(role.position_id),
                role.delegation_id,
            )
    return PlanActor(user.id, user.display_name, ActorCapacity.HR)


def _position_name(position_id: int) -> str:
    position = db.session.get(Position, position_id)
    return position.name if position else ""


def load_plan(plan_id: int) -> Plan:
    plan = db.session.get(Plan, plan_id)
    if plan is None or not can_view_plan(
        acting(), plan, settings_of(plan.instansi_id).ppk_position_id
    ):
        abort(404)
    return plan


def load_revision(revision_id: int) -> Revision:
    revision = db.session.get(Revision, revision_id)
    if revision is None:
        abort(404)
    load_plan(revision.plan_id)
    return revision


def load_item(item_id: int) -> tuple[PlanItem, Revision]:
    item = db.session.get(PlanItem, item_id)
    if item is None:
        abort(404)
    return item, load_revision(item.revision_id)


def can_edit(plan: Plan) -> bool:
    return can_manage_plans(current_principal(), plan.instansi_id)


def require_edit(plan: Plan) -> None:
    ensure(can_edit(plan))


def ppk_instansi_ids() -> set[int]:
    """Instansi whose adopting position the user holds or acts for."""
    ids = {role.position_id for role in acting().roles}
    if not ids:
        return set()
    return set(
        db.session.scalars(
            select(PlanSettings.instansi_id).where(PlanSettings.ppk_position_id.in_(ids))
        )
    )


def _selected_revision(plan: Plan) -> Revision:
    revisions = services.revisions_of(plan.id)
    if not revisions:
        abort(404)
    wanted = request.args.get("revision", type=ID)
    chosen = next((r for r in revisions if r.number == wanted), None)
    return chosen or revisions[-1]


# ---- list and drafting --------------------------------------------------------------------


@bp.get("/")
@login_required
@roles_required(Role.HR_ADMIN, Role.UNIT_HEAD, Role.SYSADMIN, Role.EMPLOYEE)
def index() -> ResponseReturnValue:
    """Plans the user may see; HR drafts a new one."""
    ppk_ids = ppk_instansi_ids()
    principal = current_principal()
    if not (principal.has(Role.HR_ADMIN, Role.UNIT_HEAD, Role.SYSADMIN) or ppk_ids):
        abort(403)
    options = manageable_instansi(principal)
    form = DraftForm(formdata=None)
    form.instansi_id.choices = choices((i.id, i.name) for i in options)
    form.year.data = local_today().year + 1
    return render_page(
        "planning/index.html",
        "plan_list",
        rows=queries.plan_list(plan_scope(acting(), ppk_ids)),
        form=form,
        can_draft=bool(options),
    )


@bp.post("/draft")
@login_required
@roles_required(Role.HR_ADMIN, Role.SYSADMIN)
def draft() -> ResponseReturnValue:
    """Build or refresh the draft of an instansi's plan for a year."""
    options = manageable_instansi(current_principal())
    form = DraftForm()
    form.instansi_id.choices = choices((i.id, i.name) for i in options)
    ensure(bool(options))
    job, status = submit_form(
        form,
        lambda: publishing.request_draft(
            int(form.instansi_id.data or 0), int(form.year.data or 0), actor()
        ),
    )
    if job is not None:
        return job_redirect(job)
    return render_page(
        "planning/index.html",
        "plan_list",
        rows=queries.plan_list(plan_scope(acting(), ppk_instansi_ids())),
        form=form,
        can_draft=True,
    ), status


@bp.post("/<int:plan_id>/refresh")
@login_required
def refresh(plan_id: int) -> ResponseReturnValue:
    """Refresh the draft from the needs; HR's edits stay, the changes are listed."""
    plan = load_plan(plan_id)
    require_edit(plan)
    try:
        job = publishing.request_draft(plan.instansi_id, plan.year, actor())
    except ServiceError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("planning.plan", plan_id=plan.id), 303)
    return job_redirect(job)


def job_redirect(job: jobs.Job) -> ResponseReturnValue:
    """To the job's result when it is already done (no broker), else to its progress page."""
    db.session.refresh(job)
    result = job.result or {}
    if job.state == jobs.JobState.SUCCEEDED and result.get("url"):
        if result.get("summary"):
            flash(str(result["summary"]), "success")
        return redirect(result["url"], 303)
    return redirect(jobs.progress_url(job), 303)


# ---- the plan page ------------------------------------------------------------------------


def _filters() -> queries.PlanFilters:
    args = request.args
    status = args.get("status", "")
    return queries.PlanFilters(
        status=status if status in ("active", "dropped", "deferred") else "",
        incomplete=args.get("incomplete") == "1",
        search=(args.get("q") or "")[:100],
        competency=(args.get("competency") or "")[:30],
        page=min(max(args.get("page", default=1, type=int) or 1, 1), 10_000),
    )


@bp.get("/<int:plan_id>")
@login_required
def plan(plan_id: int) -> ResponseReturnValue:
    """The plan: totals, completeness, budget lines, what the last refresh changed, items."""
    plan = load_plan(plan_id)
    revision = _selected_revision(plan)
    filters = _filters()
    view = queries.plan_view(revision, filters)
    return render_page(
        "planning/plan.html",
        "item_table",
        view=view,
        filters=filters,
        can_edit=can_edit(plan) and revision.editable,
        is_hr=can_edit(plan),
        ppk=acts_for_ppk(acting(), settings_of(plan.instansi_id).ppk_position_id),
        action_form=CommentForm(formdata=None, version=revision.version),
        revise_form=ReviseForm(formdata=None),
        rupiah=services.rupiah,
        part_labels=services.PART_LABELS,
        part_field=services.PART_FIELD,
    )


@bp.get("/revisions/<int:revision_id>/check")
@login_required
def check(revision_id: int) -> ResponseReturnValue:
    """What stops the plan from being submitted: missing contents and over-spent lines."""
    revision = load_revision(revision_id)
    return render_page(
        "planning/check.html",
        "check_list",
        revision=revision,
        plan=revision.plan,
        gaps=services.incomplete_items(revision.id),
        over=services.budget_problems(revision.id),
        is_hr=can_edit(revision.plan),
        flagged=queries.flagged_rows(
            queries.item_rows(revision, services.competency_labels(revision.plan.instansi_id))
        ),
        part_labels=services.PART_LABELS,
        part_field=services.PART_FIELD,
        rupiah=services.rupiah,
    )


# ---- items --------------------------------------------------------------------------------


def _item_form_choices(form: ItemForm, revision: Revision) -> None:
    instansi_id = revision.plan.instansi_id
    labels = services.competency_labels(instansi_id)
    form.competency_code.choices = choices(
        [("", _("Choose…")), *((code, f"{code} {names[0]}") for code, names in labels.items())]
    )
    form.provider_id.choices = choices(
        [("", _("Choose…")), *((p.id, p.name) for p in services.providers_of(instansi_id))]
    )
    form.budget_line_id.choices = choices(
        [
            ("", _("No budget line")),
            *(
                (line.id, f"{line.code} {line.name} ({plan_label(line.source)})".strip())
                for line in services.lines_of(revision.id)
            ),
        ]
    )


def _item_data(form: ItemForm) -> services.ItemData:
    return services.ItemData(
        title=form.title.data or "",
        competency_code=form.competency_code.data or None,
        form=form.form.data or None,
        provider_id=form.provider_id.data,
        schedule_month=form.schedule_month.data,
        start_date=form.start_date.data,
        end_date=form.end_date.data,
        curriculum_conform=conformity(form.curriculum_conform.data),
        curriculum_note=form.curriculum_note.data or "",
        jp=form.jp.data,
        unit_cost=form.unit_cost.data,
        budget_line_id=form.budget_line_id.data,
        note=form.note.data or "",
    )


def _fill_item_form(form: ItemForm, item: PlanItem) -> None:
    for name in services.EDIT_FIELDS:
        if name == "curriculum_conform":
            form.curriculum_conform.data = conformity_value(item.curriculum_conform)
        else:
            getattr(form, name).data = getattr(item, name)
    form.version.data = item.version


def _item_page(
    item: PlanItem, revision: Revision, form: ItemForm, conflict: object = None, **extra: BaseForm
) -> str:
    plan = revision.plan
    labels = services.competency_labels(plan.instansi_id)
    status_form = extra.pop("status_form", None) or StatusForm(formdata=None, version=item.version)
    targets_form = extra.pop("targets_form", None) or TargetsForm(
        formdata=None, version=item.version
    )
    count_form = extra.pop("count_form", None) or CountTargetForm(
        formdata=None, version=item.version
    )
    merge_form = extra.pop("merge_form", None) or MergeForm(formdata=None, version=item.version)
    units = list(
        db.session.execute(
            select(OrgUnit.id, OrgUnit.name, OrgUnit.depth)
            .where(OrgUnit.instansi_id == plan.instansi_id)
            .order_by(OrgUnit.path)
        )
    )
    count_form.org_unit_id.choices = choices(
        [("", _("Choose…")), *((u, "· " * d + n) for u, n, d in units)]
    )
    count_form.position_id.choices = choices(
        [("", _("Any position")), *(
            (p, f"{n} — {u}")
            for p, n, u in db.session.execute(
                select(Position.id, Position.name, OrgUnit.name)
                .join(OrgUnit, OrgUnit.id == Position.org_unit_id)
                .where(Position.instansi_id == plan.instansi_id)
                .order_by(OrgUnit.name, Position.name)
                .limit(3000)
            )
        )]
    )  # fmt: skip
    merge_form.other_id.choices = choices(queries.merge_choices(revision.id, item, labels))
    return render_page(
        "planning/item.html",
        "item_form",
        item=item,
        revision=revision,
        plan=plan,
        form=form,
        conflict=conflict,
        status_form=status_form,
        targets_form=targets_form,
        count_form=count_form,
        merge_form=merge_form,
        title=services.display_title(item.title, item.competency_code, item.form, labels),
        missing=services.missing_parts(item),
        flag=review_flags([item.program_id] if item.program_id else []).get(item.program_id or 0),
        targets=services.targets_of(item.id, limit=500),
        history=queries.item_history(item.id),
        editable=revision.editable and can_edit(plan),
        is_hr=can_edit(plan),
        part_labels=services.PART_LABELS,
        part_field=services.PART_FIELD,
        rupiah=services.rupiah,
    )


@bp.route("/items/<int:item_id>", methods=["GET", "POST"])
@login_required
def item(item_id: int) -> ResponseReturnValue:
    """An item's seven contents; saving checks nobody changed it meanwhile (409 otherwise)."""
    item, revision = load_item(item_id)
    form = ItemForm()
    _item_form_choices(form, revision)
    if request.method == "POST":
        require_edit(revision.plan)
    else:
        _fill_item_form(form, item)
    saved, status = submit_form(
        form,
        lambda: remember_conflict(
            lambda: services.save_item(revision, item, _item_data(form), form.version.data, actor())
        ),
    )
    if saved is not None:
        flash(_("Item saved."), "success")
        return redirect(url_for("planning.item", item_id=item_id), 303)
    conflict = None
    if status == 409:
        db.session.expire_all()
        item = db.session.get(PlanItem, item_id) or abort(404)
        conflict = g.pop("planning_conflict", None)
        form.version.data = item.version
    return _item_page(item, revision, form, conflict), status


def remember_conflict(run: Callable[[], T]) -> T:
    """Run a service call; a 409 keeps its details (who changed what) for the page."""
    try:
        return run()
    except services.Conflict as conflict:
        g.planning_conflict = conflict
        raise


@bp.route("/revisions/<int:revision_id>/items/new", methods=["GET", "POST"])
@login_required
def item_create(revision_id: int) -> ResponseReturnValue:
    """HR adds an item the needs did not produce (its targets are added on its page)."""
    revision = load_revision(revision_id)
    require_edit(revision.plan)
    form = ItemForm()
    _item_form_choices(form, revision)
    created, status = submit_form(
        form, lambda: services.save_item(revision, None, _item_data(form), None, actor())
    )
    if created is not None:
        flash(_("Item added; now add its targets."), "success")
        return redirect(url_for("planning.item", item_id=created.id), 303)
    return render_page(
        "planning/item_new.html", "item_new_form", form=form, revision=revision, plan=revision.plan
    ), status


def _item_action(item_id: int, form_class: type[BaseForm], run) -> ResponseReturnValue:
    """Shared path of the item's small forms: check, run, redirect or re-render with status."""
    item, revision = load_item(item_id)
    require_edit(revision.plan)
    form = form_class()
    if form_class is MergeForm:
        form.other_id.choices = []
    done, status = submit_form(form, lambda: remember_conflict(lambda: run(item, revision, form)))
    if status == 303:
        flash(_("Saved."), "success")
        target = done if isinstance(done, str) else url_for("planning.item", item_id=item_id)
        return redirect(target, 303)
    db.session.expire_all()
    current = db.session.get(PlanItem, item_id)
    if current is None:
        flash(_("This item no longer exists; it was merged or removed."), "error")
        return redirect(url_for("planning.plan", plan_id=revision.plan_id), 303)
    fresh = ItemForm(formdata=None)
    _item_form_choices(fresh, revision)
    _fill_item_form(fresh, current)
    key = {
        StatusForm: "status_form",
        TargetsForm: "targets_form",
        CountTargetForm: "count_form",
        MergeForm: "merge_form",
    }[form_class]
    conflict = g.pop("planning_conflict", None)
    return _item_page(current, revision, fresh, conflict, **{key: form}), status


@bp.post("/items/<int:item_id>/status")
@login_required
def item_status(item_id: int) -> ResponseReturnValue:
    """Drop, move to next year (with a reason) or restore."""
    return _item_action(
        item_id,
        StatusForm,
        lambda item, revision, form: services.set_item_status(
            revision, item, form.status.data, form.reason.data or "", form.version.data, actor()
        ),
    )


@bp.post("/items/<int:item_id>/targets")
@login_required
def item_targets(item_id: int) -> ResponseReturnValue:
    """Remove the selected targets, or split them off into a new item."""

    def run(item: PlanItem, revision: Revision, form: TargetsForm) -> object:
        ids = [int(i) for i in (form.targets.data or [])]
        if form.action.data == "split":
            new = services.split_item(revision, item, ids, form.version.data, actor())
            return url_for("planning.item", item_id=new.id)
        return services.remove_targets(revision, item, ids, form.version.data, actor())

    return _item_action(item_id, TargetsForm, run)


@bp.post("/items/<int:item_id>/targets/add")
@login_required
def item_target_add(item_id: int) -> ResponseReturnValue:
    """A target given as a count of employees of a unit and position."""
    return _item_action(
        item_id,
        CountTargetForm,
        lambda item, revision, form: services.add_count_target(
            revision, item, form.org_unit_id.data, form.position_id.data, form.headcount.data,
            form.version.data, actor(),
        ),
    )  # fmt: skip


@bp.post("/items/<int:item_id>/merge")
@login_required
def item_merge(item_id: int) -> ResponseReturnValue:
    """Merge another item into this one."""
    return _item_action(
        item_id,
        MergeForm,
        lambda item, revision, form: services.merge_items(
            revision, item, form.other_id.data, form.version.data, actor()
        ),
    )


# ---- budget lines -------------------------------------------------------------------------


def _line_form(revision: Revision, form: LineForm) -> None:
    form.org_unit_id.choices = choices(
        [("", _("The whole instansi")), *(
            (u, n)
            for u, n in db.session.execute(
                select(OrgUnit.id, OrgUnit.name)
                .where(OrgUnit.instansi_id == revision.plan.instansi_id, OrgUnit.parent_id.is_(None))
                .order_by(OrgUnit.name)
            )
        )]
    )  # fmt: skip


def _line_data(form: LineForm) -> services.LineData:
    return services.LineData(
        name=form.name.data or "",
        code=form.code.data or "",
        source=form.source.data or "",
        amount=form.amount.data,
        org_unit_id=form.org_unit_id.data,
    )


@bp.route("/revisions/<int:revision_id>/lines/new", methods=["GET", "POST"])
@login_required
def line_create(revision_id: int) -> ResponseReturnValue:
    """Add a budget line, e.g. one funded by a partner."""
    revision = load_revision(revision_id)
    require_edit(revision.plan)
    form = LineForm()
    _line_form(revision, form)
    saved, status = submit_form(
        form, lambda: services.save_line(revision, _line_data(form), actor())
    )
    if saved is not None:
        flash(_("Budget line saved."), "success")
        return redirect(url_for("planning.plan", plan_id=revision.plan_id) + "#budget-lines", 303)
    return render_page(
        "planning/line_form.html", "line_form", form=form, revision=revision, line=None
    ), status


@bp.route("/lines/<int:line_id>", methods=["GET", "POST"])
@login_required
def line_edit(line_id: int) -> ResponseReturnValue:
    line = db.session.get(BudgetLine, line_id)
    if line is None:
        abort(404)
    revision = load_revision(line.revision_id)
    require_edit(revision.plan)
    form = LineForm(obj=line if request.method == "GET" else None)
    if request.method == "GET":
        form.source.data = line.source.value
    _line_form(revision, form)
    saved, status = submit_form(
        form, lambda: services.save_line(revision, _line_data(form), actor(), line)
    )
    if saved is not None:
        flash(_("Budget line saved."), "success")
        return redirect(url_for("planning.plan", plan_id=revision.plan_id) + "#budget-lines", 303)
    return render_page(
        "planning/line_form.html", "line_form", form=form, revision=revision, line=line
    ), status


# ---- providers and settings ---------------------------------------------------------------


def _managed(wanted: int | None = None) -> tuple[Instansi, list[Instansi]]:
    options = manageable_instansi(current_principal())
    if not options:
        abort(403)
    chosen = next((i for i in options if i.id == wanted), None) if wanted else None
    return chosen or options[0], options


@bp.get("/providers")
@login_required
@roles_required(Role.HR_ADMIN, Role.SYSADMIN)
def providers() -> ResponseReturnValue:
    """The provider register: the instansi itself, BPSDM/LAN, universities, private partners."""
    instansi, options = _managed(request.args.get("instansi", type=ID))
    return render_page(
        "planning/providers.html",
        "provider_table",
        instansi=instansi,
        options=options,
        providers=services.providers_of(instansi.id),
    )


def _provider_data(form: ProviderForm) -> services.ProviderData:
    return services.ProviderData(
        name=form.name.data or "",
        kind=form.kind.data or "",
        contact_name=form.contact_name.data or "",
        email=form.email.data or "",
        phone=form.phone.data or "",
        address=form.address.data or "",
        accredited=bool(form.accredited.data),
        note=form.note.data or "",
        active=bool(form.active.data),
    )


@bp.route("/providers/new", methods=["GET", "POST"])
@login_required
@roles_required(Role.HR_ADMIN, Role.SYSADMIN)
def provider_create() -> ResponseReturnValue:
    instansi, _options = _managed(request.args.get("instansi", type=ID))
    form = ProviderForm()
    saved, status = submit_form(
        form, lambda: services.save_provider(instansi.id, _provider_data(form))
    )
    if saved is not None:
        flash(_("Provider saved."), "success")
        return redirect(url_for("planning.providers", instansi=instansi.id), 303)
    return render_page(
        "planning/provider_form.html", "provider_form", form=form, instansi=instansi, provider=None
    ), status


@bp.route("/providers/<int:provider_id>", methods=["GET", "POST"])
@login_required
@roles_required(Role.HR_ADMIN, Role.SYSADMIN)
def provider_edit(provider_id: int) -> ResponseReturnValue:
    provider = db.session.get(Provider, provider_id)
    if provider is None or not can_manage_plans(current_principal(), provider.instansi_id):
        abort(404)
    form = ProviderForm(obj=provider if request.method == "GET" else None)
    if request.method == "GET":
        form.kind.data = provider.kind.value
    instansi = db.session.get(Instansi, provider.instansi_id)
    saved, status = submit_form(
        form, lambda: services.save_provider(provider.instansi_id, _provider_data(form), provider)
    )
    if saved is not None:
        flash(_("Provider saved."), "success")
        return redirect(url_for("planning.providers", instansi=provider.instansi_id), 303)
    return render_page(
        "planning/provider_form.html",
        "provider_form",
        form=form,
        instansi=instansi,
        provider=provider,
    ), status


@bp.route("/settings", methods=["GET", "POST"])
@login_required
@roles_required(Role.HR_ADMIN, Role.SYSADMIN)
def settings() -> ResponseReturnValue:
    """Who adopts the plan for the PPK, and the signature block."""
    instansi, options = _managed(request.args.get("instansi", type=ID))
    current = services.settings_for(instansi.id)
    form = SettingsForm(obj=current if request.method == "GET" else None)
    form.ppk_position_id.choices = choices(
        [("", _("Not set")), *services.position_choices(instansi.id)]
    )
    saved, status = submit_form(
        form,
        lambda: services.save_settings(
            instansi.id,
            form.ppk_position_id.data,
            form.signatory_name.data or "",
            form.signatory_nip.data or "",
            form.place.data or "",
        ),
    )
    if saved is not None:
        flash(_("Plan settings saved."), "success")
        return redirect(url_for("planning.settings", instansi=instansi.id), 303)
    return render_page(
        "planning/settings.html",
        "settings_form",
        form=form,
        instansi=instansi,
        options=options,
    ), status


# ---- lifecycle ----------------------------------------------------------------------------


def _transition(
    revision_id: int, run, message: object, hr_only: bool = True
) -> ResponseReturnValue:
    """A lifecycle button: run the transition, flash the outcome, back to the plan."""
    revision = load_revision(revision_id)
    plan = revision.plan
    if hr_only:
        require_edit(plan)
    form = CommentForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        run(revision, form)
    except ServiceError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return render_page(
            "planning/refused.html", "refusal", revision=revision, plan=plan, message=error.message
        ), error.status
    flash(str(message), "success")
    return redirect(url_for("planning.plan", plan_id=plan.id, revision=revision.number), 303)


@bp.post("/revisions/<int:revision_id>/review")
@login_required
def send_to_review(revision_id: int) -> ResponseReturnValue:
    """HR sends a complete draft to the BKPSDM review."""
    return _transition(
        revision_id,
        lambda r, f: lifecycle.send_to_review(r, f.version.data, actor()),
        _("Sent for BKPSDM review."),
    )


@bp.post("/revisions/<int:revision_id>/submit")
@login_required
def submit_to_ppk(revision_id: int) -> ResponseReturnValue:
    """The review passes: the plan goes to the PPK."""
    return _transition(
        revision_id,
        lambda r, f: lifecycle.submit_to_ppk(r, f.version.data, actor()),
        _("Submitted to the PPK."),
    )


@bp.post("/revisions/<int:revision_id>/return")
@login_required
def return_plan(revision_id: int) -> ResponseReturnValue:
    """Back with comments: by BKPSDM during review, or by the PPK (also an acting one)."""
    revision = load_revision(revision_id)
    ppk = acts_for_ppk(acting(), settings_of(revision.plan.instansi_id).ppk_position_id)
    ensure(can_edit(revision.plan) or ppk)
    return _transition(
        revision_id,
        lambda r, f: lifecycle.return_plan(
            r, f.version.data, f.comment.data or "", actor(r.plan.instansi_id)
        ),
        _("The plan was returned with your comments."),
        hr_only=False,
    )


@bp.route("/revisions/<int:revision_id>/adopt", methods=["GET", "POST"])
@login_required
def adopt(revision_id: int) -> ResponseReturnValue:
    """The PPK adopts the submitted plan with the decree number and date; a Plt/Plh is refused."""
    revision = load_revision(revision_id)
    plan = revision.plan
    ppk_position = settings_of(plan.instansi_id).ppk_position_id
    ensure(acts_for_ppk(acting(), ppk_position))
    form = AdoptForm()
    if request.method == "GET":
        form.version.data = revision.version
        form.decree_date.data = local_today()
    _done, status = submit_form(
        form,
        lambda: lifecycle.adopt(
            revision,
            form.version.data,
            acting(),
            form.decree_number.data or "",
            form.decree_date.data,
            actor(plan.instansi_id),
        ),
    )
    if status == 303:
        flash(_("The plan is adopted."), "success")
        return redirect(url_for("planning.plan", plan_id=plan.id, revision=revision.number), 303)
    return render_page(
        "planning/adopt.html",
        "adopt_form",
        form=form,
        revision=revision,
        plan=plan,
        refusal=adoption_refusal(acting(), ppk_position),
    ), status


@bp.post("/<int:plan_id>/revise")
@login_required
def revise(plan_id: int) -> ResponseReturnValue:
    """Open a numbered revision (perubahan) of the adopted plan."""
    plan = load_plan(plan_id)
    require_edit(plan)
    form = ReviseForm()
    if not form.validate_on_submit():
        flash(_("Say why the adopted plan changes."), "error")
        return redirect(url_for("planning.plan", plan_id=plan.id), 303)
    try:
        revision = lifecycle.open_revision(plan, form.reason.data or "", actor())
    except ServiceError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("planning.plan", plan_id=plan.id), 303)
    flash(_("Revision %(n)d opened.", n=revision.number), "success")
    return redirect(url_for("planning.plan", plan_id=plan.id, revision=revision.number), 303)


@bp.get("/revisions/<int:revision_id>/diff")
@login_required
def diff(revision_id: int) -> ResponseReturnValue:
    """What a revision changes against the one before it."""
    revision = load_revision(revision_id)
    previous, changes = lifecycle.diff(revision)
    return render_page(
        "planning/diff.html",
        "diff_table",
        revision=revision,
        plan=revision.plan,
        previous=previous,
        changes=changes,
    )


# The plan's other pages register on the same blueprint.
from app.planning import routes_documents  # noqa: E402, F401
