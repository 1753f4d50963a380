"""Bounded input: huge numbers in query strings and hostile uploads end in 404/422, never 500."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from app.web.params import ID, PAGE, YEAR, BoundedInt
from tests.conftest import csrf_token, login
from tests.factories import next_nip
from tests.web.test_import_export import csv_bytes

HR = "hr@test.example"
HUGE = "A" * 3_000_000  # a 3 MB cell


def test_bounded_parser():
    assert ID("12") == 12 and ID(" 7 ") == 7 and PAGE("1") == 1 and YEAR("2026") == 2026
    for bad in ("0", "-1", "2147483648", "99999999999999999999", "9" * 5000, "1.5", "", "١٢"):
        with pytest.raises(ValueError):
            ID(bad)
    assert ID.parse("x") is None and ID.parse(None) is None and ID.parse("3") == 3
    assert BoundedInt(-5, 5).parse("-5") == -5 and YEAR.parse("1999") is None


@pytest.mark.parametrize(
    "url",
    [
        "/employees?page=200000000000000000",
        "/employees?unit=99999999999999999999",
        "/needs/?instansi=99999999999999999999&year=99999999999",
        "/needs/export.csv?unit=99999999999999999999",
        "/surveys/results?campaign=99999999999999999999&unit=99999999999999999999",
        "/training/inbox?event=99999999999999999999&page=99999999999999999999",
        "/learning/team?unit=99999999999999999999&year=-99999999999999999999",
        "/employees/99999999999999999999",
    ],
)
def test_huge_integers_in_the_query_are_not_server_errors(client, world, url):
    login(client, HR)
    response = client.get(url)
    assert response.status_code in (200, 303, 403, 404), response.status_code


def post_file(client, path: str, instansi_id: int, content: bytes, filename: str):
    """A multipart upload encoded in memory (the test client spools big bodies to a temporary
    file it never closes)."""
    token = csrf_token(client, path)
    boundary, body = encode_multipart(
        {
            "csrf_token": token,
            "instansi_id": str(instansi_id),
            "file": FileStorage(io.BytesIO(content), filename, content_type="text/csv"),
        }
    )
    return client.post(path, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def upload(client, content: bytes, filename: str, instansi_id: int):
    return post_file(client, "/employees/import", instansi_id, content, filename)


def good_row(world) -> list[str]:
    return [next_nip(), "Andi", "Pengelola Layanan", "Bidang Pelayanan", "II/c", "PNS", ""]


def test_employee_csv_with_a_3mb_cell_is_a_422_naming_the_line(client, world):
    login(client, HR)
    content = csv_bytes([good_row(world), [next_nip(), HUGE, "x", "y", "II/c", "PNS", ""]])
    response = upload(client, content, "pegawai.csv", world.a.id)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Baris 3" in html and "10000 karakter" in html


def test_employee_csv_that_is_not_csv_is_a_422_naming_the_line(client, world):
    login(client, HR)
    content = csv_bytes([good_row(world)]) + b'"1","unterminated\x00\n'
    response = upload(client, content, "pegawai.csv", world.a.id)
    assert response.status_code == 422 and "Baris 3" in response.get_data(as_text=True)


def test_employee_xlsx_with_a_huge_cell_is_a_422_naming_the_line(client, world):
    book = Workbook()
    sheet = book.active
    sheet.append(["NIP", "NAMA", "JABATAN", "UNIT_KERJA", "GOLONGAN", "STATUS", "EMAIL"])
    sheet.append(good_row(world))
    sheet.append([next_nip(), "B" * 20_000, "x", "y", "II/c", "PNS", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    login(client, HR)
    response = upload(client, buffer.getvalue(), "pegawai.xlsx", world.a.id)
    assert response.status_code == 422 and "Baris 3" in response.get_data(as_text=True)


def test_competency_csv_with_a_3mb_cell_is_a_422_naming_the_line(client, world):
    login(client, HR)
    header = "code;name_id;level_1;level_2;level_3;level_4;level_5\n"
    text = header + "T.A.01;Baik;a;b;c;d;e\n" + f"T.B.01;{HUGE};a;b;c;d;e\n"
    response = post_file(
        client, "/needs/competencies/import", world.a.id, text.encode(), "kompetensi.csv"
    )
    assert response.status_code == 422 and "Baris 3" in response.get_data(as_text=True)
