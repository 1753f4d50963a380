"""Every training and learning page: the full page, and only its named block for htmx."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.training.models import NominationState, Participation
from tests.conftest import login
from tests.factories import ROLE_EMAILS
from tests.unit.training.factories import (
    JUSTIFY,
    approve_as,
    build_training,
    make_delegation,
    submit_as,
)

PARTIAL = {"HX-Request": "true", "HX-Request-Type": "partial"}

# (role, path template, element the partial starts with)
PAGES = [
    ("employee", "/training/programs", '<section id="program-table"'),
    ("employee", "/training/programs/{program}", '<section class="card" id="event-list"'),
    ("employee", "/training/events/{event}", '<section class="card" id="event-nominations"'),
    (
        "employee",
        "/training/events/{event}/nominate",
        '<form method="post" class="card" id="nominate-form"',
    ),
    ("employee", "/training/nominations", '<section id="nomination-table"'),
    ("employee", "/training/nominations/{nomination}", '<section id="nomination-panel"'),
    (
        "employee",
        "/training/nominations/{returned}/revise",
        '<form method="post" class="card" id="revise-form"',
    ),
    ("employee", "/learning", '<section id="record-table"'),
    ("unit_head", "/training/inbox", '<section id="inbox-table"'),
    (
        "unit_head",
        "/training/events/{event}/from-needs",
        '<form method="post" class="card" id="needs-form"',
    ),
    ("unit_head", "/training/budget", '<section id="budget-table"'),
    ("unit_head", "/training/budget/allocate", '<section id="budget-form"'),
    ("unit_head", "/learning/team", '<section id="progress-table"'),
    ("unit_head", "/learning/employees/{staff}", '<section id="record-table"'),
    ("hr_admin", "/training/programs/new", '<form method="post" class="card" id="program-form"'),
    (
        "hr_admin",
        "/training/programs/{program}/edit",
        '<form method="post" class="card" id="program-form"',
    ),
    (
        "hr_admin",
        "/training/programs/{program}/events/new",
        '<form method="post" class="card" id="event-form"',
    ),
    (
        "hr_admin",
        "/training/events/{event}/edit",
        '<form method="post" class="card" id="event-form"',
    ),
    ("hr_admin", "/training/events/{event}/participants", '<section id="roster-table"'),
    ("hr_admin", "/training/chain", '<form method="post" class="card" id="chain-form"'),
    ("hr_admin", "/training/delegations", '<section id="delegation-table"'),
    (
        "hr_admin",
        "/training/delegations/new",
        '<form method="post" class="card" id="delegation-form"',
    ),
    ("hr_admin", "/learning/records/new", '<form method="post" class="card" id="record-form"'),
]


@pytest.fixture
def ids(app, world):
    with app.app_context():
        from app.training.workflow import Decision, decide
        from tests.unit.training.factories import user_actor, version_of

        training = build_training(world)
        pending = submit_as(ROLE_EMAILS["employee"], training.event_id, world.staff.id)
        approved = submit_as(ROLE_EMAILS["supervisor"], training.event_id, world.staff2.id, JUSTIFY)
        for email in ("supervisor", "unit_head", "hr_admin"):
            approve_as(ROLE_EMAILS[email], approved)
        returned = submit_as(ROLE_EMAILS["unit_head"], training.event_id, world.kabid.id)
        decide(
            user_actor(ROLE_EMAILS["unit_head"]),
            returned,
            Decision.RETURN,
            version_of(returned),
            comment="Lengkapi alasan.",
        )
        make_delegation(world.head_position.id, db.session.merge(world.other_staff))
        assert db.session.scalars(select(Participation)).first() is not None
        db.session.commit()
        db.session.remove()
    return {
        "program": training.program_id,
        "event": training.event_id,
        "nomination": pending,
        "returned": returned,
        "staff": world.staff.id,
    }


@pytest.mark.parametrize(("role", "template", "start"), PAGES)
def test_full_page_and_partial(client, ids, role, template, start):
    if template.endswith("/revise"):
        role = "unit_head"  # the kabid's nomination was proposed by the head
    login(client, ROLE_EMAILS[role])
    path = template.format(**ids)
    full = client.get(path)
    assert full.status_code == 200, (path, full.status_code)
    assert "<html" in full.get_data(as_text=True)
    partial = client.get(path, headers=PARTIAL)
    html = partial.get_data(as_text=True)
    assert partial.status_code == (
        403 if path.endswith("/allocate") and role != "unit_head" else 200
    )
    assert html.lstrip().startswith(start), (path, html[:200])
    assert "<html" not in html


def test_states_on_the_nominations_page(client, ids):
    login(client, ROLE_EMAILS["unit_head"])
    page = client.get("/training/nominations").get_data(as_text=True)
    for state in (NominationState.PENDING, NominationState.APPROVED, NominationState.RETURNED):
        assert f"state-{state.value}" in page
