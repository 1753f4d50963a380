"""Catalogue and batches: HR keeps them, employees browse them, bulk nomination from needs."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.clock import local_today
from app.extensions import db
from app.needs.models import DevelopmentNeed, NeedStatus
from app.training.models import Nomination, NominationOrigin, TrainingEvent, TrainingProgram
from tests.conftest import QueryCounter, csrf_token, login
from tests.factories import ROLE_EMAILS
from tests.unit.training.factories import build_training, make_need, make_program

PARTIAL = {"HX-Request": "true", "HX-Request-Type": "partial"}


def program_form(world, **overrides):
    data = {
        "instansi_id": str(world.a.id),
        "code": "bimtek-yan",
        "title": "Bimtek Pelayanan Prima",
        "form": "technical_guidance",
        "jp": "24",
        "provider_kind": "bpsdm",
        "provider_name": "BPSDM Provinsi Riau",
        "cost_per_participant": "2500000",
        "competencies": "M.05:3\nm.03:2",
        "description": "",
        "active": "y",
    }
    data.update(overrides)
    return data


def test_hr_adds_a_program_and_a_batch(app, client, world):
    login(client, ROLE_EMAILS["hr_admin"])
    token = csrf_token(client, "/training/programs/new")
    response = client.post(
        "/training/programs/new", data={**program_form(world), "csrf_token": token}
    )
    assert response.status_code == 303
    with app.app_context():
        program = db.session.scalars(select(TrainingProgram)).one()
        assert program.code == "BIMTEK-YAN" and program.path.value == "classical"
        assert program.competency_codes == ["M.03", "M.05"]
        program_id = program.id
        db.session.remove()
    path = f"/training/programs/{program_id}/events/new"
    start = local_today() + timedelta(days=20)
    response = client.post(
        path,
        data={
            "csrf_token": token,
            "batch_code": "Angkatan I",
            "start_date": start.isoformat(),
            "end_date": (start + timedelta(days=2)).isoformat(),
            "location": "Aula",
            "quota": "25",
        },
    )
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Angkatan I" in page and "0 dari 25 disetujui" in page


def test_program_with_bad_competencies_is_422_and_saves_nothing(app, client, world):
    login(client, ROLE_EMAILS["hr_admin"])
    token = csrf_token(client, "/training/programs/new")
    response = client.post(
        "/training/programs/new",
        data={**program_form(world, competencies="M.05:9\nnonsense"), "csrf_token": token},
        headers=PARTIAL,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert html.lstrip().startswith("<form") and "Baris 1" in html
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(TrainingProgram)) == 0
        db.session.remove()


def test_event_dates_and_place_are_checked(app, client, world):
    with app.app_context():
        program_id = make_program(world.a.id).id
        db.session.commit()
        db.session.remove()
    login(client, ROLE_EMAILS["hr_admin"])
    path = f"/training/programs/{program_id}/events/new"
    token = csrf_token(client, path)
    start = local_today() + timedelta(days=5)
    response = client.post(
        path,
        data={
            "csrf_token": token,
            "batch_code": "A",
            "start_date": start.isoformat(),
            "end_date": (start - timedelta(days=1)).isoformat(),
            "online_url": "ftp://x",
            "quota": "0",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="end_date-error"' in html or 'id="quota-error"' in html


def test_employees_browse_but_do_not_edit_and_other_instansi_is_404(app, client, world):
    with app.app_context():
        program = make_program(world.a.id, title="Pelatihan Komunikasi Publik")
        other = make_program(world.b.id, code="B-ONLY", title="Pelatihan Kabupaten B")
        ids = program.id, other.id
        db.session.commit()
        db.session.remove()
    login(client, ROLE_EMAILS["employee"])
    page = client.get("/training/programs").get_data(as_text=True)
    assert "Pelatihan Komunikasi Publik" in page and "Pelatihan Kabupaten B" not in page
    assert client.get(f"/training/programs/{ids[0]}/edit").status_code == 403
    assert client.get(f"/training/programs/{ids[1]}").status_code == 404
    partial = client.get("/training/programs?q=m.03", headers=PARTIAL).get_data(as_text=True)
    assert partial.lstrip().startswith('<section id="program-table"') and "Komunikasi" in partial
    empty = client.get("/training/programs?q=zzz", headers=PARTIAL).get_data(as_text=True)
    assert "Komunikasi" not in empty


def test_catalogue_query_count_is_constant(app, client, world):
    login(client, ROLE_EMAILS["employee"])
    with app.app_context():
        make_program(world.a.id, code="P-0")
        db.session.commit()
        db.session.remove()

    def count() -> int:
        with QueryCounter(app) as counter:
            assert client.get("/training/programs").status_code == 200
        return counter.count

    small = count()
    with app.app_context():
        for n in range(1, 30):
            make_program(world.a.id, code=f"P-{n}", competencies=(("M.01", 2), ("M.02", 3)))
        db.session.commit()
        db.session.remove()
    assert count() == small


def test_bulk_nomination_from_accepted_needs(app, client, world):
    with app.app_context():
        training = build_training(world)
        needs = [
            make_need(db.session.merge(world.staff), "M.03"),
            make_need(db.session.merge(world.staff2), "M.03"),
            make_need(db.session.merge(world.staff2), "M.07"),  # not developed by the program
            make_need(db.session.merge(world.other_staff), "M.03"),  # another OPD
        ]
        proposed = make_need(db.session.merge(world.kabid), "M.03", NeedStatus.PROPOSED)
        ids = [n.id for n in needs] + [proposed.id]
        db.session.commit()
        db.session.remove()
    login(client, ROLE_EMAILS["unit_head"])
    path = f"/training/events/{training.event_id}/from-needs"
    page = client.get(path).get_data(as_text=True)
    assert f'value="{ids[0]}"' in page and f'value="{ids[1]}"' in page
    assert f'value="{ids[2]}"' not in page and f'value="{ids[3]}"' not in page
    assert f'value="{ids[4]}"' not in page  # only accepted needs
    token = csrf_token(client, path)
    response = client.post(
        path, data={"csrf_token": token, "need_ids": [ids[0], ids[1], ids[4]]}, headers=PARTIAL
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "2 usulan diajukan, 1 ditolak" in html
    with app.app_context():
        nominations = db.session.scalars(select(Nomination)).all()
        assert {n.origin for n in nominations} == {NominationOrigin.NEED}
        assert {n.employee_id for n in nominations} == {world.staff.id, world.staff2.id}
        statuses = {n.id: n.status for n in db.session.scalars(select(DevelopmentNeed)).all()}
        assert statuses[ids[0]] == NeedStatus.NOMINATED
        assert statuses[ids[2]] == NeedStatus.ACCEPTED
        assert statuses[ids[4]] == NeedStatus.PROPOSED
        nomination_id = next(n.id for n in nominations if n.employee_id == world.staff.id)
        db.session.remove()
    detail = client.get(f"/training/nominations/{nomination_id}").get_data(as_text=True)
    needs_table = detail[detail.index("<h2>Kebutuhan pengembangan</h2>") :]
    assert ">Dinominasikan</td>" in needs_table and ">nominated<" not in needs_table
    again = client.get(path).get_data(as_text=True)
    assert f'value="{ids[0]}"' not in again  # already nominated
    response = client.post(path, data={"csrf_token": token}, headers=PARTIAL)
    assert response.status_code == 422


def test_nominations_close_when_the_event_starts(app, client, world):
    with app.app_context():
        training = build_training(world)
        event = db.session.get(TrainingEvent, training.event_id)
        event.start_date = local_today()
        db.session.commit()
        db.session.remove()
    login(client, ROLE_EMAILS["employee"])
    path = f"/training/events/{training.event_id}/nominate"
    assert "ditutup" in client.get(path).get_data(as_text=True)
    token = csrf_token(client, path)
    response = client.post(
        path,
        data={
            "csrf_token": token,
            "employee_id": world.staff.id,
            "justification": "A long enough justification.",
        },
    )
    assert response.status_code == 409
