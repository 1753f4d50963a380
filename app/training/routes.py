"""Pages of the catalogue, nominations, the approver's inbox, delegations, budget and roster."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.access.guards import current_principal, ensure, roles_required
from app.accounts.models import Role
from app.clock import local_today
from app.errors import ServiceError
from app.extensions import db
from app.org.models import Employee, Instansi
from app.org.services import manageable_instansi
from app.training import certificates, plan_links, queries, services, workflow
from app.training.forms import (
    BudgetForm,
    BulkApproveForm,
    CertificatePatternForm,
    ChainForm,
    DecisionForm,
    DelegationForm,
    EventForm,
    NeedsNominateForm,
    NominateForm,
    ParticipationForm,
    ProgramForm,
    ReviseForm,
    RosterBulkForm,
    WithdrawForm,
)
from app.training.labels import label, pairs
from app.training.models import (
    Attendance,
    Completion,
    Delegation,
    DelegationKind,
    Nomination,
    NominationState,
    Participation,
    RejectReason,
    TrainingEvent,
    TrainingForm,
    TrainingProgram,
)
from app.training.policy import (
    Acting,
    acting_for,
    allocation_refusal,
    can_allocate_somewhere,
    can_manage_catalogue,
    can_manage_chain,
    can_manage_delegations,
    can_nominate_from_needs,
    can_revise,
    can_view_budget,
    can_view_nomination,
    can_view_program,
    decision_capacity,
    is_nominee,
)
from app.training.workflow import Actor, Decision, TransitionRefused, actor_for_user
from app.web.forms import apply_service_error, choices, filled, submit_form
from app.web.htmx import is_partial, render_page
from app.web.navigation import NavEntry, add_nav
from app.web.params import ID, YEAR, page_arg
from app.web.pdf import PDF_MIMETYPE, template_to_pdf
from app.web.urls import safe_next

bp = Blueprint("training", __name__, url_prefix="/training")

BROWSE = (Role.EMPLOYEE, Role.HR_ADMIN, Role.SYSADMIN)
APPROVERS = (Role.EMPLOYEE, Role.HR_ADMIN)

add_nav(
    NavEntry("training.programs", _l("Training catalogue"), BROWSE, order=30),
    NavEntry("training.nominations", _l("Nominations"), (Role.EMPLOYEE, Role.HR_ADMIN), order=31),
    NavEntry(
        "training.inbox",
        _l("Training approvals"),
        (Role.SUPERVISOR, Role.UNIT_HEAD, Role.HR_ADMIN),
        order=32,
    ),
    NavEntry("training.budget", _l("Training budget"), (Role.UNIT_HEAD, Role.HR_ADMIN), order=70),
    NavEntry("training.delegations", _l("Acting officials"), (Role.HR_ADMIN,), order=75),
    NavEntry("training.chain", _l("Approval chain"), (Role.HR_ADMIN, Role.SYSADMIN), order=76),
    NavEntry(
        "training.certificate_settings",
        _l("Certificate numbering"),
        (Role.HR_ADMIN, Role.SYSADMIN),
        order=77,
    ),
)


@bp.app_template_global("label")
def _label(value: object) -> object:
    return label(value)


def acting() -> Acting:
    """The positions the user holds or acts for today, computed once per request."""
    value = g.get("training_acting")
    if value is None:
        value = acting_for(current_principal(), local_today())
        g.training_acting = value
    return value


def actor() -> Actor:
    return actor_for_user(current_user._get_current_object(), current_principal())


def load_program(program_id: int) -> TrainingProgram:
    program = db.session.get(TrainingProgram, program_id)
    if program is None or not can_view_program(current_principal(), program):
        abort(404)
    return program


def load_event(event_id: int) -> TrainingEvent:
    event = db.session.get(TrainingEvent, event_id)
    if event is None or not can_view_program(current_principal(), event.program):
        abort(404)
    return event


def load_nomination(nomination_id: int) -> Nomination:
    """Unknown ids and nominations outside the user's scope both answer 404."""
    nomination = db.session.get(Nomination, nomination_id)
    if nomination is None or not can_view_nomination(
        acting(), nomination, queries.step_positions(nomination.id)
    ):
        abort(404)
    return nomination


def instansi_choices() -> list[Instansi]:
    options = manageable_instansi(current_principal())
    if not options:
        abort(403)
    return options


# ---- catalogue -----------------------------------------------------------------------------


@bp.get("/programs")
@login_required
@roles_required(*BROWSE)
def programs() -> ResponseReturnValue:
    """The catalogue: search by title, code or competency code; filter by form."""
    search = request.args.get("q", "")[:100]
    form = request.args.get("form", "")[:30]
    page = page_arg()
    return render_page(
        "training/programs.html",
        "program_table",
        result=queries.programs(current_principal(), search, form, page),
        search=search,
        form_filter=form,
        form_choices=pairs(TrainingForm),
        can_manage=bool(manageable_instansi(current_principal())),
    )


def _program_data(form: ProgramForm) -> services.ProgramData:
    return services.ProgramData(
        code=form.code.data or "",
        title=form.title.data or "",
        form=form.form.data or "",
        jp=float(form.jp.data or 0),
        provider_kind=form.provider_kind.data or "",
        provider_name=form.provider_name.data or "",
        cost_per_participant=int(form.cost_per_participant.data or 0),
        competencies=form.competencies.data or "",
        description=form.description.data or "",
        active=bool(form.active.data),
    )


@bp.route("/programs/new", methods=["GET", "POST"])
@login_required
@roles_required(Role.HR_ADMIN, Role.SYSADMIN)
def program_create() -> ResponseReturnValue:
    """HR adds a catalogue entry for its instansi."""
    options = instansi_choices()
    form = ProgramForm()
    form.instansi_id.choices = choices((i.id, i.name) for i in options)

    def save() -> TrainingProgram:
        ensure(can_manage_catalogue(current_principal(), form.instansi_id.data))
        return services.save_program(form.instansi_id.data, _program_data(form))

    program, status = submit_form(form, save)
    if program is not None:  # saved (303)
        flash(_("Program saved."), "success")
        return redirect(url_for("training.program_detail", program_id=program.id), 303)
    return render_page(
        "training/program_form.html", "program_form", form=form, program=None
    ), status


@bp.route("/programs/<int:program_id>/edit", methods=["GET", "POST"])
@login_required
def program_edit(program_id: int) -> ResponseReturnValue:
    """Only HR of the program's instansi changes it."""
    program = load_program(program_id)
    ensure(can_manage_catalogue(current_principal(), program.instansi_id))
    form = ProgramForm(obj=program)
    form.instansi_id.choices = choices([(program.instansi_id, "")])
    if request.method == "GET":
        form.competencies.data = services.competencies_text(program)
        form.form.data = program.form.value
        form.provider_kind.data = program.provider_kind.value
    form.instansi_id.data = program.instansi_id
    saved, status = submit_form(
        form,
        lambda: services.save_program(program.instansi_id, _program_data(form), existing=program),
    )
    if status == 303:
        flash(_("Program saved."), "success")
        return redirect(url_for("training.program_detail", program_id=program.id), 303)
    return render_page(
        "training/program_form.html", "program_form", form=form, program=program
    ), status


@bp.get("/programs/<int:program_id>")
@login_required
def program_detail(program_id: int) -> ResponseReturnValue:
    """A program with its batches and how many nominations each has."""
    program = load_program(program_id)
    return render_page(
        "training/program_detail.html",
        "event_list",
        program=program,
        events=queries.events_with_counts(program),
        can_manage=can_manage_catalogue(current_principal(), program.instansi_id),
        today=local_today(),
    )


def _event_data(form: EventForm) -> services.EventData:
    return services.EventData(
        batch_code=form.batch_code.data or "",
        start_date=filled(form.start_date.data),
        end_date=filled(form.end_date.data),
        quota=int(form.quota.data or 0),
        location=form.location.data or "",
        online_url=form.online_url.data or "",
        cancelled=bool(form.cancelled.data),
        plan_item_id=form.plan_item_id.data,
    )


def _plan_item_choices(form: EventForm, instansi_id: int) -> None:
    """The plan's items of the event's year (or next year's when no date is given yet)."""
    day = form.start_date.data or local_today()
    form.plan_item_id.choices = choices(
        [("", _("Outside the development plan")),
         *plan_links.item_choices(instansi_id, day.year)]
    )  # fmt: skip


@bp.route("/programs/<int:program_id>/events/new", methods=["GET", "POST"])
@login_required
def event_create(program_id: int) -> ResponseReturnValue:
    """HR schedules a batch of a program."""
    program = load_program(program_id)
    ensure(can_manage_catalogue(current_principal(), program.instansi_id))
    form = EventForm()
    _plan_item_choices(form, program.instansi_id)
    event, status = submit_form(form, lambda: services.save_event(program, _event_data(form)))
    if event is not None:  # saved (303)
        flash(_("Event saved."), "success")
        return redirect(url_for("training.event_detail", event_id=event.id), 303)
    return render_page(
        "training/event_form.html", "event_form", form=form, program=program, event=None
    ), status


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@login_required
def event_edit(event_id: int) -> ResponseReturnValue:
    event = load_event(event_id)
    ensure(can_manage_catalogue(current_principal(), event.program.instansi_id))
    form = EventForm(obj=event)
    if request.method == "GET":
        form.cancelled.data = event.status.value == "cancelled"
    _plan_item_choices(form, event.program.instansi_id)
    saved, status = submit_form(
        form, lambda: services.save_event(event.program, _event_data(form), existing=event)
    )
    if status == 303:
        flash(_("Event saved."), "success")
        return redirect(url_for("training.event_detail", event_id=event.id), 303)
    return render_page(
        "training/event_form.html", "event_form", form=form, program=event.program, event=event
    ), status


@bp.get("/events/<int:event_id>")
@login_required
def event_detail(event_id: int) -> ResponseReturnValue:
    """A batch: dates, place, seats; nominate; HR sees every nomination of it."""
    event = load_event(event_id)
    principal = current_principal()
    manage = can_manage_catalogue(principal, event.program.instansi_id)
    return render_page(
        "training/event_detail.html",
        "event_nominations",
        event=event,
        program=event.program,
        counts=queries.event_counts(event.id),
        mine=queries.my_active_nomination(principal.employee_id, event.id),
        refusal=workflow.event_open_refusal(event, local_today()),
        can_manage=manage,
        can_from_needs=can_nominate_from_needs(principal),
        nominations=queries.event_nominations(event.id) if manage else [],
    )


# ---- nominating ----------------------------------------------------------------------------


@bp.route("/events/<int:event_id>/nominate", methods=["GET", "POST"])
@login_required
@roles_required(*BROWSE)
def nominate(event_id: int) -> ResponseReturnValue:
    """Nominate oneself or someone in one's scope, with a justification."""
    event = load_event(event_id)
    principal = current_principal()
    form = NominateForm()
    options = queries.nominee_choices(acting(), event.program.instansi_id)
    form.employee_id.choices = choices(options)
    if request.method == "GET" and principal.employee_id is not None:
        form.employee_id.data = principal.employee_id
    refusal = workflow.event_open_refusal(event, local_today())
    nomination, status = submit_form(
        form,
        lambda: workflow.nominate(
            actor(), event.id, form.employee_id.data, form.justification.data or ""
        ),
    )
    if nomination is not None:  # submitted (303)
        flash(_("Nomination submitted."), "success")
        return redirect(url_for("training.nomination_detail", nomination_id=nomination.id), 303)
    return render_page(
        "training/nominate.html",
        "nominate_form",
        form=form,
        event=event,
        program=event.program,
        refusal=refusal,
    ), status


@bp.route("/events/<int:event_id>/from-needs", methods=["GET", "POST"])
@login_required
def nominate_from_needs(event_id: int) -> ResponseReturnValue:
    """Bulk "nominate for this program" from accepted development needs in the user's scope."""
    event = load_event(event_id)
    ensure(can_nominate_from_needs(current_principal()))
    form = NeedsNominateForm()
    result, status = submit_form(
        form, lambda: workflow.nominate_from_needs(actor(), event.id, form.need_ids.data or [])
    )
    if result is not None:  # done (303)
        if not is_partial():
            flash(
                _(
                    "%(done)d nominations submitted, %(refused)d refused.",
                    done=len(result.done),
                    refused=len(result.refused),
                ),
                "success" if result.done else "error",
            )
            for _id, name, message in result.refused:
                flash(f"{name}: {message}", "error")
            return redirect(url_for("training.nominate_from_needs", event_id=event.id), 303)
        status = 200  # htmx: the form again, with the outcome beside it
    return render_page(
        "training/from_needs.html",
        "needs_form",
        form=form,
        event=event,
        program=event.program,
        rows=queries.needs_for_event(acting(), event),
        result=result,
        refusal=workflow.event_open_refusal(event, local_today()),
    ), status


# ---- nominations: list, detail, decisions --------------------------------------------------


@bp.get("/nominations")
@login_required
@roles_required(*BROWSE)
def nominations() -> ResponseReturnValue:
    """Nominations the user may see: own, proposed, in scope; filter by state."""
    filters = queries.NominationFilters(
        state=request.args.get("state", "")[:20],
        event_id=request.args.get("event", type=ID),
        mine=request.args.get("mine") == "1",
        q=request.args.get("q", "")[:100],
        page=page_arg(),
    )
    return render_page(
        "training/nominations.html",
        "nomination_table",
        result=queries.nominations(acting(), filters),
        filters=filters,
        states=list(NominationState),
        delegated=acting().delegated,
    )


def _detail_context(nomination: Nomination, form: DecisionForm | None = None) -> dict[str, object]:
    principal = current_principal()
    step = workflow.current_step(nomination)
    capacity = (
        decision_capacity(acting(), nomination, step)
        if step is not None and nomination.state == NominationState.PENDING
        else None
    )
    if form is None:
        form = DecisionForm(formdata=None)
    form.version.data = nomination.version
    form.step.data = step.step_no if step is not None else 0
    withdraw_form = WithdrawForm(formdata=None)
    withdraw_form.version.data = nomination.version
    return {
        "view": queries.nomination_view(nomination),
        "nomination": nomination,
        "form": form,
        "withdraw_form": withdraw_form,
        "capacity": capacity,
        "can_withdraw": is_nominee(principal, nomination)
        and nomination.state in (NominationState.PENDING, NominationState.RETURNED),
        "can_revise": can_revise(principal, nomination)
        and nomination.state == NominationState.RETURNED,
        "can_manage": can_manage_catalogue(principal, nomination.instansi_id),
        "next_url": safe_next(request.values.get("next"), ""),
    }


@bp.get("/nominations/<int:nomination_id>")
@login_required
def nomination_detail(nomination_id: int) -> ResponseReturnValue:
    """Where the nomination stands (timeline), the nominee's needs and history, the audit trail;
    the approver of the open step decides here."""
    nomination = load_nomination(nomination_id)
    return render_page(
        "training/nomination_detail.html", "nomination_panel", **_detail_context(nomination)
    )


@bp.post("/nominations/<int:nomination_id>/decide")
@login_required
def decide(nomination_id: int) -> ResponseReturnValue:
    """Approve, reject (reason + comment) or return the open step; a stale page, a skipped step
    or someone who is not the approver gets a clear refusal and nothing changes."""
    nomination = load_nomination(nomination_id)
    form = DecisionForm()
    refusal: str | None = None
    status = 422
    if form.validate_on_submit():
        try:
            workflow.decide(
                actor(),
                nomination.id,
                Decision(form.decision.data),
                expected_version=filled(form.version.data),
                expected_step=form.step.data,
                reason=RejectReason(form.reason.data) if form.reason.data else None,
                comment=form.comment.data or "",
            )
        except TransitionRefused as error:
            refusal, status = str(error.message), error.status
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            flash(
                _("Decision saved: %(decision)s.", decision=label(Decision(form.decision.data))),
                "success",
            )
            target = safe_next(
                request.form.get("next"),
                url_for("training.nomination_detail", nomination_id=nomination.id),
            )
            return redirect(target, 303)
    current = db.session.get(Nomination, nomination_id)
    assert current is not None
    context = _detail_context(current, form)
    return render_page(
        "training/nomination_detail.html", "nomination_panel", refusal=refusal, **context
    ), status


@bp.post("/nominations/<int:nomination_id>/withdraw")
@login_required
def withdraw(nomination_id: int) -> ResponseReturnValue:
    """The nominee withdraws while the nomination is still under review."""
    nomination = load_nomination(nomination_id)
    form = WithdrawForm()
    refusal: str | None = None
    status = 422
    if form.validate_on_submit():
        try:
            workflow.withdraw(
                actor(), nomination.id, filled(form.version.data), form.comment.data or ""
            )
        except TransitionRefused as error:
            refusal, status = str(error.message), error.status
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            flash(_("Your nomination is withdrawn."), "success")
            return redirect(url_for("training.nomination_detail", nomination_id=nomination.id), 303)
    current = db.session.get(Nomination, nomination_id)
    assert current is not None
    context = _detail_context(current)
    context["withdraw_form"] = form
    return render_page(
        "training/nomination_detail.html", "nomination_panel", refusal=refusal, **context
    ), status


@bp.route("/nominations/<int:nomination_id>/revise", methods=["GET", "POST"])
@login_required
def revise(nomination_id: int) -> ResponseReturnValue:
    """A returned nomination is revised and resubmitted by its nominee or proposer."""
    nomination = load_nomination(nomination_id)
    ensure(can_revise(current_principal(), nomination))
    if nomination.state != NominationState.RETURNED:
        flash(_("Only a nomination returned for revision can be revised."), "error")
        return redirect(url_for("training.nomination_detail", nomination_id=nomination.id), 303)
    form = ReviseForm()
    if request.method == "GET":
        form.justification.data = nomination.justification
        form.version.data = nomination.version
    resubmitted, status = submit_form(
        form,
        lambda: workflow.resubmit(
            actor(), nomination.id, filled(form.version.data), form.justification.data or ""
        ),
    )
    if status == 303:
        flash(_("Nomination resubmitted."), "success")
        return redirect(url_for("training.nomination_detail", nomination_id=nomination.id), 303)
    return render_page(
        "training/revise.html",
        "revise_form",
        form=form,
        nomination=nomination,
        view=queries.nomination_view(nomination),
    ), status


# ---- the approver's inbox ------------------------------------------------------------------


def _inbox_filters() -> queries.InboxFilters:
    args = request.args

    def number(name: str) -> int | None:
        value = args.get(name, type=ID)
        return value if value and value > 0 else None

    return queries.InboxFilters(
        event_id=number("event"),
        unit_id=number("unit"),
        waiting_days=number("waiting"),
        q=args.get("q", "")[:100],
        page=page_arg(),
    )


def _inbox_page(
    filters: queries.InboxFilters,
    form: BulkApproveForm,
    result: workflow.BulkResult | None = None,
    result_text: str = "",
    row: tuple[int, DecisionForm] | None = None,
    notice: tuple[str, str] | None = None,
) -> str:
    """The inbox; `row` is the row whose own decision form is shown again with its errors,
    `notice` a (kind, message) line about a row action."""
    return render_page(
        "training/inbox.html",
        "inbox_table",
        inbox=queries.inbox(acting(), filters),
        filters=filters,
        form=form,
        select_all=request.args.get("select") == "all",
        result=result,
        result_text=result_text,
        row_id=row[0] if row else None,
        row_form=row[1] if row else None,
        notice=notice,
        delegated=acting().delegated,
        reasons=pairs(RejectReason),
    )


@bp.get("/inbox")
@login_required
@roles_required(*APPROVERS)
def inbox() -> ResponseReturnValue:
    """Open steps awaiting the user (also as Plt/Plh): filters, counts, row and bulk decisions."""
    return _inbox_page(_inbox_filters(), BulkApproveForm(formdata=None))


def _parse_items(values: list[str]) -> list[tuple[int, int]] | None:
    items = []
    for value in values:
        left, _sep, right = value.partition(":")
        if not left.isdigit() or not right.isdigit():
            return None
        items.append((int(left), int(right)))
    return items


def _inbox_url() -> str:
    """The inbox with the request's filters (the first value of each query argument)."""
    filters: dict[str, Any] = request.args.to_dict()
    return url_for("training.inbox", **filters)


def _bulk_outcome(
    filters: queries.InboxFilters, result: workflow.BulkResult, text: str
) -> ResponseReturnValue:
    if is_partial():
        return _inbox_page(filters, BulkApproveForm(formdata=None), result, text)
    flash(text, "success" if result.done else "error")
    for _id, name, message in result.refused:
        flash(f"{name}: {message}" if name else message, "error")
    return redirect(_inbox_url(), 303)


@bp.post("/inbox/approve")
@login_required
@roles_required(*APPROVERS)
def inbox_approve() -> ResponseReturnValue:
    """Approve the checked nominations in one request; each is checked on its own (approver,
    version seen, budget, quota) and the refused ones are listed with their reason."""
    filters = _inbox_filters()
    form = BulkApproveForm()
    items = _parse_items(form.items.data or []) if form.validate_on_submit() else None
    if not items:
        form.items.errors = []
        form.form_errors.append(_("Select at least one nomination to approve."))
        return _inbox_page(filters, form), 422
    result = workflow.approve_many(actor(), items)
    return _bulk_outcome(filters, result, _("%(n)d nominations approved.", n=len(result.done)))


@bp.post("/inbox/reject")
@login_required
@roles_required(*APPROVERS)
def inbox_reject() -> ResponseReturnValue:
    """Reject the checked nominations with one reason (required) and comment; each only if its
    open step is the user's, the others are listed as refused and left unchanged."""
    filters = _inbox_filters()
    form = BulkApproveForm()
    valid = form.validate_on_submit()
    items = _parse_items(form.items.data or []) if form.items.data else None
    if not items:
        form.items.errors = []
        form.form_errors.append(_("Select at least one nomination to reject."))
    if not form.reason.data:
        form.reason.errors = [*form.reason.errors, _("Choose the reason for the rejection.")]
    if not valid or not items or not form.reason.data:
        return _inbox_page(filters, form), 422
    try:
        result = workflow.decide_many(
            actor(),
            items,
            Decision.REJECT,
            RejectReason(form.reason.data),
            form.comment.data or "",
        )
    except ServiceError as error:
        db.session.rollback()
        apply_service_error(form, error)
        return _inbox_page(filters, form), 422
    return _bulk_outcome(filters, result, _("%(n)d nominations rejected.", n=len(result.done)))


@bp.post("/inbox/<int:nomination_id>/decide")
@login_required
@roles_required(*APPROVERS)
def inbox_decide(nomination_id: int) -> ResponseReturnValue:
    """One row of the inbox: approve it, or reject it with a reason. Only the approver of its
    open step may (others are refused and nothing changes); back to the inbox either way."""
    filters = _inbox_filters()
    nomination = load_nomination(nomination_id)
    name = nomination.employee.name
    form = DecisionForm()
    status = 422
    notice: tuple[str, str] | None = None
    if form.validate_on_submit():
        decision = Decision(form.decision.data)
        try:
            workflow.decide(
                actor(),
                nomination.id,
                decision,
                expected_version=filled(form.version.data),
                expected_step=form.step.data,
                reason=RejectReason(form.reason.data) if form.reason.data else None,
                comment=form.comment.data or "",
            )
        except TransitionRefused as error:
            notice, status = ("error", f"{name}: {error.message}"), error.status
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            text = _("%(name)s: %(decision)s.", name=name, decision=label(decision))
            if not is_partial():
                flash(text, "success")
                return redirect(_inbox_url(), 303)
            return _inbox_page(filters, BulkApproveForm(formdata=None), notice=("success", text))
    return _inbox_page(
        filters, BulkApproveForm(formdata=None), row=(nomination.id, form), notice=notice
    ), status


# ---- participation -------------------------------------------------------------------------


def _roster_page(
    event: TrainingEvent,
    form: RosterBulkForm,
    row_errors: dict[int, list[str]] | None = None,
    saved: int | None = None,
) -> str:
    rows = [(p, _participation_form(p)) for p in queries.roster(event.id)]
    for participation, row_form in rows:
        row_form.form_errors.extend((row_errors or {}).get(participation.id, []))
    return render_page(
        "training/roster.html",
        "roster_table",
        event=event,
        program=event.program,
        rows=rows,
        bulk=form,
        row_errors=row_errors or {},
        select_all=request.args.get("select") == "all",
        saved_count=saved,
        started=event.start_date <= local_today(),
    )


def _managed_event(event_id: int) -> TrainingEvent:
    event = load_event(event_id)
    ensure(can_manage_catalogue(current_principal(), event.program.instansi_id))
    return event


@bp.get("/events/<int:event_id>/participants")
@login_required
def roster(event_id: int) -> ResponseReturnValue:
    """HR records attendance, completion and certificate numbers of approved nominees."""
    return _roster_page(_managed_event(event_id), RosterBulkForm(formdata=None))


@bp.post("/events/<int:event_id>/participants")
@login_required
def roster_record(event_id: int) -> ResponseReturnValue:
    """Mark every checked participant at once (present, absent, completed …): one request,
    the single row's rules for each, and nothing saved when one row is refused (422)."""
    event = _managed_event(event_id)
    form = RosterBulkForm()
    row_errors: dict[int, list[str]] = {}
    if not form.validate_on_submit():
        return _roster_page(event, form), 422
    completion = Completion(form.completion.data) if form.completion.data else None
    changes = [
        services.ParticipationChange(pid, Attendance(form.attendance.data), completion)
        for pid in dict.fromkeys(form.participants.data or [])
    ]
    try:
        saved = services.record_many(actor(), event, changes)
    except services.RowsRefused as error:
        db.session.rollback()
        for pid, message in error.rows:
            row_errors.setdefault(pid, []).append(message)
        names = {p.id: p.employee.name for p in queries.roster(event.id)}
        form.form_errors.extend(
            f"{names[pid]}: {message}" if pid in names else message for pid, message in error.rows
        )
        return _roster_page(event, form, row_errors), 422
    except ServiceError as error:
        db.session.rollback()
        apply_service_error(form, error)
        return _roster_page(event, form), 422
    if not is_partial():
        flash(_("%(n)d participants saved.", n=len(saved)), "success")
        return redirect(url_for("training.roster", event_id=event.id), 303)
    return _roster_page(event, RosterBulkForm(formdata=None), saved=len(saved))


def _participation_form(participation: Participation) -> ParticipationForm:
    form = ParticipationForm(formdata=None, prefix=f"p{participation.id}")
    form.attendance.data = participation.attendance.value
    form.completion.data = participation.completion.value
    form.certificate_number.data = participation.certificate_number
    return form


@bp.post("/participations/<int:participation_id>")
@login_required
def record_participation(participation_id: int) -> ResponseReturnValue:
    """One roster row: htmx swaps just the row; without JavaScript the roster reloads."""
    participation = db.session.get(Participation, participation_id)
    if participation is None:
        abort(404)
    event = _managed_event(participation.event_id)
    form = ParticipationForm(prefix=f"p{participation.id}")
    status = 200
    if form.validate_on_submit():
        try:
            services.record_participation(
                actor(),
                participation,
                Attendance(form.attendance.data),
                Completion(form.completion.data),
                form.certificate_number.data or "",
            )
        except ServiceError as error:
            db.session.rollback()
            apply_service_error(form, error)
            status = 422
        else:
            if not is_partial():
                flash(_("Participation saved."), "success")
                return redirect(url_for("training.roster", event_id=event.id), 303)
    else:
        status = 422
    participation = db.session.get(Participation, participation_id)
    return render_template(
        "training/_participation_row.html",
        p=participation,
        form=form,
        started=event.start_date <= local_today(),
        saved=status == 200,
    ), status


def can_print_certificate(participation: Participation, instansi_id: int) -> bool:
    """The participant (their own), and HR who manage the event's instansi."""
    principal = current_principal()
    return principal.employee_id == participation.employee_id or can_manage_catalogue(
        principal, instansi_id
    )


@bp.get("/participations/<int:participation_id>/certificate.pdf")
@login_required
def certificate_pdf(participation_id: int) -> ResponseReturnValue:
    """The printable certificate of a completed participation (A4, WeasyPrint); unknown,
    not completed and other people's participations all answer 404."""
    participation = db.session.get(Participation, participation_id)
    event = db.session.get(TrainingEvent, participation.event_id) if participation else None
    if (
        participation is None
        or event is None
        or participation.completion != Completion.COMPLETED
        or not can_print_certificate(participation, event.program.instansi_id)
    ):
        abort(404)
    instansi = db.session.get(Instansi, event.program.instansi_id)
    data = template_to_pdf(
        "training/certificate_pdf.html",
        p=participation,
        employee=participation.employee,
        event=event,
        program=event.program,
        instansi=instansi,
        printed=local_today(),
        footer=f"{instansi.name if instansi else ''} · {participation.certificate_number}",
    )
    name = f"sertifikat-{participation.id}.pdf"
    return Response(
        data,
        mimetype=PDF_MIMETYPE,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


# ---- approval chain, delegations -----------------------------------------------------------


def _chosen_instansi() -> Instansi:
    options = instansi_choices()
    wanted = request.args.get("instansi", type=ID)
    return next((i for i in options if i.id == wanted), options[0])


@bp.route("/chain", methods=["GET", "POST"])
@login_required
@roles_required(Role.HR_ADMIN, Role.SYSADMIN)
def chain() -> ResponseReturnValue:
    """HR sets the approval steps of its instansi; nominations in flight keep theirs."""
    instansi = _chosen_instansi()
    ensure(can_manage_chain(current_principal(), instansi.id))
    form = ChainForm()
    if request.method == "GET":
        for number, kind in enumerate(workflow.chain_of(instansi.id), start=1):
            getattr(form, f"step_{number}").data = kind.value
    done, status = submit_form(form, lambda: services.set_chain(actor(), instansi.id, form.kinds()))
    if status == 303:
        flash(_("Approval chain saved."), "success")
        return redirect(url_for("training.chain", instansi=instansi.id), 303)
    return render_page(
        "training/chain.html",
        "chain_form",
        form=form,
        instansi=instansi,
        options=instansi_choices(),
    ), status


@bp.route("/certificates", methods=["GET", "POST"])
@login_required
@roles_required(Role.HR_ADMIN, Role.SYSADMIN)
def certificate_settings() -> ResponseReturnValue:
    """HR sets how the portal numbers the certificates of its instansi's completions."""
    instansi = _chosen_instansi()
    ensure(can_manage_catalogue(current_principal(), instansi.id))
    form = CertificatePatternForm()
    pattern = certificates.pattern_of(instansi.id)
    if request.method == "GET":
        form.pattern.data = pattern.text
    saved, status = submit_form(
        form,
        lambda: certificates.save_pattern(
            instansi.id, form.pattern.data or "", current_principal().user_id
        ),
    )
    if status == 303:
        flash(_("Certificate numbering saved."), "success")
        return redirect(url_for("training.certificate_settings", instansi=instansi.id), 303)
    return render_page(
        "training/certificate_settings.html",
        "certificate_form",
        form=form,
        instansi=instansi,
        options=instansi_choices(),
        example=pattern.format(7, local_today().year, "PKP-01", 12),
        default=certificates.DEFAULT_PATTERN,
    ), status


@bp.get("/delegations")
@login_required
@roles_required(Role.EMPLOYEE, Role.HR_ADMIN, Role.SYSADMIN)
def delegations() -> ResponseReturnValue:
    """Plt/Plh appointments: HR sees its instansi's, others those they give or receive."""
    principal = current_principal()
    managed = [i.id for i in manageable_instansi(principal)]
    return render_page(
        "training/delegations.html",
        "delegation_table",
        delegations=queries.delegations(principal, managed),
        can_manage=bool(managed),
        today=local_today(),
    )


@bp.route("/delegations/new", methods=["GET", "POST"])
@login_required
@roles_required(Role.HR_ADMIN, Role.SYSADMIN)
def delegation_create() -> ResponseReturnValue:
    """HR records the SK appointing a Plt or Plh for a head position."""
    instansi = _chosen_instansi()
    ensure(can_manage_delegations(current_principal(), instansi.id))
    form = DelegationForm()
    form.position_id.choices = choices(services.head_positions(instansi.id))
    form.delegate_employee_id.choices = choices(
        (e.id, f"{e.name} — {e.position.name if e.position else '–'}")
        for e in db.session.scalars(
            db.select(Employee)
            .where(Employee.instansi_id == instansi.id, Employee.active.is_(True))
            .order_by(Employee.name)
            .limit(3000)
        )
    )
    delegation, status = submit_form(
        form,
        lambda: services.create_delegation(
            actor(),
            instansi.id,
            form.position_id.data,
            form.delegate_employee_id.data,
            DelegationKind(form.kind.data),
            filled(form.valid_from.data),
            filled(form.valid_to.data),
            form.sk_number.data or "",
        ),
    )
    if status == 303:
        flash(_("Delegation recorded."), "success")
        return redirect(url_for("training.delegations"), 303)
    return render_page(
        "training/delegation_form.html",
        "delegation_form",
        form=form,
        instansi=instansi,
        options=instansi_choices(),
    ), status


@bp.post("/delegations/<int:delegation_id>/revoke")
@login_required
@roles_required(Role.HR_ADMIN, Role.SYSADMIN)
def delegation_revoke(delegation_id: int) -> ResponseReturnValue:
    """End a Plt/Plh early; what the delegate decided stays in the audit trail."""
    delegation = db.session.get(Delegation, delegation_id)
    if delegation is None or not can_manage_delegations(
        current_principal(), delegation.instansi_id
    ):
        abort(404)
    try:
        services.revoke_delegation(actor(), delegation)
    except ServiceError as error:
        flash(str(error.message), "error")
    else:
        flash(_("Delegation ended."), "success")
    return redirect(url_for("training.delegations"), 303)


# ---- budget --------------------------------------------------------------------------------


@bp.get("/budget")
@login_required
def budget() -> ResponseReturnValue:
    """Budget lines per unit and year: amount, committed by approvals, remaining."""
    ensure(can_view_budget(acting()))
    year = request.args.get("year", type=YEAR) or local_today().year
    if not 2000 <= year <= 2100:
        year = local_today().year
    return render_page(
        "training/budget.html",
        "budget_table",
        overview=queries.budget_overview(acting(), year),
        year=year,
        can_allocate=can_allocate_somewhere(acting()),
        delegated=acting().delegated,
    )


@bp.route("/budget/allocate", methods=["GET", "POST"])
@login_required
def budget_allocate() -> ResponseReturnValue:
    """Allocating budget is reserved to the OPD's definitive head; a Plt/Plh is told why not."""
    ensure(can_view_budget(acting()))
    units = services.allocatable_units(acting())
    form = BudgetForm()
    form.org_unit_id.choices = choices((u.id, "· " * u.depth + u.name) for u in units)
    if request.method == "GET":
        form.year.data = form.year.data or local_today().year
        unit_id = request.args.get("unit", type=ID)
        if unit_id:
            form.org_unit_id.data = unit_id
    refusal: str | None = None
    status = 200
    if not units:
        refusal = str(_allocation_refusal_text())
        status = 403
    elif form.validate_on_submit():
        try:
            line = services.allocate_budget(
                actor(),
                acting(),
                services.BudgetData(
                    org_unit_id=form.org_unit_id.data,
                    year=filled(form.year.data),
                    name=form.name.data or "",
                    amount=filled(form.amount.data),
                    code=form.code.data or "",
                    source=form.source.data or "apbd",
                ),
            )
        except TransitionRefused as error:
            refusal, status = str(error.message), error.status
        except ServiceError as error:
            apply_service_error(form, error)
            status = 422
        else:
            flash(_("Budget allocated."), "success")
            return redirect(url_for("training.budget", year=line.year), 303)
    elif form.is_submitted():
        status = 422
    return render_page(
        "training/budget_form.html", "budget_form", form=form, refusal=refusal
    ), status


def _allocation_refusal_text() -> object:
    """Why the user cannot allocate: acting officials hear that it is reserved to the definitive."""
    delegated = acting().delegated
    return allocation_refusal(acting(), delegated[0].position_id if delegated else None)
