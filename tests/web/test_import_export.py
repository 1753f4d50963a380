"""Employee import (preview, then confirm, all or nothing) and export with the NIP as text."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from app.extensions import db
from app.org import transfer
from app.org.models import Employee
from tests.conftest import csrf_token, login
from tests.factories import next_nip

HEADER = ["NIP", "NAMA", "JABATAN", "UNIT_KERJA", "GOLONGAN", "STATUS", "EMAIL"]


def csv_bytes(rows: list[list[str]], delimiter: str = ",") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def employee_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Employee))


def upload(client, content: bytes, filename: str, instansi_id: int):
    token = csrf_token(client, "/employees/import")
    return client.post(
        "/employees/import",
        data={
            "csrf_token": token,
            "instansi_id": str(instansi_id),
            "file": (io.BytesIO(content), filename),
        },
        content_type="multipart/form-data",
    )


@pytest.fixture
def rows(world):
    unit = "Bidang Pelayanan"
    return [
        [
            next_nip(),
            "Andi Saputra",
            "Pengelola Layanan",
            unit,
            "II/c",
            "PNS",
            "andi@kota-a.example",
        ],  # 2
        ["123", "NIP Pendek", "Pengelola Layanan", unit, "II/c", "PNS", ""],  # 3: NIP too short
        [next_nip(), "Unit Salah", "Pengelola Layanan", "Dinas Tidak Ada", "II/c", "PNS", ""],  # 4
        [
            world.staff.nip,
            "Staf Satu (diperbarui)",
            "Pengelola Layanan",
            unit,
            "III/b",
            "PNS",
            "",
        ],  # 5: update
        [next_nip(), "Golongan Salah", "Pengelola Layanan", unit, "V/a", "PNS", ""],  # 6
        [
            world.b_staff.nip,
            "Milik Instansi Lain",
            "Pengelola Layanan",
            unit,
            "II/a",
            "PNS",
            "",
        ],  # 7
    ]


def test_preview_lists_every_bad_row_and_writes_nothing(app, client, world, rows):
    login(client, "hr@test.example")
    before = employee_count(app)
    response = upload(client, csv_bytes(rows, ";"), "siasn.csv", world.a.id)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for line, words in [
        (3, "18 digit"),
        (4, "Dinas Tidak Ada"),
        (6, "Golongan tidak dikenal"),
        (7, "instansi lain"),
    ]:
        assert f'<td data-label="Baris">{line}</td>' in html and words in html
    assert "Impor 2 baris yang sah" in html
    assert employee_count(app) == before


def test_confirm_writes_valid_rows_and_updates_existing(app, client, world, rows):
    login(client, "hr@test.example")
    before = employee_count(app)
    html = upload(client, csv_bytes(rows), "siasn.csv", world.a.id).get_data(as_text=True)
    action = html.split('action="/employees/import/')[1].split('"')[0]
    token = csrf_token(client, "/employees/import")
    response = client.post(f"/employees/import/{action}", data={"csrf_token": token})
    assert response.status_code == 303
    assert employee_count(app) == before + 1
    with app.app_context():
        assert db.session.get(Employee, world.staff.id).golongan == "III/b"
        andi = db.session.scalar(select(Employee).where(Employee.name == "Andi Saputra"))
        assert andi.instansi_id == world.a.id and andi.position_id == world.staff_position.id
    # the staged file is gone: a second confirm is refused
    response = client.post(f"/employees/import/{action}", data={"csrf_token": token})
    assert response.status_code == 303 and employee_count(app) == before + 1


def test_failed_import_leaves_database_as_it_was(app, client, world, rows, monkeypatch):
    login(client, "hr@test.example")
    before = employee_count(app)
    html = upload(client, csv_bytes(rows), "siasn.csv", world.a.id).get_data(as_text=True)
    action = html.split('action="/employees/import/')[1].split('"')[0]
    original = db.session.commit

    def failing_commit():
        db.session.flush()  # the rows reach the database ...
        raise RuntimeError("disk full")  # ... and the transaction then fails

    monkeypatch.setattr(db.session, "commit", failing_commit)
    token = csrf_token(client, "/employees/import")
    with pytest.raises(RuntimeError):
        client.post(f"/employees/import/{action}", data={"csrf_token": token})
    monkeypatch.setattr(db.session, "commit", original)
    assert employee_count(app) == before
    with app.app_context():
        assert db.session.get(Employee, world.staff.id).golongan == "III/a"


def test_xlsx_with_nip_stored_as_number_is_reported(app, client, world):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(
        [1.98609262015051e17, "Angka", "Pengelola Layanan", "Bidang Pelayanan", "II/a", "PNS", ""]
    )
    sheet.append([next_nip(), "Teks", "Pengelola Layanan", "Bidang Pelayanan", "II/a", "PNS", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    login(client, "hr@test.example")
    html = upload(client, buffer.getvalue(), "pegawai.xlsx", world.a.id).get_data(as_text=True)
    assert "format kolom sebagai teks" in html and "Impor 1 baris yang sah" in html


def test_missing_columns_and_broken_files_are_field_errors(client, world):
    login(client, "hr@test.example")
    response = upload(client, b"NIP;NAMA\n1;2\n", "x.csv", world.a.id)
    assert response.status_code == 422 and "Kolom tidak ditemukan" in response.get_data(
        as_text=True
    )
    response = upload(client, b"not a zip", "x.xlsx", world.a.id)
    assert response.status_code == 422 and "XLSX" in response.get_data(as_text=True)
    response = upload(client, b"x", "x.pdf", world.a.id)
    assert response.status_code == 422


def test_hr_cannot_import_into_another_instansi(client, world, rows):
    login(client, "hr@test.example")
    response = upload(client, csv_bytes(rows), "x.csv", world.b.id)
    assert response.status_code == 422  # not one of the instansi offered to this user


def test_csv_export_quotes_nip_and_respects_scope(client, world):
    login(client, "head@test.example")
    response = client.get("/employees/export.csv")
    text = response.get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == list(transfer.EXPORT_COLUMNS)
    nips = {row[0] for row in rows[1:]}
    assert (
        world.staff.nip in nips
        and world.b_staff.nip not in nips
        and world.other_staff.nip not in nips
    )
    assert f'"{world.staff.nip}"' in text


def test_xlsx_export_writes_nip_as_text(client, world):
    login(client, "hr@test.example")
    response = client.get("/employees/export.xlsx")
    content = response.get_data()
    response.close()  # the temporary file is removed when the response closes
    sheet = load_workbook(io.BytesIO(content)).active
    values = [row for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert {row[0] for row in values} >= {world.staff.nip, world.kabid.nip}
    assert all(isinstance(row[0], str) and len(row[0]) == 18 for row in values)


def test_export_of_exported_file_imports_cleanly(app, client, world):
    login(client, "hr@test.example")
    exported = client.get("/employees/export.csv").get_data()
    html = upload(client, exported, "roundtrip.csv", world.a.id).get_data(as_text=True)
    assert "bermasalah" in html and "0 bermasalah" in html
