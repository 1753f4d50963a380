"""Events that ended and the participations in them, for the evaluation tests."""

from __future__ import annotations

from datetime import date, timedelta

from app.extensions import db
from app.training.models import (
    Attendance,
    Completion,
    Participation,
    TrainingEvent,
)
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
