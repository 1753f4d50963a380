"""The second target: gaps against the intended position and the needs it alone causes."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.extensions import db
from app.needs import services, targets
from app.needs.models import DevelopmentNeed
from tests.conftest import QueryCounter
from tests.unit.needs import builders as b
from tests.unit.needs.test_needs_scoring import rate_worked_example


@pytest.fixture
def place(ctx):
    return b.build_place()


def needs_of(person) -> dict[str, DevelopmentNeed]:
    rows = db.session.scalars(
        select(DevelopmentNeed).where(DevelopmentNeed.employee_id == person.id)
    )
    return {n.competency_code: n for n in rows}


def test_target_gaps_and_needs_carry_the_position(place, app):
    defs = b.standard_set()
    person = rate_worked_example(place, defs)
    b.set_standard(place.staff_position, "M.01", 3, date(2024, 1, 1))
    head_position = place.head.position
    targets.set_target(place.instansi.id, person.id, head_position.id, None, "Kepala dinas")
    db.session.commit()
    services.recompute(place.instansi.id, b.YEAR, definitions=defs)
    # current levels: M.01 2.7, M.02 3, M.03 3.4; JPT pratama default level 4
    lines = {
        line.code: line
        for line in targets.target_gaps(place.instansi.id, b.YEAR, [person.id])[person.id]
    }
    assert lines["M.01"].required == 4 and lines["M.01"].gap == pytest.approx(1.3)
    assert lines["M.02"].gap == pytest.approx(1.0) and lines["M.03"].gap == pytest.approx(0.6)
    own = targets.gaps_for_position(place.instansi.id, b.YEAR, [person.id], place.staff_position.id)
    assert {line.code: line.required for line in own[person.id]}["M.01"] == 3
    needs = needs_of(person)
    # no current need (gaps 0.3, 0, −0.4 are under 1); the target causes M.01 and M.02
    assert set(needs) == {"M.01", "M.02"}
    assert {n.target_position_id for n in needs.values()} == {head_position.id}
    assert needs["M.01"].gap == pytest.approx(1.3)
    # recompute is idempotent; clearing the target removes the proposed target needs
    services.recompute(place.instansi.id, b.YEAR, definitions=defs)
    assert set(needs_of(person)) == {"M.01", "M.02"}
    targets.set_target(place.instansi.id, person.id, None, None)
    db.session.commit()
    services.recompute(place.instansi.id, b.YEAR, definitions=defs)
    assert needs_of(person) == {}


def test_a_need_both_positions_cause_serves_the_current_one(place):
    defs = b.standard_set()
    person = rate_worked_example(place, defs)
    targets.set_target(place.instansi.id, person.id, place.head.position.id, None)
    db.session.commit()
    services.recompute(place.instansi.id, b.YEAR, definitions=defs)
    assert needs_of(person)["M.01"].target_position_id is not None
    b.set_standard(place.staff_position, "M.01", 4, date(2024, 1, 1))  # now the current lacks it
    db.session.commit()
    services.recompute(place.instansi.id, b.YEAR, definitions=defs)
    assert needs_of(person)["M.01"].target_position_id is None


def test_standard_levels_and_statement_count(place, app):
    levels = targets.standard_levels(
        place.instansi.id, b.YEAR, [place.staff_position.id, place.head.position.id]
    )
    assert (
        levels[place.staff_position.id]["M.01"] == 3 and levels[place.head.position.id]["M.01"] == 4
    )
    ids = [e.id for e in place.staff]
    with QueryCounter(app) as few:
        targets.gaps_for_position(place.instansi.id, b.YEAR, ids[:1], place.staff_position.id)
    with QueryCounter(app) as many:
        targets.gaps_for_position(place.instansi.id, b.YEAR, ids, place.staff_position.id)
    assert few.count == many.count
