"""Session logging, confirmation with JP credit, deletion, goals: happy paths and bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.errors import ServiceError, ValidationFailed
from app.extensions import db
from app.learning.models import LearningRecord, LearningSource
from app.learning.services import jp_total
from app.mentoring import services
from app.mentoring.models import Goal, MentoringSession, PairingState
from tests.unit.mentoring.factories import make_pairing, make_program, make_session, today


def data(pairing, **changes) -> services.SessionData:
    values = {
        "pairing_id": pairing.id,
        "held_on": today(),
        "duration_minutes": 90,
        "mode": "daring",
        "topics": "Menyusun telaahan staf",
        "notes": "",
        "agreed_actions": "Draf minggu depan",
    }
    values.update(changes)
    return services.SessionData(**values)


def session_count() -> int:
    return db.session.scalar(select(func.count()).select_from(MentoringSession))


def test_mentor_logs_a_session(world, m):
    pairing = make_pairing(m.program, m.mentor, m.mentee)
    db.session.commit()
    session = services.log_session(m.mentor.id, data(pairing), world.users["mentor"], today())
    assert session.pairing_id == pairing.id and session.confirmed_at is None
    assert session.logged_by_id == world.users["mentor"].id


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": -30}, "duration_minutes"),
        ({"duration_minutes": 5}, "duration_minutes"),
        ({"duration_minutes": 600}, "duration_minutes"),
        ({"duration_minutes": None}, "duration_minutes"),
        ({"held_on": "tomorrow"}, "held_on"),
        ({"held_on": "before_start"}, "held_on"),
        ({"held_on": None}, "held_on"),
        ({"mode": "carrier pigeon"}, "mode"),
        ({"topics": "   "}, "topics"),
        ({"topics": "x" * 301}, "topics"),
        ({"pairing_id": 999999}, "pairing_id"),
    ],
)
def test_bad_session_input_is_refused_and_nothing_is_saved(world, m, changes, field):
    pairing = make_pairing(m.program, m.mentor, m.mentee)
    db.session.commit()
    if changes.get("held_on") == "tomorrow":
        changes["held_on"] = today() + timedelta(days=1)
    elif changes.get("held_on") == "before_start":
        changes["held_on"] = pairing.start_date - timedelta(days=1)
    with pytest.raises(ValidationFailed) as excinfo:
        services.log_session(m.mentor.id, data(pairing, **changes), world.users["mentor"], today())
    assert field in dict(excinfo.value.problems)
    assert session_count() == 0


def test_zero_duration_says_greater_than_zero(world, m):
    pairing = make_pairing(m.program, m.mentor, m.mentee)
    db.session.commit()
    with pytest.raises(ValidationFailed) as excinfo:
        services.log_session(
            m.mentor.id, data(pairing, duration_minutes=0), world.users["mentor"], today()
        )
    assert dict(excinfo.value.problems)["duration_minutes"] == "Durasi harus lebih dari nol."


def test_session_after_the_pairing_ended_is_refused(world, m):
    pairing = make_pairing(m.program, m.mentor, m.mentee, start=today() - timedelta(weeks=20))
    db.session.commit()
    assert pairing.end_date < today()
    with pytest.raises(ValidationFailed) as excinfo:
        services.log_session(m.mentor.id, data(pairing), world.users["mentor"], today())
    assert "held_on" in dict(excinfo.value.problems)


@pytest.mark.parametrize("state", [PairingState.PROPOSED, PairingState.COMPLETED])
def test_session_of_a_pairing_that_is_not_active_is_refused(world, m, state):
    pairing = make_pairing(m.program, m.mentor, m.mentee, state)
    db.session.commit()
    with pytest.raises(ValidationFailed) as excinfo:
        services.log_session(m.mentor.id, data(pairing), world.users["mentor"], today())
    assert "pairing_id" in dict(excinfo.value.problems)


def test_session_of_someone_elses_pairing_is_refused(world, m):
    pairing = make_pairing(m.program, m.mentor, m.mentee)
    db.session.commit()
    with pytest.raises(ValidationFailed) as excinfo:
        services.log_session(m.kabid.id, data(pairing), world.users["supervisor"], today())
    assert "pairing_id" in dict(excinfo.value.problems)
    assert session_count() == 0


def test_confirmation_credits_jp_once_at_the_program_rate(m):
    pairing = make_pairing(m.program, m.mentor, m.mentee)
    session = make_session(pairing, minutes=90)
    db.session.commit()
    before = jp_total(m.mentee.id, session.held_on.year)
    assert services.confirm_session(session) == 2.0  # 90 minutes at 45 minutes per JP
    assert services.confirm_session(session) == 2.0  # a second click credits nothing more
    assert jp_total(m.mentee.id, session.held_on.year) == before + 2.0
    record = db.session.scalar(select(LearningRecord))
    assert record.source == LearningSource.MENTORING
    assert record.source_ref == f"session:{session.id}"
    assert record.employee_id == m.mentee.id and record.activity_date == session.held_on
    assert db.session.get(MentoringSession, session.id).jp_credited == 2.0


def test_configured_rate_is_used(world, m):
    program = make_program(world.a.id, minutes_per_jp=60)
    pairing = make_pairing(program, m.mentor, m.mentee)
    session = make_session(pairing, minutes=90)
    db.session.commit()
    assert services.confirm_session(session) == 1.5


def test_unconfirmed_session_can_be_deleted_confirmed_cannot(m):
    pairing = make_pairing(m.program, m.mentor, m.mentee)
    wrong = make_session(pairing)
    kept = make_session(pairing, confirmed=True)
    db.session.commit()
    services.delete_session(wrong)
    with pytest.raises(ServiceError):
        services.delete_session(kept)
    assert session_count() == 1


@given(
    minutes=st.integers(min_value=1, max_value=10_000),
    rate=st.integers(min_value=1, max_value=600),
)
def test_jp_formula_properties(minutes, rate):
    jp = services.jp_for(minutes, rate)
    assert jp > 0 or minutes * 200 < rate  # rounds to 0.00 only for tiny fractions
    assert abs(jp * rate - minutes) <= rate * 0.005 + 1e-9  # off by at most the rounding
    assert services.jp_for(minutes + rate, rate) >= jp  # more minutes never give fewer JP


def test_jp_formula_refuses_nonsense():
    assert services.jp_for(0, 45) == 0.0
    assert services.jp_for(-45, 45) == 0.0
    assert services.jp_for(45, 0) == 0.0


def test_goal_with_competency_and_progress(m):
    pairing = make_pairing(m.program, m.mentor, m.mentee)
    db.session.commit()
    goal = services.add_goal(pairing, "Memimpin rapat", "M.03")
    assert goal.progress == 0 and goal.competency_code == "M.03"
    services.set_goal_progress(goal, 100)
    assert goal.completed_at is not None
    services.set_goal_progress(goal, 60)
    assert goal.completed_at is None and goal.progress == 60


@pytest.mark.parametrize("progress", [-1, 101, None])
def test_bad_progress_is_refused(m, progress):
    pairing = make_pairing(m.program, m.mentor, m.mentee)
    goal = services.add_goal(pairing, "Memimpin rapat", None)
    with pytest.raises(ServiceError) as excinfo:
        services.set_goal_progress(goal, progress)
    assert excinfo.value.field == "progress"
    db.session.rollback()
    assert db.session.get(Goal, goal.id).progress == 0


def test_bad_goals_are_refused(m):
    pairing = make_pairing(m.program, m.mentor, m.mentee)
    closed = make_pairing(m.program, m.mentor, m.mentee2, PairingState.COMPLETED)
    db.session.commit()
    with pytest.raises(ValidationFailed):
        services.add_goal(pairing, "  ", None)
    with pytest.raises(ValidationFailed) as excinfo:
        services.add_goal(pairing, "Memimpin rapat", "X.99")
    assert "competency_code" in dict(excinfo.value.problems)
    with pytest.raises(ServiceError):
        services.add_goal(closed, "Memimpin rapat", None)
    assert db.session.scalar(select(func.count()).select_from(Goal)) == 0
