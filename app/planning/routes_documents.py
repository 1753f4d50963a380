"""Pages of the plan's participation section, realisation and documents (PDF, DOCX, XLSX) on the planning
blueprint: documents are made by a background job and downloaded once ready."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import undefer

from app import jobs
from app.errors import ServiceError
from app.extensions import db
from app.planning import documents, publishing
from app.planning.models import PlanDocument
from app.planning.participation import participation
from app.planning.realisation import RISK_BUDGET, RISK_NO_EVENT, realisation
from app.planning.routes import bp, load_revision
from app.web.forms import BaseForm
from app.web.htmx import render_page


@bp.get("/revisions/<int:revision_id>/participation")
@login_required
def participation_page(revision_id: int) -> ResponseReturnValue:
    """Who was consulted: campaigns, responses per group and unit, what stakeholders raised."""
    revision = load_revision(revision_id)
    return render_page(
        "planning/participation.html",
        "participation_tables",
        revision=revision,
        plan=revision.plan,
        doc={"participation": participation(revision)},
        trace_links=True,
        form=BaseForm(),
        formats=documents.FORMATS,
    )


@bp.get("/revisions/<int:revision_id>/realisation")
@login_required
def realisation_page(revision_id: int) -> ResponseReturnValue:
    """Planned against realised per item (nominations, completions, JP, money) and risks."""
    revision = load_revision(revision_id)
    return render_page(
        "planning/realisation.html",
        "realisation_table",
        revision=revision,
        plan=revision.plan,
        view=realisation(revision),
        risk_labels={
            RISK_NO_EVENT: _("No event scheduled in its month"),
            RISK_BUDGET: _("Budget line exhausted"),
        },
    )


@bp.post("/revisions/<int:revision_id>/documents/<fmt>")
@login_required
def document_request(revision_id: int, fmt: str) -> ResponseReturnValue:
    """Make the plan's PDF, DOCX or XLSX in the background; its progress page follows."""
    revision = load_revision(revision_id)
    if fmt not in documents.FORMATS:
        abort(404)
    if not BaseForm().validate_on_submit():
        abort(400)
    try:
        job = publishing.request_document(revision, fmt, current_user.id)
    except ServiceError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("planning.plan", plan_id=revision.plan_id), 303)
    return redirect(jobs.progress_url(job), 303)


@bp.get("/documents/<int:document_id>")
@login_required
def document_download(document_id: int) -> ResponseReturnValue:
    """A stored document of a plan the user may see."""
    document = db.session.scalar(
        select(PlanDocument)
        .options(undefer(PlanDocument.content))
        .where(PlanDocument.id == document_id)
    )
    if document is None:
        abort(404)
    load_revision(document.revision_id)
    return Response(
        document.content,
        mimetype=publishing.MIMETYPES.get(document.fmt, "application/octet-stream"),
        headers={"Content-Disposition": f"attachment; filename={document.filename}"},
    )
