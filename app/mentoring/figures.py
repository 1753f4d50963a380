"""Mentoring figures for monitoring: active pairings, sessions per month, silent pairings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, and_, case, extract, func, or_, select

from app.extensions import db
from app.mentoring.models import MentoringSession, Pairing, PairingState
from app.org.models import Employee

SILENT_AFTER_DAYS = 30  # an active pairing without a session this long needs a nudge


def _silent(last_held: ColumnElement[date | None], cutoff: date) -> ColumnElement[bool]:
    """No session for SILENT_AFTER_DAYS, counted from the start when there was none (as the
    mentor dashboard counts)."""
    return or_(and_(last_held.is_(None), Pairing.start_date <= cutoff), last_held <= cutoff)


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


@dataclass(frozen=True)
class PairingTodo:
    active: int
    needing_session: int
    unconfirmed: int


def pairing_todo(
    today: date, *, mentor_id: int | None = None, mentee_id: int | None = None
) -> PairingTodo:
    """A mentor's or mentee's active pairings, those without a session for 30 days and the
    sessions still to confirm: one query, for the home page."""
    stats = (
        select(
            MentoringSession.pairing_id,
            func.max(MentoringSession.held_on).label("held"),
            func.sum(case((MentoringSession.confirmed_at.is_(None), 1), else_=0)).label("open"),
        )
        .group_by(MentoringSession.pairing_id)
        .subquery()
    )
    person = (
        Pairing.mentor_id == mentor_id if mentor_id is not None else Pairing.mentee_id == mentee_id
    )
    cutoff = today - timedelta(days=SILENT_AFTER_DAYS)
    active, silent, unconfirmed = db.session.execute(
        select(
            func.count(Pairing.id),
            func.coalesce(func.sum(case((_silent(stats.c.held, cutoff), 1), else_=0)), 0),
            func.coalesce(func.sum(stats.c.open), 0),
        )
        .outerjoin(stats, stats.c.pairing_id == Pairing.id)
        .where(person, Pairing.state == PairingState.ACTIVE)
    ).one()
    return PairingTodo(int(active or 0), int(silent or 0), int(unconfirmed or 0))
