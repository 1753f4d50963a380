"""The approval chain: steps in order, approvers from the tree, refusals that change nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.clock import local_today
from app.errors import ValidationFailed
from app.extensions import db
from app.training.models import (
    ActionKind,
    BudgetCommitment,
    BudgetLine,
    Capacity,
    DelegationKind,
    Nomination,
    NominationAction,
    NominationState,
    NominationStep,
    Participation,
    RejectReason,
    StepKind,
    StepStatus,
    TrainingEvent,
)
from app.training.workflow import (
    AlreadyDecided,
    Decision,
    NotAllowed,
    TransitionRefused,
    decide,
    nominate,
    reconstruct,
    resubmit,
    withdraw,
)
from tests.factories import ROLE_EMAILS, build_users, build_world, make_employee
from tests.unit.training.factories import (
    build_training,
    employee_actor,
    make_delegation,
    reload,
    user_actor,
)

JUSTIFY = "Needed for the new public-service standard in the bidang."


@pytest.fixture
def setup(ctx):
    world = build_world()
    build_users(world)
    training = build_training(world)
    return world, training


def steps_of(nomination: Nomination) -> list[NominationStep]:
    return list(
        db.session.scalars(
            select(NominationStep)
            .where(NominationStep.nomination_id == nomination.id)
            .order_by(NominationStep.round, NominationStep.step_no)
        )
    )


def actions_of(nomination: Nomination) -> list[NominationAction]:
    return list(
        db.session.scalars(
            select(NominationAction)
            .where(NominationAction.nomination_id == nomination.id)
            .order_by(NominationAction.id)
        )
    )


def submit(world, training, email=ROLE_EMAILS["supervisor"], employee=None) -> Nomination:
    return nominate(user_actor(email), training.event_id, (employee or world.staff).id, JUSTIFY)


def approve(email: str, nomination: Nomination, step: int | None = None) -> Nomination:
    nomination = reload(nomination)
    return decide(
        user_actor(email),
        nomination.id,
        Decision.APPROVE,
        expected_version=nomination.version,
        expected_step=step if step is not None else nomination.current_step_no,
    )


def test_steps_open_in_order_with_approvers_from_the_tree(setup):
    world, training = setup
    nomination = submit(world, training)
    steps = steps_of(nomination)
    assert [s.kind for s in steps] == [StepKind.SUPERVISOR, StepKind.OPD_HEAD, StepKind.HR]
    assert [s.status for s in steps] == [StepStatus.PENDING, StepStatus.WAITING, StepStatus.WAITING]
    assert steps[0].approver_position_id == world.kabid_position.id
    assert steps[0].approver_employee_id == world.kabid.id
    assert steps[1].approver_position_id is None  # resolved only when the step opens

    nomination = approve(ROLE_EMAILS["supervisor"], nomination)
    steps = steps_of(nomination)
    assert steps[1].status == StepStatus.PENDING
    assert steps[1].approver_position_id == world.head_position.id
    assert nomination.current_step_no == 2

    approve(ROLE_EMAILS["unit_head"], nomination)
    nomination = approve(ROLE_EMAILS["hr_admin"], nomination)
    assert nomination.state == NominationState.APPROVED
    assert nomination.current_step_no is None
    event = db.session.get(TrainingEvent, training.event_id)
    assert event.seats_taken == 1
    line = db.session.get(BudgetLine, training.budget_id)
    assert line.committed == 1_000_000
    assert db.session.scalar(select(func.count()).select_from(Participation)) == 1
    trail = actions_of(nomination)
    assert [a.action for a in trail] == [
        ActionKind.SUBMIT,
        ActionKind.APPROVE,
        ActionKind.APPROVE,
        ActionKind.APPROVE,
    ]
    assert [a.capacity for a in trail[1:]] == [
        Capacity.DEFINITIVE,
        Capacity.DEFINITIVE,
        Capacity.HR,
    ]
    assert trail[2].position_name == "Kepala Dinas"
    assert trail[-1].to_state == NominationState.APPROVED


def test_same_approver_twice_is_approved_once_and_missing_approver_is_skipped(setup):
    world, training = setup
    # The kabid's supervisor is the head of the OPD: step 2 follows step 1 automatically.
    nomination = nominate(
        user_actor(ROLE_EMAILS["unit_head"]), training.event_id, world.kabid.id, JUSTIFY
    )
    nomination = approve(ROLE_EMAILS["unit_head"], nomination)
    steps = steps_of(nomination)
    assert [s.status for s in steps] == [
        StepStatus.APPROVED,
        StepStatus.APPROVED,
        StepStatus.PENDING,
    ]
    assert actions_of(nomination)[-1].action == ActionKind.AUTO_APPROVE
    # The head has nobody above: supervisor and head-of-OPD steps are skipped, HR decides.
    own = nominate(user_actor(ROLE_EMAILS["unit_head"]), training.event_id, world.head.id, JUSTIFY)
    assert [s.status for s in steps_of(own)] == [
        StepStatus.SKIPPED,
        StepStatus.SKIPPED,
        StepStatus.PENDING,
    ]
    assert own.current_step_no == 3


def test_acting_without_being_the_approver_is_refused_and_changes_nothing(setup):
    world, training = setup
    nomination = submit(world, training)
    for email in (ROLE_EMAILS["unit_head"], ROLE_EMAILS["hr_admin"], ROLE_EMAILS["mentor"]):
        with pytest.raises(NotAllowed) as refused:
            decide(user_actor(email), nomination.id, Decision.APPROVE, expected_version=1)
        assert "bukan pemberi persetujuan" in str(refused.value.message)
    assert "Kepala Bidang" in str(refused.value.message)
    nomination = reload(nomination)
    assert nomination.version == 1 and len(actions_of(nomination)) == 1


def test_skipping_a_step_is_refused(setup):
    world, training = setup
    nomination = submit(world, training)
    with pytest.raises(TransitionRefused) as refused:
        decide(
            user_actor(ROLE_EMAILS["unit_head"]),
            nomination.id,
            Decision.APPROVE,
            expected_version=1,
            expected_step=2,
        )
    assert "berurutan" in str(refused.value.message)
    assert steps_of(reload(nomination))[1].status == StepStatus.WAITING


def test_nobody_approves_their_own_nomination_even_as_plt(setup):
    world, training = setup
    # The kabid is Plt of the head's position; their own nomination reaches that position.
    make_delegation(world.head_position.id, world.kabid)
    db.session.commit()
    nomination = submit(world, training, ROLE_EMAILS["supervisor"], world.kabid)
    nomination = reload(nomination)
    step = steps_of(nomination)[nomination.current_step_no - 1]
    assert step.approver_position_id == world.head_position.id
    with pytest.raises(NotAllowed) as refused:
        decide(
            user_actor(ROLE_EMAILS["supervisor"]),
            nomination.id,
            Decision.APPROVE,
            expected_version=nomination.version,
        )
    assert "own nomination" in str(refused.value.message) or "sendiri" in str(refused.value.message)


def test_approving_a_rejected_nomination_is_refused(setup):
    world, training = setup
    nomination = submit(world, training)
    nomination = decide(
        user_actor(ROLE_EMAILS["supervisor"]),
        nomination.id,
        Decision.REJECT,
        expected_version=1,
        reason=RejectReason.WORKLOAD,
        comment="",
    )
    assert nomination.state == NominationState.REJECTED
    version = nomination.version
    with pytest.raises(TransitionRefused) as refused:
        decide(
            user_actor(ROLE_EMAILS["supervisor"]),
            nomination.id,
            Decision.APPROVE,
            expected_version=version,
        )
    assert not isinstance(refused.value, AlreadyDecided)
    nomination = reload(nomination)
    assert nomination.state == NominationState.REJECTED and nomination.version == version
    assert [s.status for s in steps_of(nomination)] == [
        StepStatus.REJECTED,
        StepStatus.CANCELLED,
        StepStatus.CANCELLED,
    ]


def test_stale_page_is_told_who_decided_and_when(setup):
    world, training = setup
    nomination = submit(world, training)
    approve(ROLE_EMAILS["supervisor"], nomination)
    with pytest.raises(AlreadyDecided) as refused:
        decide(
            user_actor(ROLE_EMAILS["supervisor"]),
            nomination.id,
            Decision.REJECT,
            expected_version=1,
            reason=RejectReason.OTHER,
            comment="too late",
        )
    assert refused.value.actor_name == "Kepala Bidang Uji"
    assert refused.value.at is not None
    assert "Kepala Bidang Uji" in str(refused.value.message)


def test_decision_input_is_checked(setup):
    world, training = setup
    nomination = submit(world, training)
    supervisor = user_actor(ROLE_EMAILS["supervisor"])
    cases = [
        (Decision.REJECT, None, "", "reason"),
        (Decision.REJECT, RejectReason.OTHER, "  ", "comment"),
        (Decision.RETURN, None, "", "comment"),
    ]
    for decision, reason, comment, field in cases:
        with pytest.raises(ValidationFailed) as refused:
            decide(supervisor, nomination.id, decision, 1, None, reason, comment)
        assert refused.value.field == field
    assert reload(nomination).version == 1


def test_return_then_resubmit_starts_a_new_round(setup):
    world, training = setup
    nomination = submit(world, training)
    approve(ROLE_EMAILS["supervisor"], nomination)
    nomination = reload(nomination)
    nomination = decide(
        user_actor(ROLE_EMAILS["unit_head"]),
        nomination.id,
        Decision.RETURN,
        expected_version=nomination.version,
        comment="Explain the link to the SKP targets.",
    )
    assert nomination.state == NominationState.RETURNED
    with pytest.raises(NotAllowed):
        resubmit(user_actor(ROLE_EMAILS["hr_admin"]), nomination.id, nomination.version, JUSTIFY)
    nomination = resubmit(
        user_actor(ROLE_EMAILS["employee"]),
        nomination.id,
        nomination.version,
        JUSTIFY + " It serves SKP target 3.",
    )
    assert nomination.state == NominationState.PENDING and nomination.round == 2
    assert nomination.current_step_no == 1
    assert [a.action for a in actions_of(nomination)][-1] == ActionKind.RESUBMIT
    rebuilt = reconstruct(nomination.id)
    assert rebuilt.state == NominationState.PENDING and rebuilt.round == 2
    assert rebuilt.steps[(1, 2)] == StepStatus.RETURNED


def test_withdraw_only_by_the_nominee_and_before_the_final_decision(setup):
    world, training = setup
    nomination = submit(world, training)
    with pytest.raises(NotAllowed):
        withdraw(user_actor(ROLE_EMAILS["supervisor"]), nomination.id, 1)
    nomination = withdraw(
        user_actor(ROLE_EMAILS["employee"]), nomination.id, 1, "Conflicts with leave"
    )
    assert nomination.state == NominationState.WITHDRAWN
    assert actions_of(nomination)[-1].capacity == Capacity.NOMINEE
    again = submit(world, training)  # a withdrawn nomination frees the slot
    for email in (ROLE_EMAILS["supervisor"], ROLE_EMAILS["unit_head"], ROLE_EMAILS["hr_admin"]):
        again = approve(email, again)
    with pytest.raises(TransitionRefused):
        withdraw(user_actor(ROLE_EMAILS["employee"]), again.id, again.version)


def test_one_active_nomination_per_employee_and_event(setup):
    world, training = setup
    submit(world, training)
    with pytest.raises(ValidationFailed) as refused:
        submit(world, training, ROLE_EMAILS["unit_head"])
    assert refused.value.field == "employee_id"
    assert db.session.scalar(select(func.count()).select_from(Nomination)) == 1


def test_nominating_outside_ones_scope_is_refused(setup):
    world, training = setup
    with pytest.raises(NotAllowed):
        nominate(user_actor(ROLE_EMAILS["employee"]), training.event_id, world.staff2.id, JUSTIFY)
    with pytest.raises(ValidationFailed):
        nominate(user_actor(ROLE_EMAILS["hr_admin"]), training.event_id, world.b_staff.id, JUSTIFY)
    with pytest.raises(ValidationFailed) as short:
        nominate(user_actor(ROLE_EMAILS["employee"]), training.event_id, world.staff.id, "short")
    assert short.value.field == "justification"


def test_plt_approves_for_the_head_and_the_audit_says_so(setup):
    world, training = setup
    acting = make_employee(world.kabid_position, "Pejabat Plt")
    delegation = make_delegation(world.head_position.id, acting, DelegationKind.PLT)
    db.session.commit()
    nomination = submit(world, training)
    nomination = approve(ROLE_EMAILS["supervisor"], nomination)
    nomination = decide(
        employee_actor(acting.id),
        nomination.id,
        Decision.APPROVE,
        expected_version=nomination.version,
        expected_step=2,
    )
    row = actions_of(nomination)[-1]
    assert row.action == ActionKind.APPROVE and row.step_no == 2
    assert row.capacity == Capacity.PLT
    assert row.delegation_id == delegation.id
    assert row.on_behalf_of_position_id == world.head_position.id
    assert row.actor_employee_id == acting.id
    assert reconstruct(nomination.id).deciders[(1, 2)] == "Pejabat Plt"


def test_an_expired_or_revoked_delegation_gives_no_power(setup):
    from datetime import timedelta

    world, training = setup
    acting = make_employee(world.kabid_position, "Mantan Plh")
    make_delegation(
        world.head_position.id,
        acting,
        DelegationKind.PLH,
        start=local_today() - timedelta(days=20),
        end=local_today() - timedelta(days=1),
    )
    db.session.commit()
    nomination = approve(ROLE_EMAILS["supervisor"], submit(world, training))
    with pytest.raises(NotAllowed):
        decide(employee_actor(acting.id), nomination.id, Decision.APPROVE, nomination.version)


def test_event_quota_is_never_exceeded(ctx):
    world = build_world()
    build_users(world)
    training = build_training(world, quota=1)
    first = submit(world, training)
    second = submit(world, training, employee=world.staff2)
    for email in (ROLE_EMAILS["supervisor"], ROLE_EMAILS["unit_head"]):
        first, second = approve(email, first), approve(email, second)
    approve(ROLE_EMAILS["hr_admin"], first)
    second = reload(second)
    before = len(actions_of(second))
    with pytest.raises(TransitionRefused) as refused:
        approve(ROLE_EMAILS["hr_admin"], second)
    assert "1" in str(refused.value.message)
    second = reload(second)
    assert second.state == NominationState.PENDING and second.current_step_no == 3
    assert len(actions_of(second)) == before
    assert db.session.get(TrainingEvent, training.event_id).seats_taken == 1
    assert db.session.scalar(select(func.count()).select_from(Participation)) == 1


def test_budget_line_is_never_overspent(ctx):
    world = build_world()
    build_users(world)
    training = build_training(world, cost=3_000_000, budget=4_000_000)
    first = submit(world, training)
    second = submit(world, training, employee=world.staff2)
    for email in (ROLE_EMAILS["supervisor"], ROLE_EMAILS["unit_head"]):
        first, second = approve(email, first), approve(email, second)
    approve(ROLE_EMAILS["hr_admin"], first)
    with pytest.raises(TransitionRefused) as refused:
        approve(ROLE_EMAILS["hr_admin"], second)
    message = str(refused.value.message)
    assert "Rp1.000.000" in message and "Rp3.000.000" in message
    line = db.session.get(BudgetLine, training.budget_id)
    assert line.committed == 3_000_000
    assert db.session.scalar(select(func.count()).select_from(BudgetCommitment)) == 1
    assert reload(second).state == NominationState.PENDING


def test_final_approval_without_a_budget_line_is_refused(ctx):
    world = build_world()
    build_users(world)
    training = build_training(world)
    db.session.delete(db.session.get(BudgetLine, training.budget_id))
    db.session.commit()
    nomination = submit(world, training)
    for email in (ROLE_EMAILS["supervisor"], ROLE_EMAILS["unit_head"]):
        nomination = approve(email, nomination)
    with pytest.raises(TransitionRefused) as refused:
        approve(ROLE_EMAILS["hr_admin"], nomination)
    assert "Dinas Kesehatan" in str(refused.value.message) or "Bidang" in str(refused.value.message)


def test_the_audit_trail_is_append_only(setup):
    from app.training.models import AppendOnlyError

    world, training = setup
    nomination = submit(world, training)
    row = actions_of(nomination)[0]
    row.comment = "rewritten"
    with pytest.raises(AppendOnlyError):
        db.session.flush()
    db.session.rollback()
    db.session.delete(actions_of(nomination)[0])
    with pytest.raises(AppendOnlyError):
        db.session.flush()
    db.session.rollback()
