"""Needs-analysis recompute benchmark: time, peak memory and statement count at two sizes.

    .venv/bin/python bench/needs_bench.py                       # SQLite and PostgreSQL
    .venv/bin/python bench/needs_bench.py --db sqlite --employees 5000
    NEEDS_BENCH_PG=postgresql://postgres@127.0.0.1:5432/bangkom_needs .venv/bin/python bench/needs_bench.py

For each database and size (default 500 and 5,000 employees × 40 competencies × 5 raters:
self, supervisor and three peers, i.e. 100,000 and 1,000,000 answers, plus stakeholder input),
one subprocess loads the data and a fresh subprocess runs the full recompute, so the peak
resident memory (getrusage) and the Python allocation peak (tracemalloc) belong to the
recompute alone. Targets (issue 4): ≤ 10 s and ≤ 300 MiB at 5,000 employees; the same number
of statements at both sizes; 10× the data in ≤ 11× the time. Exit code 1 if a target is missed.
WARNING: the PostgreSQL run drops and recreates every table of the database it is given.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/bangkom_needs"
YEAR = 2026
OPDS = 10
BIDANG_PER_OPD = 4
PEERS = 3
STAKEHOLDERS_PER_OPD = 20


def competency_codes(n: int) -> list[str]:
    """The nine core codes first, then technical ones up to n."""
    from app.needs.dictionary import CORE_COMPETENCIES

    codes = list(CORE_COMPETENCIES)[:n]
    codes += [f"T.BEN.{i:02d}" for i in range(1, n - len(codes) + 1)]
    return codes


def definitions_yaml(codes: list[str]) -> dict[str, str]:
    """Self-assessment, 360° rating and stakeholder consultation over `codes`."""
    import yaml

    scale = {"lv": {"min": 1, "max": 5}}
    items = [
        {"id": f"k{i:02d}", "type": "rating", "scale": "lv", "competency": code, "label": code}
        for i, code in enumerate(codes, 1)
    ]
    item_ids = [item["id"] for item in items]
    bands = [
        {"rule": "gap", "min": 2, "label": {"id": "Tinggi", "en": "High"}},
        {"rule": "gap", "min": 1, "max": 2, "label": {"id": "Sedang", "en": "Medium"}},
        {"rule": "gap", "min": -4, "max": 1, "label": {"id": "Memenuhi", "en": "Meets"}},
    ]

    def base(definition_id: str, kind: str, raters: list[str], min_group: int) -> dict:
        return {
            "id": definition_id,
            "version": 1,
            "title": definition_id,
            "languages": ["id"],
            "default_language": "id",
            "kind": kind,
            "raters": raters,
            "min_group_size": min_group,
            "scales": scale,
        }

    self_def = base("bench_diri", "self_assessment", ["self"], 1)
    self_def["pages"] = [{"id": "p", "title": "P", "items": items}]
    self_def["scoring"] = {"rules": [{"id": "gap", "method": "regulatory_gap", "items": item_ids}]}
    rating = base("bench_360", "rating_360", ["supervisor", "peer"], 3)
    rating["pages"] = [{"id": "p", "title": "P", "items": items}]
    rating["scoring"] = {
        "external_raters": {"self": "bench_diri"},
        "rater_weights": {"self": 0.2, "supervisor": 0.5, "peer": 0.3},
        "rules": [{"id": "gap", "method": "regulatory_gap", "items": item_ids}],
        "bands": bands,
    }
    stake = base("bench_pemangku", "stakeholder", ["stakeholder"], 5)
    stake["pages"] = [
        {
            "id": "p",
            "title": "P",
            "items": [
                {
                    "id": "grid",
                    "type": "matrix",
                    "label": "Kepentingan",
                    "rows": [
                        {"id": f"k{i:02d}", "label": c, "competency": c}
                        for i, c in enumerate(codes, 1)
                    ],
                    "columns": [{"id": "imp", "label": "Penting", "scale": "lv"}],
                }
            ],
        }
    ]
    stake["scoring"] = {
        "rules": [
            {
                "id": "imp",
                "method": "mean",
                "over": "grid",
                "column": "imp",
                "group_by": "competency",
            }
        ]
    }
    return {
        d["id"]: yaml.safe_dump(d, sort_keys=False, allow_unicode=True)
        for d in (self_def, rating, stake)
    }


def make_app(url: str, surveys_dir: str):  # type: ignore[no-untyped-def]
    os.environ.setdefault("BANGKOM_INSTANCE_DIR", tempfile.mkdtemp(prefix="needs-bench-"))
    from app import create_app

    if url.startswith("postgresql://"):
        url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    return create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "SURVEYS_DIR": surveys_dir}
    )


def load(url: str, surveys_dir: str, employees: int, competencies: int) -> dict[str, object]:
    """Fresh schema and data: org tree, dictionary, standards, answers (bulk inserts)."""
    from datetime import date

    from sqlalchemy import insert

    from app.extensions import db
    from app.needs import services
    from app.needs.sample import CampaignSpec, ResponseSpec, add_campaign, add_responses
    from app.org.models import Employee, Instansi, OrgUnit, Position
    from app.surveys.models import Audience

    codes = competency_codes(competencies)
    for name, text in definitions_yaml(codes).items():
        Path(surveys_dir, f"{name}.yaml").write_text(text, encoding="utf-8")
    app = make_app(url, surveys_dir)
    rng = random.Random(4)
    started = time.perf_counter()
    with app.app_context():
        db.drop_all()
        db.create_all()
        instansi = Instansi(code="bench", name="Kabupaten Bench", kind="kabupaten")
        db.session.add(instansi)
        db.session.flush()
        units: list[OrgUnit] = []
        positions: list[Position] = []
        for o in range(OPDS):
            opd = OrgUnit(instansi_id=instansi.id, name=f"Dinas {o}", kind="dinas", depth=0)
            db.session.add(opd)
            db.session.flush()
            opd.path = f"/{opd.id}/"
            units.append(opd)
            for b in range(BIDANG_PER_OPD):
                bidang = OrgUnit(
                    instansi_id=instansi.id,
                    parent_id=opd.id,
                    name=f"Bidang {o}.{b}",
                    kind="bidang",
                    depth=1,
                )
                db.session.add(bidang)
                db.session.flush()
                bidang.path = f"{opd.path}{bidang.id}/"
                units.append(bidang)
        for unit in units:
            for kind, jenjang in (
                ("pelaksana", None),
                ("fungsional", "ahli_pertama"),
                ("fungsional", "ahli_muda"),
                ("pengawas", None),
            ):
                position = Position(
                    instansi_id=instansi.id,
                    org_unit_id=unit.id,
                    name=f"{kind} {unit.id}",
                    position_type=kind,
                    jenjang=jenjang,
                )
                db.session.add(position)
                positions.append(position)
        db.session.flush()
        services.seed_dictionary(
            instansi.id,
            [
                {
                    "code": code,
                    "name_id": code,
                    "name_en": code,
                    "definition_id": "",
                    "definition_en": "",
                    "levels": [(f"L{n}", f"L{n}") for n in range(1, 6)],
                }
                for code in codes
                if code.startswith("T.")
            ],
        )
        services.seed_defaults(instansi.id, date(YEAR - 5, 1, 1))
        from app.needs.models import Competency, PositionStandard

        technical = [
            c.id
            for c in db.session.query(Competency).filter(
                Competency.instansi_id == instansi.id, Competency.kind == "teknis"
            )
        ]
        db.session.execute(
            insert(PositionStandard.__table__),
            [
                {
                    "position_id": p.id,
                    "competency_id": cid,
                    "required_level": rng.randint(1, 4),
                    "valid_from": date(YEAR - 3, 1, 1),
                    "valid_to": None,
                }
                for p in positions
                for cid in technical
            ],
        )
        rows = []
        for n in range(employees):
            position = positions[n % len(positions)]
            rows.append(
                {
                    "instansi_id": instansi.id,
                    "nip": f"{198001010000000000 + n}",
                    "name": f"Pegawai {n:05d}",
                    "gender": "L",
                    "birth_date": date(1980, 1, 1),
                    "golongan": "III/a",
                    "status": "PNS",
                    "position_id": position.id,
                    "org_unit_id": position.org_unit_id,
                    "active": True,
                    "created_at": date(2020, 1, 1),
                    "updated_at": date(2020, 1, 1),
                }
            )
        ids = (
            db.session.execute(
                insert(Employee.__table__).returning(
                    Employee.__table__.c.id, sort_by_parameter_order=True
                ),
                rows,
            )
            .scalars()
            .all()
        )
        unit_of = {ids[i]: rows[i]["org_unit_id"] for i in range(len(ids))}
        fields = [f"k{i:02d}" for i in range(1, len(codes) + 1)]

        def ratings(role: str, bias: float) -> object:
            for employee_id in ids:
                raters = PEERS if role == "peer" else 1
                for _ in range(raters):
                    yield ResponseSpec(
                        role,
                        {f: min(5, max(1, round(rng.gauss(3 + bias, 1)))) for f in fields},
                        subject_employee_id=employee_id,
                        respondent_employee_id=employee_id if role == "self" else None,
                        org_unit_id=unit_of[employee_id],
                    )

        self_campaign = add_campaign(
            CampaignSpec(instansi.id, "bench_diri", 1, Audience.SELF, YEAR)
        )
        rating_campaign = add_campaign(
            CampaignSpec(instansi.id, "bench_360", 1, Audience.SUPERVISOR, YEAR)
        )
        stake_campaign = add_campaign(
            CampaignSpec(instansi.id, "bench_pemangku", 1, Audience.STAKEHOLDER, YEAR)
        )
        answers = 0
        answers += len(fields) * add_responses(self_campaign, "bench_diri", 1, ratings("self", 0.4))
        for role in ("supervisor", "peer"):
            answers += len(fields) * add_responses(
                rating_campaign, "bench_360", 1, ratings(role, 0.0)
            )
        stakeholders = (
            ResponseSpec(
                "stakeholder",
                {f"grid.{f}.imp": rng.randint(2, 5) for f in fields},
                org_unit_id=units[o * (BIDANG_PER_OPD + 1)].id,
            )
            for o in range(OPDS)
            for _ in range(STAKEHOLDERS_PER_OPD)
        )
        answers += len(fields) * add_responses(stake_campaign, "bench_pemangku", 1, stakeholders)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect() as connection:
                connection.exec_driver_sql("ANALYZE")
                connection.commit()
        return {
            "instansi_id": instansi.id,
            "answers": answers,
            "load_s": time.perf_counter() - started,
        }


def run(url: str, surveys_dir: str, instansi_id: int, trace: bool) -> dict[str, object]:
    """One full recompute; reports wall time, peak RSS, tracemalloc peak and statements."""
    import tracemalloc

    app = make_app(url, surveys_dir)
    from app.needs import services

    with app.app_context():
        if trace:
            tracemalloc.start()
        started = time.perf_counter()
        summary = services.recompute(instansi_id, YEAR)
        seconds = time.perf_counter() - started
        peak_python = tracemalloc.get_traced_memory()[1] if trace else 0
    rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "seconds": seconds,
        "rss_mib": rss_kib / 1024,
        "python_peak_mib": peak_python / 2**20,
        "statements": summary.statements,
        "gaps": summary.gaps,
        "needs": summary.needs,
        "employees": summary.employees,
    }


def child(mode: str, args: list[str]) -> dict[str, object]:
    output = subprocess.run(
        [sys.executable, __file__, "--child", mode, *args], capture_output=True, text=True
    )
    if output.returncode != 0:
        sys.stderr.write(output.stderr)
        raise SystemExit(f"benchmark step '{mode}' failed")
    return json.loads(output.stdout.strip().splitlines()[-1])


def measure(url: str, employees: int, competencies: int) -> dict[str, object]:
    """Load, then time the first compute (every row new) and a recompute (nothing changed)."""
    surveys_dir = tempfile.mkdtemp(prefix="needs-bench-surveys-")
    loaded = child("load", [url, surveys_dir, str(employees), str(competencies)])
    args = [url, surveys_dir, str(loaded["instansi_id"])]
    first = child("run", [*args, "0"])
    again = child("run", [*args, "0"])
    traced = child("run", [*args, "1"])
    return {
        **loaded,
        **first,
        "again_seconds": again["seconds"],
        "again_statements": again["statements"],
        "rss_mib": max(first["rss_mib"], again["rss_mib"]),
        "python_peak_mib": traced["python_peak_mib"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--employees", type=int, default=5000)
    parser.add_argument("--small", type=int, default=0, help="smaller size (default: a tenth)")
    parser.add_argument("--competencies", type=int, default=40)
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        mode, *rest = args.child
        if mode == "load":
            result = load(rest[0], rest[1], int(rest[2]), int(rest[3]))
        else:
            result = run(rest[0], rest[1], int(rest[2]), rest[3] == "1")
        print(json.dumps(result))
        return 0
    targets = []
    if args.db in ("sqlite", "both"):
        folder = tempfile.mkdtemp(prefix="needs-bench-db-")
        targets.append(("SQLite", lambda size: f"sqlite:///{folder}/bench-{size}.sqlite3"))
    if args.db in ("postgresql", "both"):
        pg = os.environ.get("NEEDS_BENCH_PG", DEFAULT_PG)
        targets.append(("PostgreSQL", lambda size: pg))
    small = args.small or max(args.employees // 10, 1)
    ok = True
    print(
        f"{'database':<11} {'employees':>9} {'answers':>9} {'first':>8} {'again':>8} "
        f"{'peak RSS':>9} {'py peak':>8} {'stmts':>6} {'gap rows':>9} {'needs':>7}"
    )
    for name, url_for in targets:
        results = {}
        for size in (small, args.employees):
            r = measure(url_for(size), size, args.competencies)
            results[size] = r
            print(
                f"{name:<11} {size:>9,} {r['answers']:>9,} {r['seconds']:>7.2f}s "
                f"{r['again_seconds']:>7.2f}s {r['rss_mib']:>6.0f}MiB "
                f"{r['python_peak_mib']:>5.1f}MiB {r['statements']:>6} {r['gaps']:>9,} "
                f"{r['needs']:>7,}",
                flush=True,
            )
        big, little = results[args.employees], results[small]
        factor = args.employees // small
        ratio = big["seconds"] / little["seconds"] if little["seconds"] else 0.0
        again = big["again_seconds"] / little["again_seconds"] if little["again_seconds"] else 0.0
        checks = {
            "first compute and recompute ≤ 10 s": max(big["seconds"], big["again_seconds"]) <= 10,
            "peak RSS ≤ 300 MiB": big["rss_mib"] <= 300,
            "statements independent of employees": big["statements"] == little["statements"]
            and big["again_statements"] == little["again_statements"],
            f"{factor}× data ≤ 11× time (first ×{ratio:.2f}, again ×{again:.2f})": max(ratio, again)
            <= 11,
        }
        for label, passed in checks.items():
            print(f"  {name}: {label}: {'ok' if passed else 'MISSED'}")
            ok = ok and passed
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
