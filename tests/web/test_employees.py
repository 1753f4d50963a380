"""Employee pages: scoped lists, forms with field errors (422), inline NIP check, no N+1."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from app.extensions import db
from app.org.models import Employee, Position
from tests.conftest import QueryCounter, csrf_token, login
from tests.factories import make_employee, next_nip

PARTIAL = {"HX-Request": "true", "HX-Request-Type": "partial"}


def employee_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Employee))


def form_data(world, **overrides):
    data = {
        "nip": "19860926 201505 2 001",
        "name": "Dr. Siti Rahmawati, M.Kes.",
        "status": "PNS",
        "golongan": "III/c",
        "org_unit_id": str(world.bidang.id),
        "position_id": str(world.staff_position.id),
        "email": "siti@dinkes.example",
        "phone": "0812-0000-1111",
    }
    data.update(overrides)
    return data


def test_hr_creates_employee_with_fields_derived_from_nip(app, client, world):
    login(client, "hr@test.example")
    token = csrf_token(client, "/employees/new")
    response = client.post("/employees/new", data={**form_data(world), "csrf_token": token})
    assert response.status_code == 303
    with app.app_context():
        created = db.session.scalar(select(Employee).where(Employee.nip == "198609262015052001"))
        assert created.birth_date == date(1986, 9, 26) and created.gender == "P"
        assert created.instansi_id == world.a.id


def test_bad_input_gets_field_errors_and_saves_nothing(app, client, world):
    login(client, "hr@test.example")
    before = employee_count(app)
    token = csrf_token(client, "/employees/new")
    response = client.post(
        "/employees/new",
        data={**form_data(world, nip="198613262015051001"), "csrf_token": token},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Digit 1–8 NIP" in html  # the part of the NIP that is wrong, in Indonesian
    assert 'aria-invalid="true"' in html and 'aria-describedby="nip-help nip-error"' in html
    assert employee_count(app) == before
    response = client.post(
        "/employees/new",
        data={**form_data(world, golongan="V/z", org_unit_id="999999"), "csrf_token": token},
    )
    assert response.status_code == 422
    assert response.get_data(as_text=True).count('class="error"') >= 2
    assert employee_count(app) == before


def test_position_of_another_unit_is_refused(app, client, world):
    login(client, "hr@test.example")
    token = csrf_token(client, "/employees/new")
    response = client.post(
        "/employees/new",
        data={**form_data(world, org_unit_id=str(world.other_opd.id)), "csrf_token": token},
    )
    assert response.status_code == 422
    assert "milik unit lain" in response.get_data(as_text=True)


def test_invalid_submit_as_htmx_returns_only_the_form(client, world):
    login(client, "hr@test.example")
    token = csrf_token(client, "/employees/new")
    response = client.post(
        "/employees/new", data={**form_data(world, name=""), "csrf_token": token}, headers=PARTIAL
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert html.lstrip().startswith("<form") and "<html" not in html


def test_duplicate_nip_is_refused(client, world):
    login(client, "hr@test.example")
    token = csrf_token(client, "/employees/new")
    response = client.post(
        "/employees/new", data={**form_data(world, nip=world.staff.nip), "csrf_token": token}
    )
    assert response.status_code == 422
    assert "sudah dipakai" in response.get_data(as_text=True)


def test_edit_keeps_own_nip_and_changes_name(app, client, world):
    login(client, "hr@test.example")
    path = f"/employees/{world.staff.id}/edit"
    token = csrf_token(client, path)
    response = client.post(
        path,
        data={**form_data(world, nip=world.staff.nip, name="Staf Satu Baru"), "csrf_token": token},
    )
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Employee, world.staff.id).name == "Staf Satu Baru"


def test_hr_of_other_instansi_cannot_see_or_edit(client, world):
    login(client, "hr@test.example")
    assert client.get(f"/employees/{world.b_staff.id}").status_code == 404
    assert client.get(f"/employees/{world.b_staff.id}/edit").status_code == 404
    assert client.get("/employees/999999").status_code == 404


def test_inline_nip_validation_names_the_wrong_part(client, world):
    login(client, "hr@test.example")
    token = csrf_token(client, "/employees/new")
    response = client.post(
        "/employees/validate-nip",
        data={"nip": "198609262015053001", "status": "PNS"},
        headers={**PARTIAL, "X-CSRFToken": token},
    )
    html = response.get_data(as_text=True)
    assert 'id="nip-field"' in html and "Digit 15" in html and "<html" not in html
    response = client.post(
        "/employees/validate-nip",
        data={"nip": "198609262015051001", "status": "PNS"},
        headers={**PARTIAL, "X-CSRFToken": token},
    )
    assert "26 Sep 1986" in response.get_data(as_text=True)


def test_search_returns_table_fragment_for_htmx(client, world):
    login(client, "head@test.example")
    full = client.get(f"/employees?q=staf&unit={world.staff.org_unit_id}").get_data(as_text=True)
    assert "<html" in full and "Staf Satu" in full and "Staf Pendidikan" not in full
    assert 'name="q" type="search" value="staf"' in full  # the filters keep what was asked
    assert f'<option value="{world.staff.org_unit_id}" selected>' in full
    part = client.get("/employees?q=Dua", headers=PARTIAL).get_data(as_text=True)
    assert part.lstrip().startswith('<section id="employee-table"')
    assert "Staf Dua" in part and "Staf Satu" not in part


def test_search_by_nip_prefix(client, world):
    login(client, "hr@test.example")
    html = client.get(f"/employees?q={world.staff2.nip[:14]}").get_data(as_text=True)
    assert "Staf Dua" in html


def test_employee_list_query_count_does_not_grow_with_rows(app, client, world):
    login(client, "hr@test.example")

    def queries_for_list() -> int:
        with QueryCounter(app) as counter:
            assert client.get("/employees").status_code == 200
        return counter.count

    small = queries_for_list()
    with app.app_context():
        position = db.session.get(Position, world.staff_position.id)
        for _ in range(40):
            make_employee(position)
        db.session.commit()
    assert queries_for_list() == small


def test_next_nip_factory_makes_valid_unique_nips():
    from app.org.nip import parse_nip

    nips = {next_nip() for _ in range(200)}
    assert len(nips) == 200
    assert all(parse_nip(n) for n in nips)
