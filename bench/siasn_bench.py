"""SIASN benchmark: importing a generated LMS ASN file of 10,000 certificate rows, then exporting.

    .venv/bin/python bench/siasn_bench.py                      # SQLite in a temporary folder
    .venv/bin/python bench/siasn_bench.py --rows 10000 --employees 5000
    .venv/bin/python bench/siasn_bench.py --database-url postgresql://postgres@127.0.0.1:5432/bangkom_siasn

The file has `--rows` rows: 3 % repeat an earlier row of the file (same NIP, course and start
date) and 2 % are bad (a wrong NIP or JP outside 1–1000). Timed: the preview (read + check every
row + duplicate detection), the confirmed import (one transaction), the same file again (every
row must now be reported as a duplicate or bad), and the SIASN export of the imported year
(plan + batch + CSV) and its re-run (nothing may go twice). The bare baseline is reading the same
file with the `csv` module in the same run. Target (issue 19): preview + import ≤ 20 s with the
duplicates reported; exit code 1 if missed or if a count is wrong.
WARNING: with --database-url every table of that database is dropped and recreated.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

YEAR = 2025
TARGET_SECONDS = 20.0
HEADER = "NIP,NAMA_KURSUS,PENYELENGGARA,TANGGAL_MULAI,TANGGAL_SELESAI,JP,NOMOR_SERTIFIKAT,JENIS"
COURSES = [
    "Literasi Digital",
    "Manajemen ASN",
    "Pelayanan Publik Prima",
    "Analisis Kebijakan",
    "Etika dan Integritas ASN",
    "Pengelolaan Keuangan Daerah",
    "Penyusunan SKP",
    "Kepemimpinan Pengawas",
]


def build_people(employees: int) -> list[str]:
    """One instansi with one unit and position, and `employees` employees: NIPs."""
    from sqlalchemy import insert

    from app.extensions import db
    from app.org.models import (
        Employee,
        EmployeeStatus,
        Instansi,
        InstansiKind,
        OrgUnit,
        Position,
        PositionType,
        UnitKind,
    )
    from app.org.nip import make_nip
    from app.siasn.models import SiasnMapping, SiasnProfile

    instansi = Instansi(code="kota-bench", name="Kota Bench", kind=InstansiKind.KOTA)
    db.session.add(instansi)
    db.session.flush()
    unit = OrgUnit(instansi_id=instansi.id, name="Dinas Bench", kind=UnitKind.DINAS)
    db.session.add(unit)
    db.session.flush()
    unit.path = f"/{unit.id}/"
    position = Position(
        instansi_id=instansi.id,
        org_unit_id=unit.id,
        name="Pelaksana",
        position_type=PositionType.PELAKSANA,
    )
    db.session.add(position)
    db.session.flush()
    nips = []
    rows = []
    for n in range(employees):
        birth = date(1965, 1, 1) + timedelta(days=n % 4000)  # born 1965–1975
        nip = make_nip(birth, 2000 + n % 20, 1 + n % 12, "L" if n % 2 else "P", 1 + n // 4000)
        nips.append(nip)
        rows.append(
            {
                "instansi_id": instansi.id,
                "nip": nip,
                "name": f"Pegawai {n}",
                "gender": "L" if n % 2 else "P",
                "birth_date": birth,
                "status": EmployeeStatus.PNS,
                "position_id": position.id,
                "org_unit_id": unit.id,
                "active": True,
            }
        )
    db.session.execute(insert(Employee), rows)
    db.session.add(
        SiasnProfile(
            instansi_id=instansi.id,
            siasn_instansi_id="A5EB03E23CD1F6A0E040640A040252AD",
            lokasi_id="1471",
            default_provider="BKPSDM Kota Bench",
        )
    )
    db.session.add(
        SiasnMapping(
            instansi_id=instansi.id, key="e_learning", jenis_diklat_id="4", jenis_kursus="KT"
        )
    )
    db.session.commit()
    return nips


def generate(nips: list[str], rows: int, rng: random.Random) -> tuple[bytes, int, int]:
    """The CSV, how many in-file duplicates and how many bad rows it holds."""
    lines = [HEADER]
    written: list[str] = []
    duplicates = bad = 0
    for n in range(rows):
        roll = rng.random()
        if roll < 0.03 and written:
            lines.append(rng.choice(written))
            duplicates += 1
            continue
        nip = nips[n % len(nips)]
        start = date(YEAR, 1, 6) + timedelta(days=(n // len(nips)) * 7 + rng.randrange(5))
        end = start + timedelta(days=rng.randrange(3))
        jp = rng.choice([2, 4, 6, 8, 10, 12, 16, 20])
        if roll < 0.05:
            bad += 1
            if roll < 0.04:
                nip = nip[:-1]  # 17 digits
            else:
                jp = 1001
        course = f"{COURSES[n % len(COURSES)]} Angkatan {n // len(nips) + 1}"
        line = (
            f"{nip},{course},LAN RI,{start:%d-%m-%Y},{end:%d-%m-%Y},{jp},LMS-{YEAR}-{n:06d},"
            "e_learning"
        )
        lines.append(line)
        if roll >= 0.05:
            written.append(line)
    return ("\n".join(lines) + "\n").encode(), duplicates, bad


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--employees", type=int, default=5_000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="siasn-bench-")
    os.environ.setdefault("BANGKOM_INSTANCE_DIR", tmp)
    from app import create_app
    from app.extensions import db

    url = args.database_url.replace("postgresql://", "postgresql+psycopg://", 1)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url or f"sqlite:///{tmp}/bench.sqlite3",
            "SECRET_KEY": "bench",
            "IMPORT_DIR": f"{tmp}/imports",
            "REDIS_URL": "",
        }
    )
    from sqlalchemy import event

    from app.siasn import certificates, export, files
    from app.siasn.models import ExportFormat

    with app.test_request_context():
        db.drop_all()
        db.create_all()
        nips = build_people(args.employees)
        content, file_duplicates, bad = generate(nips, args.rows, random.Random(19))
        instansi_id = 1
        statements = {"n": 0}

        def count(*_: object) -> None:
            statements["n"] += 1

        event.listen(db.engine, "before_cursor_execute", count)

        started = time.perf_counter()
        baseline_rows = sum(1 for _ in csv.reader(io.StringIO(content.decode())))
        baseline = time.perf_counter() - started

        statements["n"] = 0
        started = time.perf_counter()
        preview = certificates.build_preview("lms.csv", content, instansi_id)
        t_preview = time.perf_counter() - started
        s_preview = statements["n"]

        statements["n"] = 0
        started = time.perf_counter()
        written = certificates.apply_import(preview, None)
        t_import = time.perf_counter() - started
        s_import = statements["n"]

        started = time.perf_counter()
        again = certificates.build_preview("lms.csv", content, instansi_id)
        t_again = time.perf_counter() - started

        started = time.perf_counter()
        plan = export.plan_export(instansi_id, YEAR)
        batch = export.create_batch(plan, ExportFormat.CSV, None)
        out = Path(tmp) / "kursus.csv"
        files.write_batch(export.batch_lines(batch.id), ExportFormat.CSV, out)
        t_export = time.perf_counter() - started
        rerun = export.plan_export(instansi_id, YEAR)
        event.remove(db.engine, "before_cursor_execute", count)

    total = t_preview + t_import
    engine = "PostgreSQL" if url else "SQLite"
    print(f"SIASN bench on {engine}: {args.rows} rows, {args.employees} employees")
    print(f"  bare csv read ({baseline_rows} lines): {baseline * 1000:.0f} ms (ratio 1.0)")
    print(
        f"  preview: {t_preview:.2f} s ({t_preview / baseline:.0f}× bare), {s_preview} statements;"
        f" {preview.importable} valid, {len(preview.problems)} with problems,"
        f" {preview.duplicates} duplicates (file has {file_duplicates} repeats, {bad} bad rows)"
    )
    print(f"  import:  {t_import:.2f} s ({t_import / baseline:.0f}× bare), {s_import} statements")
    print(f"  preview + import: {total:.2f} s (target ≤ {TARGET_SECONDS:.0f} s)")
    print(
        f"  same file again: {t_again:.2f} s, {again.importable} valid,"
        f" {again.duplicates} reported as duplicates"
    )
    print(
        f"  SIASN export: {t_export:.2f} s, batch of {batch.inserts} records"
        f" ({batch.refused} refused); re-run due: {len(rerun.due)}"
    )
    ok = (
        total <= TARGET_SECONDS
        and written == preview.importable
        and preview.duplicates == file_duplicates
        and len(preview.problems) == file_duplicates + bad
        and again.importable == 0
        and again.duplicates == preview.importable + preview.duplicates
        and batch.inserts == written
        and not rerun.due
    )
    print("OK" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
