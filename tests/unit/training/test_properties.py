"""Property-based: any sequence of actions keeps the audit trail, state, seats and budget in step.

Hypothesis drives random sequences of decisions by random people (approvers, the nominee, an
outsider, a stale tab); refused actions must change nothing, accepted ones exactly one thing.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.errors import ServiceError
from app.extensions import db
from app.training.models import (
    BudgetCommitment,
    BudgetLine,
    Capacity,
    Nomination,
    NominationAction,
    NominationState,
    NominationStep,
    Participation,
    RejectReason,
    StepStatus,
    TrainingEvent,
)
from app.training.workflow import Decision, decide, nominate, reconstruct, resubmit, withdraw
from tests.conftest import empty_all_tables
from tests.factories import ROLE_EMAILS, build_users, build_world
from tests.unit.training.factories import JUSTIFY, build_training, user_actor

PEOPLE = ["supervisor", "unit_head", "hr_admin", "employee", "mentor"]
OPS = ["approve", "approve", "approve", "reject", "return", "withdraw", "resubmit", "stale"]
SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def act(nomination_id: int, who: str, op: str) -> None:
    db.session.expire_all()
    nomination = db.session.get(Nomination, nomination_id)
    actor = user_actor(ROLE_EMAILS[who])
    version = nomination.version
    if op == "stale":
        decide(actor, nomination_id, Decision.APPROVE, version - 1)
    elif op == "approve":
        decide(actor, nomination_id, Decision.APPROVE, version)
    elif op == "reject":
        decide(actor, nomination_id, Decision.REJECT, version, None, RejectReason.OTHER, "no")
    elif op == "return":
        decide(actor, nomination_id, Decision.RETURN, version, comment="please revise")
    elif op == "withdraw":
        withdraw(actor, nomination_id, version)
    else:
        resubmit(actor, nomination_id, version, JUSTIFY + " (revised)")


def snapshot(nomination_id: int) -> tuple[object, ...]:
    db.session.expire_all()
    nomination = db.session.get(Nomination, nomination_id)
    rows = db.session.scalar(
        select(func.count())
        .select_from(NominationAction)
        .where(NominationAction.nomination_id == nomination_id)
    )
    return nomination.state, nomination.version, nomination.round, rows


def check_invariants(nomination_id: int, event_id: int, line_id: int) -> None:
    db.session.expire_all()
    nomination = db.session.get(Nomination, nomination_id)
    rebuilt = reconstruct(nomination_id)
    assert rebuilt.state == nomination.state
    assert rebuilt.round == nomination.round
    steps = db.session.scalars(
        select(NominationStep).where(NominationStep.nomination_id == nomination_id)
    ).all()
    decided = {
        (s.round, s.step_no): s.status
        for s in steps
        if s.status
        in (StepStatus.APPROVED, StepStatus.REJECTED, StepStatus.RETURNED, StepStatus.SKIPPED)
    }
    assert decided == rebuilt.steps
    people = db.session.scalar(
        select(func.count())
        .select_from(NominationAction)
        .where(
            NominationAction.nomination_id == nomination_id,
            NominationAction.capacity != Capacity.SYSTEM,
        )
    )
    assert nomination.version == people  # every decision by a person bumps the version once
    open_steps = [s for s in steps if s.status == StepStatus.PENDING]
    if nomination.state == NominationState.PENDING:
        assert len(open_steps) == 1 and open_steps[0].step_no == nomination.current_step_no
    else:
        assert not open_steps and nomination.current_step_no is None
    approved = nomination.state == NominationState.APPROVED
    assert db.session.get(TrainingEvent, event_id).seats_taken == int(approved)
    assert db.session.get(BudgetLine, line_id).committed == (nomination.cost if approved else 0)
    assert db.session.scalar(select(func.count()).select_from(Participation)) == int(approved)
    assert db.session.scalar(select(func.count()).select_from(BudgetCommitment)) == int(approved)


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(PEOPLE), st.sampled_from(OPS)), max_size=12))
def test_any_sequence_keeps_audit_state_seats_and_budget_consistent(ctx, script):
    empty_all_tables()
    world = build_world()
    build_users(world)
    training = build_training(world)
    nomination_id = nominate(
        user_actor(ROLE_EMAILS["supervisor"]), training.event_id, world.staff.id, JUSTIFY
    ).id
    check_invariants(nomination_id, training.event_id, training.budget_id)
    for who, op in script:
        before = snapshot(nomination_id)
        try:
            act(nomination_id, who, op)
        except ServiceError:
            assert snapshot(nomination_id) == before  # a refusal changes nothing
        else:
            after = snapshot(nomination_id)
            assert after[1] == before[1] + 1  # exactly one transition
        check_invariants(nomination_id, training.event_id, training.budget_id)


@SETTINGS
@given(
    costs=st.lists(st.integers(min_value=0, max_value=5), min_size=1, max_size=5),
    amount=st.integers(min_value=0, max_value=12),
    quota=st.integers(min_value=1, max_value=5),
)
def test_final_approvals_never_exceed_budget_or_quota(ctx, costs, amount, quota):
    """Approving in order: each final approval is accepted exactly when seat and money remain."""
    empty_all_tables()
    world = build_world()
    build_users(world)
    training = build_training(world, quota=quota, budget=amount * 1_000_000)
    event = db.session.get(TrainingEvent, training.event_id)
    from tests.factories import make_employee

    expected_spent, expected_seats = 0, 0
    for index, cost in enumerate(costs):
        employee = make_employee(db.session.merge(world.staff_position), f"Calon {index}")
        db.session.commit()
        nomination = nominate(user_actor(ROLE_EMAILS["supervisor"]), event.id, employee.id, JUSTIFY)
        db.session.execute(
            Nomination.__table__.update()
            .where(Nomination.__table__.c.id == nomination.id)
            .values(cost=cost * 1_000_000)
        )
        db.session.commit()
        for who in ("supervisor", "unit_head"):
            act(nomination.id, who, "approve")
        fits = expected_seats < quota and expected_spent + cost <= amount
        try:
            act(nomination.id, "hr_admin", "approve")
        except ServiceError:
            assert not fits
        else:
            assert fits
            expected_spent += cost
            expected_seats += 1
    db.session.expire_all()
    assert db.session.get(BudgetLine, training.budget_id).committed == expected_spent * 1_000_000
    assert db.session.get(TrainingEvent, event.id).seats_taken == expected_seats
    assert expected_spent <= amount and expected_seats <= quota
