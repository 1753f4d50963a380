"""Several portals' worth of data on PostgreSQL: 50 instansi, 200,000 employees, then the main
pages timed with their statement counts, and the needs recompute per instansi.

**Drops and recreates every table of the database it is given** (default: the PostgreSQL
database `bangkom_scale` on 127.0.0.1, created when missing). Pages are requested in-process
through the WSGI test client by the HR administrator and the head of one instansi (the same
code path as under gunicorn, without the HTTP server), each a few times; the report gives the
median ms, statements per request, and requests/s per worker process that this implies.

    python bench/scale_bench.py [--instansi 50] [--employees 200000] [--repeat 5] [--keep]
                                [--database-url postgresql://postgres@127.0.0.1:5432/bangkom_scale]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = Path(tempfile.mkdtemp(prefix="bangkom-scale-"))
DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/bangkom_scale"

PAGES = [
    ("hr", "HR home (cockpit summary)", "/"),
    ("hr", "employee list, page 1", "/employees"),
    ("hr", "employee search by name", "/employees?q=sari"),
    ("hr", "organisation tree", "/org/units"),
    ("hr", "monitoring cockpit", "/monitoring/"),
    ("hr", "needs analysis overview", "/needs/"),
    ("hr", "survey results", "/surveys/results"),
    ("hr", "employee CSV export", "/employees/export.csv"),
    ("hr", "background jobs", "/jobs/"),
    ("head", "head of OPD home", "/"),
    ("head", "head's approval inbox", "/training/inbox"),
    ("head", "head's employee list", "/employees"),
]


def ensure_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def generate(instansi_count: int, employees: int) -> dict[str, str]:
    """Instansi with the demo OPD tree each, employees spread evenly, one HR login and one head
    login in the first instansi. Returns the two logins' emails."""
    from faker import Faker
    from sqlalchemy import insert, select

    from app.accounts.models import Role
    from app.accounts.services import create_user
    from app.demo.seed import REGIONS, NipFactory, SeedResult, _build_unit, _employee_row, opd_tree
    from app.extensions import db
    from app.org.models import Employee, Instansi, Position

    rng = random.Random(16)
    fake = Faker("id_ID")
    fake.seed_instance(16)
    nips = NipFactory(rng)
    per_instansi = employees // instansi_count
    result = SeedResult()
    first_head_position = None
    first_instansi = None
    for number in range(instansi_count):
        code, name, kind, ppk, kecamatan = REGIONS[number % len(REGIONS)]
        instansi = Instansi(
            code=f"{code}-{number:02d}", name=f"{name} {number:02d}", kind=kind, ppk_title=ppk
        )
        db.session.add(instansi)
        db.session.flush()
        heads: list[Position] = []
        staff: list[Position] = []
        for spec in opd_tree(instansi.name, kecamatan):
            _build_unit(instansi, None, spec, heads, staff, result)
        db.session.flush()
        rows = [_employee_row(instansi.id, pos, fake, rng, nips) for pos in heads]
        rows += [
            _employee_row(instansi.id, rng.choice(staff), fake, rng, nips)
            for _ in range(max(per_instansi - len(heads), 0))
        ]
        for row in rows:
            row["email"] = None
        for start in range(0, len(rows), 5000):
            db.session.execute(insert(Employee), rows[start : start + 5000])
        db.session.commit()
        if first_instansi is None:
            first_instansi = instansi.id
            first_head_position = next(p for p in heads if p.org_unit.parent_id is None)
        print(f"  instansi {number + 1}/{instansi_count}: {len(rows)} employees", flush=True)
    head = db.session.scalar(
        select(Employee).where(Employee.position_id == first_head_position.id)  # type: ignore[union-attr]
    )
    create_user(
        "hr@scale.example",
        "HR Scale",
        "scale-password-2026",
        roles=((Role.HR_ADMIN, first_instansi),),
        instansi_id=first_instansi,
    )
    create_user("head@scale.example", "Head Scale", "scale-password-2026", employee=head)
    db.session.commit()
    return {"hr": "hr@scale.example", "head": "head@scale.example"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--instansi", type=int, default=50)
    parser.add_argument("--employees", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="reuse the data of a previous run")
    parser.add_argument("--database-url", default=os.environ.get("SCALE_BENCH_PG", DEFAULT_URL))
    options = parser.parse_args()
    ensure_database(options.database_url)
    os.environ.update(
        BANGKOM_INSTANCE_DIR=str(TMP),
        SECRET_KEY="bench",
        LOG_LEVEL="WARNING",
        DATABASE_URL=options.database_url,
    )
    os.environ.pop("REDIS_URL", None)
    from sqlalchemy import event, func, select

    from app import create_app
    from app.extensions import db
    from app.org.models import Employee, Instansi

    app = create_app({"PASSWORD_TIME_COST": 1, "PASSWORD_MEMORY_COST": 1024})
    with app.app_context():
        started = time.perf_counter()
        if options.keep and db.session.scalar(select(func.count()).select_from(Employee)):
            logins = {"hr": "hr@scale.example", "head": "head@scale.example"}
        else:
            db.drop_all()
            db.create_all()
            logins = generate(options.instansi, options.employees)
            db.session.execute(db.text("ANALYZE"))
            db.session.commit()
        print(
            f"generated in {time.perf_counter() - started:.0f} s: "
            f"{db.session.scalar(select(func.count()).select_from(Instansi))} instansi, "
            f"{db.session.scalar(select(func.count()).select_from(Employee))} employees"
        )
        engine = db.engine
        first = db.session.scalar(select(Instansi.id).order_by(Instansi.id))
    counter = [0]
    event.listen(engine, "before_cursor_execute", lambda *a: counter.__setitem__(0, counter[0] + 1))
    clients = {}
    for role, email in logins.items():
        client = app.test_client()
        page = client.get("/login").get_data(as_text=True)
        import re

        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        response = client.post(
            "/login", data={"login": email, "password": "scale-password-2026", "csrf_token": token}
        )
        assert response.status_code == 303, response.status_code
        clients[role] = client
    ping = []
    for _ in range(20):
        t = time.perf_counter()
        clients["hr"].get("/ping")
        ping.append((time.perf_counter() - t) * 1000)
    base = statistics.median(ping)
    print(
        f"\n{'page (' + str(options.employees) + ' employees)':44} {'status':>6} {'median ms':>10} {'statements':>10} {'req/s/worker':>12}"
    )
    print(f"{'GET /ping (bare)':44} {200:6} {base:10.1f} {0:10} {1000 / base:12.0f}")
    for role, label, path in PAGES:
        times, status, statements = [], 0, 0
        for _ in range(options.repeat):
            counter[0] = 0
            t = time.perf_counter()
            response = clients[role].get(path)
            response.get_data()
            times.append((time.perf_counter() - t) * 1000)
            status, statements = response.status_code, counter[0]
        median = statistics.median(times)
        print(f"{label:44} {status:6} {median:10.1f} {statements:10} {1000 / median:12.1f}")
    with app.app_context():
        from app.needs import services as needs

        counter[0] = 0
        t = time.perf_counter()
        summary = needs.recompute(first, time.localtime().tm_year)
        print(
            f"{'needs recompute, one instansi (job)':44} {'-':>6} {(time.perf_counter() - t) * 1000:10.0f} {counter[0]:10} "
            f"{'':12} ({summary.employees} employees)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
