"""Units and positions: HR builds the tree; paths, single heads and jenjang rules hold."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.org.hierarchy import supervisor_of
from app.org.models import Employee, OrgUnit, Position
from tests.conftest import csrf_token, login


def test_hr_builds_units_and_positions(app, client, world):
    login(client, "hr@test.example")
    token = csrf_token(client, "/org/units/new")
    response = client.post(
        "/org/units/new",
        data={
            "name": "Seksi Gizi",
            "kind": "seksi",
            "parent_id": str(world.bidang.id),
            "csrf_token": token,
        },
    )
    assert response.status_code == 303
    with app.app_context():
        seksi = db.session.scalar(select(OrgUnit).where(OrgUnit.name == "Seksi Gizi"))
        assert seksi.path == f"{world.bidang.path}{seksi.id}/" and seksi.depth == 2
        seksi_id = seksi.id
    path = f"/org/units/{seksi_id}/positions/new"
    data = {
        "name": "Kepala Seksi Gizi",
        "position_type": "pengawas",
        "jenjang": "",
        "heads_unit": "y",
        "superior_id": "0",
        "csrf_token": token,
    }
    assert client.post(path, data=data).status_code == 303
    response = client.post(path, data={**data, "name": "Kepala Kedua"})
    assert response.status_code == 422 and "sudah memiliki jabatan pimpinan" in response.get_data(
        as_text=True
    )
    response = client.post(
        path, data={**data, "name": "Nutrisionis", "position_type": "fungsional", "heads_unit": ""}
    )
    assert response.status_code == 422 and "Pilih jenjang" in response.get_data(as_text=True)
    response = client.post(
        path,
        data={
            **data,
            "name": "Nutrisionis",
            "position_type": "fungsional",
            "jenjang": "ahli_muda",
            "heads_unit": "",
        },
    )
    assert response.status_code == 303
    detail = client.get(f"/org/units/{seksi_id}").get_data(as_text=True)
    assert "<dd>Seksi</dd>" in detail  # kinds, types and jenjang by label, not their codes
    assert "<td>Fungsional</td><td>Ahli muda</td>" in detail and "<td>Pengawas</td>" in detail
    assert '<span class="badge">Seksi</span>' in client.get("/org/units").get_data(as_text=True)
    with app.app_context():
        head = db.session.scalar(select(Position).where(Position.name == "Kepala Seksi Gizi"))
        nutri = db.session.scalar(select(Position).where(Position.name == "Nutrisionis"))
        assert head.heads_unit_id == seksi_id
        employee = Employee(
            instansi_id=world.a.id,
            nip="198001012005011001",
            name="Ahli Gizi",
            gender="L",
            birth_date=world.staff.birth_date,
            status="PNS",
            position_id=nutri.id,
            org_unit_id=seksi_id,
        )
        boss = Employee(
            instansi_id=world.a.id,
            nip="197901012004011001",
            name="Kasi Gizi",
            gender="L",
            birth_date=world.staff.birth_date,
            status="PNS",
            position_id=head.id,
            org_unit_id=seksi_id,
        )
        db.session.add_all([employee, boss])
        db.session.commit()
        assert supervisor_of(employee).name == "Kasi Gizi"
        assert supervisor_of(boss).name == "Kepala Bidang Uji"


def test_parent_of_another_instansi_is_refused(client, world):
    login(client, "admin@test.example")
    token = csrf_token(client, "/org/units/new")
    response = client.post(
        f"/org/units/new?instansi={world.a.id}",
        data={
            "name": "Salah",
            "kind": "bidang",
            "parent_id": str(world.b_opd.id),
            "csrf_token": token,
        },
    )
    assert response.status_code == 422


def test_unit_head_sees_own_subtree_only(client, world):
    login(client, "head@test.example")
    html = client.get("/org/units").get_data(as_text=True)
    assert "Bidang Pelayanan" in html and "Dinas Pendidikan" not in html
    assert client.get(f"/org/units/{world.other_opd.id}").status_code == 404
    detail = client.get(f"/org/units/{world.bidang.id}").get_data(as_text=True)
    assert "Kepala Bidang Uji" in detail
