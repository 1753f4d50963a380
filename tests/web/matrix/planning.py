"""Routes of the development plan.

`make_ids` builds the evidence of instansi A (catalogue, budget line, accepted needs), drafts
its plan and returns the plan, its revision, an item, a budget line and a provider.
"""

from __future__ import annotations

from tests.web.matrix import only

HR = {"hr_admin": 200, "sysadmin": 200}
VIEW = {**HR, "unit_head": 200}
EDIT_GET = only({**HR, "unit_head": 403}, others=404)
EDIT_POST = only({"hr_admin": 422, "sysadmin": 422, "unit_head": 403}, others=404)


def make_ids(world) -> dict[str, int]:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from app.extensions import db
    from app.planning import documents, publishing, services
    from app.planning.models import BudgetLine, PlanItem, Provider, Revision
    from tests.unit.planning.factories import HR as HR_ACTOR
    from tests.unit.planning.factories import evidence, year

    evidence(world, budget=None, code=None)
    result = services.draft_plan(world.a.id, year(), HR_ACTOR)
    revision = db.session.get(Revision, result.revision_id)
    services.save_line(revision, services.LineData("Mitra", "", "partner", 10_000_000), HR_ACTOR)
    return {
        "plan": revision.plan_id,
        "revision": revision.id,
        "item": db.session.scalar(
            select(PlanItem.id).where(PlanItem.revision_id == revision.id).limit(1)
        ),
        "line": db.session.scalar(
            select(BudgetLine.id).where(BudgetLine.revision_id == revision.id).limit(1)
        ),
        "provider": db.session.scalar(select(Provider.id).limit(1)),
        "document": publishing.make_document(
            revision.id, "xlsx", documents.content_stamp(revision), None
        ).id,
    }


MATRIX: dict[str, tuple[str, str, dict[str, int]]] = {
    "planning.index": ("GET", "/planning/", only(VIEW)),
    "planning.draft": ("POST", "/planning/draft", only({"hr_admin": 422, "sysadmin": 422})),
    "planning.refresh": (
        "POST",
        "/planning/{plan}/refresh",
        only({"hr_admin": 303, "sysadmin": 303, "unit_head": 403}, others=404),
    ),
    "planning.plan": ("GET", "/planning/{plan}", only(VIEW, others=404)),
    "planning.check": ("GET", "/planning/revisions/{revision}/check", only(VIEW, others=404)),
    "planning.item": ("GET", "/planning/items/{item}", only(VIEW, others=404)),
    "planning.item_create": ("GET", "/planning/revisions/{revision}/items/new", EDIT_GET),
    "planning.item_status": ("POST", "/planning/items/{item}/status", EDIT_POST),
    "planning.item_targets": ("POST", "/planning/items/{item}/targets", EDIT_POST),
    "planning.item_target_add": ("POST", "/planning/items/{item}/targets/add", EDIT_POST),
    "planning.item_merge": ("POST", "/planning/items/{item}/merge", EDIT_POST),
    "planning.line_create": ("GET", "/planning/revisions/{revision}/lines/new", EDIT_GET),
    "planning.line_edit": ("GET", "/planning/lines/{line}", EDIT_GET),
    "planning.send_to_review": ("POST", "/planning/revisions/{revision}/review", EDIT_POST),
    "planning.submit_to_ppk": ("POST", "/planning/revisions/{revision}/submit", EDIT_POST),
    "planning.return_plan": ("POST", "/planning/revisions/{revision}/return", EDIT_POST),
    "planning.adopt": (
        "GET",
        "/planning/revisions/{revision}/adopt",
        only({"hr_admin": 403, "sysadmin": 403, "unit_head": 403}, others=404),
    ),
    "planning.revise": (
        "POST",
        "/planning/{plan}/revise",
        only({"hr_admin": 303, "sysadmin": 303, "unit_head": 403}, others=404),
    ),
    "planning.diff": ("GET", "/planning/revisions/{revision}/diff", only(VIEW, others=404)),
    "planning.providers": ("GET", "/planning/providers", only(HR)),
    "planning.provider_create": ("GET", "/planning/providers/new", only(HR)),
    "planning.provider_edit": ("GET", "/planning/providers/{provider}", only(HR)),
    "planning.settings": ("GET", "/planning/settings", only(HR)),
    "planning.participation_page": (
        "GET",
        "/planning/revisions/{revision}/participation",
        only(VIEW, others=404),
    ),
    "planning.realisation_page": (
        "GET",
        "/planning/revisions/{revision}/realisation",
        only(VIEW, others=404),
    ),
    "planning.document_request": (
        "POST",
        "/planning/revisions/{revision}/documents/xlsx",
        only({"hr_admin": 303, "sysadmin": 303, "unit_head": 303}, others=404),
    ),
    "planning.document_download": ("GET", "/planning/documents/{document}", only(VIEW, others=404)),
}
