"""Events that ended and the participations in them, for the evaluation tests."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.evaluation.models import EvaluationRequest, EvaluationSettings, EventInstrument, Level
from app.evaluation.scan import run_due
from app.extensions import db
from app.org.models import Employee, EmployeeStatus
from app.surveys.models import Answer, Invitation, Response, ResponseStatus
from app.surveys.services.days import local_today
from app.training.models import (
    Attendance,
    Completion,
    Participation,
    TrainingEvent,
    TrainingProgram,
)
from tests.factories import make_employee
from tests.unit.training.factories import approved_participation, make_event, make_program


def ended_event(world, end: date, days: int = 3, code: str = "PP-01") -> TrainingEvent:
    """An event of a new program of instansi A that ends on `end`."""
    program = make_program(world.a, code=code, title="Pelatihan Pelayanan Publik")
    event = make_event(program, start=end - timedelta(days=days - 1), days=days)
    db.session.commit()
    return event


def attend(
    event: TrainingEvent, employee, present: bool = True, completed: bool = False
) -> Participation:
    """An approved participation, present (and maybe completed) or not, committed."""
    participation = approved_participation(
        event,
        employee,
        Attendance.PRESENT if present else Attendance.UNKNOWN,
        Completion.COMPLETED if completed else Completion.ENROLLED,
    )
    db.session.commit()
    return participation


TEST_DEFINITION = "uji_pengetahuan_pelayanan_publik"  # five points: q1, q2, q4 one, q3 two


def answer(invitation: Invitation, values: dict[str, float | str]) -> None:
    """A submitted response to an invitation, written as the answering service stores it."""
    response = Response(
        campaign_id=invitation.campaign_id,
        definition_id="x",
        definition_version=1,
        rater_role=invitation.rater_role,
        status=ResponseStatus.SUBMITTED,
        invitation_id=invitation.id,
        started_on=local_today(),
        submitted_on=local_today(),
        draft_answers="{}",
    )
    db.session.add(response)
    db.session.flush()
    for field, value in values.items():
        item, _dot, row = field.partition(".")
        number = value if isinstance(value, int | float) else None
        text = value if isinstance(value, str) else None
        db.session.add(
            Answer(
                response_id=response.id,
                field=field,
                item_id=item,
                row_id=row or None,
                value_number=number,
                value_text=text,
            )
        )
    invitation.completed_on = local_today()


def reaction_invitations(event_id: int) -> list[Invitation]:
    campaign = db.session.scalar(
        select(EventInstrument.campaign_id).where(
            EventInstrument.event_id == event_id, EventInstrument.level == Level.REACTION
        )
    )
    return list(
        db.session.scalars(
            select(Invitation).where(Invitation.campaign_id == campaign).order_by(Invitation.id)
        )
    )


def participants(world, count: int, prefix: str = "Peserta") -> list:
    position = db.session.get(Employee, world.staff.id).position
    return [make_employee(position, f"{prefix} {n}", EmployeeStatus.PNS) for n in range(count)]


def rated_program(
    world,
    answers: list[dict[str, float | str]],
    code: str = "PP-01",
    tests: bool = False,
    program_id: int | None = None,
) -> TrainingEvent:
    """A program (new, or `program_id`) with an event that ended yesterday, one reaction answer
    per dict (and with `tests`, the pre- and post-test issued to its participants), committed."""
    today = local_today()
    if program_id is None:
        event = ended_event(world, today - timedelta(days=1), code=code)
    else:
        program = db.session.get(TrainingProgram, program_id)
        event = make_event(program, start=today - timedelta(days=3), batch="Angkatan Evaluasi")
        db.session.commit()
    if tests:
        db.session.add(
            EvaluationSettings(
                program_id=event.program_id,
                pretest_definition=TEST_DEFINITION,
                posttest_definition=TEST_DEFINITION,
            )
        )
    for person in participants(world, max(len(answers), 1), f"Peserta {code}"):
        attend(event, person)
    run_due(event.end_date)  # pre- and post-test are both open on the last day
    run_due(today)
    db.session.commit()
    for invitation, values in zip(reaction_invitations(event.id), answers, strict=False):
        answer(invitation, values)
    db.session.commit()
    return event


def level_invitations(event_id: int, level: Level) -> list[Invitation]:
    return list(
        db.session.scalars(
            select(Invitation)
            .join(EvaluationRequest, EvaluationRequest.invitation_id == Invitation.id)
            .where(EvaluationRequest.event_id == event_id, EvaluationRequest.level == level)
            .order_by(EvaluationRequest.participant_id)
        )
    )


def answer_tests(event_id: int, pre: list[dict], post: list[dict]) -> None:
    """Pre- and post-test answers, one dict per participant in order, committed."""
    for level, given in ((Level.PRETEST, pre), (Level.POSTTEST, post)):
        for invitation, values in zip(level_invitations(event_id, level), given, strict=False):
            answer(invitation, values)
    db.session.commit()
