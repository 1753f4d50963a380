"""`flask siasn export`: a batch file, nothing twice on a re-run, --all, refusals on stderr."""

from __future__ import annotations

import csv
import json

from app.extensions import db
from app.org.models import Employee
from app.siasn.models import SiasnMapping
from tests.factories import build_world
from tests.unit.siasn.factories import configure_siasn, training_year

YEAR = 2025


def _world(app):  # type: ignore[no-untyped-def]
    with app.app_context():
        world = build_world()
        configure_siasn(world.a.id)
        staff = db.session.get(Employee, world.staff.id)
        staff2 = db.session.get(Employee, world.staff2.id)
        training_year(world, YEAR, [staff, staff2])
        db.session.commit()
        ids = world.a.id
        db.session.remove()
    return ids


def test_export_then_rerun_then_all(app, tmp_path):
    instansi_id = _world(app)
    runner = app.test_cli_runner()
    out = tmp_path / "kursus.csv"
    args = ["siasn", "export", "--instansi", "kota-a", "--year", str(YEAR), "--out", str(out)]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "2 new, 0 updates" in result.output
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert len(rows) == 2 and rows[0]["tanggalKursus"] == f"02-03-{YEAR}"
    again = runner.invoke(args=args)
    assert again.exit_code == 0 and "Nothing to export: 2 records already sent" in again.output
    jsonl = tmp_path / "kursus.jsonl"
    full = runner.invoke(
        args=["siasn", "export", "--instansi", "kota-a", "--year", str(YEAR), "--format", "jsonl"]
        + ["--out", str(jsonl), "--all"]
    )
    assert full.exit_code == 0 and "0 new, 2 updates" in full.output
    records = [json.loads(line) for line in jsonl.read_text().splitlines()]
    assert {r["action"] for r in records} == {"update"}
    xlsx = tmp_path / "kursus.xlsx"
    assert runner.invoke(args=[*args[:-1], str(xlsx), "--format", "xlsx", "--all"]).exit_code == 0
    assert xlsx.read_bytes()[:2] == b"PK"
    with app.app_context():
        db.session.query(SiasnMapping).filter_by(instansi_id=instansi_id).delete()
        db.session.commit()
        db.session.remove()
    refused = runner.invoke(args=[*args[:-1], str(tmp_path / "r.csv"), "--all"])
    assert refused.exit_code == 0
    assert "missing jenisDiklatId, jenisKursus" in refused.output


def test_unknown_instansi_is_a_usage_error(app, tmp_path):
    result = app.test_cli_runner().invoke(
        args=[
            "siasn",
            "export",
            "--instansi",
            "nope",
            "--year",
            "2025",
            "--out",
            str(tmp_path / "x"),
        ]
    )
    assert result.exit_code == 2 and "no instansi" in result.output


def test_push_command(app, tmp_path, monkeypatch):
    from tests.unit.siasn.fake_siasn import fake_siasn

    _world(app)
    runner = app.test_cli_runner()
    out = tmp_path / "k.jsonl"
    runner.invoke(
        args=["siasn", "export", "--instansi", "kota-a", "--year", str(YEAR), "--out", str(out)]
    )
    for name in ("SIASN_BASE_URL",):
        monkeypatch.delenv(name, raising=False)
    off = runner.invoke(args=["siasn", "push", "1"])
    assert off.exit_code == 1 and "SIASN_BASE_URL" in off.output
    with fake_siasn() as (settings, state):
        monkeypatch.setitem(app.config, "SIASN_SETTINGS", settings)
        sent = runner.invoke(args=["siasn", "push", "1"])
        assert sent.exit_code == 0 and "2 sent, 0 refused" in sent.output
        assert len(state.saved) == 2


def test_import_certificates_checks_then_confirms(app, tmp_path):
    from sqlalchemy import func, select

    from app.learning.models import LearningRecord

    with app.app_context():
        world = build_world()
        nip, nip2 = world.staff.nip, world.staff2.nip
        db.session.remove()
    path = tmp_path / "lms.csv"
    path.write_text(
        "NIP,NAMA_KURSUS,PENYELENGGARA,TANGGAL_MULAI,TANGGAL_SELESAI,JP,NOMOR_SERTIFIKAT\n"
        f"{nip},Literasi Digital,LAN,02-03-2025,04-03-2025,12,LMS-1\n"
        f"{nip2},Literasi Digital,LAN,04-03-2025,02-03-2025,12,LMS-2\n"
    )
    runner = app.test_cli_runner()
    checked = runner.invoke(args=["siasn", "import-certificates", str(path)])
    assert checked.exit_code == 0 and "2 rows: 1 valid, 1 with problems" in checked.output
    assert "line 3" in checked.output and "Nothing written" in checked.output
    done = runner.invoke(args=["siasn", "import-certificates", str(path), "--confirm"])
    assert done.exit_code == 0 and "Imported 1 certificates" in done.output
    again = runner.invoke(args=["siasn", "import-certificates", str(path), "--confirm"])
    assert again.exit_code == 1 and "(2 duplicates)" not in again.output
    assert "1 duplicates" in again.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LearningRecord)) == 1
