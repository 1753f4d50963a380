"""The plan pages: drafting, the plan with its items, editing an item, conflicts, bad input."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.extensions import db
from app.planning.models import PlanItem, Revision
from tests.conftest import QueryCounter, csrf_token, login
from tests.factories import ROLE_EMAILS, make_employee, make_position
from tests.unit.planning.factories import evidence, need, year


def _draft(app, client, world, ready: bool = False) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    if not ready:  # the evidence is not in the database yet
        with app.app_context():
            evidence(world)
            db.session.remove()
    login(client, ROLE_EMAILS["hr_admin"])
    token = csrf_token(client, "/planning/")
    response = client.post(
        "/planning/draft", data={"csrf_token": token, "instansi_id": world.a.id, "year": year()}
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:800]
    plan_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    with app.app_context():
        item_id = db.session.scalar(
            select(PlanItem.id).where(PlanItem.key == "need:M.03:classical")
        )
        db.session.remove()
    return plan_id, item_id


def test_draft_and_plan_page(app, client, world):
    plan_id, item_id = _draft(app, client, world)
    page = client.get(f"/planning/{plan_id}").get_data(as_text=True)
    assert "Pelatihan RPK-01" in page and "Kelengkapan" in page
    assert f"/planning/items/{item_id}" in page
    partial = client.get(
        f"/planning/{plan_id}?incomplete=1",
        headers={"HX-Request": "true", "HX-Request-Type": "partial"},
    ).get_data(as_text=True)
    assert partial.lstrip().startswith('<section id="item-table">')
    assert "Pelatihan RPK-01" not in partial  # complete items are filtered out
    # the incomplete mentoring item links to its missing provider
    assert re.search(r"/planning/items/\d+#provider_id", page)


def _item_form(client, item_id: int) -> dict[str, object]:
    html = client.get(f"/planning/items/{item_id}").get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', html) or re.search(
        r'id="version" name="version" type="hidden" value="(\d+)"', html
    )
    assert version, html[:2000]
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    return {
        "csrf_token": token,
        "version": version.group(1),
        "title": "Bimtek pelayanan prima",
        "competency_code": "M.03",
        "form": "classical",
        "schedule_month": "5",
        "curriculum_conform": "yes",
        "jp": "24",
        "unit_cost": "900000",
    }


def test_edit_item_then_stale_edit_is_409(app, client, world):
    _plan_id, item_id = _draft(app, client, world)
    data = _item_form(client, item_id)
    assert client.post(f"/planning/items/{item_id}", data=data).status_code == 303
    stale = {**data, "title": "Another title"}
    response = client.post(f"/planning/items/{item_id}", data=stale)
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert "Bimtek pelayanan prima" in body  # the other's change is shown
    with app.app_context():
        assert db.session.get(PlanItem, item_id).title == "Bimtek pelayanan prima"


def test_bad_item_input_is_422(app, client, world):
    _plan_id, item_id = _draft(app, client, world)
    data = {**_item_form(client, item_id), "jp": "-3", "competency_code": "NOPE"}
    response = client.post(f"/planning/items/{item_id}", data=data)
    assert response.status_code == 422
    data = {**_item_form(client, item_id), "start_date": "1999-01-01"}
    assert client.post(f"/planning/items/{item_id}", data=data).status_code == 422


def test_drop_needs_a_reason(app, client, world):
    _plan_id, item_id = _draft(app, client, world)
    token = csrf_token(client, f"/planning/items/{item_id}")
    response = client.post(
        f"/planning/items/{item_id}/status", data={"csrf_token": token, "status": "dropped"}
    )
    assert response.status_code == 422
    response = client.post(
        f"/planning/items/{item_id}/status",
        data={"csrf_token": token, "status": "deferred", "reason": "Budget next year"},
    )
    assert response.status_code == 303


def test_plan_page_statements_are_constant(app, client, world):
    plan_id, _item_id = _draft(app, client, world)
    counter = QueryCounter(app)
    with counter:
        assert client.get(f"/planning/{plan_id}").status_code == 200
    small = counter.count
    with app.app_context():
        position = make_position(db.session.get(type(world.bidang), world.bidang.id), "Analis")
        codes = ["M.01", "M.02", "M.04", "M.06", "M.07", "M.08", "SK.01"]
        for n in range(30):
            need(make_employee(position, f"Pegawai {n}"), codes[n % len(codes)])
        db.session.commit()
        db.session.remove()
    token = csrf_token(client, f"/planning/{plan_id}")
    assert (
        client.post(f"/planning/{plan_id}/refresh", data={"csrf_token": token}).status_code == 303
    )
    with app.app_context():
        revision = db.session.scalar(select(Revision).where(Revision.plan_id == plan_id))
        assert db.session.query(PlanItem).filter_by(revision_id=revision.id).count() >= 8
        db.session.remove()
    counter = QueryCounter(app)
    with counter:
        assert client.get(f"/planning/{plan_id}").status_code == 200
    assert counter.count == small


def test_flagged_program_shows_on_plan_item_and_check(app, client, world):
    from tests.unit.evaluation.factories import rated_program
    from tests.unit.evaluation.test_feeds import LOW

    with app.app_context():
        program_id = evidence(world).program_id
        rated_program(world, [LOW] * 5, program_id=program_id)
        db.session.remove()
    plan_id, item_id = _draft(app, client, world, ready=True)
    flag = f'data-flag="{program_id}"'
    page = client.get(f"/planning/{plan_id}").get_data(as_text=True)
    assert flag in page and "ditandai untuk ditinjau" in page
    assert f"/evaluation/programs/{program_id}" in page
    partial = client.get(
        f"/planning/{plan_id}", headers={"HX-Request": "true", "HX-Request-Type": "partial"}
    ).get_data(as_text=True)
    assert partial.lstrip().startswith('<section id="item-table">') and flag in partial
    item = client.get(f"/planning/items/{item_id}").get_data(as_text=True)
    assert flag in item and "Materi kurang sesuai tugas" in item and "2,75" in item
    with app.app_context():
        revision_id = db.session.scalar(select(Revision.id).where(Revision.plan_id == plan_id))
        db.session.remove()
    check = client.get(f"/planning/revisions/{revision_id}/check").get_data(as_text=True)
    assert f"/planning/items/{item_id}" in check and "bukan penghalang" in check
    check_partial = client.get(
        f"/planning/revisions/{revision_id}/check",
        headers={"HX-Request": "true", "HX-Request-Type": "partial"},
    ).get_data(as_text=True)
    assert check_partial.lstrip().startswith('<section id="check-list">')
    assert f"/planning/items/{item_id}" in check_partial
    # the head of the unit sees the flag, not the participants' words nor the HR-only evaluation
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, ROLE_EMAILS["unit_head"])
    for path in (f"/planning/{plan_id}", f"/planning/items/{item_id}"):
        html = client.get(path).get_data(as_text=True)
        assert flag in html and "2,75" in html, path
        assert "Materi kurang sesuai tugas" not in html and "/evaluation/programs/" not in html
