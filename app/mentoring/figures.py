"""Mentoring figures for monitoring: active pairings, sessions per month, silent pairings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, extract, func, select

from app.extensions import db
from app.mentoring.models import MentoringSession, Pairing, PairingState
from app.org.models import Employee

SILENT_AFTER_DAYS = 30  # an active pairing without a session this long needs a nudge


@dataclass(frozen=True)
class SilentPairing:
    pairing_id: int
    mentor: str
    mentee: str
    last_session: date | None


@dataclass(frozen=True)
class MentoringFigures:
    active: int
    silent: list[SilentPairing]
    silent_count: int
    sessions_by_month: dict[int, list[int]]


def mentoring_figures(
    instansi_id: int, mentee_scope: ColumnElement[bool], today: date, years: tuple[int, ...]
) -> MentoringFigures:
    """Active pairings of mentees in scope, those silent for 30 days, sessions per month."""
    mentees = select(Employee.id).where(mentee_scope)
    active_filter = (
        Pairing.instansi_id == instansi_id,
        Pairing.state == PairingState.ACTIVE,
        Pairing.mentee_id.in_(mentees),
    )
    active = db.session.scalar(select(func.count()).where(*active_filter)) or 0
    last = (
        select(MentoringSession.pairing_id, func.max(MentoringSession.held_on).label("held"))
        .group_by(MentoringSession.pairing_id)
        .subquery()
    )
    cutoff = today - timedelta(days=SILENT_AFTER_DAYS)
    mentor = Employee.__table__.alias("mentor")
    mentee = Employee.__table__.alias("mentee")
    silent_condition = (last.c.held.is_(None) & (Pairing.start_date <= cutoff)) | (
        last.c.held < cutoff
    )
    silent_query = (
        select(Pairing.id, mentor.c.name, mentee.c.name, last.c.held)
        .join(mentor, mentor.c.id == Pairing.mentor_id)
        .join(mentee, mentee.c.id == Pairing.mentee_id)
        .outerjoin(last, last.c.pairing_id == Pairing.id)
        .where(*active_filter, silent_condition)
    )
    silent_count = db.session.scalar(select(func.count()).select_from(silent_query.subquery())) or 0
    silent = [
        SilentPairing(i, mentor_name, mentee_name, held)
        for i, mentor_name, mentee_name, held in db.session.execute(
            silent_query.order_by(last.c.held.nulls_first(), Pairing.id).limit(20)
        )
    ]
    month = extract("month", MentoringSession.held_on)
    year = extract("year", MentoringSession.held_on)
    by_month = {y: [0] * 12 for y in years}
    for y, m, count in db.session.execute(
        select(year, month, func.count())
        .join(Pairing, Pairing.id == MentoringSession.pairing_id)
        .where(
            Pairing.instansi_id == instansi_id,
            Pairing.mentee_id.in_(mentees),
            year.in_(years),
        )
        .group_by(year, month)
    ):
        by_month[int(y)][int(m) - 1] = int(count)
    return MentoringFigures(int(active), silent, int(silent_count), by_month)
