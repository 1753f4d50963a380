"""Programs and mentor profiles: valid saves and refused input."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.errors import ServiceError, ValidationFailed
from app.extensions import db
from app.mentoring import services
from app.mentoring.models import MentoringProgram


def program_data(**changes) -> services.ProgramData:
    values = {
        "name": "Mentoring 2026",
        "objective": "Manajerial",
        "min_weeks": 4,
        "max_weeks": 24,
        "matching_mode": "suggested",
        "minutes_per_jp": 45,
        "active": True,
    }
    values.update(changes)
    return services.ProgramData(**values)


def test_program_is_saved_and_updated(world, ctx):
    program = services.save_program(world.a.id, program_data())
    assert program.instansi_id == world.a.id and program.minutes_per_jp == 45
    services.save_program(world.a.id, program_data(minutes_per_jp=60, active=False), program)
    assert db.session.get(MentoringProgram, program.id).minutes_per_jp == 60


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": " "}, "name"),
        ({"min_weeks": 0}, "min_weeks"),
        ({"max_weeks": None}, "max_weeks"),
        ({"min_weeks": 10, "max_weeks": 5}, "max_weeks"),
        ({"minutes_per_jp": 0}, "minutes_per_jp"),
        ({"minutes_per_jp": -45}, "minutes_per_jp"),
        ({"matching_mode": "lottery"}, "matching_mode"),
    ],
)
def test_bad_program_input_is_refused(world, ctx, changes, field):
    with pytest.raises(ValidationFailed) as excinfo:
        services.save_program(world.a.id, program_data(**changes))
    assert field in dict(excinfo.value.problems)
    assert db.session.scalar(select(func.count()).select_from(MentoringProgram)) == 0


def test_profile_is_saved_with_strengths(m):
    profile = services.save_profile(m.mentor, 4, True, "Kamis", ["M.08", "M.01", "M.08"], "Bio")
    assert profile.capacity == 4 and profile.strength_codes == ["M.01", "M.08"]
    profile = services.save_profile(m.mentor, 2, False, "", ["M.03"])
    assert profile.strength_codes == ["M.03"] and not profile.available


def test_bad_profiles_are_refused(m):
    with pytest.raises(ServiceError):
        services.save_profile(m.mentee, 3, True, "", [])  # no mentor role
    with pytest.raises(ValidationFailed) as excinfo:
        services.save_profile(m.mentor, -1, True, "", ["ZZ.9"])
    assert set(dict(excinfo.value.problems)) == {"capacity", "strengths"}
    assert services.profile_of(m.mentor.id).capacity == 2  # unchanged


def test_roster_lists_mentor_role_holders_with_load(world, m):
    rows = services.mentor_roster([world.a.id])
    assert [(r.employee_id, r.has_profile, r.strengths) for r in rows] == [
        (m.mentor.id, True, ["M.03"])
    ]
    assert services.mentor_roster([world.b.id]) == []
