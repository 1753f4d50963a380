"""Routes of mentoring. The world's mentor (Dinas Pendidikan) mentors the employee login (staff);
a second pairing with staff2 awaits the decision of the head of Dinas Kesehatan."""

from __future__ import annotations

from tests.web.matrix import MANAGERS, ROLE_EMAILS, only

EMPLOYEES = {"employee": 200, "supervisor": 200, "unit_head": 200, "mentor": 200}
# Who can see the staff's pairing: both partners, the heads above the mentee, HR and sysadmin.
VIEWERS = ("employee", "supervisor", "unit_head", "hr_admin", "mentor", "sysadmin")
PARTNERS_AND_HR = ("employee", "mentor", "hr_admin", "sysadmin")


def viewers(allowed: dict[str, int]) -> dict[str, int]:
    """Viewers of the pairing get 403 unless `allowed`; everyone else 404; visitors the login."""
    return only({**dict.fromkeys(VIEWERS, 403), **allowed}, others=404)


MATRIX: dict[str, tuple[str, str, dict[str, int]]] = {
    "mentoring.mentor_dashboard": ("GET", "/mentoring/mentor", only({"mentor": 200})),
    "mentoring.log_session": ("POST", "/mentoring/sessions", only({"mentor": 422})),
    "mentoring.mentee_dashboard": ("GET", "/mentoring/me", only(EMPLOYEES)),
    "mentoring.confirm_session": (
        "POST",
        "/mentoring/sessions/{session}/confirm",
        viewers({"employee": 303}),
    ),
    "mentoring.delete_session": (
        "POST",
        "/mentoring/sessions/{session2}/delete",
        viewers({"mentor": 303}),
    ),
    "mentoring.session_feedback": (
        "GET",
        "/mentoring/sessions/{confirmed}/feedback",
        viewers({"employee": 200}),
    ),
    "mentoring.match": ("GET", "/mentoring/match", only({**EMPLOYEES, **MANAGERS})),
    "mentoring.propose": (
        "POST",
        "/mentoring/pairings",
        only(dict.fromkeys([*EMPLOYEES, *MANAGERS], 422)),
    ),
    "mentoring.pairing_detail": (
        "GET",
        "/mentoring/pairings/{pairing}",
        viewers(dict.fromkeys(VIEWERS, 200)),
    ),
    "mentoring.decide": (
        "POST",
        "/mentoring/pairings/{proposal}/decide",
        viewers({"unit_head": 422, "employee": 404}),
    ),
    "mentoring.close": (
        "POST",
        "/mentoring/pairings/{pairing}/close",
        viewers(dict.fromkeys(PARTNERS_AND_HR, 422)),
    ),
    "mentoring.resolve_flag": (
        "POST",
        "/mentoring/pairings/{pairing}/resolve-flag",
        viewers({"hr_admin": 303, "sysadmin": 303}),
    ),
    "mentoring.add_goal": (
        "POST",
        "/mentoring/pairings/{pairing}/goals",
        viewers(dict.fromkeys(PARTNERS_AND_HR, 422)),
    ),
    "mentoring.goal_progress": (
        "POST",
        "/mentoring/goals/{goal}",
        viewers(dict.fromkeys(PARTNERS_AND_HR, 422)),
    ),
    "mentoring.approvals": (
        "GET",
        "/mentoring/approvals",
        only({"unit_head": 200, **MANAGERS}),
    ),
    "mentoring.hr_dashboard": ("GET", "/mentoring/hr", only(MANAGERS)),
    "mentoring.programs": ("GET", "/mentoring/programs", only(MANAGERS)),
    "mentoring.program_create": ("GET", "/mentoring/programs/new", only(MANAGERS)),
    "mentoring.program_edit": ("GET", "/mentoring/programs/{mentoring_program}", only(MANAGERS)),
    "mentoring.mentors": ("GET", "/mentoring/mentors", only(MANAGERS)),
    "mentoring.profile": (
        "GET",
        "/mentoring/mentors/{mentor_employee}/profile",
        only({"mentor": 200, **MANAGERS}, others=404),
    ),
}


def make_ids(world) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """A program, the mentor's profile, an active and a proposed pairing, sessions and a goal."""
    from app.extensions import db
    from app.mentoring.models import Goal, PairingState
    from tests.unit.mentoring.factories import (
        make_pairing,
        make_profile,
        make_program,
        make_session,
    )

    program = make_program(world.a.id)
    make_profile(world.other_staff.id, capacity=5)
    pairing = make_pairing(program, world.other_staff.id, world.staff.id)
    proposal = make_pairing(program, world.other_staff.id, world.staff2.id, PairingState.PROPOSED)
    session = make_session(pairing)
    session2 = make_session(pairing)
    confirmed = make_session(pairing, confirmed=True)
    goal = Goal(pairing_id=pairing.id, description="Memimpin rapat", progress=10)
    db.session.add(goal)
    db.session.commit()
    assert set(ROLE_EMAILS) >= set(VIEWERS)
    return {
        "mentoring_program": program.id,
        "pairing": pairing.id,
        "proposal": proposal.id,
        "session": session.id,
        "session2": session2.id,
        "confirmed": confirmed.id,
        "goal": goal.id,
        "mentor_employee": world.other_staff.id,
    }
