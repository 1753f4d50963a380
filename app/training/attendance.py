"""Who attended which event, for the features that follow up on training (evaluation)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, or_, select

from app.extensions import db
from app.training.models import (
    Attendance,
    Completion,
    Participation,
    TrainingEvent,
    TrainingProgram,
)


@dataclass(frozen=True)
class Attended:
    """One participation with what a follow-up needs to know about its event."""

    participation_id: int
    event_id: int
    employee_id: int
    instansi_id: int
    program_id: int
    program_title: str
    batch_code: str
    start_date: date
    end_date: date


def attended_condition() -> ColumnElement[bool]:
    """Present at the event, or completed it (attendance may be recorded only as completion)."""
    return or_(
        Participation.attendance == Attendance.PRESENT,
        Participation.completion == Completion.COMPLETED,
    )


def participations(
    *,
    ended_from: date | None = None,
    ended_to: date | None = None,
    starts_to: date | None = None,
    attended_only: bool = True,
    exclude: ColumnElement[bool] | None = None,
    event_id: int | None = None,
    include: ColumnElement[bool] | None = None,
) -> list[Attended]:
    """Participations of events in a date window, in one query (the caller's filters are SQL)."""
    conditions: list[ColumnElement[bool]] = []
    if ended_from is not None:
        conditions.append(TrainingEvent.end_date >= ended_from)
    if ended_to is not None:
        conditions.append(TrainingEvent.end_date <= ended_to)
    if starts_to is not None:
        conditions.append(TrainingEvent.start_date <= starts_to)
    if attended_only:
        conditions.append(attended_condition())
    if exclude is not None:
        conditions.append(~exclude)
    if event_id is not None:
        conditions.append(Participation.event_id == event_id)
    if include is not None:
        conditions.append(include)
    rows = db.session.execute(
        select(
            Participation.id,
            TrainingEvent.id,
            Participation.employee_id,
            TrainingProgram.instansi_id,
            TrainingProgram.id,
            TrainingProgram.title,
            TrainingEvent.batch_code,
            TrainingEvent.start_date,
            TrainingEvent.end_date,
        )
        .join(TrainingEvent, TrainingEvent.id == Participation.event_id)
        .join(TrainingProgram, TrainingProgram.id == TrainingEvent.program_id)
        .where(and_(*conditions))
        .order_by(TrainingEvent.id, Participation.id)
    )
    return [Attended(*row) for row in rows]


def participation_id_column() -> ColumnElement[int]:
    """The participation key, for callers that exclude participations they already handled."""
    return Participation.id  # type: ignore[return-value]


@dataclass(frozen=True)
class ProgramInfo:
    id: int
    instansi_id: int
    title: str
    code: str
    provider_name: str
    provider_kind: str
    form: str


def programs(instansi_id: int, program_id: int | None = None) -> list[ProgramInfo]:
    """The instansi's catalogue programs (or one), by title: one query."""
    query = select(
        TrainingProgram.id,
        TrainingProgram.instansi_id,
        TrainingProgram.title,
        TrainingProgram.code,
        TrainingProgram.provider_name,
        TrainingProgram.provider_kind,
        TrainingProgram.form,
    ).where(TrainingProgram.instansi_id == instansi_id)
    if program_id is not None:
        query = query.where(TrainingProgram.id == program_id)
    return [
        ProgramInfo(i, inst, title, code, provider, str(kind), str(form))
        for i, inst, title, code, provider, kind, form in db.session.execute(
            query.order_by(TrainingProgram.title)
        )
    ]


def event_program_id(event_id: int) -> tuple[int, int] | None:
    """(program id, instansi id) of an event, or None for an unknown event."""
    row = db.session.execute(
        select(TrainingProgram.id, TrainingProgram.instansi_id)
        .join(TrainingEvent, TrainingEvent.program_id == TrainingProgram.id)
        .where(TrainingEvent.id == event_id)
    ).first()
    return (int(row[0]), int(row[1])) if row else None


def in_program(program_id: int) -> ColumnElement[bool]:
    """Participations of any event of the program."""
    return TrainingEvent.program_id == program_id
