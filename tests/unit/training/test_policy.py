"""The SQL scopes and the single-object rules of training say the same thing, for every role."""

from __future__ import annotations

from sqlalchemy import and_, select

from app.access.policy import principal_for
from app.clock import local_today
from app.extensions import db
from app.training.models import DelegationKind, Nomination, NominationStep
from app.training.policy import (
    acting_for,
    awaiting_decision_by,
    can_view_nomination,
    decision_capacity,
    nomination_scope,
)
from app.training.workflow import Decision, current_step, decide
from tests.factories import build_users, build_world, make_employee, make_user
from tests.unit.training.factories import (
    JUSTIFY,
    build_training,
    make_delegation,
    make_event,
    make_program,
    user_actor,
)


def build(ctx):
    world = build_world()
    users = build_users(world)
    deputy = make_employee(world.kabid_position, "Plh Kepala")
    users["deputy"] = make_user("plh@test.example", deputy)
    make_delegation(world.head_position.id, deputy, DelegationKind.PLH)
    training = build_training(world)
    other = make_event(make_program(world.b.id, code="B"), quota=5)
    db.session.commit()
    from app.training.workflow import nominate

    ids = [
        nominate(user_actor("kabid@test.example"), training.event_id, world.staff.id, JUSTIFY).id,
        nominate(user_actor("head@test.example"), training.event_id, world.staff2.id, JUSTIFY).id,
        nominate(user_actor("head@test.example"), training.event_id, world.kabid.id, JUSTIFY).id,
        nominate(
            user_actor("mentor@test.example"), training.event_id, world.other_staff.id, JUSTIFY
        ).id,
    ]
    b_user = make_user("b.staff@test.example", world.b_staff)
    users["b_staff"] = b_user
    ids.append(nominate(user_actor("b.staff@test.example"), other.id, world.b_staff.id, JUSTIFY).id)
    # Move the first one on to the head's step, so the Plh has something to decide.
    first = db.session.get(Nomination, ids[0])
    decide(user_actor("kabid@test.example"), first.id, Decision.APPROVE, first.version)
    return world, users, ids


def test_visibility_scope_matches_the_object_rule(ctx):
    _world, users, ids = build(ctx)
    nominations = list(db.session.scalars(select(Nomination)))
    for name, user in users.items():
        acting = acting_for(principal_for(user), local_today())
        in_scope = set(db.session.scalars(select(Nomination.id).where(nomination_scope(acting))))
        for nomination in nominations:
            positions = db.session.scalars(
                select(NominationStep.approver_position_id).where(
                    NominationStep.nomination_id == nomination.id
                )
            ).all()
            assert (nomination.id in in_scope) == can_view_nomination(
                acting, nomination, positions
            ), (name, nomination.id)
    assert ids


def test_inbox_scope_matches_the_decision_rule(ctx):
    _world, users, _ids = build(ctx)
    nominations = list(db.session.scalars(select(Nomination)))
    seen_delegate = False
    for name, user in users.items():
        acting = acting_for(principal_for(user), local_today())
        awaiting = set(
            db.session.scalars(
                select(Nomination.id)
                .join(
                    NominationStep,
                    and_(
                        NominationStep.nomination_id == Nomination.id,
                        NominationStep.round == Nomination.round,
                        NominationStep.step_no == Nomination.current_step_no,
                    ),
                )
                .where(awaiting_decision_by(acting))
            )
        )
        for nomination in nominations:
            step = current_step(nomination)
            allowed = step is not None and decision_capacity(acting, nomination, step) is not None
            assert (nomination.id in awaiting) == allowed, (name, nomination.id)
            if name == "deputy" and allowed:
                seen_delegate = True
    assert seen_delegate  # the Plh decides the head's step
