"""Talent benchmark: the 9-box page and the e-Kinerja SKP import, in-process, at two sizes.

    .venv/bin/python bench/talent_bench.py                       # 1,000 and 10,000 employees
    .venv/bin/python bench/talent_bench.py --sizes 1000 10000 --rounds 30
    .venv/bin/python bench/talent_bench.py --database-url postgresql://postgres@127.0.0.1/bangkom_talent

One instansi with 10 OPDs × 4 bidang gets N employees with two annual SKP, a JPM and potential
inputs (bulk inserts, as the demo does). Through the Flask test client (no network) it times
GET /ping (the bare baseline), HR's 9-box page (/talent/boxes: counts per box, movement from
last year, one page of people), and an SKP import of N rows (upload with the full preview, then
the confirmed write), counting SQL statements at both sizes.
Targets (issue 14): 9-box ≤ 300 ms median at 10,000 employees, import of 10,000 rows ≤ 10 s,
statements equal at both sizes. Exit code 1 when a target is missed.
WARNING: with --database-url every table of that database is dropped and recreated.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("BANGKOM_INSTANCE_DIR", tempfile.mkdtemp(prefix="bangkom-bench-"))

from sqlalchemy import event, func, insert, select  # noqa: E402

from app import create_app  # noqa: E402
from app.accounts.models import Role  # noqa: E402
from app.accounts.services import create_user  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import utcnow  # noqa: E402
from app.needs.models import EmployeeMatch  # noqa: E402
from app.org.hierarchy import unit_path  # noqa: E402
from app.org.models import (  # noqa: E402
    Employee,
    EmployeeStatus,
    Instansi,
    InstansiKind,
    OrgUnit,
    Position,
    PositionType,
    UnitKind,
)
from app.org.nip import make_nip  # noqa: E402
from app.talent.matrix import predikat  # noqa: E402
from app.talent.models import PotentialInput, Rating, SkpRating, SkpSource  # noqa: E402

BOX_MS, IMPORT_S = 300, 10
PASSWORD = "bench password 2026"
HR_EMAIL = "hr@bench.example"
YEAR = date.today().year
RATINGS = list(Rating)


class Counter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, *args: object) -> None:
        self.count += 1


def build_org() -> tuple[int, list[int]]:
    """The instansi and the ids of its 40 bidang positions (staff posts), one HR login."""
    instansi = Instansi(code="bench", name="Kota Bench", kind=InstansiKind.KOTA, ppk_title="Wali")
    db.session.add(instansi)
    db.session.flush()
    positions = []
    for o in range(10):
        opd = OrgUnit(instansi_id=instansi.id, name=f"Dinas {o}", kind=UnitKind.DINAS, depth=0)
        db.session.add(opd)
        db.session.flush()
        opd.path = unit_path(None, opd.id)
        for b in range(4):
            bidang = OrgUnit(
                instansi_id=instansi.id,
                parent_id=opd.id,
                name=f"Bidang {o}.{b}",
                kind=UnitKind.BIDANG,
                depth=1,
            )
            db.session.add(bidang)
            db.session.flush()
            bidang.path = unit_path(opd, bidang.id)
            position = Position(
                instansi_id=instansi.id,
                org_unit_id=bidang.id,
                name=f"Pengelola {o}.{b}",
                position_type=PositionType.PELAKSANA,
            )
            db.session.add(position)
            db.session.flush()
            positions.append((position.id, bidang.id))
    create_user(
        HR_EMAIL, "HR", PASSWORD, instansi_id=instansi.id, roles=((Role.HR_ADMIN, instansi.id),)
    )
    db.session.commit()
    return instansi.id, positions  # type: ignore[return-value]


def add_employees(instansi_id: int, positions: list, start: int, count: int) -> None:  # type: ignore[type-arg]
    """`count` employees with two annual SKP, a JPM and potential inputs (bulk inserts)."""
    rng = random.Random(start)
    now = utcnow()
    rows = []
    for n in range(start, start + count):
        position_id, unit_id = positions[n % len(positions)]
        rows.append(
            {
                "instansi_id": instansi_id,
                "nip": make_nip(date(1970 + n // 999, 6, 15), 2005, 1, "L", 1 + n % 999),
                "name": f"Pegawai {n:05d}",
                "gender": "L",
                "birth_date": date(1985, 6, 15),
                "golongan": "III/a",
                "status": EmployeeStatus.PNS,
                "position_id": position_id,
                "org_unit_id": unit_id,
                "active": True,
            }
        )
    db.session.execute(insert(Employee), rows)
    ids = db.session.execute(
        select(Employee.id, Employee.org_unit_id)
        .where(Employee.instansi_id == instansi_id)
        .order_by(Employee.id)
        .offset(start)
    ).all()
    skp, matches, inputs = [], [], []
    for employee_id, unit_id in ids:
        for year in (YEAR - 1, YEAR):
            h, p = rng.choice(RATINGS), rng.choice(RATINGS)
            skp.append(
                {
                    "instansi_id": instansi_id, "employee_id": employee_id, "year": year,
                    "period": "tahunan", "hasil_kerja": h.value, "perilaku": p.value,
                    "predikat": predikat(h, p).value, "source": SkpSource.E_KINERJA.value,
                    "note": "", "created_at": now, "updated_at": now,
                }
            )  # fmt: skip
        jpm = rng.uniform(55, 100)
        matches.append(
            {
                "instansi_id": instansi_id, "cycle_year": YEAR, "employee_id": employee_id,
                "org_unit_id": unit_id, "competencies": 9, "required_sum": 27.0,
                "achieved_sum": 27 * jpm / 100, "jpm": jpm,
            }
        )  # fmt: skip
        inputs.append(
            {
                "instansi_id": instansi_id, "employee_id": employee_id, "year": YEAR - 1,
                "education": rng.choice(["sma", "d3", "s1", "s2"]),
                "assessment_score": rng.uniform(55, 98),
                "grade_since": date.today() - timedelta(days=rng.randint(300, 4000)),
                "created_at": now, "updated_at": now,
            }
        )  # fmt: skip
    db.session.execute(insert(SkpRating), skp)
    db.session.execute(insert(EmployeeMatch), matches)
    db.session.execute(insert(PotentialInput), inputs)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":  # as autovacuum would after a bulk load
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE")


def token_of(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)  # type: ignore[union-attr]


def timed(app, client, path: str, rounds: int) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    """Median ms over `rounds` GETs after two warm-ups, and the statements of one request."""
    with app.app_context():
        engine = db.engine
    for _ in range(2):
        assert client.get(path).status_code == 200
    counter = Counter()
    timings = []
    event.listen(engine, "before_cursor_execute", counter)
    try:
        for n in range(rounds):
            counter.count = 0
            started = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
            statements = counter.count if n == 0 else statements  # noqa: F821
    finally:
        event.remove(engine, "before_cursor_execute", counter)
    return statistics.median(timings), statements


def import_rows(app, client, instansi_id: int, rows: int) -> tuple[float, float, int]:  # type: ignore[no-untyped-def]
    """Seconds for the upload with preview and for the confirmed write; statements of both."""
    with app.app_context():
        nips = list(
            db.session.scalars(
                select(Employee.nip).where(Employee.instansi_id == instansi_id).limit(rows)
            )
        )
    rng = random.Random(rows)
    lines = ["NIP,TAHUN,PERIODE,HASIL_KERJA,PERILAKU,PREDIKAT"]
    for nip in nips:
        h, p = rng.choice(RATINGS), rng.choice(RATINGS)
        lines.append(f"{nip},{YEAR},tahunan,{h.value},{p.value},{predikat(h, p).value}")
    body = ("\n".join(lines) + "\n").encode()
    token = token_of(client.get("/talent/skp/import").get_data(as_text=True))
    with app.app_context():
        engine = db.engine
    counter = Counter()
    event.listen(engine, "before_cursor_execute", counter)
    try:
        started = time.perf_counter()
        response = client.post(
            "/talent/skp/import",
            data={
                "csrf_token": token,
                "instansi_id": str(instansi_id),
                "year": str(YEAR),
                "file": (io.BytesIO(body), "ekinerja.csv"),
            },
            content_type="multipart/form-data",
        )
        preview_s = time.perf_counter() - started
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and "/talent/skp/import/skp-" in html, html[:300]
        staged = html.split('action="/talent/skp/import/')[1].split('"')[0]
        started = time.perf_counter()
        done = client.post(f"/talent/skp/import/{staged}", data={"csrf_token": token})
        write_s = time.perf_counter() - started
        assert done.status_code == 303
    finally:
        event.remove(engine, "before_cursor_execute", counter)
    with app.app_context():
        written = db.session.scalar(
            select(func.count()).select_from(SkpRating).where(SkpRating.year == YEAR)
        )
        assert written >= len(nips)
    return preview_s, write_s, counter.count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[1000, 10000])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    small, large = args.sizes
    url = args.database_url.replace("postgresql://", "postgresql+psycopg://", 1)
    url = url or f"sqlite:///{tempfile.mkdtemp(prefix='bangkom-bench-db-')}/bench.sqlite3"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench",
            "PASSWORD_TIME_COST": 1,
            "PASSWORD_MEMORY_COST": 1024,
            "PASSWORD_PARALLELISM": 1,
        }
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
        instansi_id, positions = build_org()
        add_employees(instansi_id, positions, 0, small)
        db.session.remove()
    client = app.test_client()
    token = token_of(client.get("/login").get_data(as_text=True))
    login = client.post(
        "/login", data={"login": HR_EMAIL, "password": PASSWORD, "csrf_token": token}
    )
    assert login.status_code == 303
    print(f"database: {url.split('://')[0]}")
    results = {}
    for size in (small, large):
        if size == large:
            with app.app_context():
                add_employees(instansi_id, positions, small, large - small)
                db.session.remove()
        ping, _ = timed(app, client, "/ping", args.rounds)
        box, box_statements = timed(app, client, f"/talent/boxes?year={YEAR}", args.rounds)
        preview_s, write_s, import_statements = import_rows(app, client, instansi_id, size)
        results[size] = (box, box_statements, preview_s + write_s, import_statements)
        print(
            f"{size:>6} employees: /ping {ping:.2f} ms; 9-box median {box:.1f} ms "
            f"({box / ping:.0f}× /ping), {box_statements} statements; SKP import of {size} rows "
            f"{preview_s:.2f} s preview + {write_s:.2f} s write, {import_statements} statements"
        )
    box_ok = results[large][0] <= BOX_MS
    import_ok = results[large][2] <= IMPORT_S
    constant = results[small][1] == results[large][1] and results[small][3] == results[large][3]
    print(
        f"targets: 9-box ≤ {BOX_MS} ms {'met' if box_ok else 'NOT met'}; import ≤ {IMPORT_S} s "
        f"{'met' if import_ok else 'NOT met'}; statements constant {'yes' if constant else 'NO'}"
    )
    return 0 if box_ok and import_ok and constant else 1


if __name__ == "__main__":
    raise SystemExit(main())
