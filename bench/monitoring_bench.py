"""Monitoring benchmark: the HR cockpit and the employee home page on the demo, in-process.

    .venv/bin/python bench/monitoring_bench.py                      # 1,000 and 10,000 employees
    .venv/bin/python bench/monitoring_bench.py --sizes 1000 --runs 20
    .venv/bin/python bench/monitoring_bench.py --database-url postgresql://postgres@127.0.0.1/bangkom_bench

For each size, a fresh database gets `flask demo seed --employees N` (a cycle year of surveys,
needs, nominations, JP and mentoring), then the Flask test client times GET /ping, the HR
cockpit (/monitoring/) and the employee home page (/) and counts their SQL statements.
Targets (issue 13): cockpit ≤ 250 ms median and employee home ≤ 50 ms median, statements equal
at both sizes. Prints medians and ratios to /ping; exit code 1 when a target is missed.
WARNING: with --database-url every table of that database is dropped and recreated.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COCKPIT_MS = 250
HOME_MS = 50
PAGES = {
    "ping": ("/ping", None),
    "cockpit": ("/monitoring/", "bkpsdm@bangkom.example"),
    "employee home": ("/", "pegawai@bangkom.example"),
}


def build(size: int, url: str | None):  # type: ignore[no-untyped-def]
    os.environ.setdefault("BANGKOM_INSTANCE_DIR", tempfile.mkdtemp(prefix="bangkom-bench-"))
    from app import create_app
    from app.demo.seed import seed_demo
    from app.extensions import db

    database = url or f"sqlite:///{tempfile.mkdtemp(prefix='bangkom-mon-')}/bench.sqlite3"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database.replace(
                "postgresql://", "postgresql+psycopg://", 1
            ),
            "SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
            "REDIS_URL": "",
            "SERVER_NAME": "localhost",
        }
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
        started = time.perf_counter()
        seed_demo(total_employees=size)
        print(f"  seeded {size} employees in {time.perf_counter() - started:.1f} s", flush=True)
    return app


def _collector(statements: list[str]):  # type: ignore[no-untyped-def]
    def on_execute(_conn, _cursor, statement, *_args):  # type: ignore[no-untyped-def]
        statements.append(statement)

    return on_execute


def measure(app, runs: int) -> dict[str, tuple[float, int]]:  # type: ignore[no-untyped-def]
    """Median ms and statements per page."""
    from sqlalchemy import event

    from app.demo.seed import DEMO_PASSWORD
    from app.extensions import db

    results = {}
    for name, (path, email) in PAGES.items():
        client = app.test_client()
        if email:
            reply = client.post("/login", data={"login": email, "password": DEMO_PASSWORD})
            assert reply.status_code in (302, 303), (email, reply.status_code)
        assert client.get(path).status_code == 200, path  # warm up caches and templates
        with app.app_context():
            engine = db.engine
        statements: list[str] = []
        listener = _collector(statements)
        event.listen(engine, "before_cursor_execute", listener)
        client.get(path)
        event.remove(engine, "before_cursor_execute", listener)
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        results[name] = (statistics.median(timings), len(statements))
    return results


def main() -> int:
    logging.disable(logging.INFO)  # the per-request log lines would drown the figures
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    ok = True
    statements: dict[str, set[int]] = {}
    for size in args.sizes:
        print(f"== {size} employees ({'PostgreSQL' if args.database_url else 'SQLite'})")
        results = measure(build(size, args.database_url), args.runs)
        ping = results["ping"][0]
        for name, (ms, count) in results.items():
            print(
                f"  {name:14s} {ms:8.1f} ms median  ×{ms / ping:7.1f} of /ping  {count:3d} statements"
            )
            statements.setdefault(name, set()).add(count)
        ok &= results["cockpit"][0] <= COCKPIT_MS and results["employee home"][0] <= HOME_MS
    for name, counts in statements.items():
        constant = len(counts) == 1
        print(f"  {name}: statements {'constant' if constant else 'VARY'} ({sorted(counts)})")
        ok &= constant
    print("targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
