"""The SIASN client and batch push against a local fake server: success, refusals, time-outs."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select

from app.extensions import db
from app.siasn import export
from app.siasn.client import (
    SiasnClient,
    SiasnNotConfigured,
    SiasnRefused,
    SiasnSettings,
    SiasnTimeout,
    SiasnUnavailable,
)
from app.siasn.models import ExportFormat, SiasnExportLine, SiasnExportMarker
from app.siasn.push import push_batch
from app.training.models import Participation
from tests.factories import build_world
from tests.unit.siasn.factories import configure_siasn, training_year
from tests.unit.siasn.fake_siasn import fake_siasn

YEAR = 2025


@pytest.fixture
def batch_id(ctx):  # type: ignore[no-untyped-def]
    world = build_world()
    configure_siasn(world.a.id)
    training_year(world, YEAR, [world.staff, world.staff2])
    db.session.commit()
    batch = export.create_batch(export.plan_export(world.a.id, YEAR), ExportFormat.JSONL, None)
    return batch.id


def test_client_is_off_without_a_base_url():
    with pytest.raises(SiasnNotConfigured):
        SiasnClient(SiasnSettings.from_env({}))
    settings = SiasnSettings.from_env({"SIASN_BASE_URL": "http://127.0.0.1:9/api"})
    assert settings.enabled and settings.timeout == 10


def test_success_sends_each_line_once_with_the_siasn_person_id(batch_id):
    with fake_siasn() as (settings, state):
        client = SiasnClient(settings)
        report = push_batch(batch_id, client)
        assert (report.sent, report.refused, report.pending, report.stopped) == (2, 0, 0, "")
        assert all(saved["pnsOrangId"].startswith("PNS-") for saved in state.saved)
        assert state.token_calls == 1  # the token is reused
        again = push_batch(batch_id, client)
        assert again.sent == 0 and len(state.saved) == 2
    lines = db.session.scalars(select(SiasnExportLine)).all()
    assert {line.riwayat_id for line in lines} == {"RW-1", "RW-2"}
    assert all(line.pushed_at for line in lines)
    markers = db.session.scalars(select(SiasnExportMarker)).all()
    assert {marker.riwayat_id for marker in markers} == {"RW-1", "RW-2"}


def test_a_correction_goes_as_an_update_of_the_same_siasn_record(batch_id):
    with fake_siasn() as (settings, state):
        push_batch(batch_id, SiasnClient(settings))
        participation = db.session.scalars(select(Participation).order_by(Participation.id)).first()
        participation.certificate_number = "STTPP-KOREKSI"
        db.session.commit()
        instansi_id = participation.employee.instansi_id
        plan = export.plan_export(instansi_id, YEAR)
        assert len(plan.updates) == 1
        update_batch = export.create_batch(plan, ExportFormat.CSV, None)
        report = push_batch(update_batch.id, SiasnClient(settings))
        assert report.sent == 1
        assert state.saved[-1]["id"] in {"RW-1", "RW-2"}
        assert state.saved[-1]["nomorSertipikat"] == "STTPP-KOREKSI"


def test_validation_errors_are_kept_on_the_line_and_the_rest_is_sent(batch_id):
    first = db.session.scalars(select(SiasnExportLine).order_by(SiasnExportLine.id)).first()
    certificate = export.batch_lines(batch_id)[0].payload["nomorSertipikat"]
    with fake_siasn() as (settings, state):
        state.refuse_certificates.add(certificate)
        report = push_batch(batch_id, SiasnClient(settings))
    assert (report.sent, report.refused) == (1, 1)
    db.session.refresh(first)
    assert first.pushed_at is None
    assert "nomorSertipikat: nomor sertifikat sudah terdaftar" in first.push_error
    assert "Validasi gagal" in report.errors[0]


def test_unknown_nip_is_a_refusal(batch_id):
    nip = export.batch_lines(batch_id)[0].nip
    with fake_siasn() as (settings, state):
        state.unknown_nips.add(nip)
        report = push_batch(batch_id, SiasnClient(settings))
    assert (report.sent, report.refused) == (1, 1)
    assert "Data tidak ditemukan" in report.errors[0]


def test_a_time_out_stops_the_run_and_the_next_run_resumes(batch_id):
    with fake_siasn(timeout=0.3) as (settings, state):
        state.delay = 1.0
        report = push_batch(batch_id, SiasnClient(settings))
        assert report.sent == 0 and report.pending == 2 and "did not answer" in report.stopped
        state.delay = 0
        resumed = push_batch(batch_id, SiasnClient(settings))
    assert resumed.sent == 2 and not resumed.stopped


def test_low_level_errors_are_typed():
    with fake_siasn(timeout=0.3) as (settings, state):
        with pytest.raises(SiasnRefused, match="credentials"):
            SiasnClient(dataclasses.replace(settings, password="salah")).pns_id("1")
        client = SiasnClient(settings)
        assert client.reference("jenis-diklat") == [{"id": "1", "nama": "Struktural"}]
        with pytest.raises(SiasnRefused):
            client.save_kursus({"namaKursus": "x"})
        state.delay = 1.0
        with pytest.raises(SiasnTimeout):
            client.save_kursus({"namaKursus": "x"})
    closed = SiasnClient(settings)  # the server is gone: connection refused
    with pytest.raises(SiasnUnavailable):
        closed.pns_id("1")


def test_push_runs_as_a_background_job(app, batch_id, monkeypatch):
    from app import jobs
    from app.jobs.models import Job, JobState

    with fake_siasn() as (settings, state):
        monkeypatch.setitem(app.config, "SIASN_SETTINGS", settings)
        job = jobs.enqueue("siasn.push_batch", batch_id=batch_id, key=f"siasn-push:{batch_id}")
        db.session.commit()
        db.session.expire_all()
        done = db.session.get(Job, job.id)
        assert done.state == JobState.SUCCEEDED, done.error if hasattr(done, "error") else done
        assert len(state.saved) == 2
