"""The roster in bulk: check participants, mark them at once, all-or-nothing (422 on a bad row)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.clock import local_today
from app.extensions import db
from app.learning.models import LearningRecord
from app.org.models import Employee
from app.training.models import Attendance, Participation, TrainingEvent
from tests.conftest import csrf_token, login
from tests.factories import ROLE_EMAILS
from tests.unit.training.factories import approved_participation, make_event, make_program

PARTIAL = {"HX-Request": "true", "HX-Request-Type": "partial"}


@pytest.fixture
def roster(app, world):
    """An event of instansi A that started two days ago, three approved participants, and a
    participant of another event (not on this roster)."""
    with app.app_context():
        program = make_program(world.a.id)
        event = make_event(program, start=local_today() - timedelta(days=2))
        other = make_event(program, start=local_today() - timedelta(days=2), batch="Angkatan II")
        people = [db.session.get(Employee, e.id) for e in (world.staff, world.staff2, world.kabid)]
        ids = [approved_participation(event, p, Attendance.UNKNOWN).id for p in people]
        head = db.session.get(Employee, world.head.id)
        foreign = approved_participation(other, head, Attendance.UNKNOWN).id
        db.session.commit()
        event_id = event.id
        db.session.remove()
    return {"event": event_id, "ids": ids, "foreign": foreign}


def path(roster) -> str:  # type: ignore[no-untyped-def]
    return f"/training/events/{roster['event']}/participants"


def states(app, ids: list[int]) -> list[tuple[str, str]]:
    with app.app_context():
        rows = db.session.execute(
            select(Participation.attendance, Participation.completion)
            .where(Participation.id.in_(ids))
            .order_by(Participation.id)
        ).all()
        credited = db.session.scalar(select(func.count()).select_from(LearningRecord))
        db.session.remove()
    return [(a.value, c.value) for a, c in rows] + [("credited", str(credited))]


def post(client, roster, data, partial=False):  # type: ignore[no-untyped-def]
    token = csrf_token(client, path(roster))
    return client.post(
        path(roster), data={"csrf_token": token, **data}, headers=PARTIAL if partial else {}
    )


def test_page_and_partial_have_the_bulk_form_and_select_all(client, roster):
    login(client, ROLE_EMAILS["hr_admin"])
    page = client.get(path(roster)).get_data(as_text=True)
    assert '<form method="post" id="roster-bulk"' in page and 'form="roster-bulk"' in page
    assert "checked" not in page.split("<tbody>")[1]
    every = client.get(path(roster) + "?select=all", headers=PARTIAL).get_data(as_text=True)
    assert every.lstrip().startswith('<section id="roster-table"') and "<html" not in every
    assert every.count('form="roster-bulk" id="select-') == 3
    assert every.split("<tbody>")[1].count("checked") == 3


def test_mark_all_present_and_completed_in_one_post_credits_jp_once(app, client, roster):
    login(client, ROLE_EMAILS["hr_admin"])
    data = {"participants": roster["ids"], "attendance": "present", "completion": "completed"}
    response = post(client, roster, data)
    assert response.status_code == 303
    assert states(app, roster["ids"]) == [("present", "completed")] * 3 + [("credited", "3")]
    assert post(client, roster, data).status_code == 303  # again: still one credit each
    assert states(app, roster["ids"])[-1] == ("credited", "3")
    with app.app_context():
        records = db.session.scalars(select(LearningRecord)).all()
        assert {r.source_ref for r in records} == {f"participation:{i}" for i in roster["ids"]}
        assert all(r.jp == 24 for r in records)
        db.session.remove()


def test_then_the_exceptions_with_htmx(app, client, roster):
    login(client, ROLE_EMAILS["hr_admin"])
    first, *rest = roster["ids"]
    response = post(client, roster, {"participants": roster["ids"], "attendance": "present"}, True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.lstrip().startswith('<section id="roster-table"')
    assert "3 peserta tersimpan" in html
    absent = post(
        client, roster, {"participants": [first], "attendance": "absent", "completion": ""}, True
    )
    assert absent.status_code == 200
    assert states(app, roster["ids"]) == [
        ("absent", "enrolled"),
        ("present", "enrolled"),
        ("present", "enrolled"),
        ("credited", "0"),
    ]
    assert len(rest) == 2


def test_one_bad_row_refuses_them_all(app, client, roster):
    login(client, ROLE_EMAILS["hr_admin"])
    first, second, third = roster["ids"]
    done = {"participants": [first], "attendance": "present", "completion": "completed"}
    assert post(client, roster, done).status_code == 303
    before = states(app, roster["ids"])
    # The first is credited and stays completed; the other two would be fine, yet none is saved.
    undo = post(
        client,
        roster,
        {"participants": [first, second, third], "attendance": "present",
         "completion": "not_completed"},
        True,
    )  # fmt: skip
    html = undo.get_data(as_text=True)
    assert undo.status_code == 422 and html.lstrip().startswith('<section id="roster-table"')
    assert "sudah tercatat" in html and 'role="alert"' in html
    assert states(app, roster["ids"]) == before
    assert before[1] == ("unknown", "enrolled")


def test_a_row_refused_by_the_rules_leaves_every_row_unchanged(app, client, roster):
    login(client, ROLE_EMAILS["hr_admin"])
    first, second, third = roster["ids"]
    with app.app_context():
        db.session.get(Participation, first).attendance = Attendance.ABSENT
        db.session.commit()
        db.session.remove()
    before = states(app, roster["ids"])
    response = post(
        client,
        roster,
        {"participants": [second, third, first], "attendance": "absent", "completion": "completed"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "<html" in html
    assert html.count("Hanya peserta yang hadir") >= 3  # in the summary and on each row
    assert states(app, roster["ids"]) == before


def test_bad_input_is_422_and_saves_nothing(app, client, roster):
    login(client, ROLE_EMAILS["hr_admin"])
    before = states(app, roster["ids"])
    cases = [
        {"attendance": "present"},  # nobody selected
        {"participants": roster["ids"], "attendance": "maybe"},
        {"participants": roster["ids"], "attendance": "present", "completion": "done"},
        {"participants": ["x"], "attendance": "present"},
        {"participants": [*roster["ids"], roster["foreign"]], "attendance": "present"},
    ]
    for data in cases:
        response = post(client, roster, data, partial=True)
        assert response.status_code == 422, data
        assert response.get_data(as_text=True).lstrip().startswith('<section id="roster-table"')
    assert states(app, roster["ids"]) == before
    with app.app_context():
        foreign = db.session.get(Participation, roster["foreign"])
        assert foreign.attendance == Attendance.UNKNOWN
        db.session.remove()


def test_not_before_the_event_starts(app, client, roster):
    with app.app_context():
        event = db.session.get(TrainingEvent, roster["event"])
        event.start_date = event.end_date = local_today() + timedelta(days=5)
        db.session.commit()
        db.session.remove()
    login(client, ROLE_EMAILS["hr_admin"])
    page = client.get(path(roster)).get_data(as_text=True)
    assert 'id="roster-bulk"' not in page
    token = csrf_token(client, "/account")
    response = client.post(
        path(roster),
        data={"csrf_token": token, "participants": roster["ids"], "attendance": "present"},
    )
    assert response.status_code == 422
    assert states(app, roster["ids"])[0] == ("unknown", "enrolled")


@pytest.mark.parametrize("role", ["employee", "supervisor", "unit_head"])
def test_others_are_refused_and_nothing_changes(app, client, roster, role):
    login(client, ROLE_EMAILS[role])
    token = csrf_token(client, "/account")
    data = {"csrf_token": token, "participants": roster["ids"], "attendance": "present"}
    assert client.get(path(roster)).status_code == 403
    assert client.post(path(roster), data=data).status_code == 403
    assert states(app, roster["ids"])[0] == ("unknown", "enrolled")


def test_hr_of_another_instansi_gets_404(app, client, roster, world):
    from tests.factories import make_user

    with app.app_context():
        from app.accounts.models import Role

        make_user("hr-b@test.example", None, ((Role.HR_ADMIN, world.b.id),), instansi=world.b)
        db.session.commit()
        db.session.remove()
    login(client, "hr-b@test.example")
    token = csrf_token(client, "/account")
    data = {"csrf_token": token, "participants": roster["ids"], "attendance": "present"}
    assert client.get(path(roster)).status_code == 404
    assert client.post(path(roster), data=data).status_code == 404
    assert states(app, roster["ids"])[0] == ("unknown", "enrolled")
