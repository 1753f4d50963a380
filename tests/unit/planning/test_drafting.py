"""Drafting from the evidence, refreshing without losing HR's edits, completeness, budget."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.errors import ServiceError
from app.extensions import db
from app.needs.models import DevelopmentForm, NeedStatus
from app.planning import services
from app.planning.models import ChangeKind, ItemStatus, PlanChange, PlanItem, PlanTarget, Revision
from app.planning.services import ItemData
from tests.conftest import QueryCounter
from tests.unit.planning.factories import HR, evidence, need, year


def items_of(revision_id: int) -> dict[str, PlanItem]:
    db.session.expire_all()
    return {
        i.key: i
        for i in db.session.scalars(select(PlanItem).where(PlanItem.revision_id == revision_id))
    }


def test_draft_groups_needs_by_competency_and_form(ctx, world):
    ev = evidence(world)
    result = services.draft_plan(world.a.id, year(), HR)
    items = items_of(result.revision_id)
    assert set(items) == {"need:M.03:classical", "need:M.05:mentoring"}
    classical = items["need:M.03:classical"]
    assert classical.participants == 2 and classical.need_count == 2
    assert classical.program_id == ev.program_id and classical.unit_cost == 1_000_000
    assert classical.total_cost == 2_000_000 and classical.jp == 24
    assert classical.curriculum_conform is True and classical.provider_id is not None
    assert classical.budget_line_id is not None  # the OPD's line: both targets are in it
    assert classical.schedule_month == 6  # the program's event this year
    assert services.missing_parts(classical) == []
    mentoring = items["need:M.05:mentoring"]
    assert mentoring.participants == 1 and mentoring.program_id is None
    assert "provider" in services.missing_parts(mentoring)  # no mentoring program, no offer


def test_refresh_keeps_edits_and_lists_changes(ctx, world):
    evidence(world)
    first = services.draft_plan(world.a.id, year(), HR)
    revision = db.session.get(Revision, first.revision_id)
    item = items_of(revision.id)["need:M.03:classical"]
    services.save_item(
        revision,
        item,
        ItemData(
            title="Bimtek pelayanan prima",
            competency_code="M.03",
            form="classical",
            provider_id=item.provider_id,
            schedule_month=3,
            curriculum_conform=True,
            jp=30,
            unit_cost=750_000,
            budget_line_id=item.budget_line_id,
        ),
        item.version,
        HR,
    )
    need(world.kabid.id)  # a new need of the same group
    db.session.commit()
    second = services.draft_plan(world.a.id, year(), HR)
    assert second.added == 0 and second.targets_added == 1
    item = items_of(revision.id)["need:M.03:classical"]
    assert item.title == "Bimtek pelayanan prima" and item.jp == 30 and item.schedule_month == 3
    assert item.participants == 3 and item.total_cost == 3 * 750_000
    kinds = {c.kind for c in db.session.scalars(select(PlanChange))}
    assert ChangeKind.TARGETS in kinds


def test_split_targets_survive_refresh(ctx, world):
    evidence(world)
    result = services.draft_plan(world.a.id, year(), HR)
    revision = db.session.get(Revision, result.revision_id)
    item = items_of(revision.id)["need:M.03:classical"]
    target = db.session.scalars(select(PlanTarget).where(PlanTarget.item_id == item.id)).first()
    new = services.split_item(revision, item, [target.id], item.version, HR)
    services.draft_plan(world.a.id, year(), HR)
    items = items_of(revision.id)
    assert items["need:M.03:classical"].participants == 1
    assert items[new.key].participants == 1
    assert sum(i.participants for i in items.values()) == 3


def test_dropped_item_stays_dropped_and_unbacked_items_go(ctx, world):
    evidence(world)
    result = services.draft_plan(world.a.id, year(), HR)
    revision = db.session.get(Revision, result.revision_id)
    mentoring = items_of(revision.id)["need:M.05:mentoring"]
    with pytest.raises(ServiceError):
        services.set_item_status(revision, mentoring, "dropped", "", mentoring.version, HR)
    db.session.rollback()
    services.set_item_status(revision, mentoring, "dropped", "Not this year", mentoring.version, HR)
    # the M.03 needs are dismissed: the untouched drafted item disappears
    from app.needs.models import DevelopmentNeed

    for n in db.session.scalars(
        select(DevelopmentNeed).where(DevelopmentNeed.competency_code == "M.03")
    ):
        n.status = NeedStatus.DISMISSED
    db.session.commit()
    again = services.draft_plan(world.a.id, year(), HR)
    items = items_of(revision.id)
    assert "need:M.03:classical" not in items and again.removed == 1
    assert items["need:M.05:mentoring"].status == ItemStatus.DROPPED


def test_concurrent_edit_is_a_conflict(ctx, world):
    evidence(world)
    result = services.draft_plan(world.a.id, year(), HR)
    revision = db.session.get(Revision, result.revision_id)
    item = items_of(revision.id)["need:M.03:classical"]
    seen = item.version
    data = ItemData(title="A", competency_code="M.03", form="classical", unit_cost=1)
    services.save_item(revision, item, data, seen, HR)
    with pytest.raises(services.Conflict) as caught:
        services.save_item(revision, item, ItemData(title="B", competency_code="M.03"), seen, HR)
    assert caught.value.status == 409 and caught.value.by == "HR Uji"
    assert items_of(revision.id)["need:M.03:classical"].title == "A"


def test_budget_shortfall_is_reported(ctx, world):
    evidence(world, budget=1_500_000)
    result = services.draft_plan(world.a.id, year(), HR)
    over = services.budget_problems(result.revision_id)
    assert len(over) == 1 and over[0].shortfall == 500_000


def test_draft_statements_do_not_grow_with_needs(app, ctx, world):
    evidence(world)
    counter = QueryCounter(app)
    with counter:
        services.draft_plan(world.a.id, year(), HR)
    small = counter.count
    from app.org.models import Employee
    from tests.factories import make_employee, make_position

    position = make_position(db.session.get(type(world.bidang), world.bidang.id), "Analis")
    for n in range(40):
        employee = make_employee(position, f"Pegawai {n}")
        need(
            employee,
            "M.03" if n % 2 else "M.01",
            DevelopmentForm.CLASSICAL if n % 3 else DevelopmentForm.E_LEARNING,
        )
    db.session.commit()
    db.session.expire_all()
    counter = QueryCounter(app)
    with counter:
        services.draft_plan(world.a.id, year(), HR)
    assert counter.count <= small + 2, (small, counter.count)
    assert Employee
