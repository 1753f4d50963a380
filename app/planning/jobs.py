"""Background jobs of the plan: drafting from the evidence, and its documents."""

from __future__ import annotations

from flask import current_app, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app import jobs
from app.errors import ServiceError
from app.extensions import db
from app.planning import publishing, services
from app.planning.audit import PlanActor
from app.planning.models import ActorCapacity


@jobs.task("planning.draft", label=_l("Drafting the development plan"), max_attempts=3)
def draft(
    ctx: jobs.JobContext, plan_instansi: int, year: int, user_id: int | None, name: str
) -> None:
    """Build or refresh the draft; idempotent (a refresh of an unchanged draft changes nothing)."""
    ctx.progress(0, 1)
    actor = PlanActor(user_id, name, ActorCapacity.HR)
    try:
        result = services.draft_plan(plan_instansi, year, actor)
    except ServiceError as error:
        db.session.rollback()
        raise jobs.PermanentFailure(str(error.message)) from None
    revision_plan = services.plan_for(plan_instansi, year)
    with current_app.test_request_context("/"):
        ctx.result = {
            "url": url_for("planning.plan", plan_id=revision_plan.id) if revision_plan else "",
            "label": _("Open the plan"),
            "summary": _(
                "Draft built from %(needs)d accepted needs: %(items)d items, %(added)d new.",
                needs=result.needs,
                items=result.items,
                added=result.added,
            )
            + (
                " "
                + _(
                    "%(n)d items use a program flagged for review: see the plan's checks.",
                    n=result.flagged,
                )
                if result.flagged
                else ""
            ),
        }


@jobs.task("planning.document", label=_l("Development plan document"), max_attempts=3)
def document(
    ctx: jobs.JobContext, revision_id: int, fmt: str, stamp: str, user_id: int | None = None
) -> None:
    """Make the PDF, DOCX or XLSX of a revision and store it (once per content stamp)."""
    ctx.progress(0, 1)
    with current_app.test_request_context("/"):
        made = publishing.make_document(revision_id, fmt, stamp, user_id)
        ctx.result = {
            "url": url_for("planning.document_download", document_id=made.id),
            "label": _("Download %(name)s", name=made.filename),
            "summary": f"{made.filename} · {made.size // 1024} KiB",
        }
