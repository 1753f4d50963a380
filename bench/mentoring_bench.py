"""Mentoring pages at size: 2,000 pairings, 8,000 sessions, 36,000 gap rows, 200 mentors.

Prints the median time per page and its ratio to GET /ping in the same run (absolute numbers
on a shared machine are noise), and fails when a page needs more than a generous budget.
A benchmark, not part of the suite; run it with the suite's fixtures and `-s` to see the figures:

    PYTHONPATH=. .venv/bin/pytest -p tests.conftest bench/mentoring_bench.py -s
"""

from __future__ import annotations

import statistics
import time
from datetime import timedelta

import pytest
from sqlalchemy import insert, select, text

from app.accounts.models import Role, RoleGrant, User
from app.extensions import db
from app.mentoring.models import (
    Goal,
    MentoringSession,
    MentorProfile,
    MentorStrength,
    Pairing,
    PairingState,
)
from app.needs.models import CompetencyGap
from app.org.models import Employee, EmployeeStatus
from tests.conftest import csrf_token, login
from tests.factories import next_nip
from tests.unit.mentoring.factories import make_program, today

pytestmark = pytest.mark.slow

MENTORS = 200
MENTEES = 2000
SESSIONS_PER_PAIRING = 4
CODES = ["M.01", "M.02", "M.03", "M.04", "M.05", "M.06", "M.07", "M.08", "SK.01"]
BUDGET_MS = 500  # per page, median, in-process on SQLite or PostgreSQL


def employees(world, count: int) -> list[int]:
    rows = [
        {
            "instansi_id": world.a.id,
            "nip": next_nip(),
            "name": f"Pegawai Uji {n:05d}",
            "gender": "L",
            "birth_date": world.staff.birth_date,
            "golongan": "III/a",
            "status": EmployeeStatus.PNS,
            "position_id": world.staff_position.id,
            "org_unit_id": world.bidang.id,
            "active": True,
        }
        for n in range(count)
    ]
    db.session.execute(insert(Employee), rows)
    nips = [row["nip"] for row in rows]
    return list(db.session.scalars(select(Employee.id).where(Employee.nip.in_(nips))))


def build(world) -> None:
    """Bulk rows: mentors with roles and profiles, pairings, sessions, goals, two gap cycles."""
    program = make_program(world.a.id, max_weeks=52)
    mentor_ids = [world.other_staff.id, *employees(world, MENTORS - 1)]
    mentee_ids = employees(world, MENTEES - 1) + [world.staff.id]
    users = [
        {"email": f"mentor{n}@perf.example", "display_name": "M", "password_hash": "x"}
        for n in range(1, len(mentor_ids))
    ]
    db.session.execute(
        insert(User), [{**u, "employee_id": e} for u, e in zip(users, mentor_ids[1:], strict=False)]
    )
    user_ids = db.session.scalars(select(User.id).where(User.email.like("%@perf.example"))).all()
    db.session.execute(
        insert(RoleGrant),
        [{"user_id": u, "role": Role.MENTOR, "instansi_id": world.a.id} for u in user_ids],
    )
    db.session.execute(
        insert(MentorProfile),
        [
            {"employee_id": e, "capacity": 12, "available": True, "availability": "", "bio": ""}
            for e in mentor_ids
        ],
    )
    profiles = db.session.execute(select(MentorProfile.id, MentorProfile.employee_id)).all()
    db.session.execute(
        insert(MentorStrength),
        [{"profile_id": p, "competency_code": CODES[e % len(CODES)]} for p, e in profiles],
    )
    start = today() - timedelta(weeks=20)
    pairings = [
        {
            "program_id": program.id,
            "instansi_id": world.a.id,
            "mentor_id": mentor_ids[n % 50] if n < 500 else mentor_ids[n % len(mentor_ids)],
            "mentee_id": mentee,
            "state": PairingState.ACTIVE,
            "start_date": start,
            "end_date": start + timedelta(weeks=40),
            "focus": "",
            "match_reason": "",
            "closing_note": "",
            "flag_note": "",
        }
        for n, mentee in enumerate(mentee_ids)
    ]
    db.session.execute(insert(Pairing), pairings)
    pairing_ids = db.session.scalars(select(Pairing.id)).all()
    db.session.execute(
        insert(MentoringSession),
        [
            {
                "pairing_id": p,
                "held_on": today() - timedelta(days=7 * k + p % 7),
                "duration_minutes": 60,
                "mode": "daring",
                "topics": "Topik",
                "notes": "",
                "agreed_actions": "",
            }
            for p in pairing_ids
            for k in range(SESSIONS_PER_PAIRING)
        ],
    )
    db.session.execute(
        insert(Goal),
        [{"pairing_id": p, "description": "Sasaran", "progress": p % 101} for p in pairing_ids],
    )
    db.session.execute(
        insert(CompetencyGap),
        [
            {
                "instansi_id": world.a.id,
                "cycle_year": year,
                "employee_id": e,
                "org_unit_id": world.bidang.id,
                "competency_code": code,
                "required_level": 3.0,
                "current_level": 3.0 - ((e + i + year) % 4) * 0.5,
                "gap": ((e + i + year) % 4) * 0.5,
            }
            for e in [*mentee_ids, *mentor_ids]
            for year in (2025, 2026)
            for i, code in enumerate(CODES)
        ],
    )
    db.session.commit()
    if db.engine.dialect.name == "postgresql":  # bulk-loaded tables: give the planner statistics
        db.session.execute(text("ANALYZE"))
        db.session.commit()


def median_ms(client, path: str, rounds: int = 15) -> float:
    client.get(path)  # warm-up
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, path
    return statistics.median(times)


def test_pages_stay_fast_at_size(app, world):
    with app.app_context():
        build(world)
        db.session.remove()
    clients = {}
    for role, email in (
        ("mentor", "mentor@test.example"),
        ("mentee", "staff@test.example"),
        ("hr", "hr@test.example"),
        ("head", "head@test.example"),
    ):
        clients[role] = app.test_client()
        login(clients[role], email)
    base = median_ms(clients["hr"], "/ping")
    pages = [
        ("mentor dashboard (50 mentees)", "mentor", "/mentoring/mentor"),
        ("mentee dashboard", "mentee", "/mentoring/me"),
        ("HR dashboard (2,000 pairings)", "hr", "/mentoring/hr"),
        ("matching (200 mentors)", "mentee", "/mentoring/match"),
        ("approvals, head of OPD", "head", "/mentoring/approvals"),
        ("mentor roster", "hr", "/mentoring/mentors"),
    ]
    results = [(name, median_ms(clients[who], path)) for name, who, path in pages]
    mentor = clients["mentor"]
    token = csrf_token(mentor, "/mentoring/mentor")
    with app.app_context():
        pairing_id = db.session.scalar(
            select(Pairing.id).where(Pairing.mentor_id == world.other_staff.id).limit(1)
        )
    times = []
    for n in range(15):
        started = time.perf_counter()
        response = mentor.post(
            "/mentoring/sessions",
            data={
                "pairing_id": str(pairing_id),
                "held_on": today().isoformat(),
                "duration_minutes": "60",
                "mode": "daring",
                "topics": f"Sesi {n}",
                "csrf_token": token,
            },
            headers={"HX-Request": "true", "HX-Request-Type": "partial"},
        )
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    results.append(("log a session (htmx POST)", statistics.median(times)))
    print(f"\n{'page':34} {'median ms':>10} {'x /ping':>8}")
    print(f"{'GET /ping':34} {base:10.1f} {1:8.1f}")
    for name, ms in results:
        print(f"{name:34} {ms:10.1f} {ms / base:8.1f}")
    slow = [(name, round(ms)) for name, ms in results if ms > BUDGET_MS]
    assert not slow, slow
