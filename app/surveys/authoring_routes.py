"""HR authoring pages: upload an XLSForm or YAML into a draft, preview it as a respondent on a
phone-sized frame (answers are never stored), publish versions, compare them, export them.

Registered on the surveys blueprint by importing this module from ``routes``.
"""

from __future__ import annotations

import json

from flask import Response, abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from app.access.guards import load_or_404, managed_instansi_or_403, roles_required
from app.access.policy import Principal
from app.accounts.models import Role
from app.clock import local_today
from app.errors import ServiceError
from app.extensions import db
from app.surveys import services
from app.surveys.blueprint import bp, lang
from app.surveys.definition import Definition
from app.surveys.forms import (
    DefinitionUploadForm,
    errors_to_show,
    html_id,
    page_questions,
    review_pages,
)
from app.surveys.logic import FormState, evaluate_all
from app.surveys.models import DefinitionDraft, DefinitionVersion
from app.surveys.policy import MANAGERS
from app.surveys.services import authoring
from app.surveys.xlsform_export import export_xlsform
from app.web import exports as web_exports
from app.web.forms import CsrfForm, apply_service_error
from app.web.htmx import render_page

MAX_PREVIEW_STATE = 200_000  # characters of the preview's carried answers


def can_manage_draft(principal: Principal, draft: DefinitionDraft) -> bool:
    """HR of the draft's instansi, or a sysadmin."""
    return principal.has(Role.SYSADMIN) or draft.instansi_id in principal.hr_instansi_ids


def render_index(
    form: DefinitionUploadForm | None = None, status: int = 200
) -> ResponseReturnValue:
    instansi = managed_instansi_or_403()
    return render_page(
        "surveys/authoring/index.html",
        "authoring_upload",
        form=form or DefinitionUploadForm(),
        instansi=instansi,
        drafts=authoring.drafts(instansi.id),
        published=authoring.latest_versions(instansi.id),
        bundled=services.definition_infos(),
        lang=lang(),
    ), status


@bp.get("/surveys/authoring")
@login_required
@roles_required(*MANAGERS)
def authoring_index() -> ResponseReturnValue:
    """Drafts, published definitions and the upload form of the HR user's instansi."""
    return render_index()


@bp.post("/surveys/authoring/upload")
@login_required
@roles_required(*MANAGERS)
def authoring_upload() -> ResponseReturnValue:
    """An uploaded form becomes a draft (303 to it); an unreadable file is refused (422)."""
    instansi = managed_instansi_or_403()
    form = DefinitionUploadForm()
    if not form.validate_on_submit():
        return render_index(form, 422)
    upload = form.file.data
    try:
        content = upload.read(authoring.MAX_UPLOAD_BYTES + 1)
    finally:
        upload.close()
    try:
        draft = authoring.import_upload(
            instansi.id, upload.filename or "", content, current_user.id
        )
    except ServiceError as error:
        db.session.rollback()
        apply_service_error(form, error)
        return render_index(form, 422)
    return redirect(url_for("surveys.authoring_draft", draft_id=draft.id), 303)


@bp.get("/surveys/authoring/drafts/<int:draft_id>")
@login_required
@roles_required(*MANAGERS)
def authoring_draft(draft_id: int) -> ResponseReturnValue:
    """The draft: every import message beside its row, the YAML, preview and publish."""
    draft = load_or_404(DefinitionDraft, draft_id, can_manage_draft)
    return render_draft(draft)


def render_draft(draft: DefinitionDraft, status: int = 200, error: str = "") -> ResponseReturnValue:
    issues = authoring.draft_issues(draft)
    return render_page(
        "surveys/authoring/draft.html",
        "draft_issues",
        draft=draft,
        issues=issues,
        errors=[i for i in issues if i.is_error],
        action_form=CsrfForm(),
        error=error,
    ), status


@bp.post("/surveys/authoring/drafts/<int:draft_id>/publish")
@login_required
@roles_required(*MANAGERS)
def authoring_publish(draft_id: int) -> ResponseReturnValue:
    """Publish the draft as the next version; a draft with errors is refused (422)."""
    draft = load_or_404(DefinitionDraft, draft_id, can_manage_draft)
    if not CsrfForm().validate_on_submit():
        abort(400)
    try:
        version = authoring.publish_draft(draft, current_user.id)
    except ServiceError as error:
        db.session.rollback()
        return render_draft(draft, error.status, str(error.message))
    flash(_("Version %(v)d published; campaigns can use it now.", v=version.version), "success")
    return redirect(
        url_for(
            "surveys.authoring_version",
            definition_id=version.definition_id,
            version=version.version,
            instansi=version.instansi_id,
        ),
        303,
    )


# --------------------------------------------------------------------------------- preview


def _carried(raw: str) -> dict[str, object]:
    """The answers a preview carries from page to page (client-side only, never stored)."""
    if not raw or len(raw) > MAX_PREVIEW_STATE:
        return {}
    try:
        data = json.loads(raw)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


@bp.route("/surveys/authoring/drafts/<int:draft_id>/preview", methods=["GET", "POST"])
@login_required
@roles_required(*MANAGERS)
def authoring_preview(draft_id: int) -> ResponseReturnValue:
    """Answer the draft page by page in a phone-sized frame; nothing is written."""
    draft = load_or_404(DefinitionDraft, draft_id, can_manage_draft)
    try:
        definition = authoring.draft_definition(draft)
    except ServiceError as error:
        return render_draft(draft, 422, str(error.message))
    language = lang()
    today = local_today()
    form: MultiDict[str, str] = request.form if request.method == "POST" else MultiDict()
    answers = _carried(form.get("_answers", ""))
    state = evaluate_all(definition, answers, language, today=today)
    relevant = [p.id for p in state.relevant_pages] or [definition.pages[0].id]
    page_id = request.values.get("page") or relevant[0]
    if page_id not in relevant:
        page_id = relevant[0]
    mode = "none"
    status = 200
    if request.method == "POST":
        answers = services.merge_page_answers(
            definition,
            answers,
            page_id,
            form,
            language,
            today=today,
            before=state,
        )
        state = evaluate_all(definition, answers, language, today=today)
        action = form.get("action", "")
        mode = "touched"
        if action == "previous":
            page_id = state.previous_page_id(page_id) or page_id
            mode = "none"
        elif action == "next" and not services.repeat_resized(page_id, form):
            if state.page(page_id).errors:
                mode, status = "all", 422
            else:
                following = state.next_page_id(page_id)
                if following is None:
                    return render_preview(draft, definition, state, answers, None)
                page_id, mode = following, "none"
    return render_preview(draft, definition, state, answers, page_id, mode, status)


def render_preview(
    draft: DefinitionDraft,
    definition: Definition,
    state: FormState,
    answers: dict[str, object],
    page_id: str | None,
    mode: str = "none",
    status: int = 200,
) -> ResponseReturnValue:
    """One page of the preview, or (``page_id`` None) the end with the answers given."""
    language = lang()
    context: dict[str, object] = {"finished": None}
    if page_id is None:
        context["finished"] = review_pages(definition, state, language)
    else:
        page_state = state.page(page_id)
        shown = errors_to_show(page_state, answers, mode)
        questions = page_questions(definition, page_state, answers, shown, language)
        labels = {q.name: q.label for q in questions}
        relevant = [p.id for p in state.relevant_pages]
        context.update(
            page=page_state.page,
            page_title=definition.text(page_state.page.title, language),
            questions=questions,
            summary=[
                (html_id(path), labels.get(path.split(".")[0], path), message)
                for path, message in shown.items()
            ],
            position=relevant.index(page_id) + 1 if page_id in relevant else 1,
            total=max(len(relevant), 1),
            has_previous=state.previous_page_id(page_id) is not None,
        )
    return render_page(
        "surveys/authoring/preview.html",
        "preview_page",
        draft=draft,
        definition=definition,
        title=definition.text(definition.title, language),
        answers_json=json.dumps(answers, ensure_ascii=False, default=str),
        **context,
    ), status


# -------------------------------------------------------------------------------- versions


def version_or_404(definition_id: str, version: int) -> DefinitionVersion:
    instansi = managed_instansi_or_403()
    found = next(
        (v for v in authoring.versions(instansi.id, definition_id) if v.version == version), None
    )
    if found is None:
        abort(404)
    return found


@bp.get("/surveys/authoring/<definition_id>/versions")
@login_required
@roles_required(*MANAGERS)
def authoring_versions(definition_id: str) -> ResponseReturnValue:
    """Every published version of one definition, newest first."""
    instansi = managed_instansi_or_403()
    history = authoring.versions(instansi.id, definition_id)
    if not history:
        abort(404)
    return render_page(
        "surveys/authoring/versions.html",
        "version_list",
        definition_id=definition_id,
        history=history,
        instansi=instansi,
    )


@bp.get("/surveys/authoring/<definition_id>/v/<int:version>")
@login_required
@roles_required(*MANAGERS)
def authoring_version(definition_id: str, version: int) -> ResponseReturnValue:
    """One version with a readable diff against another (the previous one by default)."""
    current = version_or_404(definition_id, version)
    against = request.args.get("against", type=int, default=version - 1)
    history = authoring.versions(current.instansi_id, definition_id)
    older = next((v for v in history if v.version == against), None)
    return render_page(
        "surveys/authoring/version.html",
        "version_diff",
        current=current,
        older=older,
        history=history,
        diff=authoring.diff_versions(older, current),
    )


@bp.get("/surveys/authoring/<definition_id>/v/<int:version>/definition.yaml")
@login_required
@roles_required(*MANAGERS)
def authoring_version_yaml(definition_id: str, version: int) -> ResponseReturnValue:
    """The version's YAML, to review like code or to add to surveys/."""
    found = version_or_404(definition_id, version)
    return Response(
        found.yaml_text,
        mimetype="application/yaml",
        headers={
            "Content-Disposition": f"attachment; filename={definition_id}-v{version}.yaml",
            "X-Content-Type-Options": "nosniff",
        },
    )


@bp.get("/surveys/authoring/<definition_id>/v/<int:version>/xlsform.xlsx")
@login_required
@roles_required(*MANAGERS)
def authoring_version_xlsform(definition_id: str, version: int) -> ResponseReturnValue:
    """The version as an XLSForm (it re-imports to the same definition)."""
    found = version_or_404(definition_id, version)
    path, _warnings = export_xlsform(authoring.version_data(found))
    return web_exports.xlsx_response(f"{definition_id}-v{version}", path)


@bp.get("/surveys/definitions/<definition_id>/xlsform.xlsx")
@login_required
@roles_required(*MANAGERS)
def definition_xlsform(definition_id: str) -> ResponseReturnValue:
    """A bundled file of surveys/ as an XLSForm (what XLSForm cannot hold is left out)."""
    info = next((i for i in services.definition_infos() if i.id == definition_id), None)
    if info is None or info.definition is None:
        abort(404)
    text = (services.surveys_dir() / f"{definition_id}.yaml").read_text(encoding="utf-8")
    path, _warnings = export_xlsform(authoring.plain_data(text))
    return web_exports.xlsx_response(definition_id, path)
