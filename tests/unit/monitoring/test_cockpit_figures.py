"""The cockpit's SQL figures against a plain-Python recomputation on generated data, and the
statement count at two data sizes."""

from __future__ import annotations

import secrets
from collections import Counter
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from app.clock import local_today, utcnow
from app.extensions import db
from app.learning.figures import JP_BIN_EDGES
from app.learning.models import JP_TARGET_PER_YEAR, LearningRecord, LearningSource
from app.learning.services import credit_jp
from app.monitoring.cockpit import CockpitScope, build_cockpit
from app.org.models import Employee
from app.surveys.models import Invitation, Response, ResponseStatus
from tests.conftest import QueryCounter
from tests.factories import make_employee, make_position
from tests.web.matrix.surveys import open_campaign

YEAR = local_today().year
GENERATED = "Gen "

people = st.lists(
    st.tuples(
        st.sampled_from(["opd", "bidang", "other_opd"]),
        st.lists(st.sampled_from([0.5, 5, 10, 15, 19.5, 20, 25]), max_size=3),
    ),
    min_size=1,
    max_size=12,
)
answers = st.lists(
    st.tuples(
        st.sampled_from(["masyarakat", "akademisi", "swasta"]),
        st.sampled_from(["none", "draft", "submitted"]),
        st.booleans(),  # invited (else through the public link)
    ),
    max_size=15,
)


def reset_generated() -> None:
    db.session.execute(delete(LearningRecord))
    db.session.execute(delete(Response))
    db.session.execute(delete(Invitation))
    db.session.execute(delete(Employee).where(Employee.name.startswith(GENERATED)))
    db.session.commit()


def add_people(world, spec) -> None:
    positions = {
        name: make_position(getattr(world, name), f"Jabatan {name}")
        for name in ("opd", "bidang", "other_opd")
    }
    for index, (unit, credits) in enumerate(spec):
        employee = make_employee(positions[unit], f"{GENERATED}{index}")
        for n, jp in enumerate(credits):
            credit_jp(
                employee.id,
                jp,
                LearningSource.MANUAL,
                f"gen:{employee.id}:{n}",
                date(YEAR, 1 + n, 10),
                "Pelatihan",
            )
    db.session.commit()


def add_answers(world, campaign, spec) -> None:
    for group, status, invited in spec:
        invitation_id = None
        if invited:
            invitation = Invitation(
                campaign_id=campaign.id,
                token_hash=secrets.token_hex(32),
                rater_role="stakeholder",
                stakeholder_group=group,
                org_unit_id=world.opd.id,
                expires_at=utcnow() + timedelta(days=30),
            )
            db.session.add(invitation)
            db.session.flush()
            invitation_id = invitation.id
        if status != "none":
            db.session.add(
                Response(
                    campaign_id=campaign.id,
                    definition_id=campaign.definition_id,
                    definition_version=campaign.definition_version,
                    rater_role="stakeholder",
                    stakeholder_group=group,
                    org_unit_id=world.opd.id,
                    invitation_id=invitation_id,
                    status=ResponseStatus(status),
                    started_on=date(YEAR, 2, 1),
                    submitted_on=date(YEAR, 2, 2) if status == "submitted" else None,
                    draft_answers="{}",
                )
            )
    db.session.commit()


def expected_jp() -> dict[int, float]:
    totals: Counter[int] = Counter()
    for record in db.session.scalars(select(LearningRecord).where(LearningRecord.year == YEAR)):
        totals[record.employee_id] += record.jp
    return {
        e.id: totals.get(e.id, 0.0)
        for e in db.session.scalars(
            select(Employee).where(Employee.instansi_id != None, Employee.active.is_(True))  # noqa: E711
        )
    }


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(spec=people, survey=answers)
def test_cockpit_matches_python(ctx, world, spec, survey):
    reset_generated()
    add_people(world, spec)
    campaign = open_campaign(world.a.id)
    add_answers(world, campaign, survey)
    cockpit = build_cockpit(CockpitScope(world.a.id, YEAR), date(YEAR, 6, 1))

    jp = expected_jp()
    staff = list(db.session.scalars(select(Employee).where(Employee.instansi_id == world.a.id)))
    assert cockpit.jp.employees == len(staff)
    assert cockpit.jp.met == sum(jp[e.id] >= JP_TARGET_PER_YEAR for e in staff)
    assert cockpit.jp.total_jp == pytest.approx(sum(jp[e.id] for e in staff))

    def top_unit(employee: Employee) -> int:
        return int(employee.org_unit.path.strip("/").split("/")[0])

    by_unit = {row.unit_id: row.summary for row in cockpit.jp_units}
    for unit_id in {world.opd.id, world.other_opd.id}:
        members = [e for e in staff if top_unit(e) == unit_id]
        assert by_unit[unit_id].employees == len(members)
        assert by_unit[unit_id].met == sum(jp[e.id] >= JP_TARGET_PER_YEAR for e in members)

    edges = (0, *JP_BIN_EDGES)
    expected_bins = [0] * (len(JP_BIN_EDGES) + 1)
    for e in staff:
        value = jp[e.id]
        expected_bins[sum(value >= edge for edge in edges[1:])] += 1
    assert [count for _, count in cockpit.jp_bins] == expected_bins

    leaders = [e for e in staff if e.position and e.position.heads_unit_id]
    assert cockpit.leaders_jp.employees == len(leaders)

    rows = {row.key: row for row in cockpit.participation}
    for group in {g for g, _, _ in survey}:
        mine = [s for s in survey if s[0] == group]
        if not any(invited or status != "none" for _, status, invited in mine):
            assert group not in rows
            continue
        assert rows[group].invited == sum(invited for _, _, invited in mine)
        assert rows[group].started == sum(status != "none" for _, status, _ in mine)
        assert rows[group].submitted == sum(status == "submitted" for _, status, _ in mine)
    invited = sum(inv for _, _, inv in survey)
    answered = sum(inv and status == "submitted" for _, status, inv in survey)
    assert cockpit.response_rate == (answered / invited if invited else None)


def test_statements_do_not_grow_with_the_data(app, ctx, world):
    def statements() -> int:
        with QueryCounter(app) as counter:
            build_cockpit(CockpitScope(world.a.id, YEAR), date(YEAR, 6, 1))
        return counter.count

    add_people(world, [("bidang", [5, 5])] * 3)
    small = statements()
    assert small >= 10  # every section is really queried
    reset_generated()
    add_people(world, [("opd", [5, 10, 6]), ("other_opd", [2])] * 60)
    assert statements() == small
