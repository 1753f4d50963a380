"""Certificate import: every bad row with its reason, duplicates, one transaction, export."""

from __future__ import annotations

import io
from datetime import date, timedelta

import openpyxl
import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from app.clock import local_today
from app.errors import ServiceError
from app.extensions import db
from app.learning.models import LearningRecord, LearningSource
from app.learning.services import credit_jp
from app.siasn import certificates, export
from app.siasn.models import CertificateStatus, ExternalCertificate
from tests.conftest import QueryCounter
from tests.factories import build_world, make_employee
from tests.unit.siasn.factories import configure_siasn

HEADER = "NIP;NAMA_KURSUS;PENYELENGGARA;TANGGAL_MULAI;TANGGAL_SELESAI;JP;NOMOR_SERTIFIKAT;JENIS"


@pytest.fixture
def world(ctx):  # type: ignore[no-untyped-def]
    with force_locale("en"):  # reasons are asserted in English
        yield build_world()


def _csv(*rows: str) -> bytes:
    return "\n".join([HEADER, *rows]).encode()


def _count(model) -> int:  # type: ignore[no-untyped-def]
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_every_bad_row_is_listed_with_its_reason(world):
    nip, other = world.staff.nip, world.b_staff.nip
    future = (local_today() + timedelta(days=10)).strftime("%d-%m-%Y")
    content = _csv(
        f"{nip};Literasi Digital;LAN RI;02-03-2025;04-03-2025;12;LMS-001;e_learning",
        "123;Kursus A;LAN;02-03-2025;04-03-2025;5;LMS-002;",
        f"{other};Kursus B;LAN;02-03-2025;04-03-2025;5;LMS-003;",
        f"{nip};Kursus C;LAN;02-03-2025;04-03-2025;0;LMS-004;",
        f"{nip};Kursus D;LAN;02-03-2025;04-03-2025;1001;LMS-005;",
        f"{nip};Kursus E;LAN;05-03-2025;04-03-2025;5;LMS-006;",
        f"{nip};Kursus F;LAN;02-03-2025;{future};5;LMS-007;",
        f"{nip};Kursus G;LAN;2025-13-01;04-03-2025;5;LMS-008;",
        f"{nip};Kursus H;LAN;02-03-2025;04-03-2025;5;LMS-009;vlog",
        f"{nip};Kursus I;LAN;02-03-2025;04-03-2025;5;;",
        f"{nip};literasi  digital;LAN RI;02-03-2025;04-03-2025;12;LMS-010;",
    )
    preview = certificates.build_preview("lms.csv", content, world.a.id)
    assert preview.total == 11 and preview.importable == 1
    reasons = {p.line: p.reason for p in preview.problems}
    assert "18 digits" in reasons[3]
    assert "No active employee of this instansi" in reasons[4]
    assert "JP must be a number from 1 to 1000" in reasons[5]
    assert "JP must be a number from 1 to 1000" in reasons[6]
    assert "before the start" in reasons[7]
    assert "in the future" in reasons[8]
    assert "start date is not a date" in reasons[9]
    assert "Unknown code 'vlog'" in reasons[10]
    assert "certificate number is empty" in reasons[11]
    assert "Same NIP, course and start date as line 2" in reasons[12]
    assert preview.duplicates == 1


def test_import_writes_verified_records_once_and_reports_duplicates_on_the_second_run(world):
    nip, nip2 = world.staff.nip, world.staff2.nip
    content = _csv(
        f"{nip};Literasi Digital;LAN RI;02-03-2025;04-03-2025;12;LMS-001;e_learning",
        f"{nip2};Manajemen ASN;LMS ASN;10/04/2025;11/04/2025;8,5;LMS-002;",
    )
    preview = certificates.build_preview("lms.csv", content, world.a.id)
    assert certificates.apply_import(preview, None) == 2
    records = db.session.scalars(select(LearningRecord).order_by(LearningRecord.id)).all()
    assert [(r.source, r.jp, r.activity_date) for r in records] == [
        (LearningSource.CERTIFICATE, 12, date(2025, 3, 4)),
        (LearningSource.CERTIFICATE, 8.5, date(2025, 4, 11)),
    ]
    rows = db.session.scalars(select(ExternalCertificate)).all()
    assert {row.status for row in rows} == {CertificateStatus.VERIFIED}
    assert {row.mapping_key for row in rows} == {"e_learning", "certificate"}
    again = certificates.build_preview("lms.csv", content, world.a.id)
    assert again.importable == 0 and again.duplicates == 2
    assert all("Already recorded" in p.reason for p in again.problems)
    with pytest.raises(ServiceError):
        certificates.apply_import(again, None)


def test_a_record_already_in_the_ledger_is_a_duplicate(world):
    credit_jp(world.staff.id, 4, LearningSource.MANUAL, "m:1", date(2025, 3, 4), "Literasi Digital")
    preview = certificates.build_preview(
        "lms.csv",
        _csv(f"{world.staff.nip};Literasi Digital;LAN;02-03-2025;04-03-2025;4;LMS-1;"),
        world.a.id,
    )
    assert preview.duplicates == 1 and not preview.valid


def test_nothing_is_half_written_when_the_transaction_fails(world, monkeypatch):
    content = _csv(
        f"{world.staff.nip};Kursus A;LAN;02-03-2025;04-03-2025;5;LMS-1;",
        f"{world.staff2.nip};Kursus B;LAN;02-03-2025;04-03-2025;5;LMS-2;",
    )
    preview = certificates.build_preview("lms.csv", content, world.a.id)
    preview.valid[1]["employee_id"] = 10**9  # a row that fails its foreign key at insert time
    with pytest.raises(Exception):  # noqa: B017  (the database error type depends on the engine)
        certificates.apply_import(preview, None)
    assert _count(LearningRecord) == 0 and _count(ExternalCertificate) == 0


def test_xlsx_with_date_cells_and_missing_columns(world):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["NIP", "NAMA_KURSUS", "PENYELENGGARA", "TANGGAL_MULAI", "TANGGAL_SELESAI", "JP"])
    sheet.append([world.staff.nip, "Kursus", "LAN", date(2025, 3, 2), date(2025, 3, 4), 6])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(ServiceError, match="CERTIFICATE"):
        certificates.build_preview("lms.xlsx", buffer.getvalue(), world.a.id)
    sheet["G1"] = "NOMOR_SERTIFIKAT"
    sheet["G2"] = "LMS-9"
    buffer = io.BytesIO()
    book.save(buffer)
    preview = certificates.build_preview("lms.xlsx", buffer.getvalue(), world.a.id)
    assert preview.importable == 1 and preview.valid[0]["start_date"] == date(2025, 3, 2)


def test_imported_certificates_go_to_siasn_with_their_provider_dates_and_form(world):
    configure_siasn(world.a.id, keys=("e_learning",))
    content = _csv(
        f"{world.staff.nip};Literasi Digital;LAN RI;02-03-2025;04-03-2025;12;LMS-1;e_learning"
    )
    certificates.apply_import(certificates.build_preview("lms.csv", content, world.a.id), None)
    plan = export.plan_export(world.a.id, 2025)
    assert len(plan.inserts) == 1
    payload = plan.inserts[0].payload
    assert payload["institusiPenyelenggara"] == "LAN RI"
    assert payload["tanggalKursus"] == "02-03-2025"
    assert payload["nomorSertipikat"] == "LMS-1"
    assert payload["jenisDiklatId"] == "1"


def test_preview_and_import_use_a_constant_number_of_statements(app, world):
    def measure(n: int, course: str) -> tuple[int, int]:
        people = [make_employee(world.staff_position) for _ in range(n)]
        db.session.commit()
        rows = [f"{p.nip};{course};LAN;02-03-2025;04-03-2025;5;C-{p.id};" for p in people]
        with QueryCounter(app) as checking:
            preview = certificates.build_preview("lms.csv", _csv(*rows), world.a.id)
        with QueryCounter(app) as writing:
            certificates.apply_import(preview, None)
        return checking.count, writing.count

    assert measure(3, "Kursus A") == measure(40, "Kursus B")
