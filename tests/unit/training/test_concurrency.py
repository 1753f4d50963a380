"""Two heads (or two tabs) deciding at the same moment: exactly one wins, on SQLite and PostgreSQL.

Each thread has its own app context, so its own session and connection. Both first read the
nomination (what their page showed), then meet at a barrier and decide at once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.training.models import (
    ActionKind,
    BudgetLine,
    DelegationKind,
    Nomination,
    NominationAction,
    NominationState,
    TrainingEvent,
)
from app.training.workflow import AlreadyDecided, Decision, TransitionRefused, decide, nominate
from tests.factories import ROLE_EMAILS, build_users, build_world, make_employee
from tests.unit.training.factories import (
    build_training,
    employee_actor,
    make_delegation,
    user_actor,
)

pytestmark = pytest.mark.slow

JUSTIFY = "Needed for the new public-service standard in the bidang."


def race(app, jobs: list[Callable[[], object]]) -> list[object]:
    """Run the jobs in threads released together; each result is a value or the exception."""
    barrier = threading.Barrier(len(jobs), timeout=30)
    results: list[object] = [None] * len(jobs)

    def run(index: int, job: Callable[[], object]) -> None:
        with app.app_context():
            try:
                prepare = job()  # reads what the user's page showed, returns the decision
                db.session.rollback()  # end the read transaction before the race
                barrier.wait()
                results[index] = prepare()  # type: ignore[operator]
            except Exception as error:
                results[index] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def approve_through(app, nomination_id: int, emails: list[str]) -> None:
    with app.app_context():
        for email in emails:
            nomination = db.session.get(Nomination, nomination_id)
            decide(user_actor(email), nomination_id, Decision.APPROVE, nomination.version)
            db.session.expire_all()
        db.session.remove()


@pytest.fixture
def world_with_plh(app):
    with app.app_context():
        world = build_world()
        build_users(world)
        training = build_training(world)
        deputy = make_employee(world.kabid_position, "Plh Kepala Dinas")
        make_delegation(world.head_position.id, deputy, DelegationKind.PLH)
        db.session.commit()
        nomination = nominate(
            user_actor(ROLE_EMAILS["supervisor"]), training.event_id, world.staff.id, JUSTIFY
        )
        ids = {"nomination": nomination.id, "deputy": deputy.id, "event": training.event_id}
        ids["budget"] = training.budget_id
        ids["staff2"] = world.staff2.id
        db.session.remove()
    approve_through(app, ids["nomination"], [ROLE_EMAILS["supervisor"]])
    return ids


def decider(nomination_id: int, make_actor: Callable[[], object], decision: Decision):
    def job():
        actor = make_actor()
        version = db.session.get(Nomination, nomination_id).version

        def act():
            kwargs = {}
            if decision == Decision.REJECT:
                from app.training.models import RejectReason

                kwargs = {"reason": RejectReason.WORKLOAD}
            decide(actor, nomination_id, decision, version, 2, **kwargs)
            return "won"

        return act

    return job


def test_head_and_plh_deciding_together_exactly_one_wins(app, world_with_plh):
    ids = world_with_plh
    nomination_id = ids["nomination"]
    results = race(
        app,
        [
            decider(nomination_id, lambda: user_actor(ROLE_EMAILS["unit_head"]), Decision.APPROVE),
            decider(nomination_id, lambda: employee_actor(ids["deputy"]), Decision.REJECT),
        ],
    )
    winners = [r for r in results if r == "won"]
    losers = [r for r in results if isinstance(r, AlreadyDecided)]
    assert len(winners) == 1 and len(losers) == 1, results
    with app.app_context():
        nomination = db.session.get(Nomination, nomination_id)
        rows = list(
            db.session.scalars(
                select(NominationAction).where(
                    NominationAction.nomination_id == nomination_id,
                    NominationAction.step_no == 2,
                    NominationAction.action.in_([ActionKind.APPROVE, ActionKind.REJECT]),
                )
            )
        )
        assert len(rows) == 1  # no double transition
        assert losers[0].actor_name == rows[0].actor_name  # told who decided
        assert losers[0].at is not None  # and when
        expected = (
            NominationState.PENDING
            if rows[0].action == ActionKind.APPROVE
            else NominationState.REJECTED
        )
        assert nomination.state == expected
        assert nomination.version == 3  # submit=1, step 1 → 2, one decision → 3
        db.session.remove()


def test_the_same_head_in_two_tabs_approves_once(app, world_with_plh):
    nomination_id = world_with_plh["nomination"]
    head = lambda: user_actor(ROLE_EMAILS["unit_head"])  # noqa: E731
    results = race(
        app,
        [
            decider(nomination_id, head, Decision.APPROVE),
            decider(nomination_id, head, Decision.APPROVE),
        ],
    )
    assert sorted(type(r).__name__ for r in results) == ["AlreadyDecided", "str"], results
    with app.app_context():
        approvals = db.session.scalar(
            select(func.count())
            .select_from(NominationAction)
            .where(
                NominationAction.nomination_id == nomination_id,
                NominationAction.action == ActionKind.APPROVE,
                NominationAction.step_no == 2,
            )
        )
        assert approvals == 1
        db.session.remove()


def test_two_final_approvals_for_the_last_seat(app):
    """Two different nominations, one seat: the quota holds under a race."""
    with app.app_context():
        world = build_world()
        build_users(world)
        training = build_training(world, quota=1)
        ids = []
        for employee in (world.staff, world.staff2):
            nomination = nominate(
                user_actor(ROLE_EMAILS["supervisor"]), training.event_id, employee.id, JUSTIFY
            )
            ids.append(nomination.id)
        db.session.remove()
    for nomination_id in ids:
        approve_through(app, nomination_id, [ROLE_EMAILS["supervisor"], ROLE_EMAILS["unit_head"]])

    def final(nomination_id: int):
        def job():
            actor = user_actor(ROLE_EMAILS["hr_admin"])
            version = db.session.get(Nomination, nomination_id).version

            def act():
                decide(actor, nomination_id, Decision.APPROVE, version, 3)
                return "won"

            return act

        return job

    results = race(app, [final(ids[0]), final(ids[1])])
    assert sorted(type(r).__name__ for r in results) == ["TransitionRefused", "str"], results
    refused = next(r for r in results if isinstance(r, TransitionRefused))
    assert not isinstance(refused, AlreadyDecided)
    with app.app_context():
        event = db.session.get(TrainingEvent, training.event_id)
        assert event.seats_taken == 1
        states = sorted(db.session.get(Nomination, i).state.value for i in ids)
        assert states == ["approved", "pending"]
        line = db.session.get(BudgetLine, training.budget_id)
        assert line.committed == 1_000_000
        db.session.remove()
