"""Proposals, approval, completion and cancellation: every state change and every refusal."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.clock import utcnow
from app.errors import ServiceError, ValidationFailed
from app.extensions import db
from app.mentoring import services
from app.mentoring.models import MatchingMode, Pairing, PairingState
from tests.unit.mentoring.factories import make_pairing, make_profile, make_program, today


def proposal(m, **changes) -> services.Proposal:
    values = {
        "program_id": m.program.id,
        "mentee_id": m.mentee.id,
        "mentor_id": m.mentor.id,
        "start_date": today(),
        "end_date": today() + timedelta(weeks=12),
        "focus": "Komunikasi",
    }
    values.update(changes)
    return services.Proposal(**values)


def pairing_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Pairing))


def refused_fields(excinfo) -> set[str]:
    return {field for field, _message in excinfo.value.problems}


def test_mentee_proposes_and_reason_is_kept(world, m):
    pairing = services.propose_pairing(proposal(m), world.users["employee"], False, today())
    assert pairing.state == PairingState.PROPOSED
    assert (
        pairing.instansi_id == world.a.id and pairing.proposed_by_id == world.users["employee"].id
    )
    assert pairing.match_reason  # why this mentor, shown to the approver


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"mentor_id": "mentee"}, "mentor_id"),  # pairing someone with themselves
        ({"mentor_id": "kabid"}, "mentor_id"),  # holds no mentor role
        ({"mentor_id": None}, "mentor_id"),
        ({"mentee_id": None}, "mentee_id"),
        ({"program_id": 999999}, "program_id"),
        ({"start_date": None}, "start_date"),
        ({"end_date": None}, "end_date"),
        ({"end_date": "before"}, "end_date"),
        ({"end_date": "too_short"}, "end_date"),
        ({"end_date": "too_long"}, "end_date"),
        ({"start_date": "long_ago"}, "start_date"),
    ],
)
def test_bad_proposals_are_refused_and_nothing_is_saved(world, m, changes, field):
    resolved = {}
    for key, value in changes.items():
        if value in ("mentee", "kabid"):
            value = getattr(m, value).id
        elif value == "before":
            value = today() - timedelta(days=1)
        elif value == "too_short":
            value = today() + timedelta(weeks=2)
        elif value == "too_long":
            value = today() + timedelta(weeks=30)
        elif value == "long_ago":
            value = today() - timedelta(days=400)
        resolved[key] = value
    with pytest.raises(ValidationFailed) as excinfo:
        services.propose_pairing(proposal(m, **resolved), world.users["hr_admin"], True, today())
    assert field in refused_fields(excinfo)
    assert pairing_count() == 0


def test_self_pairing_message_is_clear(world, m):
    with pytest.raises(ValidationFailed) as excinfo:
        services.propose_pairing(
            proposal(m, mentee_id=m.mentor.id), world.users["hr_admin"], True, today()
        )
    assert (
        "mentor_id",
        "Seseorang tidak dapat menjadi mentor bagi dirinya sendiri.",
    ) in excinfo.value.problems


def test_mentor_over_capacity_is_refused(world, m):
    make_pairing(m.program, m.mentor, m.mentee2)
    make_pairing(m.program, m.mentor, m.head, PairingState.PROPOSED)  # proposed counts too
    db.session.commit()
    with pytest.raises(ValidationFailed) as excinfo:
        services.propose_pairing(proposal(m), world.users["employee"], False, today())
    assert "mentor_id" in refused_fields(excinfo)
    assert "2 dari 2" in str(dict(excinfo.value.problems)["mentor_id"])
    assert pairing_count() == 2


def test_second_open_pairing_of_the_same_two_is_refused(world, m):
    make_pairing(m.program, m.mentor, m.mentee, PairingState.PROPOSED)
    db.session.commit()
    with pytest.raises(ValidationFailed) as excinfo:
        services.propose_pairing(proposal(m), world.users["employee"], False, today())
    assert "mentor_id" in refused_fields(excinfo)


def test_unavailable_mentor_and_missing_profile_are_refused(world, m):
    profile = services.profile_of(m.mentor.id)
    profile.available = False
    db.session.commit()
    with pytest.raises(ValidationFailed):
        services.propose_pairing(proposal(m), world.users["employee"], False, today())
    db.session.delete(profile)
    db.session.commit()
    with pytest.raises(ValidationFailed) as excinfo:
        services.propose_pairing(proposal(m), world.users["employee"], False, today())
    assert "mentor_id" in refused_fields(excinfo)


def test_program_of_another_instansi_and_admin_mode_are_refused(world, m):
    other = make_program(world.b.id)
    admin_only = make_program(world.a.id, mode=MatchingMode.ADMIN)
    db.session.commit()
    with pytest.raises(ValidationFailed) as excinfo:
        services.propose_pairing(
            proposal(m, program_id=other.id), world.users["employee"], False, today()
        )
    assert "program_id" in refused_fields(excinfo)
    with pytest.raises(ValidationFailed) as excinfo:
        services.propose_pairing(
            proposal(m, program_id=admin_only.id), world.users["employee"], False, today()
        )
    assert "program_id" in refused_fields(excinfo)
    # HR may propose in an admin-matched program.
    pairing = services.propose_pairing(
        proposal(m, program_id=admin_only.id), world.users["hr_admin"], True, today()
    )
    assert pairing.state == PairingState.PROPOSED


def test_mentor_of_another_instansi_is_refused(world, m):
    make_profile(m.b_staff.id)
    db.session.commit()
    with pytest.raises(ValidationFailed) as excinfo:
        services.propose_pairing(
            proposal(m, mentor_id=m.b_staff.id), world.users["hr_admin"], True, today()
        )
    assert "mentor_id" in refused_fields(excinfo)


def test_approve_makes_active_and_reject_cancels(world, m):
    first = make_pairing(m.program, m.mentor, m.mentee, PairingState.PROPOSED, start=today())
    second = make_pairing(m.program, m.mentor, m.mentee2, PairingState.PROPOSED, start=today())
    db.session.commit()
    services.decide_pairing(first, True, world.users["unit_head"], "", today())
    assert first.state == PairingState.ACTIVE and first.decided_by_id == world.users["unit_head"].id
    services.decide_pairing(second, False, world.users["unit_head"], "Belum perlu", today())
    assert second.state == PairingState.CANCELLED and second.closing_note == "Belum perlu"
    assert second.ended_on == today()
    with pytest.raises(ServiceError):
        services.decide_pairing(first, True, world.users["unit_head"], "", today())


def test_approval_rechecks_capacity(world, m):
    make_pairing(m.program, m.mentor, m.mentee2)
    make_pairing(m.program, m.mentor, m.head)
    pending = make_pairing(m.program, m.mentor, m.mentee, PairingState.PROPOSED, start=today())
    db.session.commit()
    with pytest.raises(ServiceError) as excinfo:
        services.decide_pairing(pending, True, world.users["unit_head"], "", today())
    assert excinfo.value.field == "decision"
    assert db.session.get(Pairing, pending.id).state == PairingState.PROPOSED


def test_approving_after_the_planned_end_is_refused(world, m):
    old = make_pairing(
        m.program, m.mentor, m.mentee, PairingState.PROPOSED, start=today() - timedelta(weeks=20)
    )
    db.session.commit()
    with pytest.raises(ServiceError):
        services.decide_pairing(old, True, world.users["unit_head"], "", today())
    assert db.session.get(Pairing, old.id).state == PairingState.PROPOSED


def test_completing_early_counts_as_completed(m):
    pairing = make_pairing(m.program, m.mentor, m.mentee)
    db.session.commit()
    assert pairing.end_date > today()
    services.close_pairing(pairing, "completed", "Sasaran tercapai", today())
    assert pairing.state == PairingState.COMPLETED and pairing.ended_on == today()
    with pytest.raises(ServiceError):
        services.close_pairing(pairing, "completed", "", today())
    with pytest.raises(ServiceError):
        services.close_pairing(pairing, "cancelled", "", today())


def test_cancel_a_proposed_or_active_pairing(m):
    proposed = make_pairing(m.program, m.mentor, m.mentee, PairingState.PROPOSED)
    active = make_pairing(m.program, m.mentor, m.mentee2)
    db.session.commit()
    with pytest.raises(ServiceError):
        services.close_pairing(proposed, "completed", "", today())  # not active yet
    services.close_pairing(proposed, "cancelled", "", today())
    services.close_pairing(active, "cancelled", "Pindah tugas", today())
    assert proposed.state == active.state == PairingState.CANCELLED
    with pytest.raises(ServiceError):
        services.close_pairing(active, "archived", "", today())


def test_daily_job_completes_pairings_past_their_end(m):
    due = make_pairing(m.program, m.mentor, m.mentee, start=today() - timedelta(weeks=13))
    running = make_pairing(m.program, m.mentor, m.mentee2)
    db.session.commit()
    assert services.complete_due_pairings(today()) == 1
    db.session.expire_all()
    assert db.session.get(Pairing, due.id).state == PairingState.COMPLETED
    assert db.session.get(Pairing, due.id).ended_on == due.end_date
    assert db.session.get(Pairing, running.id).state == PairingState.ACTIVE


def test_resolve_flag_clears_it(m):

    pairing = make_pairing(m.program, m.mentor, m.mentee)
    pairing.flagged_at = utcnow()
    db.session.commit()
    services.resolve_flag(pairing)
    assert db.session.get(Pairing, pairing.id).flagged_at is None


def test_daily_command_completes_due_pairings(app, m):
    make_pairing(m.program, m.mentor, m.mentee, start=today() - timedelta(weeks=13))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["mentoring", "complete-due"])
    assert result.exit_code == 0 and "1 pairing(s) completed." in result.output
