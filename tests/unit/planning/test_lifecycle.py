"""Review, submission, adoption by the definitive PPK only, freezing and numbered revisions."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.access.policy import principal_for
from app.accounts.models import User
from app.clock import local_today
from app.errors import ServiceError
from app.extensions import db
from app.planning import lifecycle, services
from app.planning.models import PlanItem, PlanStatus, Revision
from app.training.policy import acting_for
from tests.factories import ROLE_EMAILS
from tests.unit.planning.factories import HR, evidence, year
from tests.unit.training.factories import make_delegation


def _complete_plan(world) -> Revision:  # type: ignore[no-untyped-def]
    evidence(world)
    result = services.draft_plan(world.a.id, year(), HR)
    revision = db.session.get(Revision, result.revision_id)
    for item in db.session.scalars(select(PlanItem).where(PlanItem.revision_id == revision.id)):
        if item.key != "need:M.03:classical":
            services.set_item_status(revision, item, "deferred", "Next year", item.version, HR)
    services.save_settings(world.a.id, world.head_position.id, "Kepala Dinas Uji", "", "Kota A")
    return db.session.get(Revision, revision.id)


def _acting(email: str):  # type: ignore[no-untyped-def]
    user = db.session.scalar(select(User).where(User.email == email))
    return acting_for(principal_for(user), local_today())


def test_lifecycle_to_adoption_and_revision(ctx, world):
    revision = _complete_plan(world)
    lifecycle.send_to_review(revision, revision.version, HR)
    with pytest.raises(services.Frozen):
        services.ensure_editable(db.session.get(Revision, revision.id))
    revision = db.session.get(Revision, revision.id)
    lifecycle.submit_to_ppk(revision, revision.version, HR)
    revision = db.session.get(Revision, revision.id)
    # the Plt of the adopting position is refused, with the rule named
    delegate = make_delegation(world.head_position.id, world.staff2)
    db.session.commit()
    from tests.factories import make_user

    make_user("plt@test.example", delegate.delegate)
    db.session.commit()
    with pytest.raises(lifecycle.NotAllowed) as refused:
        lifecycle.adopt(
            revision, revision.version, _acting("plt@test.example"), "1/2026", local_today(), HR
        )
    assert "Plt/Plh" in str(refused.value.message) and refused.value.status == 403
    db.session.rollback()
    head = _acting(ROLE_EMAILS["unit_head"])
    revision = db.session.get(Revision, revision.id)
    lifecycle.adopt(revision, revision.version, head, "800/12/2026", date(year(), 1, 5), HR)
    revision = db.session.get(Revision, revision.id)
    assert revision.status == PlanStatus.ADOPTED and revision.decree_number == "800/12/2026"
    new = lifecycle.open_revision(revision.plan, "Budget cut", HR)
    assert new.number == 1 and new.status == PlanStatus.DRAFT
    copied = list(db.session.scalars(select(PlanItem).where(PlanItem.revision_id == new.id)))
    assert len(copied) == 2 and all(
        i.budget_line_id is None or i.budget_line_id != 0 for i in copied
    )
    item = next(i for i in copied if i.key == "need:M.03:classical")
    assert item.participants == 2
    services.set_item_status(new, item, "dropped", "Budget cut", item.version, HR)
    previous, changes = lifecycle.diff(new)
    assert previous.id == revision.id
    assert [c.kind for c in changes] == ["changed"] and changes[0].fields[0][0] == "status"


def test_incomplete_plan_cannot_be_submitted(ctx, world):
    evidence(world)
    result = services.draft_plan(world.a.id, year(), HR)
    revision = db.session.get(Revision, result.revision_id)
    with pytest.raises(ServiceError) as refused:
        lifecycle.send_to_review(revision, revision.version, HR)
    assert "belum lengkap" in str(refused.value.message)


def test_stale_transition_is_a_conflict(ctx, world):
    revision = _complete_plan(world)
    seen = revision.version
    lifecycle.send_to_review(revision, seen, HR)
    revision = db.session.get(Revision, revision.id)
    lifecycle.return_plan(revision, revision.version, "Check the targets", HR)
    revision = db.session.get(Revision, revision.id)
    with pytest.raises(services.Conflict):
        lifecycle.send_to_review(revision, seen, HR)
