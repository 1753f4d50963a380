"""Programs flagged for review by the evaluation, in the plan: items, checks and drafting."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.planning import queries, services
from app.planning.models import PlanItem, Revision
from tests.conftest import QueryCounter
from tests.unit.evaluation.factories import rated_program
from tests.unit.evaluation.test_feeds import LOW
from tests.unit.planning.factories import HR, evidence, need, year
from tests.unit.training.factories import make_program


def test_drafting_marks_items_of_a_flagged_program(ctx, world):
    found = evidence(world)
    rated_program(world, [LOW] * 5, program_id=found.program_id)
    result = services.draft_plan(world.a.id, year(), HR)
    assert result.flagged == 1 and result.summary()["flagged"] == 1
    revision = db.session.get(Revision, result.revision_id)
    view = queries.plan_view(revision)
    assert [row.flag.program_id for row in view.flagged] == [found.program_id]
    row = view.flagged[0]
    assert row.flag.satisfaction == 2.75 and row.flag.responses == 5
    assert not [g for g in view.gaps if g.id == row.id]  # a warning, not a missing content


def test_unflagged_program_is_not_marked(ctx, world):
    evidence(world)
    result = services.draft_plan(world.a.id, year(), HR)
    assert result.flagged == 0
    assert queries.plan_view(db.session.get(Revision, result.revision_id)).flagged == []


def _flag_items(world, revision_id: int, count: int) -> None:
    """`count` more items in the plan, each with its own flagged program."""
    for n in range(count):
        program = make_program(world.a.id, code=f"FL-{n}", competencies=(("M.01", 3),))
        rated_program(world, [LOW] * 5, program_id=program.id)
        db.session.add(
            PlanItem(
                revision_id=revision_id,
                key=f"manual:flag-{n}",
                origin="manual",
                title=f"Item {n}",
                program_id=program.id,
            )
        )
    db.session.commit()


def test_plan_view_statements_do_not_grow_with_flagged_items(app, ctx, world):
    found = evidence(world)
    rated_program(world, [LOW] * 5, program_id=found.program_id)
    revision_id = services.draft_plan(world.a.id, year(), HR).revision_id
    db.session.expire_all()
    with QueryCounter(app) as small:
        assert len(queries.plan_view(db.session.get(Revision, revision_id)).flagged) == 1
    _flag_items(world, revision_id, 6)
    need(world.staff.id, "M.01")
    db.session.commit()
    db.session.expire_all()
    with QueryCounter(app) as large:
        assert len(queries.plan_view(db.session.get(Revision, revision_id)).flagged) == 7
    assert large.count == small.count, (small.count, large.count)
    assert db.session.scalar(select(PlanItem.id).where(PlanItem.key == "manual:flag-0"))


def test_a_flagged_item_warns_but_does_not_block_the_review(ctx, world):
    from app.planning import lifecycle
    from tests.unit.planning.test_lifecycle import _complete_plan

    revision = _complete_plan(world)
    program_id = db.session.scalar(
        select(PlanItem.program_id).where(PlanItem.key == "need:M.03:classical")
    )
    rated_program(world, [LOW] * 5, program_id=program_id)
    revision = db.session.get(Revision, revision.id)
    assert len(queries.plan_view(revision).flagged) == 1
    assert lifecycle.submission_problems(revision) == []
    lifecycle.send_to_review(revision, revision.version, HR)
    assert db.session.get(Revision, revision.id).status.value == "review"
