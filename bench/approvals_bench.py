"""Approvals inbox and bulk approval under load (a measurement, not a test).

Builds an OPD with a head, a bidang head and 1,100 staff, then 1,000 nominations waiting at
the head-of-OPD step (inserted set-wise, with their steps and audit rows, as the workflow would
have written them). Then, in-process through the Flask test client (no network, so the figures
are the application's own time):

* renders the head's inbox repeatedly and reports the median and p95, and the number of SQL
  statements with 10 and with 1,000 pending nominations (it must not change);
* approves 100 checked nominations in one request (htmx bulk approval), three times.

    python bench/approvals_bench.py [--pending 1000] [--rounds 30] [--bulk 100]
    python bench/approvals_bench.py --database-url postgresql://postgres@127.0.0.1/bangkom_bench

A --database-url is emptied and rebuilt: never point it at a database you want to keep.
Targets (issue 5): inbox median <= 200 ms with a constant statement count; bulk <= 2 s.
"""

from __future__ import annotations

import argparse
import os
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

from sqlalchemy import event, insert, select  # noqa: E402

from app import create_app  # noqa: E402
from app.accounts.services import create_user  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import utcnow  # noqa: E402
from app.org.hierarchy import unit_path  # noqa: E402
from app.org.models import (  # noqa: E402
    Employee,
    EmployeeStatus,
    Instansi,
    InstansiKind,
    Jenjang,
    OrgUnit,
    Position,
    PositionType,
    UnitKind,
)
from app.org.nip import make_nip  # noqa: E402
from app.training.models import (  # noqa: E402
    ActionKind,
    BudgetLine,
    Capacity,
    Nomination,
    NominationAction,
    NominationOrigin,
    NominationState,
    NominationStep,
    ProgramCompetency,
    ProviderKind,
    StepKind,
    StepStatus,
    TrainingEvent,
    TrainingForm,
    TrainingPath,
    TrainingProgram,
)

PASSWORD = "bench password 2026"
HEAD_EMAIL = "kepala@bench.example"
PARTIAL = {"HX-Request": "true", "HX-Request-Type": "partial"}


def build_org(staff: int) -> dict[str, int]:
    """One instansi, an OPD with its head, a bidang with its head, and `staff` employees."""
    instansi = Instansi(code="bench", name="Kota Bench", kind=InstansiKind.KOTA, ppk_title="Wali")
    db.session.add(instansi)
    db.session.flush()
    opd = OrgUnit(instansi_id=instansi.id, name="Dinas Kesehatan", kind=UnitKind.DINAS, depth=0)
    db.session.add(opd)
    db.session.flush()
    opd.path = unit_path(None, opd.id)
    bidang = OrgUnit(
        instansi_id=instansi.id, parent_id=opd.id, name="Bidang Pelayanan", kind=UnitKind.BIDANG
    )
    bidang.depth = 1
    db.session.add(bidang)
    db.session.flush()
    bidang.path = unit_path(opd, bidang.id)
    head_pos = Position(
        instansi_id=instansi.id,
        org_unit_id=opd.id,
        name="Kepala Dinas",
        position_type=PositionType.JPT,
        jenjang=Jenjang.PRATAMA,
        heads_unit_id=opd.id,
    )
    kabid_pos = Position(
        instansi_id=instansi.id,
        org_unit_id=bidang.id,
        name="Kepala Bidang",
        position_type=PositionType.ADMINISTRATOR,
        heads_unit_id=bidang.id,
    )
    staff_pos = Position(
        instansi_id=instansi.id,
        org_unit_id=bidang.id,
        name="Pengelola Layanan",
        position_type=PositionType.PELAKSANA,
    )
    db.session.add_all([head_pos, kabid_pos, staff_pos])
    db.session.flush()
    rows = []
    for n in range(staff + 2):
        position = head_pos if n == 0 else kabid_pos if n == 1 else staff_pos
        rows.append(
            {
                "instansi_id": instansi.id,
                "nip": make_nip(
                    date(1985, 6, 15), 2010 + n // 999 % 10, 1 + n % 12, "L", 1 + n % 999
                ),
                "name": f"Pegawai {n:05d}",
                "gender": "L",
                "birth_date": date(1985, 6, 15),
                "golongan": "III/a",
                "status": EmployeeStatus.PNS,
                "position_id": position.id,
                "org_unit_id": position.org_unit_id,
                "active": True,
            }
        )
    db.session.execute(insert(Employee), rows)
    head = db.session.scalar(select(Employee).where(Employee.position_id == head_pos.id))
    kabid = db.session.scalar(select(Employee).where(Employee.position_id == kabid_pos.id))
    create_user(HEAD_EMAIL, head.name, PASSWORD, employee=head, instansi_id=instansi.id)
    program = TrainingProgram(
        instansi_id=instansi.id,
        code="BIMTEK",
        title="Bimbingan Teknis Pelayanan Prima",
        path=TrainingPath.CLASSICAL,
        form=TrainingForm.TECHNICAL_GUIDANCE,
        jp=24,
        provider_kind=ProviderKind.BPSDM,
        provider_name="BPSDM",
        cost_per_participant=2_500_000,
        competencies=[ProgramCompetency(competency_code="M.05", target_level=3)],
    )
    db.session.add(program)
    db.session.flush()
    start = date.today() + timedelta(days=40)
    events = []
    for n in range(4):
        item = TrainingEvent(
            program_id=program.id,
            batch_code=f"Angkatan {n + 1}",
            start_date=start + timedelta(days=7 * n),
            end_date=start + timedelta(days=7 * n + 2),
            location="Aula",
            quota=5000,
            seats_taken=0,
        )
        db.session.add(item)
        events.append(item)
    db.session.add(
        BudgetLine(
            instansi_id=instansi.id,
            org_unit_id=opd.id,
            year=start.year,
            name="Pagu",
            amount=10**13,
            committed=0,
        )
    )
    db.session.commit()
    staff_ids = list(
        db.session.scalars(
            select(Employee.id).where(Employee.position_id == staff_pos.id).order_by(Employee.id)
        )
    )
    return {
        "instansi": instansi.id,
        "head_pos": head_pos.id,
        "kabid_pos": kabid_pos.id,
        "kabid": kabid.id,
        "head": head.id,
        "events": [e.id for e in events],  # type: ignore[dict-item]
        "staff": staff_ids,  # type: ignore[dict-item]
    }


def add_pending(org: dict, employees: list[int]) -> None:  # type: ignore[type-arg]
    """Nominations already approved by the kabid, waiting at the head's step (set-wise)."""
    now = utcnow()
    events = org["events"]
    rows = [
        {
            "instansi_id": org["instansi"],
            "event_id": events[i % len(events)],
            "employee_id": employee_id,
            "origin": NominationOrigin.SUPERVISOR,
            "justification": "Pelayanan prima sesuai standar pelayanan minimal.",
            "nominated_by_employee_id": org["kabid"],
            "state": NominationState.PENDING,
            "round": 1,
            "current_step_no": 2,
            "version": 2,
            "cost": 2_500_000,
            "submitted_at": now - timedelta(days=i % 9 + 1),
            "created_at": now,
            "updated_at": now,
        }
        for i, employee_id in enumerate(employees)
    ]
    db.session.execute(insert(Nomination), rows)
    ids = list(
        db.session.scalars(
            select(Nomination.id)
            .where(Nomination.employee_id.in_(employees))
            .order_by(Nomination.id)
        )
    )
    steps, actions = [], []
    for i, nomination_id in enumerate(ids):
        opened = now - timedelta(days=i % 9)
        steps += [
            {
                "nomination_id": nomination_id,
                "round": 1,
                "step_no": 1,
                "kind": StepKind.SUPERVISOR,
                "status": StepStatus.APPROVED,
                "approver_position_id": org["kabid_pos"],
                "approver_employee_id": org["kabid"],
                "opened_at": opened,
                "decided_at": opened,
            },
            {
                "nomination_id": nomination_id,
                "round": 1,
                "step_no": 2,
                "kind": StepKind.OPD_HEAD,
                "status": StepStatus.PENDING,
                "approver_position_id": org["head_pos"],
                "approver_employee_id": org["head"],
                "opened_at": opened,
                "decided_at": None,
            },
            {
                "nomination_id": nomination_id,
                "round": 1,
                "step_no": 3,
                "kind": StepKind.HR,
                "status": StepStatus.WAITING,
                "approver_position_id": None,
                "approver_employee_id": None,
                "opened_at": None,
                "decided_at": None,
            },
        ]
        common = {
            "nomination_id": nomination_id,
            "round": 1,
            "actor_employee_id": org["kabid"],
            "actor_name": "Kepala Bidang",
            "comment": "",
            "at": opened,
        }
        actions += [
            {
                **common,
                "step_no": None,
                "action": ActionKind.SUBMIT,
                "from_state": None,
                "to_state": NominationState.PENDING,
                "capacity": Capacity.NOMINATOR,
                "position_name": "",
                "on_behalf_of_position_id": None,
            },
            {
                **common,
                "step_no": 1,
                "action": ActionKind.APPROVE,
                "from_state": NominationState.PENDING,
                "to_state": NominationState.PENDING,
                "capacity": Capacity.DEFINITIVE,
                "position_name": "Kepala Bidang",
                "on_behalf_of_position_id": org["kabid_pos"],
            },
        ]
    db.session.execute(insert(NominationStep), steps)
    db.session.connection().execute(insert(NominationAction.__table__), actions)
    db.session.commit()


def login(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    response = client.post(
        "/login", data={"login": HEAD_EMAIL, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 303, response.status_code


class Counter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, *args: object) -> None:
        self.count += 1


def measure_inbox(app, client, rounds: int) -> tuple[list[float], int]:  # type: ignore[no-untyped-def]
    with app.app_context():
        engine = db.engine
    counter = Counter()
    event.listen(engine, "before_cursor_execute", counter)
    try:
        timings = []
        statements = 0
        for n in range(rounds):
            counter.count = 0
            started = time.perf_counter()
            response = client.get("/training/inbox")
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
            statements = counter.count if n == 0 else statements
    finally:
        event.remove(engine, "before_cursor_execute", counter)
    return timings, statements


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pending", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--bulk", type=int, default=100)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
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
        org = build_org(args.pending + args.bulk * 3 + 10)
        staff = org["staff"]
        add_pending(org, staff[:10])
        db.session.remove()
    client = app.test_client()
    login(client)
    _, statements_small = measure_inbox(app, client, 3)
    with app.app_context():
        add_pending(org, staff[10 : args.pending])
        db.session.remove()
    measure_inbox(app, client, 3)  # warm up
    timings, statements_large = measure_inbox(app, client, args.rounds)
    median = statistics.median(timings)
    p95 = statistics.quantiles(timings, n=20)[-1] if len(timings) >= 20 else max(timings)
    print(f"database: {url.split('://')[0]}")
    print(
        f"inbox, {args.pending} pending: median {median:.1f} ms, p95 {p95:.1f} ms "
        f"over {args.rounds} requests"
    )
    print(
        f"inbox SQL statements: {statements_small} with 10 pending, "
        f"{statements_large} with {args.pending} pending"
    )
    bulk_times = []
    for round_no in range(3):
        with app.app_context():
            rows = db.session.execute(
                select(Nomination.id, Nomination.version)
                .where(Nomination.state == NominationState.PENDING, Nomination.current_step_no == 2)
                .order_by(Nomination.id)
                .limit(args.bulk)
            ).all()
            db.session.remove()
        html = client.get("/training/inbox").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
        started = time.perf_counter()
        response = client.post(
            "/training/inbox/approve",
            data={"csrf_token": token, "items": [f"{i}:{v}" for i, v in rows]},
            headers=PARTIAL,
        )
        elapsed = time.perf_counter() - started
        body = response.get_data(as_text=True)
        assert response.status_code == 200 and f"{len(rows)} usulan disetujui" in body, body[:400]
        bulk_times.append(elapsed)
        print(f"bulk approval round {round_no + 1}: {len(rows)} nominations in {elapsed:.2f} s")
    ok = median <= 200 and statements_small == statements_large and max(bulk_times) <= 2
    print(
        f"targets (median <= 200 ms, constant statements, bulk <= 2 s): "
        f"{'met' if ok else 'NOT met'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
