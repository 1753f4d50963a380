"""SIASN export: the kursus layout, refusals naming the field, nothing sent twice, corrections."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.learning.models import LearningRecord, LearningSource
from app.learning.services import credit_jp
from app.siasn import export, files
from app.siasn.models import ExportFormat, LineAction, SiasnExportMarker
from app.training.models import Participation
from tests.conftest import QueryCounter
from tests.factories import build_world, make_employee
from tests.unit.siasn.factories import configure_siasn, training_year

YEAR = 2025


@pytest.fixture
def world(ctx):  # type: ignore[no-untyped-def]
    return build_world()


def test_payload_is_in_the_siasn_layout_with_dd_mm_yyyy_dates(world):
    configure_siasn(world.a.id)
    training_year(world, YEAR, [world.staff])
    plan = export.plan_export(world.a.id, YEAR)
    assert len(plan.inserts) == 1 and not plan.refused
    payload = plan.inserts[0].payload
    assert list(payload) == list(export.KURSUS_FIELDS)
    assert payload["tanggalKursus"] == f"02-03-{YEAR}"
    assert payload["tanggalSelesaiKursus"] == f"04-03-{YEAR}"
    assert payload["tahunKursus"] == YEAR
    assert payload["jumlahJam"] == 24
    assert payload["jenisDiklatId"] == "1"
    assert payload["instansiId"] == "A5EB03E23CD1F6A0E040640A040252AD"
    assert payload["pnsOrangId"] == world.staff.nip
    assert payload["nomorSertipikat"] == f"STTPP-{world.staff.id:04d}"


def test_records_missing_a_mandatory_field_are_refused_naming_the_field(world):
    training_year(world, YEAR, [world.staff])  # no profile, no mapping
    credit_jp(world.staff2.id, 2, LearningSource.MANUAL, "manual:x", date(YEAR, 5, 1), "Webinar")
    plan = export.plan_export(world.a.id, YEAR)
    assert not plan.due
    by_kind = {c.kind.value: c.missing for c in plan.refused}
    assert "instansiId" in by_kind["participation"]
    assert "jenisDiklatId" in by_kind["participation"]
    assert "jenisKursus" in by_kind["participation"]
    # A manual record has no certificate number and no provider: both are named.
    configure_siasn(world.a.id)
    plan = export.plan_export(world.a.id, YEAR)
    manual = next(c for c in plan.refused if c.kind.value == "learning")
    assert manual.missing == ["nomorSertipikat"]
    assert len(plan.inserts) == 1


def test_rerunning_sends_nothing_twice_and_a_correction_goes_as_an_update(world):
    configure_siasn(world.a.id)
    training_year(world, YEAR, [world.staff, world.staff2])
    first = export.create_batch(export.plan_export(world.a.id, YEAR), ExportFormat.CSV, None)
    assert (first.inserts, first.updates) == (2, 0)
    again = export.plan_export(world.a.id, YEAR)
    assert not again.due and again.unchanged == 2
    with pytest.raises(export.ServiceError):
        export.create_batch(again, ExportFormat.CSV, None)
    # HR corrects a certificate number: only that record goes again, as an update.
    participation = db.session.scalars(select(Participation).order_by(Participation.id)).first()
    participation.certificate_number = "STTPP-FIXED"
    db.session.flush()
    plan = export.plan_export(world.a.id, YEAR)
    assert [c.record_id for c in plan.updates] == [participation.id] and not plan.inserts
    second = export.create_batch(plan, ExportFormat.JSONL, None)
    lines = export.batch_lines(second.id)
    assert [line.action for line in lines] == [LineAction.UPDATE.value]
    assert lines[0].payload["nomorSertipikat"] == "STTPP-FIXED"
    assert db.session.scalar(select(func.count()).select_from(SiasnExportMarker)) == 2
    # --all takes everything again, as updates.
    full = export.create_batch(
        export.plan_export(world.a.id, YEAR, full=True), ExportFormat.CSV, None
    )
    assert (full.inserts, full.updates) == (0, 2)


def test_training_credits_are_not_exported_twice_through_the_learning_record(world):
    configure_siasn(world.a.id, keys=("classical", "manual", "mentoring"))
    training_year(world, YEAR, [world.staff])
    credit_jp(
        world.staff.id, 1.5, LearningSource.MANUAL, "manual:1", date(YEAR, 6, 1), "Seminar", "C-1"
    )
    credit_jp(world.staff.id, 1, LearningSource.MENTORING, "session:1", date(YEAR, 6, 2), "Mentor")
    plan = export.plan_export(world.a.id, YEAR)
    kinds = sorted(c.kind.value for c in plan.inserts)
    assert kinds == ["learning", "participation"]
    manual = next(c for c in plan.inserts if c.kind.value == "learning")
    assert manual.payload["jumlahJam"] == 2  # 1.5 JP rounds half up
    assert manual.payload["institusiPenyelenggara"] == "BKPSDM Kota A"  # the default provider
    # A mentoring session has no certificate: SIASN would refuse it, so the export does.
    assert [c.missing for c in plan.refused] == [["nomorSertipikat"]]
    assert db.session.scalar(select(func.count()).select_from(LearningRecord)) == 3


def test_other_instansi_and_other_years_stay_out(world):
    configure_siasn(world.a.id)
    configure_siasn(world.b.id)
    training_year(world, YEAR, [world.staff])
    training_year(world, YEAR - 1, [world.staff2], code="PKP-02")
    assert len(export.plan_export(world.a.id, YEAR).inserts) == 1
    assert not export.plan_export(world.b.id, YEAR).due


def test_plan_and_batch_use_a_constant_number_of_statements(app, world):
    configure_siasn(world.a.id)
    position = world.staff_position

    def measure(extra: int, code: str) -> tuple[int, int]:
        employees = [make_employee(position) for _ in range(extra)]
        training_year(world, YEAR, employees, code=code)
        db.session.commit()
        with QueryCounter(app) as planning:
            plan = export.plan_export(world.a.id, YEAR)
        with QueryCounter(app) as writing:
            export.create_batch(plan, ExportFormat.CSV, None)
        return planning.count, writing.count

    assert measure(3, "P-A") == measure(30, "P-B")


def test_files_put_the_kursus_fields_in_order_and_defuse_formulas(world, tmp_path):
    configure_siasn(world.a.id)
    event = training_year(world, YEAR, [world.staff])
    event.program.title = '=HYPERLINK("http://x")'
    db.session.flush()
    batch = export.create_batch(export.plan_export(world.a.id, YEAR), ExportFormat.CSV, None)
    lines = export.batch_lines(batch.id)
    for fmt in ExportFormat:
        files.write_batch(lines, fmt, tmp_path / f"batch.{fmt.value}")
    text = (tmp_path / "batch.csv").read_text(encoding="utf-8-sig")
    header, row = text.splitlines()[:2]
    assert header.split(",")[4:] == [f'"{name}"' for name in export.KURSUS_FIELDS]
    assert "\"'=HYPERLINK" in row
    record = json.loads((tmp_path / "batch.jsonl").read_text().splitlines()[0])
    assert record["namaKursus"].startswith("=HYPERLINK")  # JSON is data, not a spreadsheet
    assert record["action"] == "insert" and record["id"] is None
    assert (tmp_path / "batch.xlsx").read_bytes()[:2] == b"PK"


def test_demo_setup_makes_completed_training_exportable(world):
    import random

    from app.demo.seed import DemoContext
    from app.siasn.demo import seed_demo_data

    training_year(world, YEAR, [world.staff])
    seed_demo_data(DemoContext(random.Random(1), None, 10))  # type: ignore[arg-type]
    plan = export.plan_export(world.a.id, YEAR)
    assert len(plan.inserts) == 1 and not plan.refused
