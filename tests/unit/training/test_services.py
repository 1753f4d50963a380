"""Catalogue, chain, delegation and JP-progress services, and the approver resolution rules."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.access.policy import employee_scope, principal_for
from app.clock import local_today
from app.errors import ValidationFailed
from app.extensions import db
from app.learning.models import LearningSource
from app.learning.services import credit_jp, jp_progress, jp_progress_page, jp_summary
from app.org.models import PositionType
from app.training.models import DelegationKind, StepKind, TrainingForm
from app.training.services import (
    EventData,
    ProgramData,
    create_delegation,
    parse_competencies,
    save_event,
    save_program,
    set_chain,
)
from app.training.workflow import chain_of, resolve_approver
from tests.factories import build_users, build_world, make_employee, make_position
from tests.unit.training.factories import make_program, user_actor

CODES = st.from_regex(r"\A(M\.0[1-8]|SK\.01|T\.[A-Z]{3}\.0[1-9])\Z", fullmatch=True)


@given(st.dictionaries(CODES, st.integers(min_value=1, max_value=5), min_size=1, max_size=6))
def test_competency_lines_round_trip(pairs):
    text = "\n".join(f"  {code.lower()} : {level} " for code, level in pairs.items())
    assert dict(parse_competencies(text)) == pairs


@pytest.mark.parametrize("text", ["", "M.03", "M.03:0", "M.03:6", "bad code:3", "M.03:2\nM.03:3"])
def test_bad_competency_lines_are_refused(text):
    with pytest.raises(ValidationFailed) as refused:
        parse_competencies(text)
    assert refused.value.field == "competencies"


def program_data(**overrides) -> ProgramData:
    values = dict(
        code="pkp",
        title="Pelatihan Kepemimpinan Pengawas",
        form=TrainingForm.COACHING.value,
        jp=8,
        provider_kind="internal",
        provider_name="BKPSDM",
        cost_per_participant=0,
        competencies="M.08:3",
    )
    values.update(overrides)
    return ProgramData(**values)  # type: ignore[arg-type]


def test_program_path_follows_the_form_and_codes_are_unique(ctx):
    world = build_world()
    program = save_program(world.a.id, program_data())
    assert program.path.value == "non_classical" and program.code == "PKP"
    program = save_program(world.a.id, program_data(competencies="M.08:4\nM.06:2"), program)
    assert [(c.competency_code, c.target_level) for c in program.competencies] == [
        ("M.06", 2),
        ("M.08", 4),
    ]
    with pytest.raises(ValidationFailed) as refused:
        save_program(world.a.id, program_data(title="Other"))
    assert refused.value.field == "code"
    save_program(world.b.id, program_data())  # another instansi may reuse the code


def test_event_quota_cannot_drop_below_approved_seats(ctx):
    world = build_world()
    program = make_program(world.a.id)
    data = EventData(
        "A", local_today() + timedelta(days=9), local_today() + timedelta(days=10), 5, "Aula"
    )
    event = save_event(program, data)
    event.seats_taken = 3
    db.session.commit()
    with pytest.raises(ValidationFailed) as refused:
        save_event(program, EventData("A", data.start_date, data.end_date, 2, "Aula"), event)
    assert refused.value.field == "quota"


def test_chain_is_configurable_and_validated(ctx):
    world = build_world()
    users = build_users(world)
    actor = user_actor("hr@test.example")
    assert chain_of(world.a.id) == [StepKind.SUPERVISOR, StepKind.OPD_HEAD, StepKind.HR]
    set_chain(actor, world.a.id, [StepKind.UNIT_HEAD, StepKind.HR])
    assert chain_of(world.a.id) == [StepKind.UNIT_HEAD, StepKind.HR]
    assert chain_of(world.b.id)[0] == StepKind.SUPERVISOR
    for bad in ([], [StepKind.HR, StepKind.HR]):
        with pytest.raises(ValidationFailed):
            set_chain(actor, world.a.id, bad)
    assert users


def test_approvers_resolve_from_the_tree_and_skip_the_nominee(ctx):
    world = build_world()
    seksi_unit = world.bidang
    assert resolve_approver(StepKind.SUPERVISOR, world.staff) == (
        world.kabid_position.id,
        world.kabid.id,
    )
    assert resolve_approver(StepKind.UNIT_HEAD, world.staff) == (
        world.kabid_position.id,
        world.kabid.id,
    )
    assert resolve_approver(StepKind.OPD_HEAD, world.staff) == (
        world.head_position.id,
        world.head.id,
    )
    # The kabid heads the unit: their unit-head step goes to their own supervisor.
    assert resolve_approver(StepKind.UNIT_HEAD, world.kabid)[1] == world.head.id
    # The head of the OPD has nobody above: no approver, the step will be skipped.
    assert resolve_approver(StepKind.OPD_HEAD, world.head) == (None, None)
    # A vacant head position is still the approver: its Plt/Plh acts.
    world.kabid.active = False
    db.session.commit()
    assert resolve_approver(StepKind.UNIT_HEAD, world.staff) == (world.kabid_position.id, None)
    assert resolve_approver(StepKind.HR, world.staff) == (None, None)
    assert seksi_unit


def test_delegation_rules(ctx):
    world = build_world()
    build_users(world)
    actor = user_actor("hr@test.example")
    start = local_today()
    ok = create_delegation(
        actor,
        world.a.id,
        world.head_position.id,
        world.kabid.id,
        DelegationKind.PLH,
        start,
        start + timedelta(days=91),
        "SK-1",
    )
    assert ok.active_on(start)
    cases = [
        (world.staff_position.id, world.kabid.id, 10, "position_id"),  # not a head position
        (world.head_position.id, world.b_staff.id, 10, "delegate_employee_id"),
        (world.head_position.id, world.staff.id, 10, "valid_from"),  # overlaps the first
    ]
    for position_id, delegate_id, days, field in cases:
        with pytest.raises(ValidationFailed) as refused:
            create_delegation(
                actor,
                world.a.id,
                position_id,
                delegate_id,
                DelegationKind.PLT,
                start,
                start + timedelta(days=days),
                "SK-2",
            )
        assert refused.value.field == field
    kasi = make_position(world.bidang, "Kepala Seksi", PositionType.PENGAWAS)
    assert kasi.heads_unit_id is None


def test_jp_summary_and_pages_agree_with_jp_progress(ctx):
    world = build_world()
    users = build_users(world)
    for n, employee in enumerate([world.staff, world.staff2, world.kabid]):
        credit_jp(
            employee.id, 8 * (n + 1), LearningSource.TRAINING, f"p:{n}", date(2026, 3, 1), "x"
        )
    extra = make_employee(world.staff_position, "Tanpa JP")
    db.session.commit()
    scope = employee_scope(principal_for(users["unit_head"]))
    progress = jp_progress(scope, 2026)
    rows, count = jp_progress_page(scope, 2026, limit=2)
    assert count == len(progress) and [r.employee_id for r in rows] == [
        p.employee_id for p in progress[:2]
    ]
    assert [r.name for r in rows] == ["Kepala Dinas Uji", extra.name]  # no JP yet, by name
    assert rows[1].jp == 0
    summary = jp_summary(scope, 2026)
    assert summary.employees == len(progress)
    assert summary.met == sum(1 for p in progress if p.met) == 1
    assert summary.total_jp == sum(p.jp for p in progress) == 48
    below, below_count = jp_progress_page(scope, 2026, below_target=True)
    assert below_count == len(progress) - 1 and all(not r.met for r in below)
    named, _n = jp_progress_page(scope, 2026, search="dua")
    assert [r.name for r in named] == ["Staf Dua"]


def test_a_plt_cannot_allocate_budget_but_the_definitive_head_can(ctx):
    from app.training.models import BudgetLine
    from app.training.policy import acting_for, acts_definitively
    from app.training.services import BudgetData, allocate_budget
    from app.training.workflow import NotAllowed
    from tests.unit.training.factories import employee_actor, make_delegation

    world = build_world()
    build_users(world)
    make_delegation(world.head_position.id, world.kabid, DelegationKind.PLT)
    db.session.commit()
    data = BudgetData(world.opd.id, local_today().year, "Pagu pengembangan", 50_000_000)
    plt = employee_actor(world.kabid.id)
    plt_acting = acting_for(plt.principal, local_today())
    assert acts_definitively(plt_acting, world.head_position.id) is False
    with pytest.raises(NotAllowed) as refused:
        allocate_budget(plt, plt_acting, data)
    assert "Plt/Plh" in str(refused.value.message)
    hr = user_actor("hr@test.example")
    with pytest.raises(NotAllowed):
        allocate_budget(hr, acting_for(hr.principal, local_today()), data)
    assert db.session.query(BudgetLine).count() == 0
    head = user_actor("head@test.example")
    head_acting = acting_for(head.principal, local_today())
    assert acts_definitively(head_acting, world.head_position.id) is True
    line = allocate_budget(head, head_acting, data)
    assert line.amount == 50_000_000 and line.allocated_by_id is not None
