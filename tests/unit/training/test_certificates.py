"""Certificate numbers: the pattern formatter, its bounds, and the running number."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.clock import local_today
from app.errors import ValidationFailed
from app.extensions import db
from app.org.models import Employee, Position
from app.training import certificates
from app.training.certificates import DEFAULT_PATTERN, parse
from app.training.models import (
    Attendance,
    CertificateCounter,
    Completion,
    Participation,
    TrainingEvent,
)
from app.training.services import record_participation
from tests.factories import ROLE_EMAILS, make_employee
from tests.unit.training.factories import (
    approved_participation,
    make_event,
    make_program,
    user_actor,
)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (DEFAULT_PATTERN, "0007/BKPSDM/2026"),
        ("{seq}", "7"),
        ("{seq:06d}-{program_code}-{event_id}", "000007-PKP-01-12"),
        ("SERT/{year}/{ seq }", "SERT/2026/7"),
        ("{seq:02d}", "07"),
        ("A.{seq:01d}_B", "A.7_B"),
    ],
)
def test_patterns_format(pattern, expected):
    assert parse(pattern).format(7, 2026, "PKP-01", 12) == expected


def test_long_numbers_are_not_cut():
    assert parse("{seq:03d}").format(12345, 2026, "X", 1) == "12345"


@pytest.mark.parametrize(
    "pattern",
    [
        "",
        "   ",
        "BKPSDM/{year}",  # no running number
        "{seq}/{seq}",  # twice
        "{seq:4d}",  # width without the zero
        "{seq:010d}",  # 10 digits and more
        "{seq:04x}",
        "{name}/{seq}",  # unknown token
        "{seq.__class__}",
        "{seq}{",
        "}{seq}",
        "{seq}/<b>",
        "{seq}%s",
        "{seq}/" + "A" * 80,  # over 80 characters
        "{seq}" + "{program_code}" * 5,  # its numbers could pass 100 characters
        "{{seq}}",
    ],
)
def test_bad_patterns_are_refused_with_a_message(app, pattern):
    with app.test_request_context():
        with pytest.raises(ValidationFailed) as refused:
            parse(pattern)
    assert refused.value.field == "pattern" and str(refused.value.message)


def test_yearly_counter_only_when_the_number_shows_the_year():
    assert parse(DEFAULT_PATTERN).yearly
    assert not parse("{seq:05d}/PKP").yearly


def test_reserve_counts_on_per_instansi_and_year(app, world):
    with app.app_context():
        assert list(certificates.reserve(world.a.id, 2026, 1)) == [1]
        assert list(certificates.reserve(world.a.id, 2026, 3)) == [2, 3, 4]
        assert list(certificates.reserve(world.a.id, 2027, 2)) == [1, 2]
        assert list(certificates.reserve(world.b.id, 2026, 1)) == [1]
        db.session.rollback()  # in the caller's transaction: nothing is kept
        assert certificates.reserve(world.a.id, 2026, 1) == range(1, 2)
        db.session.commit()
        db.session.remove()


def _started_event(world, quota: int = 10) -> TrainingEvent:  # type: ignore[no-untyped-def]
    program = make_program(world.a.id)
    return make_event(program, start=local_today() - timedelta(days=2), quota=quota)


def test_completion_gets_the_next_number_unless_one_was_typed(app, world):
    with app.app_context():
        event = _started_event(world)
        people = [db.session.get(Employee, e.id) for e in (world.staff, world.staff2, world.kabid)]
        rows = [approved_participation(event, person) for person in people]
        db.session.commit()
        actor = user_actor(ROLE_EMAILS["hr_admin"])
        year = event.end_date.year
        record_participation(actor, rows[0], Attendance.PRESENT, Completion.COMPLETED, "")
        record_participation(actor, rows[1], Attendance.PRESENT, Completion.COMPLETED, "EXT/9")
        record_participation(actor, rows[2], Attendance.PRESENT, Completion.COMPLETED, "")
        numbers = [db.session.get(Participation, r.id).certificate_number for r in rows]
        assert numbers == [f"0001/BKPSDM/{year}", "EXT/9", f"0002/BKPSDM/{year}"]
        # Saving a completed row again, even with the number cleared, keeps its number.
        record_participation(actor, rows[0], Attendance.PRESENT, Completion.COMPLETED, "")
        assert db.session.get(Participation, rows[0].id).certificate_number == numbers[0]
        db.session.remove()


def test_typed_numbers_already_in_use_are_refused_and_skipped_over(app, world):
    with app.app_context():
        event = _started_event(world)
        year = event.end_date.year
        people = [db.session.get(Employee, e.id) for e in (world.staff, world.staff2, world.kabid)]
        rows = [approved_participation(event, person) for person in people]
        db.session.commit()
        actor = user_actor(ROLE_EMAILS["hr_admin"])
        typed = f"0001/BKPSDM/{year}"  # what the pattern gives next
        record_participation(actor, rows[0], Attendance.PRESENT, Completion.COMPLETED, typed)
        with pytest.raises(ValidationFailed) as refused:
            record_participation(actor, rows[1], Attendance.PRESENT, Completion.COMPLETED, typed)
        assert refused.value.field == "certificate_number"
        db.session.rollback()
        record_participation(actor, rows[1], Attendance.PRESENT, Completion.COMPLETED, "")
        assert db.session.get(Participation, rows[1].id).certificate_number == (
            f"0002/BKPSDM/{year}"
        )
        db.session.remove()


@pytest.mark.slow
def test_concurrent_completions_never_share_a_number(app, world):
    """Eight completions at the same moment, each in its own session: eight numbers."""
    count = 8
    with app.app_context():
        event = _started_event(world, quota=count)
        position = db.session.get(Position, world.staff_position.id)
        employees = [make_employee(position, f"Peserta {index}") for index in range(count)]
        ids = [approved_participation(event, person).id for person in employees]
        db.session.commit()
        db.session.remove()
    barrier = threading.Barrier(count, timeout=30)
    errors: list[BaseException] = []

    def complete(participation_id: int) -> None:
        with app.app_context():
            try:
                actor = user_actor(ROLE_EMAILS["hr_admin"])
                participation = db.session.get(Participation, participation_id)
                db.session.rollback()
                barrier.wait()
                participation = db.session.get(Participation, participation_id)
                record_participation(
                    actor, participation, Attendance.PRESENT, Completion.COMPLETED, ""
                )
            except BaseException as error:
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=complete, args=(pid,)) for pid in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    with app.app_context():
        numbers = db.session.scalars(
            select(Participation.certificate_number).where(Participation.id.in_(ids))
        ).all()
        counter = db.session.scalars(select(CertificateCounter.last_seq)).one()
        db.session.remove()
    assert len(set(numbers)) == count and all(numbers)
    assert sorted(int(n.split("/")[0]) for n in numbers) == list(range(1, count + 1))
    assert counter == count
