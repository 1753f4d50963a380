"""Development plan benchmark (issue 10): drafting, the plan page, the PDF, and export memory.

    .venv/bin/python bench/plan_bench.py                                   # SQLite
    .venv/bin/python bench/plan_bench.py --database-url postgresql://postgres@127.0.0.1/bangkom_plan
    .venv/bin/python bench/plan_bench.py --needs 30000 --items 1000 --export-items 5000

A generated instansi (40 OPDs × 2 units, 10,000 employees, the competency dictionary, 40
catalogue programs with events, a budget line per OPD) gets `--needs` accepted needs (three per
employee). Measured in one run:

- drafting (`draft_plan`, the refresh then again) from 1/10 of the needs and from all of them:
  seconds and SQL statements (equal at both sizes), with the ratio to the bare read of the
  accepted needs (one SELECT of every row) in the same run. Target ≤ 10 s.
- the plan page with `--items` items and with a tenth of them: median of 15 GETs and
  statements (equal), as a ratio to GET /ping. Target ≤ 300 ms median.
- the PDF of the `--items`-item plan (target ≤ 20 s), and the ratio to rendering the same
  HTML with one WeasyPrint call without the portal (the floor).
- PDF, DOCX and XLSX of an `--export-items`-item plan, each in a child process: peak RSS and
  its growth over the process before the export (target: the export itself < 200 MiB).

Exit code 1 when a target is missed. WARNING: with --database-url every table of that
database is dropped and recreated.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DRAFT_S, PAGE_MS, PDF_S, EXPORT_MIB = 10.0, 300.0, 20.0, 200.0
YEAR = 2031
FORMS = ("classical", "classical", "e_learning", "coaching", "technical_guidance")


def make_app(url: str):  # type: ignore[no-untyped-def]
    os.environ.setdefault("BANGKOM_INSTANCE_DIR", tempfile.mkdtemp(prefix="bangkom-plan-"))
    from app import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url.replace("postgresql://", "postgresql+psycopg://", 1),
            "SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
            "REDIS_URL": "",
            "SERVER_NAME": "localhost",
            "PASSWORD_TIME_COST": 1,
            "PASSWORD_MEMORY_COST": 1024,
            "PASSWORD_PARALLELISM": 1,
        }
    )


class Counter:
    def __init__(self) -> None:
        from app.extensions import db

        self.engine, self.count = db.engine, 0

    def __enter__(self) -> Counter:
        from sqlalchemy import event

        event.listen(self.engine, "before_cursor_execute", self._hit)
        return self

    def _hit(self, *args: object) -> None:
        self.count += 1

    def __exit__(self, *args: object) -> None:
        from sqlalchemy import event

        event.remove(self.engine, "before_cursor_execute", self._hit)


def build(needs: int, code: str) -> int:
    """An instansi with employees, dictionary, catalogue, budget lines and accepted needs."""
    from sqlalchemy import insert, select

    from app.extensions import db
    from app.needs.models import Competency, DevelopmentNeed
    from app.needs.services import seed_dictionary
    from app.org.models import Employee
    from tests.factories import make_instansi, make_unit
    from tests.unit.training.factories import make_budget, make_event, make_program

    rng = random.Random(7)
    instansi = make_instansi(code, f"Kota {code}")
    units = []
    for n in range(40):
        opd = make_unit(instansi, f"Dinas {n:02d}")
        make_budget(opd, 2_000_000_000, YEAR)
        units += [opd.id, make_unit(instansi, f"Bidang {n:02d}.1", opd).id]
    seed_dictionary(instansi.id)
    codes = list(
        db.session.scalars(select(Competency.code).where(Competency.instansi_id == instansi.id))
    )
    for n in range(40):
        program = make_program(
            instansi, f"P-{code}-{n}", cost=rng.randrange(5, 40) * 100_000,
            competencies=((codes[n % len(codes)], 3),),
        )  # fmt: skip
        make_event(program, start=date(YEAR, 1 + n % 12, 5))
    employees = max(needs // 3, 1)
    prefix = f"{abs(hash(code)) % 10**6:06d}"
    db.session.execute(
        insert(Employee),
        [
            {
                "instansi_id": instansi.id, "nip": f"{prefix}{i:012d}"[:18], "name": f"Pegawai {i}",
                "gender": "L", "birth_date": date(1985, 1, 1), "status": "pns",
                "org_unit_id": units[i % len(units)], "active": True,
            }
            for i in range(employees)
        ],
    )  # fmt: skip
    ids = list(db.session.scalars(select(Employee.id).where(Employee.instansi_id == instansi.id)))
    rows = []
    for i in range(needs):
        employee = ids[i // 3 % len(ids)]
        rows.append(
            {
                "instansi_id": instansi.id, "cycle_year": YEAR, "employee_id": employee,
                "competency_code": codes[(i * 7 + i // 3) % len(codes)],
                "gap": 1.0 + (i % 3) / 2, "priority": float(i % 20), "status": "accepted",
                "suggested_form": FORMS[i % len(FORMS)], "note": "",
            }
        )  # fmt: skip
    db.session.execute(insert(DevelopmentNeed), rows)
    db.session.commit()
    return instansi.id


def bare_read(instansi_id: int) -> float:
    from sqlalchemy import select

    from app.extensions import db
    from app.needs.models import DevelopmentNeed

    started = time.perf_counter()
    list(
        db.session.execute(
            select(DevelopmentNeed).where(DevelopmentNeed.instansi_id == instansi_id)
        )
    )
    db.session.expunge_all()
    return time.perf_counter() - started


def draft(instansi_id: int) -> tuple[float, int, float, int, int]:
    from app.planning import services
    from app.planning.audit import SYSTEM

    with Counter() as first:
        started = time.perf_counter()
        result = services.draft_plan(instansi_id, YEAR, SYSTEM)
        took = time.perf_counter() - started
    with Counter() as again:
        started = time.perf_counter()
        services.draft_plan(instansi_id, YEAR, SYSTEM)
        refresh = time.perf_counter() - started
    return took, first.count, refresh, again.count, result.items


def big_plan(instansi_id: int, items: int, year: int) -> int:
    """A plan of `items` complete items (bulk), two targets each; returns the revision id."""
    from sqlalchemy import insert, select

    from app.extensions import db
    from app.needs.models import Competency
    from app.org.models import Employee
    from app.planning import services
    from app.planning.audit import SYSTEM
    from app.planning.drafting import recount
    from app.planning.models import BudgetLine, PlanItem, PlanTarget, Provider, Revision

    result = services.draft_plan(instansi_id, year, SYSTEM)
    revision = db.session.get(Revision, result.revision_id)
    codes = list(
        db.session.scalars(select(Competency.code).where(Competency.instansi_id == instansi_id))
    )
    provider = db.session.scalar(select(Provider.id).where(Provider.instansi_id == instansi_id))
    line = BudgetLine(revision_id=revision.id, key="bench", name="Pengembangan kompetensi",
                      source="apbd", amount=10**12)  # fmt: skip
    db.session.add(line)
    db.session.flush()
    db.session.execute(
        insert(PlanItem),
        [
            {
                "revision_id": revision.id, "key": f"bench:{n}", "origin": "manual",
                "status": "active", "title": f"Pelatihan teknis pengelolaan nomor {n}",
                "competency_code": codes[n % len(codes)], "form": "classical",
                "path": "classical", "provider_id": provider, "schedule_month": 1 + n % 12,
                "curriculum_conform": True, "jp": 24, "unit_cost": 1_500_000,
                "budget_line_id": line.id, "version": 1, "edited": "", "note": "",
                "curriculum_note": "", "status_reason": "", "updated_by_name": "bench",
            }
            for n in range(items)
        ],
    )  # fmt: skip
    people = list(db.session.execute(
        select(Employee.id, Employee.org_unit_id).where(Employee.instansi_id == instansi_id).limit(400)
    ))  # fmt: skip
    item_ids = list(
        db.session.scalars(select(PlanItem.id).where(PlanItem.revision_id == revision.id))
    )
    db.session.execute(
        insert(PlanTarget),
        [
            {"item_id": item_id, "employee_id": people[(k + j) % len(people)][0],
             "org_unit_id": people[(k + j) % len(people)][1], "headcount": 1}
            for k, item_id in enumerate(item_ids) for j in range(2)
        ],
    )  # fmt: skip
    recount(revision.id)
    db.session.commit()
    return revision.id


def plan_page(app, revision_id: int, runs: int = 15) -> tuple[float, int, float]:  # type: ignore[no-untyped-def]
    from app.accounts.models import Role
    from app.extensions import db
    from app.planning.models import Revision
    from tests.factories import make_user

    with app.app_context():
        revision = db.session.get(Revision, revision_id)
        plan_id, instansi_id = revision.plan_id, revision.plan.instansi_id
        email = f"hr{instansi_id}@bench.example"
        from sqlalchemy import select

        from app.accounts.models import User

        if db.session.scalar(select(User.id).where(User.email == email)) is None:
            make_user(email, roles=((Role.HR_ADMIN, instansi_id),))
            db.session.commit()
    client = app.test_client()
    client.post("/login", data={"login": email, "password": "correct horse battery"})

    def median(path: str) -> float:
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        return statistics.median(times)

    ping = median("/ping")
    page = median(f"/planning/{plan_id}")
    with app.app_context():
        with Counter() as counter:
            client.get(f"/planning/{plan_id}")
    return page, counter.count, ping


def pdf_time(app, revision_id: int) -> tuple[float, float, int]:  # type: ignore[no-untyped-def]
    from flask import render_template

    from app.extensions import db
    from app.planning import documents, publishing
    from app.planning.models import Revision
    from app.web import pdf

    with app.test_request_context("/"):
        data = documents.document_data(db.session.get(Revision, revision_id))
        started = time.perf_counter()
        content = publishing.render(data, "pdf")
        took = time.perf_counter() - started
        html = render_template("planning/pdf/items.html", doc=data, rows=data.items,
                               first_page=1, orientation="landscape", first_part=True)  # fmt: skip
        started = time.perf_counter()
        pdf.html_to_pdf(html)  # the floor: the same rows laid out in one WeasyPrint call
        floor = time.perf_counter() - started
    return took, floor, len(content)


def high_water_mib() -> float:
    """Peak resident memory of this process (VmHWM: unlike ru_maxrss, not inherited at exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def export_child(url: str, revision_id: int, fmt: str) -> None:
    """Child process: one export, RSS before and peak (MiB)."""
    app = make_app(url)
    from app.extensions import db
    from app.planning import documents, publishing
    from app.planning.models import Revision

    with app.test_request_context("/"):
        import docx  # noqa: F401
        import pypdf  # noqa: F401
        import weasyprint  # noqa: F401

        before = high_water_mib()
        started = time.perf_counter()
        content = publishing.render(
            documents.document_data(db.session.get(Revision, revision_id)), fmt
        )
        took = time.perf_counter() - started
        peak = high_water_mib()
    print(f"{before:.0f} {peak:.0f} {took:.1f} {len(content)}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    parser.add_argument("--needs", type=int, default=30_000)
    parser.add_argument("--items", type=int, default=1_000)
    parser.add_argument("--export-items", type=int, default=5_000)
    parser.add_argument("--export-child", nargs=3, metavar=("URL", "REVISION", "FMT"))
    args = parser.parse_args()
    import logging

    logging.getLogger("bangkom").setLevel(logging.WARNING)  # no request log lines
    if args.export_child:
        export_child(args.export_child[0], int(args.export_child[1]), args.export_child[2])
        return 0
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='bangkom-plan-')}/bench.sqlite3"
    app = make_app(url)
    from app.extensions import db

    with app.app_context():
        db.drop_all()
        db.create_all()
    missed = []
    print(f"database: {url.split('@')[-1]}  load average: {os.getloadavg()[0]:.1f}")
    counts = {}
    for label, needs in (("small", max(args.needs // 10, 30)), ("full", args.needs)):
        with app.test_request_context("/"):
            instansi_id = build(needs, f"b{label}")
            bare = bare_read(instansi_id)
            took, statements, refresh, again, items = draft(instansi_id)
        counts[label] = (statements, again)
        print(f"draft {needs:>6} needs → {items} items: {took:.2f} s ({statements} statements), "
              f"refresh {refresh:.2f} s ({again}); bare read {bare:.2f} s, ratio {took / bare:.1f}×")  # fmt: skip
        if label == "full" and took > DRAFT_S:
            missed.append(f"drafting {took:.1f} s > {DRAFT_S} s")
        if label == "full":
            full_instansi = instansi_id
    if counts["small"] != counts["full"]:
        missed.append(f"drafting statements differ: {counts}")
    page_counts = []
    revisions = {}
    for n, year in ((max(args.items // 10, 1), YEAR + 1), (args.items, YEAR + 2)):
        with app.test_request_context("/"):
            revisions[n] = big_plan(full_instansi, n, year)
        median, statements, ping = plan_page(app, revisions[n])
        page_counts.append(statements)
        print(f"plan page {n:>5} items: median {median:.0f} ms ({statements} statements), "
              f"/ping {ping:.1f} ms, ratio {median / ping:.0f}×")  # fmt: skip
        if n == args.items and median > PAGE_MS:
            missed.append(f"plan page {median:.0f} ms > {PAGE_MS} ms")
    if len(set(page_counts)) != 1:
        missed.append(f"plan page statements differ: {page_counts}")
    took, floor, size = pdf_time(app, revisions[args.items])
    print(f"PDF {args.items} items: {took:.1f} s ({size // 1024} KiB); one bare WeasyPrint call "
          f"on the item table {floor:.1f} s, ratio {took / floor:.2f}×")  # fmt: skip
    if took > PDF_S:
        missed.append(f"PDF {took:.1f} s > {PDF_S} s")
    with app.test_request_context("/"):
        export_revision = big_plan(full_instansi, args.export_items, YEAR + 3)
    for fmt in ("xlsx", "docx", "pdf"):
        out = subprocess.run(
            [sys.executable, __file__, "--export-child", url, str(export_revision), fmt],
            capture_output=True, text=True, check=True,
        ).stdout.split()  # fmt: skip
        before, peak, seconds, size = float(out[0]), float(out[1]), out[2], int(out[3])
        grown = peak - before
        print(f"{fmt} of {args.export_items} items: {seconds} s, {size // 1024} KiB, peak RSS "
              f"{peak:.0f} MiB = {before:.0f} MiB before the export + {grown:.0f} MiB")  # fmt: skip
        if grown > EXPORT_MIB:
            missed.append(f"{fmt} export grew {grown:.0f} MiB > {EXPORT_MIB} MiB")
    for line in missed:
        print("MISSED:", line)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
