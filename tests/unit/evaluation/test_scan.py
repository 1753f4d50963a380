"""The due scan: who is asked what and when, idempotent, restart-safe, supervisors who moved."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from app.access.policy import principal_for
from app.evaluation.models import EvaluationRequest, EvaluationSettings, EventInstrument, Level
from app.evaluation.scan import run_due
from app.extensions import db
from app.org.models import Employee
from app.surveys.models import Campaign, Invitation
from app.surveys.services.answering import my_surveys
from tests.unit.evaluation.factories import attend, ended_event

TODAY = date(2026, 6, 15)


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def test_reaction_goes_to_those_who_attended_once(ctx, world):
    event = ended_event(world, TODAY - timedelta(days=1))
    present = attend(event, world.staff)
    attend(event, world.staff2, present=False)
    result = run_due(TODAY)
    db.session.commit()
    assert result.issued == {"reaction": 1}
    request = db.session.scalar(
        select(EvaluationRequest).where(EvaluationRequest.level == Level.REACTION)
    )
    assert request.participation_id == present.id and request.invitation_id is not None
    invitation = db.session.get(Invitation, request.invitation_id)
    assert invitation.respondent_employee_id == world.staff.id
    campaign = db.session.get(Campaign, invitation.campaign_id)
    assert campaign.anonymous  # the reaction instrument is anonymous
    # the follow-up is planned for participant and supervisor at end + 90 days
    planned = list(
        db.session.scalars(
            select(EvaluationRequest).where(EvaluationRequest.level == Level.BEHAVIOUR)
        )
    )
    assert {r.respondent_id for r in planned} == {world.staff.id, world.kabid.id}
    assert {r.due_on for r in planned} == {event.end_date + timedelta(days=90)}
    assert all(r.invitation_id is None for r in planned)

    again = run_due(TODAY)
    db.session.commit()
    assert again.total == 0 and again.planned_follow_ups == 0
    assert count(Invitation) == 1 and count(EventInstrument) == 1


def test_the_scan_is_restart_safe(ctx, world):
    """A run that dies before its commit leaves nothing: the next run does the whole work."""
    event = ended_event(world, TODAY - timedelta(days=2))
    attend(event, world.staff)
    run_due(TODAY)
    db.session.rollback()  # the worker was killed before the commit
    assert count(EvaluationRequest) == 0 and count(Campaign) == 0
    assert run_due(TODAY).issued == {"reaction": 1}
    db.session.commit()


def test_old_events_get_no_reaction_survey(ctx, world):
    event = ended_event(world, TODAY - timedelta(days=45))
    attend(event, world.staff)
    assert run_due(TODAY).total == 0


def test_follow_up_after_90_days_to_participant_and_the_supervisor_at_the_event(ctx, world):
    event = ended_event(world, TODAY)
    attend(event, world.staff)
    run_due(TODAY)
    db.session.commit()
    assert run_due(TODAY + timedelta(days=89)).issued.get("behaviour", 0) == 0
    db.session.commit()
    result = run_due(TODAY + timedelta(days=90))
    db.session.commit()
    assert result.issued == {"behaviour": 2}
    invitations = list(
        db.session.scalars(select(Invitation).where(Invitation.rater_role == "supervisor"))
    )
    assert [i.respondent_employee_id for i in invitations] == [world.kabid.id]
    assert invitations[0].subject_employee_id == world.staff.id
    assert run_due(TODAY + timedelta(days=91)).total == 0


def test_a_supervisor_who_left_is_replaced_by_the_current_one(ctx, world):
    event = ended_event(world, TODAY)
    attend(event, world.staff)
    run_due(TODAY)
    db.session.commit()
    db.session.get(Employee, world.kabid.id).active = False  # left; the head now supervises
    db.session.commit()
    run_due(TODAY + timedelta(days=90))
    db.session.commit()
    request = db.session.scalar(
        select(EvaluationRequest).where(
            EvaluationRequest.level == Level.BEHAVIOUR,
            EvaluationRequest.respondent_role == "supervisor",
        )
    )
    assert request.original_respondent_id == world.kabid.id
    assert request.respondent_id == world.head.id


def test_a_supervisor_who_moved_keeps_the_follow_up(ctx, world):
    event = ended_event(world, TODAY)
    attend(event, world.staff)
    run_due(TODAY)
    db.session.commit()
    db.session.get(Employee, world.kabid.id).position_id = world.head_position.id  # moved
    db.session.commit()
    run_due(TODAY + timedelta(days=90))
    db.session.commit()
    supervisor = db.session.scalar(
        select(Invitation.respondent_employee_id).where(Invitation.rater_role == "supervisor")
    )
    assert supervisor == world.kabid.id


def test_pre_and_post_tests_for_programs_that_have_them(ctx, world):
    event = ended_event(world, TODAY + timedelta(days=5), days=2)  # starts in 4 days
    attend(event, world.staff, present=False)  # not yet attended: the pre-test still goes
    db.session.add(
        EvaluationSettings(
            program_id=event.program_id,
            pretest_definition="uji_pengetahuan_pelayanan_publik",
            posttest_definition="uji_pengetahuan_pelayanan_publik",
        )
    )
    db.session.commit()
    assert run_due(TODAY).issued == {"pretest": 1}
    db.session.commit()


def test_requests_appear_in_my_surveys(ctx, world):
    event = ended_event(world, TODAY - timedelta(days=1))
    attend(event, world.staff)
    run_due(TODAY)
    db.session.commit()
    user = world.users["employee"]
    mine = my_surveys(principal_for(user), None, TODAY)
    assert len(mine) == 1 and "Evaluasi" in mine[0].campaign.title
