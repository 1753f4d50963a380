"""Gaps and strengths from the needs analysis, and the ranking of mentors for a mentee."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.accounts.models import Role
from app.extensions import db
from app.mentoring import services
from app.mentoring.models import PairingState
from app.needs.gaps import standard_met, top_gaps
from app.org.models import Employee
from tests.factories import make_employee, make_position, make_user
from tests.unit.mentoring.factories import add_gap, make_pairing, make_profile


def new_mentor(unit, name, capacity=3, strengths=()) -> Employee:
    position = make_position(unit, f"Analis {name}")
    employee = make_employee(position, name)
    make_user(
        f"{name.lower().replace(' ', '.')}@test.example",
        employee,
        ((Role.MENTOR, unit.instansi_id),),
    )
    make_profile(employee.id, capacity=capacity, strengths=strengths)
    return db.session.get(Employee, employee.id)


def test_top_gaps_take_the_latest_cycle_and_the_largest_positive_gaps(m):
    add_gap(m.mentee, "M.01", 2.0, year=2025)
    for code, gap in [("M.02", 0.5), ("M.03", 1.5), ("M.04", 1.0), ("M.05", -0.5), ("M.06", 2.0)]:
        add_gap(m.mentee, code, gap, year=2026)
    add_gap(m.mentee, "M.07", None, year=2026)
    gaps = top_gaps([m.mentee.id, m.mentee2.id])
    assert gaps == {m.mentee.id: [("M.06", 2.0), ("M.03", 1.5), ("M.04", 1.0)], m.mentee2.id: []}
    assert top_gaps([m.mentee.id], cycle_year=2025) == {m.mentee.id: [("M.01", 2.0)]}
    assert top_gaps([]) == {}


def test_strengths_are_met_standards_or_high_levels_without_one(m):
    add_gap(m.mentor, "M.03", -0.5)
    add_gap(m.mentor, "M.04", 0.0)
    add_gap(m.mentor, "M.05", 1.0)  # a gap, not a strength
    add_gap(m.mentor, "M.06", None, required=None)  # no rating at all
    db.session.flush()
    row = add_gap(m.mentor, "M.07", None, required=None)
    row.current_level = 4.5  # rated high, no standard
    db.session.flush()
    assert standard_met([m.mentor.id]) == {m.mentor.id: {"M.03", "M.04", "M.07"}}
    assert standard_met([m.mentor.id], codes=["M.03"]) == {m.mentor.id: {"M.03"}}


def test_mentors_covering_the_top_gaps_rank_first_with_the_reason(world, m):
    for code, gap in [("M.03", 2.0), ("M.08", 1.0), ("M.04", 0.5)]:
        add_gap(m.mentee, code, gap)
    # m.mentor declares M.03; a second mentor in the mentee's own unit meets M.08 by the analysis.
    near = new_mentor(world.bidang, "Mentor Dekat")
    add_gap(near, "M.08", -0.5)
    db.session.commit()
    gaps, matches = services.rank_mentors(m.mentee)
    assert [code for code, _gap in gaps] == ["M.03", "M.08", "M.04"]
    assert [match.mentor_id for match in matches] == [m.mentor.id, near.id]
    first, second = matches
    assert first.covered == ["M.03"] and round(first.coverage, 3) == round(2.0 / 3.5, 3)
    assert second.covered == ["M.08"] and second.closeness == "unit"
    assert first.closeness == "instansi"  # Dinas Pendidikan, another OPD
    assert "M.03" in first.reason and "1" in first.reason


def test_closeness_breaks_ties_same_unit_before_same_opd_before_instansi(world, m):
    in_unit = new_mentor(world.bidang, "Mentor Unit", strengths=("M.03",))
    in_opd = new_mentor(world.opd, "Mentor Opd", strengths=("M.03",))
    services.profile_of(m.mentor.id).capacity = 3
    db.session.commit()
    add_gap(m.mentee, "M.03", 1.0)
    _gaps, matches = services.rank_mentors(m.mentee)
    assert [x.mentor_id for x in matches] == [in_unit.id, in_opd.id, m.mentor.id]
    assert [x.closeness for x in matches] == ["unit", "opd", "instansi"]


def test_free_capacity_counts_and_full_mentors_come_last(world, m):
    busy = new_mentor(world.bidang, "Mentor Sibuk", capacity=1, strengths=("M.03",))
    make_pairing(m.program, busy, m.mentee2, PairingState.ACTIVE)
    db.session.commit()
    add_gap(m.mentee, "M.03", 1.0)
    _gaps, matches = services.rank_mentors(m.mentee)
    assert matches[-1].mentor_id == busy.id and matches[-1].is_full
    assert not matches[0].is_full


def test_ranking_leaves_out_self_unavailable_paired_and_other_instansi(world, m):
    make_profile(m.b_staff.id)  # another instansi, and without the role
    unavailable = new_mentor(world.bidang, "Mentor Cuti")
    services.profile_of(unavailable.id).available = False
    db.session.commit()
    _gaps, matches = services.rank_mentors(m.mentor)  # the mentor as a mentee: not themselves
    assert m.mentor.id not in [x.mentor_id for x in matches]
    _gaps, matches = services.rank_mentors(m.mentee)
    assert [x.mentor_id for x in matches] == [m.mentor.id]
    make_pairing(m.program, m.mentor, m.mentee, PairingState.PROPOSED)
    db.session.commit()
    assert services.rank_mentors(m.mentee)[1] == []


def test_mentee_without_gaps_still_gets_mentors_with_a_reason(m):
    gaps, matches = services.rank_mentors(m.mentee)
    assert gaps == [] and len(matches) == 1
    assert matches[0].coverage == 0 and matches[0].reasons


@given(
    coverage=st.floats(min_value=0, max_value=1),
    left=st.integers(min_value=0, max_value=20),
    capacity=st.integers(min_value=0, max_value=20),
    closeness=st.sampled_from(["unit", "opd", "instansi"]),
    more=st.floats(min_value=0, max_value=1),
)
def test_match_score_is_bounded_and_monotone(coverage, left, capacity, closeness, more):
    left = min(left, capacity)
    score = services.match_score(coverage, left, capacity, closeness)
    assert 0 <= score <= 1
    assert services.match_score(min(coverage + more, 1), left, capacity, closeness) >= score
    if capacity:
        assert services.match_score(coverage, capacity, capacity, closeness) >= score
    assert services.match_score(coverage, left, capacity, "unit") >= score
