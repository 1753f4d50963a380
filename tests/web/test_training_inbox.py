"""The approver's inbox: counts, filters, htmx partials, bulk approval, constant query count."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from app.clock import utcnow
from app.extensions import db
from app.training.models import Nomination, NominationState, NominationStep
from tests.conftest import QueryCounter, csrf_token, login
from tests.factories import ROLE_EMAILS, make_employee
from tests.unit.training.factories import (
    approve_as,
    build_training,
    make_delegation,
    make_event,
    make_program,
    submit_as,
)

PARTIAL = {"HX-Request": "true", "HX-Request-Type": "partial"}


def pending_at_head(app, world, count: int, events: int = 1, code: str = "") -> list[int]:
    """`count` nominations of new staff waiting at the head-of-OPD step."""
    with app.app_context():
        if code:
            program = make_program(world.a.id, code=code)
        else:
            training = build_training(world, quota=max(count, 10))
            from app.training.models import TrainingEvent

            program = db.session.get(TrainingEvent, training.event_id).program
        event_ids = []
        for n in range(events):
            event_ids.append(make_event(program, batch=f"Angkatan {n + 1}", quota=count + 5).id)
        staff_position = world.staff_position
        ids = []
        for n in range(count):
            employee = make_employee(db.session.merge(staff_position), f"Calon {n:03d}")
            db.session.commit()
            nomination_id = submit_as(
                ROLE_EMAILS["supervisor"], event_ids[n % len(event_ids)], employee.id
            )
            approve_as(ROLE_EMAILS["supervisor"], nomination_id)
            ids.append(nomination_id)
        db.session.remove()
    return ids


def versions(app, ids: list[int]) -> dict[int, int]:
    with app.app_context():
        rows = dict(
            db.session.execute(
                db.select(Nomination.id, Nomination.version).where(Nomination.id.in_(ids))
            ).all()
        )
        db.session.remove()
    return rows


def test_inbox_lists_pending_items_with_counts_and_filters(app, client, world):
    ids = pending_at_head(app, world, 4, events=2)
    with app.app_context():  # two of them have waited a week
        db.session.execute(
            update(NominationStep)
            .where(NominationStep.nomination_id.in_(ids[:2]), NominationStep.step_no == 2)
            .values(opened_at=utcnow() - timedelta(days=7))
        )
        db.session.commit()
        db.session.remove()
    login(client, ROLE_EMAILS["unit_head"])
    page = client.get("/training/inbox").get_data(as_text=True)
    assert page.count('name="items"') == 4
    assert 'id="pending-count">4<' in page
    assert "Angkatan 2 (2)" in page  # count per event in the filter
    waited = client.get("/training/inbox?waiting=7", headers=PARTIAL).get_data(as_text=True)
    assert waited.lstrip().startswith('<section id="inbox-table"')
    assert waited.count('name="items"') == 2
    named = client.get("/training/inbox?q=Calon 003").get_data(as_text=True)
    assert named.count('name="items"') == 1
    # The supervisor decided step 1 already: nothing waits for them.
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    login(client, ROLE_EMAILS["supervisor"])
    assert 'name="items"' not in client.get("/training/inbox").get_data(as_text=True)


def test_select_all_link_checks_every_row(app, client, world):
    pending_at_head(app, world, 3)
    login(client, ROLE_EMAILS["unit_head"])
    html = client.get("/training/inbox?select=all", headers=PARTIAL).get_data(as_text=True)
    assert html.count("checked") == 3


def test_bulk_approval_with_htmx_returns_the_updated_table(app, client, world):
    ids = pending_at_head(app, world, 5)
    seen = versions(app, ids)
    login(client, ROLE_EMAILS["unit_head"])
    token = csrf_token(client, "/training/inbox")
    chosen = [f"{i}:{seen[i]}" for i in ids[:3]]
    response = client.post(
        "/training/inbox/approve",
        data={"csrf_token": token, "items": chosen},
        headers=PARTIAL,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="inbox-table"')
    assert "3 usulan disetujui" in html
    assert html.count('name="items"') == 2
    with app.app_context():
        steps = {
            n.id: n.current_step_no
            for n in db.session.scalars(db.select(Nomination).where(Nomination.id.in_(ids)))
        }
        db.session.remove()
    assert [steps[i] for i in ids] == [3, 3, 3, 2, 2]


def test_bulk_approval_reports_stale_and_foreign_items_and_keeps_the_rest(app, client, world):
    ids = pending_at_head(app, world, 3)
    seen = versions(app, ids)
    login(client, ROLE_EMAILS["unit_head"])
    token = csrf_token(client, "/training/inbox")
    items = [f"{ids[0]}:{seen[ids[0]] - 1}", f"{ids[1]}:{seen[ids[1]]}", "999999:1"]
    response = client.post("/training/inbox/approve", data={"csrf_token": token, "items": items})
    assert response.status_code == 303  # without htmx: back to the inbox with messages
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 usulan disetujui" in page
    assert "Sudah diputuskan lebih dulu" in page
    assert "Usulan ini tidak ada" in page
    after = versions(app, ids)
    assert after[ids[0]] == seen[ids[0]] and after[ids[1]] == seen[ids[1]] + 1


def test_bulk_approval_needs_a_selection(app, client, world):
    pending_at_head(app, world, 1)
    login(client, ROLE_EMAILS["unit_head"])
    token = csrf_token(client, "/training/inbox")
    response = client.post("/training/inbox/approve", data={"csrf_token": token}, headers=PARTIAL)
    assert response.status_code == 422
    assert "Pilih paling sedikit satu usulan" in response.get_data(as_text=True)
    bad = client.post(
        "/training/inbox/approve", data={"csrf_token": token, "items": ["x:y"]}, headers=PARTIAL
    )
    assert bad.status_code == 422


def test_someone_not_the_approver_cannot_bulk_approve(app, client, world):
    ids = pending_at_head(app, world, 2)
    seen = versions(app, ids)
    login(client, ROLE_EMAILS["hr_admin"])  # HR decides later, not at step 2
    token = csrf_token(client, "/training/inbox")
    response = client.post(
        "/training/inbox/approve",
        data={"csrf_token": token, "items": [f"{i}:{seen[i]}" for i in ids]},
        headers=PARTIAL,
    )
    html = response.get_data(as_text=True)
    assert "0 usulan disetujui" in html and "bukan pemberi persetujuan" in html
    assert versions(app, ids) == seen


def test_plt_of_the_head_sees_and_approves_the_heads_items(app, client, world):
    ids = pending_at_head(app, world, 2)
    with app.app_context():
        make_delegation(world.head_position.id, db.session.merge(world.kabid))
        db.session.commit()
        db.session.remove()
    login(client, ROLE_EMAILS["supervisor"])  # the kabid, today Plt of the head
    page = client.get("/training/inbox").get_data(as_text=True)
    assert page.count('name="items"') == 2 and "Plt" in page
    seen = versions(app, ids)
    token = csrf_token(client, "/training/inbox")
    client.post(
        "/training/inbox/approve",
        data={"csrf_token": token, "items": [f"{i}:{seen[i]}" for i in ids]},
    )
    with app.app_context():
        states = [db.session.get(Nomination, i).current_step_no for i in ids]
        db.session.remove()
    assert states == [3, 3]


@pytest.mark.parametrize("role", ["unit_head", "hr_admin"])
def test_inbox_query_count_does_not_depend_on_rows(app, client, world, role):
    def count_queries() -> int:
        with QueryCounter(app) as counter:
            response = client.get("/training/inbox")
        assert response.status_code == 200
        return counter.count

    login(client, ROLE_EMAILS[role])
    pending_at_head(app, world, 3)
    small = count_queries()
    pending_at_head(app, world, 30, events=3, code="LAIN")
    large = count_queries()
    assert small == large, (small, large)


def test_nomination_state_filter_and_event_counts_survive_a_rejection(app, client, world):
    ids = pending_at_head(app, world, 2)
    with app.app_context():
        from app.training.models import RejectReason
        from app.training.workflow import Decision, decide
        from tests.unit.training.factories import user_actor, version_of

        decide(
            user_actor(ROLE_EMAILS["unit_head"]),
            ids[0],
            Decision.REJECT,
            version_of(ids[0]),
            reason=RejectReason.QUOTA,
        )
        assert db.session.get(Nomination, ids[0]).state == NominationState.REJECTED
        db.session.remove()
    login(client, ROLE_EMAILS["unit_head"])
    page = client.get("/training/inbox").get_data(as_text=True)
    assert page.count('name="items"') == 1
