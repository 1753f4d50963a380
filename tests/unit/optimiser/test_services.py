"""Scenarios on a drafted plan: run as a job, compare, apply; a refresh keeps the choice."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.jobs import Job, JobState
from app.optimiser import services, settings
from app.optimiser.models import Choice, ScenarioStatus
from app.planning import services as plan_services
from app.planning.models import ItemStatus, PlanItem, PlanTarget
from tests.unit.optimiser.factories import drafted, items_of
from tests.unit.planning.factories import HR, year


def test_scenario_runs_as_a_job_and_funds_within_the_budget(ctx, world):
    revision = drafted(world)
    scenario = services.create_scenario(revision, "As is", 1.0, 0, HR)
    job = db.session.get(Job, scenario.job_id)
    assert job is not None and job.state == JobState.SUCCEEDED
    scenario = services.reload(scenario.id)
    assert scenario.status == ScenarioStatus.DONE
    assert scenario.solver.startswith("HiGHS")
    assert scenario.needs_total == 3 and scenario.needs_funded == 3
    assert scenario.optimality_gap is not None and scenario.optimality_gap <= 0.01
    assert scenario.cost <= scenario.budget
    rows = db.session.scalars(select(Choice).where(Choice.scenario_id == scenario.id)).all()
    assert {r.reason for r in rows} <= {"funded_ratio", "funded_reach"}


def test_tight_budget_moves_needs_to_cheaper_forms_and_apply_keeps_on_refresh(ctx, world):
    revision = drafted(world, budget=1_500_000, cost=1_000_000)
    # 1.5 M: one classical seat (1 M) plus one e-learning (0.3 M) or mentoring (0.25 M).
    scenario = services.create_scenario(revision, "Tight", 1.0, 0, HR)
    scenario = services.reload(scenario.id)
    assert scenario.status == ScenarioStatus.DONE
    assert scenario.cost <= 1_500_000
    forms = dict(
        db.session.execute(
            select(Choice.need_id, Choice.form).where(Choice.scenario_id == scenario.id)
        ).all()
    )
    assert sorted(f or "-" for f in forms.values()).count("classical") == 1
    summary = services.apply(scenario, HR)
    assert summary["moved"] >= 1
    items = items_of(revision.id)
    placed = dict(
        db.session.execute(
            select(PlanTarget.need_id, PlanItem.form)
            .join(PlanItem, PlanItem.id == PlanTarget.item_id)
            .where(PlanItem.revision_id == revision.id, PlanItem.status == ItemStatus.ACTIVE)
        ).all()
    )
    assert placed == {k: v for k, v in forms.items() if v is not None}
    active_cost = sum(i.total_cost for i in items.values() if i.status == ItemStatus.ACTIVE)
    assert active_cost <= 1_500_000
    # A refresh of the plan keeps the choice.
    plan_services.draft_plan(world.a.id, year(), HR)
    again = dict(
        db.session.execute(
            select(PlanTarget.need_id, PlanItem.form)
            .join(PlanItem, PlanItem.id == PlanTarget.item_id)
            .where(PlanItem.revision_id == revision.id, PlanItem.status == ItemStatus.ACTIVE)
        ).all()
    )
    assert again == placed


def test_missing_cost_is_refused_with_the_item_named(ctx, world):
    revision = drafted(world)
    item = items_of(revision.id)["need:M.03:classical"]
    item.unit_cost = None
    db.session.commit()
    scenario = services.reload(services.create_scenario(revision, "x", 1.0, 0, HR).id)
    assert scenario.status == ScenarioStatus.REFUSED
    [problem] = services.load_notes(scenario.conflicts)
    assert problem.code == "missing_cost" and problem.params["item"]


def test_mandatory_item_over_the_budget_is_infeasible(ctx, world):
    revision = drafted(world, budget=1_000_000, cost=1_000_000)
    settings.save_rules(world.a.id, 80, 20, 0, 10, 1, ["need:M.03:classical"])
    scenario = services.reload(services.create_scenario(revision, "x", 1.0, 0, HR).id)
    assert scenario.status == ScenarioStatus.INFEASIBLE
    [conflict] = services.load_notes(scenario.conflicts)
    assert conflict.code == "mandatory_over_line" and conflict.params["cost"] == 2_000_000


def test_partner_funding_pays_for_more(ctx, world):
    revision = drafted(world, budget=0, cost=1_000_000)
    base = services.reload(services.create_scenario(revision, "Zero", 1.0, 0, HR).id)
    more = services.reload(services.create_scenario(revision, "Partner", 1.0, 5_000_000, HR).id)
    assert more.gap_closed > base.gap_closed
    services.apply(more, HR)
    lines = plan_services.budget_lines(revision.id)
    partner = [u for u in lines if u.line.source.value == "partner"]
    assert partner and partner[0].planned > 0 and partner[0].shortfall == 0


def _add_needs(world, count: int) -> None:  # type: ignore[no-untyped-def]
    from app.needs.models import DevelopmentForm
    from tests.factories import make_employee, make_position
    from tests.unit.planning.factories import need

    position = make_position(db.session.get(type(world.bidang), world.bidang.id), "Analis")
    for n in range(count):
        employee = make_employee(position, f"Pegawai {n}")
        need(employee, "M.03" if n % 2 else "M.01",
             DevelopmentForm.CLASSICAL if n % 3 else DevelopmentForm.E_LEARNING)  # fmt: skip
    db.session.commit()


def test_statements_do_not_grow_with_needs(app, ctx, world):
    from sqlalchemy import update

    from tests.conftest import QueryCounter

    def counted(action):  # type: ignore[no-untyped-def]
        db.session.expire_all()
        counter = QueryCounter(app)
        with counter:
            result = action()
        return result, counter.count

    def measure(revision) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
        _built, build = counted(lambda: services.build_instance(revision))
        scenario, run = counted(lambda: services.create_scenario(revision, "n", 0.5, 0, HR))
        scenario = services.reload(scenario.id)
        _summary, apply = counted(lambda: services.apply(scenario, HR))
        return build, run, apply

    revision = drafted(world, budget=1_000_000)
    small = measure(revision)
    _add_needs(world, 40)
    plan_services.draft_plan(world.a.id, year(), HR)
    db.session.execute(
        update(PlanItem)
        .where(PlanItem.revision_id == revision.id, PlanItem.unit_cost.is_(None))
        .values(unit_cost=0)
    )
    db.session.commit()
    large = measure(revision)
    assert all(b <= a + 1 for a, b in zip(small[:2], large[:2], strict=True)), (small, large)
    # apply issues each of its statements at most once, whichever branches the data takes
    assert large[2] <= APPLY_STATEMENTS and small[2] <= APPLY_STATEMENTS, (small, large)


APPLY_STATEMENTS = 22
