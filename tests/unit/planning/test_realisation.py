"""Following the plan: nominations from a need covered by an item link to it, and the item's
realised figures move as the nomination is approved and completed; risks; outside the plan."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from app.clock import frozen
from app.extensions import db
from app.needs.models import DevelopmentNeed
from app.planning import services
from app.planning.models import PlanItem, Revision
from app.planning.realisation import RISK_BUDGET, RISK_NO_EVENT, realisation
from app.training.models import Attendance, Completion, Nomination, Participation, TrainingEvent
from app.training.services import EventData, record_participation, save_event
from app.training.workflow import Decision, decide, nominate, nominate_from_needs
from tests.conftest import QueryCounter
from tests.factories import ROLE_EMAILS
from tests.unit.planning.factories import HR, evidence, need, year
from tests.unit.training.factories import user_actor


def _approve(nomination_id: int) -> None:
    for role in ("supervisor", "unit_head", "hr_admin"):
        db.session.expire_all()
        current = db.session.get(Nomination, nomination_id)
        decide(user_actor(ROLE_EMAILS[role]), current.id, Decision.APPROVE, current.version)


def _row(revision: Revision, key: str):  # type: ignore[no-untyped-def]
    db.session.expire_all()
    view = realisation(db.session.get(Revision, revision.id))
    item_id = db.session.scalar(
        select(PlanItem.id).where(PlanItem.revision_id == revision.id, PlanItem.key == key)
    )
    return view, next(row for row in view.rows if row.item_id == item_id)


def test_figures_move_when_a_nomination_under_an_item_completes(ctx, world):
    with frozen(datetime(year(), 1, 10, 3, tzinfo=UTC)) as clock:
        ev = evidence(world)
        result = services.draft_plan(world.a.id, year(), HR)
        revision = db.session.get(Revision, result.revision_id)
        key = "need:M.03:classical"
        view, row = _row(revision, key)
        assert row.planned_participants == 2 and row.planned_cost == 2_000_000
        assert row.realised.approved == 0 and row.realised.completed == 0
        assert row.risks == ()  # June has the program's event; the line holds the cost

        need_id = db.session.scalar(
            select(DevelopmentNeed.id).where(DevelopmentNeed.employee_id == world.staff.id)
        )
        done = nominate_from_needs(user_actor(ROLE_EMAILS["hr_admin"]), ev.event_id, [need_id])
        nomination = db.session.get(Nomination, done.done[0])
        assert nomination.plan_item_id == row.item_id  # linked through the need
        _approve(nomination.id)
        view, row = _row(revision, key)
        assert row.realised.approved == 1 and row.realised.committed == 1_000_000
        assert row.realised.completed == 0 and row.realised.spent == 0

        clock.set(datetime(year(), 6, 5, 3, tzinfo=UTC))
        participation = db.session.scalar(
            select(Participation).where(Participation.nomination_id == nomination.id)
        )
        record_participation(
            user_actor(ROLE_EMAILS["hr_admin"]), participation, Attendance.PRESENT,
            Completion.COMPLETED, "STTPP-9",
        )  # fmt: skip
        view, row = _row(revision, key)
        assert row.realised.completed == 1 and row.realised.jp_credited == 24
        assert row.realised.spent == 1_000_000
        assert view.totals["completed"] == 1 and view.outside_plan == 0


def test_outside_the_plan_is_allowed_and_counted(ctx, world):
    with frozen(datetime(year(), 1, 10, 3, tzinfo=UTC)):
        ev = evidence(world)
        result = services.draft_plan(world.a.id, year(), HR)
        revision = db.session.get(Revision, result.revision_id)
        reason = "Needed for the new public-service standard in the bidang."
        outside = nominate(
            user_actor(ROLE_EMAILS["supervisor"]), ev.event_id, world.staff.id, reason
        )
        assert outside.plan_item_id is None
        db.session.commit()
        assert realisation(revision).outside_plan == 1
        # an event chosen for an item carries its nominations into the plan
        item_id = db.session.scalar(
            select(PlanItem.id).where(PlanItem.key == "need:M.03:classical")
        )
        event = db.session.get(TrainingEvent, ev.event_id)
        save_event(
            event.program,
            EventData(event.batch_code, event.start_date, event.end_date, event.quota, "Aula",
                      plan_item_id=item_id),
            existing=event,
        )  # fmt: skip
        linked = nominate(user_actor(ROLE_EMAILS["hr_admin"]), ev.event_id, world.staff2.id, reason)
        assert linked.plan_item_id == item_id


def test_risks_no_event_in_the_month_and_exhausted_line(ctx, world):
    with frozen(datetime(year(), 1, 10, 3, tzinfo=UTC)):
        evidence(world, budget=1_500_000)  # less than the item's 2,000,000
        result = services.draft_plan(world.a.id, year(), HR)
        revision = db.session.get(Revision, result.revision_id)
        item = db.session.scalar(select(PlanItem).where(PlanItem.key == "need:M.03:classical"))
        services.save_item(
            revision, item,
            services.ItemData(
                title=item.title, competency_code="M.03", form="classical",
                provider_id=item.provider_id, schedule_month=9, curriculum_conform=True,
                jp=item.jp, unit_cost=item.unit_cost, budget_line_id=item.budget_line_id,
            ),
            item.version, HR,
        )  # fmt: skip
        _view, row = _row(revision, "need:M.03:classical")
        assert set(row.risks) == {RISK_NO_EVENT, RISK_BUDGET}


def test_realisation_statements_do_not_grow_with_items(ctx, world):
    with frozen(datetime(year(), 1, 10, 3, tzinfo=UTC)):
        evidence(world)
        revision = db.session.get(Revision, services.draft_plan(world.a.id, year(), HR).revision_id)
        with QueryCounter(ctx) as small:
            realisation(revision)
        for code in ("M.01", "M.02", "M.04", "M.06"):
            need(world.staff.id, code)
        db.session.commit()
        services.draft_plan(world.a.id, year(), HR)
        revision = db.session.get(Revision, revision.id)
        with QueryCounter(ctx) as large:
            view = realisation(revision)
        assert len(view.rows) > 3
        assert large.count == small.count
