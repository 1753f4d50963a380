"""Survey pages for HR and employees: campaigns, results and exports, My surveys.

The answering pages reached by a link (``/s/``, ``/i/``, ``/r/``) are in `answer_routes`, on
the same blueprint; importing it here registers them.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial

from flask import (
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

from app.access.guards import (
    current_principal,
    ensure,
    load_or_404,
    managed_instansi_or_403,
    roles_required,
)
from app.accounts.models import Role
from app.clock import local_today
from app.errors import ServiceError
from app.extensions import db
from app.jobs import exports as job_exports
from app.org import services as org_services
from app.surveys import (
    answer_routes,  # noqa: F401  (registers the answering pages on bp)
    authoring_routes,  # noqa: F401  (registers the authoring pages on bp)
    branding_routes,  # noqa: F401  (registers the sender name and logo pages on bp)
    services,
)
from app.surveys.blueprint import bp, lang
from app.surveys.definition import Definition
from app.surveys.forms import CampaignForm, InvitationsForm
from app.surveys.models import Audience, Campaign, CampaignStatus
from app.surveys.policy import (
    MANAGERS,
    RESULT_READERS,
    can_export,
    can_manage_campaign,
    can_view_campaign,
)
from app.surveys.services import authoring, exports
from app.web.forms import CsrfForm, apply_service_error, choices, submit_form
from app.web.htmx import render_page
from app.web.navigation import NavEntry, add_nav
from app.web.pagination import Page
from app.web.params import ID, page_arg
from app.web.qr import qr_svg_response

add_nav(
    NavEntry("surveys.my_surveys", _l("My surveys"), (Role.EMPLOYEE, Role.STAKEHOLDER), order=30),
    NavEntry("surveys.campaigns", _l("Surveys"), MANAGERS, order=40),
    NavEntry("surveys.authoring_index", _l("Survey forms"), MANAGERS, order=41),
    NavEntry("surveys.results", _l("Survey results"), RESULT_READERS, order=45),
)

# ---------------------------------------------------------------------------- my surveys


@bp.get("/my/surveys")
@login_required
def my_surveys() -> ResponseReturnValue:
    """The signed-in user's own assignments: self, each subordinate, peers, invitations."""
    items = services.my_surveys(current_principal(), current_user.email)
    tokens = services.link_tokens(item.invitation for item in items)
    links = {
        item.invitation.id: url_for(
            "surveys.answer_entry", via="i", token=tokens[item.invitation.id]
        )
        for item in items
    }
    return render_template(
        "surveys/my_surveys.html",
        items=items,
        links=links,
        role_label=services.role_label,
    )


# ---------------------------------------------------------------------------- campaigns


@bp.get("/surveys/campaigns")
@login_required
@roles_required(*MANAGERS)
def campaigns() -> ResponseReturnValue:
    """Campaigns of the HR user's instansi with response counts (three queries)."""
    items = services.visible_campaigns(current_principal())
    return render_template(
        "surveys/campaigns.html",
        campaigns=items,
        stats=services.campaign_stats([c.id for c in items]),
        audience_labels=services.AUDIENCE_LABELS,
        status_labels=services.STATUS_LABELS,
    )


@bp.get("/surveys/definitions")
@login_required
@roles_required(*MANAGERS)
def definitions() -> ResponseReturnValue:
    """The files in surveys/ with the findings of `flask surveys check`."""
    return render_template(
        "surveys/definitions.html",
        infos=services.definition_infos(),
        lang=lang(),
        kind_label=services.kind_label,
        role_label=services.role_label,
    )


def _campaign_form(instansi_id: int) -> CampaignForm:
    form = CampaignForm()
    language = lang()
    form.definition_id.choices = choices(
        (
            info.id,
            f"{info.title(language)} ({info.id})"
            if info.definition
            else f"{info.id} — {_('has errors')}",
        )
        for info in services.definition_infos()
    ) + choices(
        (version.definition_id, f"{version.title} ({version.definition_id} v{version.version})")
        for version in authoring.latest_versions(instansi_id)
    )
    form.audience.choices = choices(
        (audience.value, label) for audience, label in services.AUDIENCE_LABELS.items()
    )
    form.audience_unit_id.choices = choices(
        [(0, _("— the whole instansi —")), *org_services.unit_choices(instansi_id)]
    )
    if not form.is_submitted():
        today = local_today()
        form.cycle_year.data = form.cycle_year.data or today.year
        form.opens_on.data = form.opens_on.data or today
        form.closes_on.data = form.closes_on.data or today + timedelta(days=30)
    return form


@bp.route("/surveys/campaigns/new", methods=["GET", "POST"])
@login_required
@roles_required(*MANAGERS)
def campaign_new() -> ResponseReturnValue:
    """HR drafts a campaign; a definition with errors is refused with the checker's lines."""
    instansi = managed_instansi_or_403()
    form = _campaign_form(instansi.id)
    campaign, status = submit_form(
        form, lambda: services.create_campaign(instansi.id, _campaign_data(form), current_user.id)
    )
    if campaign is not None:  # saved (303)
        flash(_("Campaign saved as a draft. Check it, then publish it."), "success")
        return redirect(url_for("surveys.campaign_detail", campaign_id=campaign.id), 303)
    return render_page(
        "surveys/campaign_form.html", "campaign_form", form=form, instansi=instansi
    ), status


def _campaign_data(form: CampaignForm) -> services.CampaignData:
    return services.CampaignData(
        definition_id=form.definition_id.data or "",
        title=form.title.data or "",
        audience=Audience(form.audience.data),
        cycle_year=form.cycle_year.data or 0,
        opens_on=form.opens_on.data or date.min,
        closes_on=form.closes_on.data or date.min,
        anonymous=bool(form.anonymous.data),
        public_link=bool(form.public_link.data),
        audience_unit_id=form.audience_unit_id.data or None,
    )


def _invitations_form(campaign: Campaign, form: InvitationsForm | None = None) -> InvitationsForm:
    form = form or InvitationsForm()
    form.group.choices = choices(
        [
            ("", _("— none —")),
            *((code, str(label)) for code, label in services.STAKEHOLDER_GROUPS.items()),
        ]
    )
    form.unit_id.choices = choices(
        [(0, _("— not tied to a unit —")), *org_services.unit_choices(campaign.instansi_id)]
    )
    return form


def render_campaign(
    campaign: Campaign,
    status: int = 200,
    invite_form: InvitationsForm | None = None,
    action_error: str | None = None,
) -> ResponseReturnValue:
    state = request.args.get("state") or None
    page = page_arg()
    rows, total = services.invitation_rows(campaign, state, page)
    infos = {info.id: info for info in services.definition_infos()}
    public_url = (
        url_for("surveys.public_start", token=campaign.public_token, _external=True)
        if campaign.public_token
        else None
    )
    return render_page(
        "surveys/campaign.html",
        "invitation_table",
        campaign=campaign,
        definition=definition_or_404(campaign),
        file_info=infos.get(campaign.definition_id),
        stats=services.campaign_stats([campaign.id])[campaign.id],
        rows=rows,
        total=total,
        page=page,
        listing=Page(rows, total, page, services.PAGE_SIZE),
        state=state,
        public_url=public_url,
        invite_form=_invitations_form(campaign, invite_form),
        action_form=CsrfForm(),
        action_error=action_error,
        audience_labels=services.AUDIENCE_LABELS,
        status_labels=services.STATUS_LABELS,
        role_label=services.role_label,
        group_label=services.group_label,
        lang=lang(),
    ), status


def definition_or_404(campaign: Campaign) -> Definition:
    """A campaign whose definition cannot be read has nothing to show."""
    try:
        return services.campaign_definition(campaign)
    except ServiceError:
        abort(404)


def managed_campaign(campaign_id: int) -> Campaign:
    campaign = load_or_404(Campaign, campaign_id, can_view_campaign)
    ensure(can_manage_campaign(current_principal(), campaign))
    return campaign


@bp.get("/surveys/campaigns/<int:campaign_id>")
@login_required
def campaign_detail(campaign_id: int) -> ResponseReturnValue:
    """Status, public link, invitations and their progress (filtering swaps the table)."""
    return render_campaign(managed_campaign(campaign_id))


def _campaign_action(campaign_id: int, run: object, done: object) -> ResponseReturnValue:
    campaign = managed_campaign(campaign_id)
    if not CsrfForm().validate_on_submit():
        return render_campaign(campaign, 422, action_error=_("The form expired; try again."))
    try:
        result = run(campaign)  # type: ignore[operator]
    except ServiceError as error:
        db.session.rollback()
        return render_campaign(campaign, 422, action_error=str(error.message))
    flash(done(result), "success")  # type: ignore[operator]
    return redirect(url_for("surveys.campaign_detail", campaign_id=campaign.id), 303)


def _invitation_link(token: str) -> str:
    return url_for("surveys.answer_entry", via="i", token=token, _external=True)


@bp.post("/surveys/campaigns/<int:campaign_id>/publish")
@login_required
def campaign_publish(campaign_id: int) -> ResponseReturnValue:
    """Open the campaign; employees of the audience get their assignments."""
    return _campaign_action(
        campaign_id,
        services.publish_campaign,
        lambda n: _("Campaign published; %(n)d assignments created.", n=n),
    )


@bp.post("/surveys/campaigns/<int:campaign_id>/close")
@login_required
def campaign_close(campaign_id: int) -> ResponseReturnValue:
    return _campaign_action(campaign_id, services.close_campaign, lambda _n: _("Campaign closed."))


@bp.post("/surveys/campaigns/<int:campaign_id>/send")
@login_required
def campaign_send(campaign_id: int) -> ResponseReturnValue:
    """Email the invitations not sent yet."""
    return _campaign_action(
        campaign_id,
        lambda c: services.send_invitations(c, _invitation_link),
        lambda n: _("%(n)d invitations sent.", n=n),
    )


@bp.post("/surveys/campaigns/<int:campaign_id>/remind")
@login_required
def campaign_remind(campaign_id: int) -> ResponseReturnValue:
    """Remind those who have not finished (at most once per interval)."""
    return _campaign_action(
        campaign_id,
        lambda c: services.send_reminders(c, _invitation_link),
        lambda n: _("%(n)d reminders sent.", n=n),
    )


@bp.post("/surveys/campaigns/<int:campaign_id>/invitations")
@login_required
def campaign_invite(campaign_id: int) -> ResponseReturnValue:
    """Invite stakeholders by email (one per line)."""
    campaign = managed_campaign(campaign_id)
    form = _invitations_form(campaign)
    if not form.validate_on_submit():
        return render_campaign(campaign, 422, invite_form=form)
    try:
        count = services.add_invitations(
            campaign, form.lines.data or "", form.group.data or None, form.unit_id.data or None
        )
    except ServiceError as error:
        db.session.rollback()
        apply_service_error(form, error)
        return render_campaign(campaign, 422, invite_form=form)
    flash(_("%(n)d stakeholders invited. Send the invitations when ready.", n=count), "success")
    return redirect(url_for("surveys.campaign_detail", campaign_id=campaign.id), 303)


def _public_link(campaign: Campaign, unit_id: int | None) -> str:
    if not campaign.public_token:
        abort(404)
    # url_for leaves out a None value: the link without a unit
    return url_for(
        "surveys.public_start", token=campaign.public_token, _external=True, unit=unit_id or None
    )


@bp.get("/surveys/campaigns/<int:campaign_id>/qr")
@login_required
def campaign_qr(campaign_id: int) -> ResponseReturnValue:
    """A printable poster with the QR code of the public link (optionally for one unit)."""
    campaign = managed_campaign(campaign_id)
    unit_id = services.valid_unit(campaign, request.args.get("unit", type=ID))
    definition = definition_or_404(campaign)
    return render_template(
        "surveys/qr.html",
        campaign=campaign,
        link=_public_link(campaign, unit_id),
        unit_id=unit_id,
        units=org_services.unit_choices(campaign.instansi_id),
        title=definition.text(definition.title, lang()),
        description=definition.text(definition.description, lang()),
    )


@bp.get("/surveys/campaigns/<int:campaign_id>/qr.svg")
@login_required
def campaign_qr_svg(campaign_id: int) -> ResponseReturnValue:
    """The QR code as an SVG image (no inline style or script: the CSP stays strict)."""
    campaign = managed_campaign(campaign_id)
    unit_id = services.valid_unit(campaign, request.args.get("unit", type=ID))
    return qr_svg_response(_public_link(campaign, unit_id))


# ------------------------------------------------------------------------------ results


def parse_filters() -> services.ResultFilters:
    role = request.args.get("role") or None
    group = request.args.get("group") or None
    status = request.args.get("status") or None
    return services.ResultFilters(
        campaign_id=request.args.get("campaign", type=ID),
        unit_id=request.args.get("unit", type=ID),
        rater_role=role if role in services.ROLE_LABELS else None,
        group=group[:40] if group else None,
        status=status if status in ("draft", "submitted") else None,
    )


@bp.get("/surveys/results")
@login_required
@roles_required(*RESULT_READERS)
def results() -> ResponseReturnValue:
    """Responses with filters and per-question summaries; small groups stay hidden."""
    principal = current_principal()
    filters = parse_filters()
    campaigns_list, units = services.filter_options(principal)
    campaign = next((c for c in campaigns_list if c.id == filters.campaign_id), None)
    if campaign is None:
        filters.campaign_id = None
    if filters.unit_id is not None and filters.unit_id not in {u.id for u in units}:
        filters.unit_id = None
    page = page_arg()
    rows, total = services.responses_page(principal, filters, page)
    summary = None
    if campaign is not None:
        definition_or_404(campaign)
        summary = services.summarize(principal, campaign, filters, lang())
    return render_page(
        "surveys/results.html",
        "results_body",
        filters=filters,
        campaigns=campaigns_list,
        units=units,
        campaign=campaign,
        summary=summary,
        rows=rows,
        total=total,
        page=page,
        listing=Page(rows, total, page, services.PAGE_SIZE),
        can_export=bool(campaign and can_export(principal, campaign)),
        role_label=services.role_label,
        group_label=services.group_label,
        roles=services.ROLE_LABELS,
        groups=services.STAKEHOLDER_GROUPS,
        status_labels=services.STATUS_LABELS,
    )


@bp.get("/surveys/results/export.<fmt>")
@login_required
@roles_required(*RESULT_READERS)
def export(fmt: str) -> ResponseReturnValue:
    """Submitted responses of one campaign as CSV (streamed) or XLSX (constant memory); a large
    one is written by a job."""
    if fmt not in ("csv", "xlsx"):
        abort(404)
    return job_exports.respond("surveys.results_export", fmt)


@job_exports.builder("surveys.results_export")
def results_export(fmt: str) -> job_exports.Export:
    filters = parse_filters()
    if filters.campaign_id is None:
        abort(404)
    campaign = load_or_404(Campaign, filters.campaign_id, can_view_campaign)
    principal = current_principal()
    ensure(can_export(principal, campaign))
    if campaign.status == CampaignStatus.DRAFT:
        abort(404)
    definition = definition_or_404(campaign)
    name = f"{campaign.definition_id}-{campaign.id}"
    repeat = request.args.get("repeat", "")
    count = partial(exports.export_count, principal, campaign, filters)
    if fmt == "csv":
        if repeat:  # long format: one row per instance of a repeated page
            if repeat not in {page.id for page in definition.repeat_pages}:
                abort(404)
            header, batches = exports.repeat_csv(principal, campaign, definition, repeat, filters)
            name = f"{name}-{repeat}"
        else:
            header, batches = exports.csv_rows(principal, campaign, filters, lang())
        return job_exports.Export(
            name, fmt, count, header, lambda: batches, instansi_id=campaign.instansi_id
        )
    return job_exports.Export(
        name,
        fmt,
        count,
        xlsx=lambda: exports.write_xlsx(principal, campaign, filters, lang()),
        instansi_id=campaign.instansi_id,
    )
