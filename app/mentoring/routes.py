"""Mentoring pages: dashboards, matching and proposals, approvals, goals, sessions, feedback."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import or_, select

from app.access.guards import current_principal, ensure, load_or_404, roles_required
from app.access.policy import Principal, can_manage_instansi, can_view_employee, employee_scope
from app.accounts.models import Role
from app.clock import local_today
from app.errors import ServiceError
from app.extensions import db
from app.mentoring import dashboards, feedback, services
from app.mentoring.forms import (
    MATCHING_MODE_LABELS,
    SESSION_MODE_LABELS,
    STATE_LABELS,
    CloseForm,
    DecisionForm,
    GoalForm,
    GoalProgressForm,
    ProfileForm,
    ProgramForm,
    ProposeForm,
    SessionForm,
)
from app.mentoring.models import (
    Goal,
    MatchingMode,
    MentoringProgram,
    MentoringSession,
    Pairing,
    PairingState,
)
from app.mentoring.policy import (
    can_close,
    can_decide,
    can_edit_goals,
    can_propose_for,
    can_view_pairing,
    can_view_session,
    is_hr_for,
    is_mentee_of,
    is_mentor_of,
)
from app.org.models import Employee, Instansi
from app.surveys.logic import FormState
from app.web.forms import CsrfForm, choices, submit_form
from app.web.htmx import is_partial, render_page
from app.web.navigation import NavEntry, add_nav
from app.web.params import ID

bp = Blueprint("mentoring", __name__, url_prefix="/mentoring")

HR = (Role.HR_ADMIN, Role.SYSADMIN)

add_nav(
    NavEntry("mentoring.mentor_dashboard", _l("My mentees"), (Role.MENTOR,), order=30),
    NavEntry("mentoring.mentee_dashboard", _l("My mentoring"), (Role.EMPLOYEE,), order=31),
    NavEntry("mentoring.approvals", _l("Mentoring approvals"), (Role.UNIT_HEAD,), order=32),
    NavEntry("mentoring.hr_dashboard", _l("Mentoring"), HR, order=40),
)


def _id_arg(name: str) -> int | None:
    """An id from the query string or form, or None when missing or impossible."""
    return request.values.get(name, type=ID)


@bp.app_context_processor
def mentoring_labels() -> dict[str, object]:
    return {
        "pairing_state_labels": STATE_LABELS,
        "session_mode_labels": SESSION_MODE_LABELS,
        "matching_mode_labels": MATCHING_MODE_LABELS,
    }


def _hr_instansi_ids(principal: Principal) -> list[int] | None:
    """The instansi HR manages; None means all (a sysadmin)."""
    return None if principal.has(Role.SYSADMIN) else sorted(principal.hr_instansi_ids)


def _employee_id_or_403() -> int:
    employee_id = current_principal().employee_id
    if employee_id is None:
        abort(403)
    return employee_id


# ---- mentor dashboard and the session log -------------------------------------------------


def _session_form(board: dashboards.MentorBoard, form: SessionForm | None = None) -> SessionForm:
    """The submitted form again, or a fresh one dated today with one hour filled in."""
    if form is None:
        form = SessionForm(formdata=None)
        form.held_on.data = local_today()
        form.duration_minutes.data = 60
    form.pairing_id.choices = choices((p.id, p.mentee) for p in board.active)
    return form


def _render_mentor_board(form: SessionForm | None = None, logged: str | None = None) -> str:
    mentor_id = _employee_id_or_403()
    board = dashboards.mentor_board(mentor_id, local_today())
    return render_page(
        "mentoring/mentor_dashboard.html",
        "mentor_board",
        board=board,
        form=_session_form(board, form),
        delete_form=CsrfForm(formdata=None),
        mentor_id=mentor_id,
        logged=logged,
    )


@bp.get("/mentor")
@login_required
@roles_required(Role.MENTOR)
def mentor_dashboard() -> ResponseReturnValue:
    """The mentor's mentees, last sessions, pending confirmations and the session log form."""
    return _render_mentor_board()


@bp.post("/sessions")
@login_required
@roles_required(Role.MENTOR)
def log_session() -> ResponseReturnValue:
    """Log a session in one small form; htmx swaps the board, without JS the page reloads."""
    mentor_id = _employee_id_or_403()
    form = SessionForm()
    session, status = submit_form(
        form,
        lambda: services.log_session(mentor_id, _session_data(form), current_user, local_today()),
    )
    if session is not None:  # logged (303)
        message = _(
            "Session with %(name)s logged; it awaits the mentee's confirmation.",
            name=session.pairing.mentee.name,
        )
        if is_partial():
            return _render_mentor_board(logged=message)
        flash(message, "success")
        return redirect(url_for("mentoring.mentor_dashboard"), 303)
    return _render_mentor_board(form), status


def _session_data(form: SessionForm) -> services.SessionData:
    return services.SessionData(
        pairing_id=form.pairing_id.data,
        held_on=form.held_on.data,
        duration_minutes=form.duration_minutes.data,
        mode=form.mode.data,
        topics=form.topics.data or "",
        notes=form.notes.data or "",
        agreed_actions=form.agreed_actions.data or "",
    )


@bp.post("/sessions/<int:session_id>/delete")
@login_required
def delete_session(session_id: int) -> ResponseReturnValue:
    """The mentor removes an unconfirmed session logged by mistake."""
    session = load_or_404(MentoringSession, session_id, can_view_session)
    ensure(is_mentor_of(current_principal(), session.pairing))
    form = CsrfForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.delete_session(session)
    except ServiceError as error:
        flash(str(error.message), "error")
        return redirect(url_for("mentoring.mentor_dashboard"), 303)
    if is_partial():
        return _render_mentor_board(logged=_("Session deleted."))
    flash(_("Session deleted."), "success")
    return redirect(url_for("mentoring.mentor_dashboard"), 303)


# ---- mentee dashboard, confirmation and feedback -----------------------------------------


def _render_mentee_board(message: str | None = None) -> str:
    board = dashboards.mentee_board(_employee_id_or_403(), local_today())
    return render_page(
        "mentoring/mentee_dashboard.html",
        "mentee_board",
        board=board,
        confirm_form=CsrfForm(formdata=None),
        message=message,
    )


@bp.get("/me")
@login_required
@roles_required(Role.EMPLOYEE)
def mentee_dashboard() -> ResponseReturnValue:
    """The mentee's pairings, goals, sessions to confirm and JP toward the yearly 20."""
    return _render_mentee_board()


@bp.post("/sessions/<int:session_id>/confirm")
@login_required
def confirm_session(session_id: int) -> ResponseReturnValue:
    """The mentee confirms a session; JP are credited once, then feedback is asked for."""
    session = load_or_404(MentoringSession, session_id, can_view_session)
    ensure(is_mentee_of(current_principal(), session.pairing))
    if not CsrfForm().validate_on_submit():
        abort(400)
    jp = services.confirm_session(session)
    message = _("Session confirmed: %(jp)s JP added to your learning record.", jp=format(jp, "g"))
    if is_partial():
        return _render_mentee_board(message)
    flash(message, "success")
    return redirect(url_for("mentoring.mentee_dashboard"), 303)


@bp.route("/sessions/<int:session_id>/feedback", methods=["GET", "POST"])
@login_required
def session_feedback(session_id: int) -> ResponseReturnValue:
    """The mentoring-feedback instrument for one confirmed session, answered by the mentee."""
    session = load_or_404(MentoringSession, session_id, can_view_session)
    ensure(is_mentee_of(current_principal(), session.pairing))
    if session.confirmed_at is None:
        flash(_("Confirm the session before giving feedback."), "error")
        return redirect(url_for("mentoring.mentee_dashboard"), 303)
    lang = str(get_locale() or "id")
    today = local_today()
    definition = feedback.feedback_definition()
    context = {
        "session": session,
        "definition": definition,
        "lang": lang,
        "drivers": feedback.relevance_drivers(definition),
    }
    if session.feedback_response_id is not None:
        return render_page(
            "mentoring/feedback.html", "feedback_form", answered=True, state=None, **context
        )
    if request.method == "GET":
        return _feedback_form(feedback.evaluate(feedback.prefill(session), lang, today), context)
    posted = {key: request.form.getlist(key) for key in request.form if key != "csrf_token"}
    answers = {key: values[0] if len(values) == 1 else values for key, values in posted.items()}
    if request.args.get("preview"):
        return _feedback_form(feedback.evaluate(answers, lang, today), context)
    try:
        response = feedback.submit_feedback(session, answers, lang, today)
    except feedback.FeedbackIncomplete as error:
        return _feedback_form(error.state, context, show_errors=True), 422
    except ServiceError as error:
        flash(str(error.message), "error")
        return redirect(url_for("mentoring.mentee_dashboard"), 303)
    flash(
        _("Thank you for your feedback. HR will contact you about this pairing.")
        if response.id and request.form.get(feedback.PAIRING_QUESTION) == feedback.NOT_WORKING
        else _("Thank you for your feedback."),
        "success",
    )
    return redirect(url_for("mentoring.mentee_dashboard"), 303)


def _feedback_form(state: FormState, context: dict[str, Any], *, show_errors: bool = False) -> str:
    """The unanswered feedback instrument; field errors only once the mentee has submitted."""
    return render_page(
        "mentoring/feedback.html",
        "feedback_form",
        answered=False,
        state=state,
        show_errors=show_errors,
        **context,
    )


# ---- matching and proposals ---------------------------------------------------------------


def _match_mentee(principal: Principal) -> Employee | None:
    """HR picks the mentee with ?mentee=; an employee is their own mentee."""
    wanted = _id_arg("mentee_id") or _id_arg("mentee")
    if wanted is not None and wanted != principal.employee_id:
        mentee = db.session.get(Employee, wanted)
        if mentee is None or not can_manage_instansi(principal, mentee.instansi_id):
            abort(404)
        return mentee
    if principal.employee_id is None:
        return None
    return db.session.get(Employee, principal.employee_id)


def _propose_form(
    mentee: Employee | None, by_hr: bool, form: ProposeForm | None = None
) -> ProposeForm:
    """Programs the proposer may use; a fresh form starts today and runs the program's length."""
    programs = (
        services.programs_of([mentee.instansi_id], active_only=True) if mentee is not None else []
    )
    if not by_hr:
        programs = [p for p in programs if p.matching_mode != MatchingMode.ADMIN]
    if form is None:
        form = ProposeForm(formdata=None)
        today = local_today()
        weeks = min(max(programs[0].min_weeks, 12), programs[0].max_weeks) if programs else 12
        form.start_date.data = today
        form.end_date.data = today + timedelta(weeks=weeks)
    form.program_id.choices = choices((p.id, p.name) for p in programs)
    if mentee is not None:
        form.mentee_id.data = str(mentee.id)
    return form


def _render_match(form: ProposeForm | None = None) -> str:
    principal = current_principal()
    mentee = _match_mentee(principal)
    by_hr = mentee is not None and can_manage_instansi(principal, mentee.instansi_id)
    search = request.args.get("q", "")[:100].strip()
    candidates: list[Employee] = []
    if principal.has(*HR) and search:
        like = f"%{search}%"
        candidates = list(
            db.session.scalars(
                select(Employee)
                .where(
                    employee_scope(principal),
                    Employee.active.is_(True),
                    or_(Employee.name.ilike(like), Employee.nip.like(like.replace(" ", ""))),
                )
                .order_by(Employee.name)
                .limit(20)
            )
        )
    gaps: list[tuple[str, float]] = []
    matches: list[services.MentorMatch] = []
    labels: dict[str, str] = {}
    current: list[tuple[int, str, PairingState]] = []
    if mentee is not None:
        gaps, matches = services.rank_mentors(mentee)
        labels = services.competency_labels(mentee.instansi_id, [code for code, _g in gaps])
        current = services.open_pairings_of(mentee.id)
    return render_page(
        "mentoring/match.html",
        "mentor_matches",
        mentee=mentee,
        by_hr=by_hr,
        is_hr=principal.has(*HR),
        search=search,
        candidates=candidates,
        gaps=gaps,
        gap_labels=labels,
        matches=matches,
        current=current,
        form=_propose_form(mentee, by_hr, form),
    )


@bp.get("/match")
@login_required
@roles_required(Role.EMPLOYEE, *HR)
def match() -> ResponseReturnValue:
    """Mentors ranked for a mentee by gap coverage, free capacity and closeness, with reasons."""
    return _render_match()


@bp.post("/pairings")
@login_required
@roles_required(Role.EMPLOYEE, *HR)
def propose() -> ResponseReturnValue:
    """HR or the mentee proposes a pairing; the head of the mentee's OPD approves it."""
    principal = current_principal()
    form = ProposeForm()
    mentee_id = _id_arg("mentee_id")
    mentee = db.session.get(Employee, mentee_id) if mentee_id is not None else None
    if mentee is not None and not can_propose_for(principal, mentee):
        abort(403 if can_view_employee(principal, mentee) else 404)
    if mentee is None:
        form.validate_on_submit()  # the fields' own errors show beside the missing mentee
        form.form_errors.append(_("Choose an active employee as the mentee."))
        return _render_match(form), 422

    def propose_pairing() -> Pairing:
        proposal = services.Proposal(
            program_id=form.program_id.data,
            mentee_id=mentee.id,
            mentor_id=form.mentor_id.data,
            start_date=form.start_date.data,
            end_date=form.end_date.data,
            focus=form.focus.data or "",
        )
        return services.propose_pairing(
            proposal,
            current_user,
            can_manage_instansi(principal, mentee.instansi_id),
            local_today(),
        )

    pairing, status = submit_form(form, propose_pairing)
    if pairing is not None:  # proposed (303)
        flash(_("Pairing proposed. The head of the mentee's OPD decides on it."), "success")
        return redirect(url_for("mentoring.pairing_detail", pairing_id=pairing.id), 303)
    return _render_match(form), status


# ---- pairing detail, decisions, goals -------------------------------------------------------


def _load_pairing(pairing_id: int) -> Pairing:
    return load_or_404(Pairing, pairing_id, can_view_pairing)


def _render_pairing(pairing: Pairing, block: str = "pairing_page", **forms: object) -> str:
    principal = current_principal()
    goals = list(
        db.session.scalars(select(Goal).where(Goal.pairing_id == pairing.id).order_by(Goal.id))
    )
    sessions = list(
        db.session.scalars(
            select(MentoringSession)
            .where(MentoringSession.pairing_id == pairing.id)
            .order_by(MentoringSession.held_on.desc(), MentoringSession.id.desc())
            .limit(100)
        )
    )
    goal_form = forms.get("goal_form") or GoalForm(formdata=None)
    options = services.competency_options(pairing.instansi_id)
    goal_form.competency_code.choices = choices([("", "–"), *options])  # type: ignore[attr-defined]
    labels = dict(options)
    return render_page(
        "mentoring/pairing.html",
        block,
        pairing=pairing,
        goals=goals,
        sessions=sessions,
        competency=labels,
        goal_form=goal_form,
        progress_form=GoalProgressForm(formdata=None),
        failed_goal=forms.get("failed_goal"),
        failed_progress=forms.get("progress_form"),
        decision_form=forms.get("decision_form") or DecisionForm(formdata=None),
        close_form=forms.get("close_form") or CloseForm(formdata=None),
        empty_form=CsrfForm(formdata=None),
        may_decide=pairing.state == PairingState.PROPOSED and can_decide(principal, pairing),
        may_close=pairing.is_open and can_close(principal, pairing),
        may_edit_goals=pairing.is_open and can_edit_goals(principal, pairing),
        is_hr=is_hr_for(principal, pairing),
        is_mentee=is_mentee_of(principal, pairing),
    )


@bp.get("/pairings/<int:pairing_id>")
@login_required
def pairing_detail(pairing_id: int) -> ResponseReturnValue:
    """One pairing: state, reason for the match, goals with progress, sessions and actions."""
    return _render_pairing(_load_pairing(pairing_id))


@bp.post("/pairings/<int:pairing_id>/decide")
@login_required
def decide(pairing_id: int) -> ResponseReturnValue:
    """The head of the mentee's OPD approves (→ active) or rejects (→ cancelled) a proposal."""
    pairing = _load_pairing(pairing_id)
    ensure(can_decide(current_principal(), pairing))
    form = DecisionForm()
    decided, status = submit_form(
        form,
        lambda: services.decide_pairing(
            pairing,
            form.decision.data == "approve",
            current_user,
            form.note.data or "",
            local_today(),
        ),
    )
    if status == 303:
        flash(
            _("Pairing approved.") if form.decision.data == "approve" else _("Pairing rejected."),
            "success",
        )
        return redirect(url_for("mentoring.pairing_detail", pairing_id=pairing.id), 303)
    return _render_pairing(pairing, decision_form=form), status


@bp.post("/pairings/<int:pairing_id>/close")
@login_required
def close(pairing_id: int) -> ResponseReturnValue:
    """Mentor, mentee or HR complete (also early) or cancel the pairing."""
    pairing = _load_pairing(pairing_id)
    ensure(can_close(current_principal(), pairing))
    form = CloseForm()
    closed, status = submit_form(
        form,
        lambda: services.close_pairing(
            pairing, form.outcome.data, form.note.data or "", local_today()
        ),
    )
    if status == 303:
        flash(_("Pairing closed."), "success")
        return redirect(url_for("mentoring.pairing_detail", pairing_id=pairing.id), 303)
    return _render_pairing(pairing, close_form=form), status


@bp.post("/pairings/<int:pairing_id>/resolve-flag")
@login_required
def resolve_flag(pairing_id: int) -> ResponseReturnValue:
    """HR clears the "not working" flag after talking to the mentee."""
    pairing = _load_pairing(pairing_id)
    ensure(is_hr_for(current_principal(), pairing))
    if not CsrfForm().validate_on_submit():
        abort(400)
    services.resolve_flag(pairing)
    flash(_("Flag cleared."), "success")
    return redirect(url_for("mentoring.pairing_detail", pairing_id=pairing.id), 303)


@bp.post("/pairings/<int:pairing_id>/goals")
@login_required
def add_goal(pairing_id: int) -> ResponseReturnValue:
    """Add a goal tied to a competency; htmx swaps the goal list."""
    pairing = _load_pairing(pairing_id)
    ensure(can_edit_goals(current_principal(), pairing))
    form = GoalForm()
    form.competency_code.choices = choices(
        [("", "–"), *services.competency_options(pairing.instansi_id)]
    )
    goal, status = submit_form(
        form,
        lambda: services.add_goal(pairing, form.description.data or "", form.competency_code.data),
    )
    if status == 303:
        if is_partial():
            return _render_pairing(pairing, "goal_list")
        flash(_("Goal added."), "success")
        return redirect(url_for("mentoring.pairing_detail", pairing_id=pairing.id), 303)
    return _render_pairing(pairing, "goal_list", goal_form=form), status


@bp.post("/goals/<int:goal_id>")
@login_required
def goal_progress(goal_id: int) -> ResponseReturnValue:
    """Update a goal's progress (0–100 %); htmx swaps the goal list."""
    goal = db.session.get(Goal, goal_id)
    if goal is None:
        abort(404)
    pairing = _load_pairing(goal.pairing_id)
    ensure(can_edit_goals(current_principal(), pairing))
    form = GoalProgressForm()
    saved, status = submit_form(form, lambda: services.set_goal_progress(goal, form.progress.data))
    if status == 303:
        if is_partial():
            return _render_pairing(pairing, "goal_list")
        flash(_("Progress saved."), "success")
        return redirect(url_for("mentoring.pairing_detail", pairing_id=pairing.id), 303)
    return _render_pairing(pairing, "goal_list", progress_form=form, failed_goal=goal.id), status


# ---- approvals and HR ---------------------------------------------------------------------


@bp.get("/approvals")
@login_required
@roles_required(Role.UNIT_HEAD, *HR)
def approvals() -> ResponseReturnValue:
    """Proposed pairings awaiting the decision of the head of the mentee's OPD."""
    return render_page(
        "mentoring/approvals.html",
        "approval_list",
        rows=dashboards.proposals(current_principal()),
        form=DecisionForm(formdata=None),
    )


@bp.get("/hr")
@login_required
@roles_required(*HR)
def hr_dashboard() -> ResponseReturnValue:
    """Active pairings, sessions and hours per month, stale and flagged pairings, goals, gaps."""
    return render_page(
        "mentoring/hr_dashboard.html",
        "hr_board",
        board=dashboards.hr_board(current_principal(), local_today()),
    )


@bp.get("/programs")
@login_required
@roles_required(*HR)
def programs() -> ResponseReturnValue:
    """The mentoring programs of the instansi HR manages."""
    return render_page(
        "mentoring/programs.html",
        "program_list",
        programs=services.programs_of(_hr_instansi_ids(current_principal())),
    )


def _program_form(program: MentoringProgram | None = None) -> ProgramForm:
    principal = current_principal()
    form = ProgramForm(obj=program) if program is not None else ProgramForm()
    ids = _hr_instansi_ids(principal)
    query = select(Instansi).order_by(Instansi.name)
    if ids is not None:
        query = query.where(Instansi.id.in_(ids))
    form.instansi_id.choices = choices((i.id, i.name) for i in db.session.scalars(query))
    if not form.is_submitted() and program is None:
        form.min_weeks.data = 12
        form.max_weeks.data = 24
        form.minutes_per_jp.data = 45
        form.matching_mode.data = MatchingMode.SUGGESTED.value
    return form


def _program_data(form: ProgramForm) -> services.ProgramData:
    return services.ProgramData(
        name=form.name.data or "",
        objective=form.objective.data or "",
        min_weeks=form.min_weeks.data,
        max_weeks=form.max_weeks.data,
        matching_mode=form.matching_mode.data or "",
        minutes_per_jp=form.minutes_per_jp.data,
        active=bool(form.active.data),
    )


@bp.route("/programs/new", methods=["GET", "POST"])
@login_required
@roles_required(*HR)
def program_create() -> ResponseReturnValue:
    """HR sets up a program: objective, duration bounds, matching mode and JP rate."""
    form = _program_form()

    def save() -> MentoringProgram:
        instansi_id = form.instansi_id.data
        if instansi_id is None or not can_manage_instansi(current_principal(), instansi_id):
            raise ServiceError(_("Choose an instansi you manage."), "instansi_id")
        return services.save_program(instansi_id, _program_data(form))

    program, status = submit_form(form, save)
    if status == 303:
        flash(_("Program saved."), "success")
        return redirect(url_for("mentoring.programs"), 303)
    return render_page(
        "mentoring/program_form.html", "program_form", form=form, program=None
    ), status


@bp.route("/programs/<int:program_id>", methods=["GET", "POST"])
@login_required
@roles_required(*HR)
def program_edit(program_id: int) -> ResponseReturnValue:
    """Change a program; its instansi stays."""
    program = load_or_404(
        MentoringProgram, program_id, lambda p, prog: can_manage_instansi(p, prog.instansi_id)
    )
    form = _program_form(program)
    form.instansi_id.data = program.instansi_id
    saved, status = submit_form(
        form, lambda: services.save_program(program.instansi_id, _program_data(form), program)
    )
    if status == 303:
        flash(_("Program saved."), "success")
        return redirect(url_for("mentoring.programs"), 303)
    return render_page(
        "mentoring/program_form.html", "program_form", form=form, program=program
    ), status


@bp.get("/mentors")
@login_required
@roles_required(*HR)
def mentors() -> ResponseReturnValue:
    """Employees holding the mentor role, with capacity, load and strengths."""
    return render_page(
        "mentoring/mentors.html",
        "mentor_list",
        rows=services.mentor_roster(_hr_instansi_ids(current_principal())),
    )


def _may_edit_profile(principal: Principal, employee: Employee) -> bool:
    return principal.employee_id == employee.id or can_manage_instansi(
        principal, employee.instansi_id
    )


@bp.route("/mentors/<int:employee_id>/profile", methods=["GET", "POST"])
@login_required
def profile(employee_id: int) -> ResponseReturnValue:
    """A mentor (or HR) keeps the profile: capacity, availability and strengths."""
    employee = load_or_404(Employee, employee_id, _may_edit_profile)
    if not services.is_mentor(employee):
        abort(404)
    existing = services.profile_of(employee.id)
    form = ProfileForm(obj=existing) if existing is not None else ProfileForm()
    form.strengths.choices = choices(services.competency_options(employee.instansi_id))
    if not form.is_submitted():
        if existing is not None:
            form.strengths.data = existing.strength_codes
        else:
            form.capacity.data = 3
    saved, status = submit_form(
        form,
        lambda: services.save_profile(
            employee,
            form.capacity.data,
            bool(form.available.data),
            form.availability.data or "",
            list(form.strengths.data or []),
            form.bio.data or "",
        ),
    )
    if status == 303:
        flash(_("Mentor profile saved."), "success")
        if current_principal().employee_id == employee.id:
            return redirect(url_for("mentoring.mentor_dashboard"), 303)
        return redirect(url_for("mentoring.mentors"), 303)
    return render_page(
        "mentoring/profile.html", "profile_form", form=form, employee=employee
    ), status
