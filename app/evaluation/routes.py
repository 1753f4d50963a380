"""Evaluation pages: programs with their results, one event's evaluation, the room link for
the reaction survey, program settings and change projects."""

from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from app import jobs
from app.access.guards import current_principal, roles_required
from app.accounts.models import Role
from app.evaluation import results, services
from app.evaluation.forms import PROJECT_STATUS_LABELS, ProjectForm, SettingsForm
from app.evaluation.labels import LEVEL_LABELS
from app.evaluation.models import EvaluationRequest, Level, ProjectStatus
from app.evaluation.policy import can_view_results
from app.extensions import db
from app.org.models import Employee
from app.org.services import manageable_instansi
from app.surveys.models import Invitation
from app.surveys.services.definitions import definition_infos
from app.surveys.services.tokens import token_for
from app.training.attendance import event_program_id, participations, programs
from app.web import charts
from app.web.forms import CsrfForm, choices, submit_form
from app.web.htmx import render_page
from app.web.navigation import NavEntry, add_nav

bp = Blueprint("evaluation", __name__, url_prefix="/evaluation")
HR = (Role.HR_ADMIN, Role.SYSADMIN)
add_nav(NavEntry("evaluation.index", _l("Evaluation"), HR, order=47))


def _instansi_arg():
    options = manageable_instansi(current_principal())
    wanted = request.args.get("instansi", type=int)
    chosen = next((i for i in options if i.id == wanted), None) if wanted else None
    if wanted and chosen is None:
        abort(404)
    if not options:
        abort(403)
    return options, chosen or options[0]


def _event_or_404(event_id: int) -> tuple[int, int]:
    found = event_program_id(event_id) if 0 < event_id < 2**31 else None
    if found is None or not can_view_results(current_principal(), found[1]):
        abort(404)
    return found


def _program_or_404(program_id: int):
    principal = current_principal()
    for instansi in manageable_instansi(principal):
        found = programs(instansi.id, program_id) if 0 < program_id < 2**31 else []
        if found:
            return found[0]
    abort(404)


@bp.get("/")
@login_required
@roles_required(*HR)
def index() -> ResponseReturnValue:
    options, instansi = _instansi_arg()
    return render_page(
        "evaluation/index.html",
        "programs",
        options=options,
        instansi=instansi,
        evaluations=results.program_list(instansi.id),
        scan_form=CsrfForm(),
    )


@bp.post("/scan")
@login_required
@roles_required(*HR)
def scan() -> ResponseReturnValue:
    """Run the due scan now (the scheduler runs it every morning)."""
    form = CsrfForm()
    if not form.validate_on_submit():
        abort(400)
    options, instansi = _instansi_arg()
    job = services.queue_scan(instansi.id, current_user.id)
    return redirect(jobs.progress_url(job), 303)


@bp.get("/events/<int:event_id>")
@login_required
@roles_required(*HR)
def event(event_id: int) -> ResponseReturnValue:
    program_id, _instansi_id = _event_or_404(event_id)
    people = participations(event_id=event_id, attended_only=False)
    return _event_page(event_id, program_id, people, _project_form(people), "evaluation")


def _event_page(event_id: int, program_id: int, people, form: ProjectForm, block: str) -> str:
    evaluation = results.event_evaluation(event_id)
    return render_page(
        "evaluation/event.html",
        block,
        evaluation=evaluation,
        program=_program_or_404(program_id),
        people=people,
        names=_names_of(people),
        form=form,
        level_labels=LEVEL_LABELS,
        status_labels=PROJECT_STATUS_LABELS,
        aspect_chart=_aspect_chart(evaluation.reaction),
        room_link=url_for("evaluation.reaction_link", event_id=event_id, _external=True),
    )


def _names_of(people) -> dict[int, str]:
    ids = [p.employee_id for p in people]
    if not ids:
        return {}
    return dict(
        db.session.execute(select(Employee.id, Employee.name).where(Employee.id.in_(ids))).all()
    )


def _project_form(people) -> ProjectForm:
    form = ProjectForm()
    names = _names_of(people)
    form.participation_id.choices = [
        (p.participation_id, names.get(p.employee_id, "–")) for p in people
    ]
    return form


def _aspect_chart(reaction: results.Reaction) -> charts.BarChart | None:
    if reaction.hidden:
        return None
    rows = [(str(label), (value or 0.0,)) for _key, label, value in reaction.aspects]
    return charts.bar_chart(str(_l("Reaction by aspect (1–5)")), rows, maximum=5)


@bp.post("/events/<int:event_id>/projects")
@login_required
@roles_required(*HR)
def add_project(event_id: int) -> ResponseReturnValue:
    """Record a participant's change project (aksi perubahan) and its status."""
    program_id, _instansi_id = _event_or_404(event_id)
    people = participations(event_id=event_id, attended_only=False)
    form = _project_form(people)
    _result, status = submit_form(
        form,
        lambda: services.save_project(
            form.participation_id.data,
            form.title.data or "",
            ProjectStatus(form.status.data),
            form.note.data or "",
            current_user.id,
        ),
    )
    if status == 303:
        return redirect(url_for("evaluation.event", event_id=event_id), 303)
    return _event_page(event_id, program_id, people, form, "projects"), status


@bp.get("/events/<int:event_id>/reaction")
@login_required
def reaction_link(event_id: int) -> ResponseReturnValue:
    """The link shown in the room: a participant goes to their own reaction survey; anyone
    else gets a clear refusal (only those who attended may answer, once each)."""
    employee_id = current_principal().employee_id
    request_row = None
    if employee_id is not None and 0 < event_id < 2**31:
        request_row = db.session.scalar(
            select(EvaluationRequest).where(
                EvaluationRequest.event_id == event_id,
                EvaluationRequest.level == Level.REACTION,
                EvaluationRequest.respondent_id == employee_id,
            )
        )
    if request_row is None or request_row.invitation_id is None:
        return render_template("evaluation/not_participant.html"), 403
    invitation = db.session.get(Invitation, request_row.invitation_id)
    if invitation is None:
        abort(404)
    token = token_for(invitation)
    db.session.commit()
    return redirect(url_for("surveys.answer_entry", via="i", token=token), 303)


@bp.route("/programs/<int:program_id>", methods=["GET", "POST"])
@login_required
@roles_required(*HR)
def program(program_id: int) -> ResponseReturnValue:
    info = _program_or_404(program_id)
    current = services.settings_for(program_id)
    form = SettingsForm(obj=current) if request.method == "GET" and current else SettingsForm()
    if request.method == "GET" and current is None:
        form.follow_up_days.data = 90
        form.flag_threshold.data = Decimal("3.5")
    scored = [("", str(_l("None")))] + [
        (info.id, info.title("id"))
        for info in definition_infos()
        if info.definition is not None and info.definition.quiz is not None
    ]
    form.pretest_definition.choices = choices(scored)
    form.posttest_definition.choices = choices(scored)
    result, status = submit_form(
        form,
        lambda: services.save_settings(
            program_id,
            services.SettingsData(
                int(form.follow_up_days.data or 90),
                form.pretest_definition.data or None,
                form.posttest_definition.data or None,
                float(form.flag_threshold.data or 3.5),
            ),
        ),
    )
    if status == 303:
        return redirect(url_for("evaluation.program", program_id=program_id), 303)
    evaluation = results.program_evaluation(info)
    return (
        render_page(
            "evaluation/program.html",
            "program",
            evaluation=evaluation,
            form=form,
            level_labels=LEVEL_LABELS,
            aspect_chart=_aspect_chart(evaluation.reaction),
        ),
        status,
    )


@bp.get("/providers")
@login_required
@roles_required(*HR)
def provider() -> ResponseReturnValue:
    """A provider's history: every program it gave, with the pooled reaction and follow-up."""
    name = (request.args.get("name") or "").strip()[:200]
    options, instansi = _instansi_arg()
    rows = [results.program_evaluation(p) for p in programs(instansi.id) if p.provider_name == name]
    return render_page(
        "evaluation/provider.html", "history", name=name, evaluations=rows, instansi=instansi
    )
