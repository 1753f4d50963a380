"""Potential, the 9-box in SQL, movement from last year, scope, and constant statements."""

from __future__ import annotations

import pytest

from app.access.policy import employee_scope, principal_for
from app.clock import local_today
from app.errors import ValidationFailed
from app.extensions import db
from app.needs.models import EmployeeMatch
from app.org.models import Employee
from app.talent import potential
from app.talent.board import board, employee_placement
from app.talent.matrix import predikat
from app.talent.models import Education, PotentialInput, Rating, SkpPeriod, SkpRating, SkpSource
from app.talent.placement import BoxFilter
from app.talent.potential import Band
from tests.conftest import QueryCounter
from tests.factories import build_users, build_world, make_employee

YEAR = local_today().year
A, M, B = Rating.ABOVE, Rating.MEETS, Rating.BELOW


def skp(employee: Employee, year: int, hasil: Rating, perilaku: Rating, period=SkpPeriod.ANNUAL):
    db.session.add(
        SkpRating(
            instansi_id=employee.instansi_id, employee_id=employee.id, year=year, period=period,
            hasil_kerja=hasil, perilaku=perilaku, predikat=predikat(hasil, perilaku),
            source=SkpSource.MANUAL,
        )
    )  # fmt: skip


def jpm(employee: Employee, year: int, value: float) -> None:
    db.session.add(
        EmployeeMatch(
            instansi_id=employee.instansi_id, cycle_year=year, employee_id=employee.id,
            org_unit_id=employee.org_unit_id, competencies=9, required_sum=27.0,
            achieved_sum=27.0 * value / 100, jpm=value,
        )
    )  # fmt: skip


def inputs(employee: Employee, year: int, education: Education | None, score: float | None):
    db.session.add(
        PotentialInput(
            instansi_id=employee.instansi_id, employee_id=employee.id, year=year,
            education=education, assessment_score=score,
        )
    )  # fmt: skip


@pytest.fixture
def w(ctx):
    world = build_world()
    world.users = build_users(world)
    return world


def test_potential_weights_and_box_by_hand(w):
    # staff: JPM 95, S2 (90), AC 92 → (60·95 + 20·90 + 20·92)/100 = 93.4 → tinggi; SB → box 9
    skp(w.staff, YEAR, A, A)
    jpm(w.staff, YEAR, 95)
    inputs(w.staff, YEAR, Education.S2, 92)
    # staff2: JPM 80 only → 80 → menengah; Baik → box 5; last year box 3 (below, medium)
    skp(w.staff2, YEAR, M, A)
    jpm(w.staff2, YEAR, 80)
    jpm(w.staff2, YEAR - 1, 80)
    skp(w.staff2, YEAR - 1, B, M)
    # kabid: no JPM, S1 (80) and AC 60 → (20·80 + 20·60)/40 = 70 → rendah; quarterly Kurang → 1
    skp(w.kabid, YEAR, M, B, SkpPeriod.Q2)
    inputs(w.kabid, YEAR - 1, Education.S1, 60)
    # head: qualification alone is not a potential → not placed
    skp(w.head, YEAR, A, A)
    inputs(w.head, YEAR, Education.S3, None)
    db.session.commit()
    settings = potential.settings_for(w.a.id)
    got = {
        e.id: employee_placement(settings, e, YEAR).row
        for e in (w.staff, w.staff2, w.kabid, w.head)
    }
    assert got[w.staff.id]["potential"] == pytest.approx(93.4)
    assert (got[w.staff.id]["potential_cat"], got[w.staff.id]["box"]) == ("tinggi", 9)
    assert (got[w.staff2.id]["box"], got[w.staff2.id]["prev_box"]) == (5, 3)
    assert got[w.kabid.id]["potential"] == pytest.approx(70) and got[w.kabid.id]["box"] == 1
    assert got[w.head.id]["potential"] is None and got[w.head.id]["box"] is None
    assert employee_placement(settings, w.staff, YEAR).recommendations[0] is not None
    result = board(
        settings,
        BoxFilter(w.a.id, YEAR),
        employee_scope(principal_for(w.users["hr_admin"])),
        None,
        50,
        0,
    )
    counts = result.by_box
    assert (counts[9].count, counts[5].count, counts[1].count) == (1, 1, 1)
    assert result.unplaced == 2  # the head (qualification only) and other_staff (nothing)
    assert (result.up, result.same, result.down) == (1, 0, 0)
    pool = board(
        settings,
        BoxFilter(w.a.id, YEAR),
        employee_scope(principal_for(w.users["hr_admin"])),
        None,
        50,
        0,
        pool_only=True,
    )
    assert [r["employee_id"] for r in pool.rows] == [w.staff.id] and pool.total_rows == 1  # fmt: skip


def test_scope_employee_sees_only_self_supervisor_team(w):
    for e in (w.staff, w.staff2, w.other_staff):
        skp(e, YEAR, M, M)
        jpm(e, YEAR, 85)
    db.session.commit()
    settings = potential.settings_for(w.a.id)
    f = BoxFilter(w.a.id, YEAR)

    def names(role: str) -> set[int]:
        scope = employee_scope(principal_for(w.users[role]))
        return {r["employee_id"] for r in board(settings, f, scope, None, 50, 0).rows}

    assert names("employee") == {w.staff.id}
    assert names("supervisor") >= {w.staff.id, w.staff2.id} and w.other_staff.id not in names(
        "supervisor"
    )
    assert w.other_staff.id in names("hr_admin")  # fmt: skip


def test_unit_and_position_type_filters(w):
    for e in (w.staff, w.kabid, w.other_staff):
        skp(e, YEAR, M, M)
        jpm(e, YEAR, 85)
    db.session.commit()
    settings = potential.settings_for(w.a.id)
    scope = employee_scope(principal_for(w.users["hr_admin"]))
    in_bidang = board(settings, BoxFilter(w.a.id, YEAR, w.bidang.path), scope, None, 50, 0)
    assert {r["employee_id"] for r in in_bidang.rows} == {w.staff.id, w.staff2.id, w.kabid.id}
    admins = board(settings, BoxFilter(w.a.id, YEAR, None, "administrator"), scope, None, 50, 0)
    assert {r["employee_id"] for r in admins.rows} == {w.kabid.id}


def test_statements_do_not_grow_with_employees(w, app):
    settings = potential.settings_for(w.a.id)
    scope = employee_scope(principal_for(w.users["hr_admin"]))
    instansi_id = w.a.id

    def run() -> int:
        db.session.commit()
        with QueryCounter(app) as counter:
            board(settings, BoxFilter(instansi_id, YEAR), scope, None, 50, 0)
        return counter.count

    small = run()
    for i in range(60):
        e = make_employee(w.staff_position, f"Extra {i}")
        skp(e, YEAR, [A, M, B][i % 3], M)
        jpm(e, YEAR, 60 + i % 40)
        skp(e, YEAR - 1, M, M)
    assert run() == small <= 4  # counts, moves, one page (+ BEGIN on SQLite)


def test_cutoffs_refused_with_values_named(w):
    gap = potential.check_bands(
        Band("Rendah", 0, 78), Band("Menengah", 80, 90), Band("Tinggi", 90, 100)
    )
    assert len(gap) == 1 and gap[0][0] == "medium_from" and "78" in gap[0][1] and "80" in gap[0][1]
    overlap = potential.check_bands(
        Band("Rendah", 0, 80), Band("Menengah", 78, 90), Band("Tinggi", 85, 100)
    )
    assert [field for field, _ in overlap] == ["medium_from", "high_from"]
    assert "85" in overlap[1][1] and "90" in overlap[1][1]
    ends = potential.check_bands(
        Band("Rendah", 5, 78), Band("Menengah", 78, 90), Band("Tinggi", 90, 99)
    )
    assert {f for f, _ in ends} == {"low_from", "high_to"}
    assert not potential.check_bands(Band("R", 0, 70), Band("M", 70, 85), Band("T", 85, 100))
    with pytest.raises(ValidationFailed) as refused:
        potential.save_settings(
            w.a.id, (50, 20, 20), Band("R", 0, 70), Band("M", 70, 85), Band("T", 85, 100), None, 1
        )
    assert "90" in refused.value.problems[0][1]
    saved = potential.save_settings(
        w.a.id, (50, 25, 25), Band("R", 0, 70), Band("M", 70, 85), Band("T", 85, 100), None, 1
    )
    assert (saved.medium_from, saved.high_from, saved.weight_jpm) == (70, 85, 50)  # fmt: skip
