"""Survey submit against the bare floor, in one process and one run (issue 16).

* bare: a minimal Flask app with a plain SQLAlchemy engine on the same SQLite file (WAL, same
  pragmas, BEGIN IMMEDIATE) whose POST parses the same form and inserts the same response row
  and ~30 answer rows in one transaction, answering 303;
* portal: the public survey submit (session, CSRF, definition logic, idempotent submission key,
  one response and its answers), every request with a fresh submission key.

Both are called through the WSGI test client (no HTTP server: the server's own cost, equal for
both, would only dilute the ratio), alternately for a few rounds; the report gives requests/s,
the ratio portal/bare (target ≥ 0.5), statements per submit, and with --profile the top of a
cProfile of the portal submit.

    python bench/floor_bench.py [--requests 1500] [--rounds 3] [--profile]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TMP = Path(tempfile.mkdtemp(prefix="bangkom-floor-"))
os.environ.update(
    BANGKOM_INSTANCE_DIR=str(TMP),
    SECRET_KEY="bench",
    DATABASE_URL=f"sqlite:///{TMP / 'floor.sqlite3'}",
    SURVEYS_DIR=str(TMP / "surveys"),
    LOG_LEVEL="WARNING",
)
os.environ.pop("REDIS_URL", None)

from bench.surveys_bench import (  # noqa: E402
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    SETUP,
    answers,
    definition_yaml,
    form_body,
)


def bare_app(database_url: str, campaign_id: int, definition_id: str):
    """Flask + SQLAlchemy Core, nothing else: parse, insert response + answers, 303."""
    from flask import Flask, request
    from sqlalchemy import create_engine, event, insert
    from sqlalchemy.sql import column, table

    engine = create_engine(database_url)

    @event.listens_for(engine, "connect")
    def pragmas(dbapi, _record):
        dbapi.isolation_level = None
        cursor = dbapi.cursor()
        cursor.execute("PRAGMA busy_timeout = 30000")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    response_table = table(
        "survey_response",
        *(
            column(name)
            for name in (
                "id",
                "campaign_id",
                "definition_id",
                "definition_version",
                "language",
                "rater_role",
                "stakeholder_group",
                "status",
                "draft_answers",
                "started_on",
                "submitted_on",
                "submission_key",
                "submitted_at",
                "updated_at",
            )
        ),
    )
    answer_table = table(
        "survey_answer",
        *(column(n) for n in ("response_id", "field", "item_id", "value_number", "value_text")),
    )
    app = Flask("bare")

    @app.post("/bare")
    def submit():
        from datetime import UTC, date, datetime

        form = request.form
        now = datetime.now(UTC)
        with engine.begin() as conn:
            response_id = conn.execute(
                insert(response_table)
                .values(
                    campaign_id=campaign_id,
                    definition_id=definition_id,
                    definition_version=1,
                    language="id",
                    rater_role="stakeholder",
                    stakeholder_group=form.get("kelompok"),
                    status="submitted",
                    draft_answers="{}",
                    started_on=date.today(),
                    submitted_on=date.today(),
                    submission_key=form["submission_key"],
                    submitted_at=now,
                    updated_at=now,
                )
                .returning(response_table.c.id)
            ).scalar_one()
            rows = []
            for key in form:
                if key in ("csrf_token", "action", "submission_key"):
                    continue
                values = form.getlist(key)
                text = "\n".join(values)
                number = float(text) if text.isdigit() else None
                rows.append(
                    {
                        "response_id": response_id,
                        "field": key,
                        "item_id": key,
                        "value_number": number,
                        "value_text": None if number is not None else text,
                    }
                )
            conn.execute(insert(answer_table), rows)
        return "", 303, {"Location": "/done"}

    return app


def timed(call, count: int) -> float:
    started = time.perf_counter()
    for number in range(count):
        call(number)
    return count / (time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=1500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    options = parser.parse_args()

    (TMP / "surveys").mkdir()
    (TMP / "surveys" / "bench_publik.yaml").write_text(definition_yaml(), encoding="utf-8")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(SETUP % {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}, {})
    campaign_id, token = out.getvalue().split()

    from werkzeug.datastructures import MultiDict

    from app import create_app
    from app.extensions import db

    portal = create_app({"TRAP_HTTP_EXCEPTIONS": os.environ.get("FLOOR_TRAP") == "1"})
    client = portal.test_client()
    page = client.get(f"/s/{token}").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    rng = random.Random(7)
    bodies = [form_body(answers(rng)) for _ in range(200)]

    def portal_submit(number: int, run: list[int] = [0]) -> None:  # noqa: B006
        key = f"floorp{run[0]:02d}x{number:012d}"
        data = [
            *bodies[number % 200],
            ("csrf_token", csrf),
            ("action", "submit"),
            ("submission_key", key),
        ]
        response = client.post(f"/s/{token}", data=MultiDict(data))
        if response.status_code != 303:
            raise SystemExit(
                f"portal submit answered {response.status_code}: {response.get_data(as_text=True)[:3000]}"
            )

    bare = bare_app(os.environ["DATABASE_URL"], int(campaign_id), "bench_publik").test_client()

    def bare_submit(number: int, run: list[int] = [0]) -> None:  # noqa: B006
        data = [
            *bodies[number % 200],
            ("csrf_token", csrf),
            ("action", "submit"),
            ("submission_key", f"floorb{run[0]:02d}x{number:012d}"),
        ]
        if bare.post("/bare", data=MultiDict(data)).status_code != 303:
            raise SystemExit("bare submit failed")

    from sqlalchemy import event

    with portal.app_context():
        engine = db.engine
    statements = [0]
    event.listen(
        engine, "before_cursor_execute", lambda *a: statements.__setitem__(0, statements[0] + 1)
    )
    portal_submit(10**6)
    per_submit = statements[0]

    if options.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        for number in range(300):
            portal_submit(2 * 10**6 + number)
        profiler.disable()
        pstats.Stats(profiler).sort_stats(os.environ.get("FLOOR_SORT", "cumulative")).print_stats(
            45
        )
        return 0

    portal_rates, bare_rates = [], []
    for round_number in range(options.rounds):
        portal_submit.__defaults__[0][0] = round_number + 1  # type: ignore[index]
        bare_submit.__defaults__[0][0] = round_number + 1  # type: ignore[index]
        bare_rates.append(timed(bare_submit, options.requests))
        portal_rates.append(timed(portal_submit, options.requests))
    bare_rps, portal_rps = statistics.median(bare_rates), statistics.median(portal_rates)
    print(f"{'bare Flask + SQLAlchemy submit':34} {bare_rps:8.0f} req/s")
    print(
        f"{'portal survey submit':34} {portal_rps:8.0f} req/s   ratio {portal_rps / bare_rps:.2f} (target ≥ 0.5)"
    )
    print(f"statements per portal submit: {per_submit}")
    print(
        f"rounds: bare {[round(r) for r in bare_rates]}, portal {[round(r) for r in portal_rates]}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
