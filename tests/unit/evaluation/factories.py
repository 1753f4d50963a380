"""Events that ended and the participations in them, for the evaluation tests."""

from __future__ import annotations

from datetime import date, timedelta

from app.extensions import db
from app.training.models import (
    Attendance,
    Completion,
    Nomination,
    NominationOrigin,
    NominationState,
    Participation,
    TrainingEvent,
)
from tests.unit.training.factories import make_event, make_program


def ended_event(world, end: date, days: int = 3, code: str = "PP-01") -> TrainingEvent:
    """An event of a new program of instansi A that ends on `end`."""
    program = make_program(world.a, code=code, title="Pelatihan Pelayanan Publik")
    event = make_event(program, start=end - timedelta(days=days - 1), days=days)
    db.session.commit()
    return event


def attend(
    event: TrainingEvent, employee, present: bool = True, completed: bool = False
) -> Participation:
    """An approved nomination with its participation, present (and maybe completed) or not."""
    nomination = Nomination(
        instansi_id=employee.instansi_id,
        event_id=event.id,
        employee_id=employee.id,
        origin=NominationOrigin.SUPERVISOR,
        justification="Sesuai kebutuhan pengembangan",
        state=NominationState.APPROVED,
    )
    db.session.add(nomination)
    db.session.flush()
    participation = Participation(
        nomination_id=nomination.id,
        event_id=event.id,
        employee_id=employee.id,
        attendance=Attendance.PRESENT if present else Attendance.UNKNOWN,
        completion=Completion.COMPLETED if completed else Completion.ENROLLED,
    )
    db.session.add(participation)
    db.session.commit()
    return participation
